import { createServer } from 'node:net';
import { isEventStoreUnavailableError } from '@gongzhi/event-store';
import { createEsdbEventStore } from './esdb-event-store';

/** A loopback port with nothing listening: taken from the OS, then released. */
const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

const rejectionOf = (promise: Promise<unknown>) => promise.then(() => undefined, (e: unknown) => e);

/**
 * The real client (no server needed): an unreachable KurrentDB must reach callers as the port's
 * retriable EventStoreUnavailableError, so a command handler or projection retries instead of
 * treating the failure as a conflict or a missing stream.
 */
describe('EsdbEventStore with no server at the address', () => {
  it('reports every operation, and a subscription, as EventStoreUnavailableError', async () => {
    const store = createEsdbEventStore({ connectionString: `kurrentdb://127.0.0.1:${await freePort()}?tls=false` });
    try {
      const failures = [
        await rejectionOf(store.appendToStream('union.x-1', [{ id: '6f1c2a4e-8a55-4a53-9d27-1c4b0e0e1a11', type: 'T', data: {} }])),
        await rejectionOf(store.readStream('union.x-1')),
        await rejectionOf(store.streamRevision('union.x-1')),
        await rejectionOf(store.readAll()),
        await rejectionOf(store.headPosition()),
        await rejectionOf(store.getStreamMetadata('union.x-1')),
        await rejectionOf(
          (async () => {
            for await (const _event of store.subscribeToAll()) return;
          })(),
        ),
      ];
      for (const failure of failures) {
        expect(isEventStoreUnavailableError(failure)).toBe(true);
        expect(failure).toMatchObject({ retriable: true });
      }
    } finally {
      await store.close();
    }
  });

  it('after close, calls fail as unavailable without reaching the client', async () => {
    const store = createEsdbEventStore({ connectionString: `kurrentdb://127.0.0.1:${await freePort()}?tls=false` });
    await store.close();
    await store.close();
    expect(isEventStoreUnavailableError(await rejectionOf(store.readAll()))).toBe(true);
    expect(() => store.subscribeToAll()).toThrow(/closed/);
  });
});
