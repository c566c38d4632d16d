/**
 * A separate OS process holding its own SqliteEventStore on a shared file, driven by JSON lines
 * on stdin, so the integration tests can race real processes for the SQLite write lock (within
 * one process better-sqlite3 calls never overlap). Run with `node -r @swc-node/register`.
 */
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import type { EventToAppend, ExpectedRevision } from '@gongzhi/event-store';
import { createSqliteEventStore } from '../sqlite-event-store';

export type WriterCommand =
  | { op: 'append'; streamId: string; events: EventToAppend[]; expectedRevision: ExpectedRevision }
  | { op: 'appendMany'; streamId: string; count: number }
  | { op: 'exit' };

export type WriterReply =
  | { ok: true; positions: string[]; nextExpectedRevision: number; idempotentReplay: boolean }
  | { ok: false; name: string; code?: string; expected?: unknown; actual?: unknown; message: string };

const store = createSqliteEventStore({ filename: process.argv[2], busyTimeoutMs: 30_000 });
const reply = (r: WriterReply) => process.stdout.write(`${JSON.stringify(r)}\n`);

const run = async (command: WriterCommand): Promise<void> => {
  if (command.op === 'exit') {
    await store.close();
    process.exit(0);
  }
  try {
    if (command.op === 'append') {
      const r = await store.appendToStream(command.streamId, command.events, { expectedRevision: command.expectedRevision });
      reply({ ok: true, positions: r.positions.map(String), nextExpectedRevision: r.nextExpectedRevision, idempotentReplay: r.idempotentReplay });
    } else {
      const positions: string[] = [];
      let last = -1;
      for (let i = 0; i < command.count; i++) {
        const r = await store.appendToStream(command.streamId, [{ id: randomUUID(), type: 'Raced', data: { pid: process.pid, i } }]);
        positions.push(String(r.positions[0]));
        last = r.nextExpectedRevision;
      }
      reply({ ok: true, positions, nextExpectedRevision: last, idempotentReplay: false });
    }
  } catch (e) {
    const err = e as { name?: string; code?: string; expected?: unknown; actual?: unknown; message?: string };
    reply({ ok: false, name: String(err.name), code: err.code, expected: err.expected, actual: err.actual, message: String(err.message) });
  }
};

createInterface({ input: process.stdin }).on('line', (line) => void run(JSON.parse(line) as WriterCommand));
process.stdout.write('ready\n');
