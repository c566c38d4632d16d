import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EVENT_STORE, isEventStoreUnavailableError, type EventStore } from '@gongzhi/event-store';
import { InMemoryEventStore } from '@gongzhi/event-store/testing';
import { disputeDecider, disputeFiledV1ToV2 } from './__fixtures__/labor-dispute.fixture';
import { AggregateReader } from './aggregate-reader';
import { CLOCK, type Clock } from './clock';
import { CommandProcessor } from './command-processor';
import { EventSourcingModule } from './event-sourcing.module';
import type { CommandObservation, CommandObserver } from './metrics';
import { UpcasterRegistry } from './upcasting';

const STREAM = 'union.labor-dispute-0b6f6c1e-5d0e-4a8e-9d55-3f1f7c2a9b10';
const fixedClock: Clock = { now: () => new Date('2024-05-01T00:00:00.000Z') };
const ctx = { actor: { userId: 'staff-1', roles: [], orgUnitPath: 'cn.43' }, correlationId: 'corr' };

const seen: CommandObservation[] = [];
@Injectable()
class RecordingObserver implements CommandObserver {
  onCommand(o: CommandObservation): void {
    seen.push(o);
  }
}

/** A context module as the apps write them: it injects CommandProcessor without importing anything. */
@Injectable()
class FileDisputeHandler {
  constructor(readonly commands: CommandProcessor) {}
  execute() {
    return this.commands.handle(disputeDecider, STREAM, { type: 'FileDispute', data: { disputeId: 'd', amount: 1 } }, ctx);
  }
}
@Module({ providers: [FileDisputeHandler] })
class UnionModule {}

const boot = async (root: ReturnType<typeof EventSourcingModule.forRoot>) => {
  @Module({ imports: [root, UnionModule] })
  class AppModule {}
  return NestFactory.createApplicationContext(AppModule, { logger: false });
};

describe('EventSourcingModule', () => {
  it('wires a store factory, the clock, upcasters and an observer class into an injectable CommandProcessor', async () => {
    const app = await boot(
      EventSourcingModule.forRoot({
        store: () => new InMemoryEventStore(),
        clock: fixedClock,
        upcasters: [disputeFiledV1ToV2],
        observer: RecordingObserver,
      }),
    );
    const result = await app.get(FileDisputeHandler).execute();
    const store = app.get<EventStore>(EVENT_STORE);

    expect(result.revision).toBe(0);
    const [filed] = await store.readStream(STREAM);
    expect(filed.metadata).toMatchObject({ occurredAt: '2024-05-01T00:00:00.000Z', schemaVersion: 2 });
    expect(app.get(CLOCK)).toBe(fixedClock);
    expect(app.get(UpcasterRegistry).currentVersion('DisputeFiled')).toBe(2);
    expect((await app.get(AggregateReader).load(disputeDecider, STREAM)).state).toMatchObject({ status: 'Filed' });
    expect(seen).toEqual([expect.objectContaining({ commandType: 'FileDispute', outcome: 'appended' })]);

    await app.close();
    // The module built the store, so it closed it on shutdown.
    const afterClose = await store.readStream(STREAM).catch((e) => e);
    expect(isEventStoreUnavailableError(afterClose)).toBe(true);
  });

  it('uses a given store instance, leaves it open on shutdown and defaults to the system clock', async () => {
    const store = new InMemoryEventStore();
    const app = await boot(EventSourcingModule.forRoot({ store }));
    expect(app.get(EVENT_STORE)).toBe(store);
    const before = Date.now();
    await app.get(FileDisputeHandler).execute();
    const [filed] = await store.readStream(STREAM);
    expect(Date.parse(filed.metadata.occurredAt as string)).toBeGreaterThanOrEqual(before - 1000);
    await app.close();
    await expect(store.streamRevision(STREAM)).resolves.toBe(0);
    await store.close();
  });

  it('injects factory dependencies into the store factory', async () => {
    const STORE_OPTIONS = Symbol('STORE_OPTIONS');
    @Module({ providers: [{ provide: STORE_OPTIONS, useValue: { pollIntervalMs: 5 } }], exports: [STORE_OPTIONS] })
    class ConfigModule {}
    const factory = jest.fn((opts: { pollIntervalMs: number }) => new InMemoryEventStore(opts));
    const app = await boot(EventSourcingModule.forRoot({ store: factory, inject: [STORE_OPTIONS], imports: [ConfigModule] }));
    expect(factory).toHaveBeenCalledWith({ pollIntervalMs: 5 });
    await app.close();
  });
});
