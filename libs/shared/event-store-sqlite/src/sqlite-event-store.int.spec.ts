import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { type EventToAppend, isConcurrencyError, isInvalidAppendError } from '@gongzhi/event-store';
import { runEventStoreContract } from '@gongzhi/event-store/testing';
import { SqliteEventStore, createSqliteEventStore, openSqliteEventStoreReadOnly } from './sqlite-event-store';
import { WriterProcess } from './test-support/writers';

const tempDir = () => mkdtempSync(join(tmpdir(), 'gongzhi-sqlite-'));
const events = (n: number, type = 'Tested'): EventToAppend[] =>
  Array.from({ length: n }, (_, i) => ({ id: randomUUID(), type, data: { i }, metadata: { actor: { userId: 'u-1' } } }));

runEventStoreContract('sqlite', async () => {
  const dir = tempDir();
  const filename = join(dir, 'events.sqlite');
  const store = createSqliteEventStore({ filename });
  return {
    store,
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
    // A second connection edits the row like someone with the file and the sqlite3 shell would.
    tamper: async (eventId, change) => {
      const db = new Database(filename);
      try {
        if (change.data !== undefined) db.prepare('UPDATE events SET data = ? WHERE event_id = ?').run(JSON.stringify(change.data), eventId);
        if (change.metadata !== undefined) db.prepare('UPDATE events SET metadata = ? WHERE event_id = ?').run(JSON.stringify(change.metadata), eventId);
      } finally {
        db.close();
      }
    },
  };
});

describe('SqliteEventStore on a real file', () => {
  let dir: string;
  let filename: string;
  const stores: SqliteEventStore[] = [];
  const open = (options: Partial<ConstructorParameters<typeof SqliteEventStore>[0]> = {}) => {
    const store = createSqliteEventStore({ filename, ...options });
    stores.push(store);
    return store;
  };
  const raw = (fn: (db: Database.Database) => void) => {
    const db = new Database(filename);
    try {
      fn(db);
    } finally {
      db.close();
    }
  };

  beforeEach(() => {
    dir = tempDir();
    filename = join(dir, 'nested', 'deeper', 'events.sqlite');
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates the directory and the file, in WAL mode with synchronous=FULL', async () => {
    const store = open();
    await store.appendToStream('test.file-1', events(1));

    expect(existsSync(filename)).toBe(true);
    expect(store.diagnostics()).toMatchObject({ journalMode: 'wal', synchronous: 2 });
    raw((db) => expect(db.pragma('journal_mode', { simple: true })).toBe('wal'));
  });

  it('reports a deleted event as a broken link in the chain', async () => {
    const store = open();
    const batch = events(4);
    await store.appendToStream('test.deleted-1', batch);
    raw((db) => db.prepare('DELETE FROM events WHERE event_id = ?').run(batch[1].id));

    expect(await store.verifyStream('test.deleted-1')).toMatchObject({
      valid: false,
      firstInvalid: { revision: 2, eventId: batch[2].id, reason: 'broken_link' },
    });
  });

  it('reports an altered type as a hash mismatch', async () => {
    const store = open();
    const batch = events(2);
    await store.appendToStream('test.type-1', batch);
    raw((db) => db.prepare("UPDATE events SET type = 'Forged' WHERE event_id = ?").run(batch[1].id));

    expect((await store.verifyStream('test.type-1')).firstInvalid).toEqual({ revision: 1, eventId: batch[1].id, reason: 'hash_mismatch' });
  });

  it('ES-6: an exception on the third event of a batch, after two rows were inserted, leaves nothing and the revision unchanged', async () => {
    const store = open();
    const stream = 'test.es6-1';
    await store.appendToStream(stream, events(2));
    const head = await store.headPosition();
    const batch = events(5);
    // Serialising the third event throws inside the append transaction, after the first two
    // rows of the batch were inserted (the store serialises event by event as it inserts).
    const poisoned = batch.map((e, i) => (i === 2 ? { ...e, data: { amount: 10n } as unknown as EventToAppend['data'] } : e));

    await expect(store.appendToStream(stream, poisoned, { expectedRevision: 1 })).rejects.toThrow(/BigInt/);

    expect(await store.streamRevision(stream)).toBe(1);
    expect(await store.headPosition()).toBe(head);
    raw((db) => expect(db.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 2 }));
    // None of the batch's ids was kept, so the same batch goes through now.
    const retried = await store.appendToStream(stream, batch, { expectedRevision: 1 });
    expect(retried).toMatchObject({ nextExpectedRevision: 6, idempotentReplay: false });
    expect((await store.verifyStream(stream)).valid).toBe(true);
  });

  it('ES-8: readAll gives the same order twice and again after closing and reopening the file', async () => {
    const first = open();
    for (let round = 0; round < 5; round++) {
      await Promise.all(['a', 'b', 'c'].map((s) => first.appendToStream(`test.es8-${s}`, events(round + 1))));
    }
    const before = (await first.readAll()).map((e) => [e.id, e.position, e.streamId, e.revision, e.hash]);
    expect((await first.readAll()).map((e) => [e.id, e.position, e.streamId, e.revision, e.hash])).toEqual(before);
    await first.close();

    const reopened = open();
    const after = await reopened.readAll();
    expect(after.map((e) => [e.id, e.position, e.streamId, e.revision, e.hash])).toEqual(before);
    for (let i = 1; i < after.length; i++) expect(after[i].position > after[i - 1].position).toBe(true);

    // The log and the chains carry on where they stopped.
    const more = await reopened.appendToStream('test.es8-a', events(1), { expectedRevision: 14 });
    expect(more.positions[0] > after[after.length - 1].position).toBe(true);
    expect(await reopened.verifyStream('test.es8-a')).toMatchObject({ valid: true, eventsChecked: 16 });
  });

  it('two instances on one file: the stale one gets a ConcurrencyError and sees the other’s events', async () => {
    const a = open({ pollIntervalMs: 20 });
    const b = open({ pollIntervalMs: 20 });
    const stream = 'test.two-1';
    await a.appendToStream(stream, events(1), { expectedRevision: 'no_stream' });
    const sub = b.subscribeToAll()[Symbol.asyncIterator]();
    await b.appendToStream(stream, events(2), { expectedRevision: 0 });

    const error = await a.appendToStream(stream, events(1), { expectedRevision: 0 }).catch((e) => e);
    expect(isConcurrencyError(error)).toBe(true);
    expect(error).toMatchObject({ expected: 0, actual: 2 });

    const fromA = events(1);
    await a.appendToStream(stream, fromA, { expectedRevision: 2 });
    const seen: string[] = [];
    while (seen.length < 4) {
      const r = await sub.next();
      if (r.done) break;
      seen.push(r.value.id);
    }
    expect(seen[3]).toBe(fromA[0].id);
  });

  it('a read-only handle reads and follows the log but refuses to write', async () => {
    const writer = open();
    await writer.appendToStream('test.ro-1', events(2));
    const reader = openSqliteEventStoreReadOnly({ filename, pollIntervalMs: 20 });
    stores.push(reader);

    expect(await reader.readStream('test.ro-1')).toHaveLength(2);
    const error = await reader.appendToStream('test.ro-1', events(1)).catch((e) => e);
    expect(isInvalidAppendError(error)).toBe(true);
    const sub = reader.subscribeToAll({ fromPosition: await reader.headPosition() })[Symbol.asyncIterator]();
    const later = events(1);
    await writer.appendToStream('test.ro-1', later);
    expect((await sub.next()).value?.id).toBe(later[0].id);
  });

  describe('separate processes writing the same file', () => {
    const writers: WriterProcess[] = [];
    const startWriters = async (n: number) => {
      open(); // creates the schema before the race, as the application would
      writers.push(...(await Promise.all(Array.from({ length: n }, () => WriterProcess.start(filename)))));
      return writers;
    };
    afterEach(async () => {
      await Promise.all(writers.splice(0).map((w) => w.stop()));
    });

    it('ES-1: of 4 processes appending with the same expected revision one wins; the rest get ConcurrencyError', async () => {
      const ws = await startWriters(4);
      const stream = 'test.procs-es1';
      await stores[0].appendToStream(stream, events(1), { expectedRevision: 'no_stream' });

      const replies = await Promise.all(ws.map((w) => w.send({ op: 'append', streamId: stream, events: events(2), expectedRevision: 0 })));

      expect(replies.filter((r) => r.ok)).toHaveLength(1);
      for (const r of replies.filter((r) => !r.ok)) {
        expect(r).toMatchObject({ name: 'ConcurrencyError', code: 'EVENT_STORE.CONCURRENCY', expected: 0, actual: 2 });
      }
      expect((await stores[0].readStream(stream)).map((e) => e.revision)).toEqual([0, 1, 2]);
    });

    it('the same batch sent by 4 processes at once is written once; the others get an idempotent replay', async () => {
      const ws = await startWriters(4);
      const stream = 'test.procs-replay';
      const batch = events(3);

      const replies = await Promise.all(ws.map((w) => w.send({ op: 'append', streamId: stream, events: batch, expectedRevision: 'no_stream' })));

      expect(replies.every((r) => r.ok)).toBe(true);
      const oks = replies.filter((r): r is Extract<typeof r, { ok: true }> => r.ok);
      expect(oks.filter((r) => !r.idempotentReplay)).toHaveLength(1);
      for (const r of oks) expect(r.positions).toEqual(oks[0].positions);
      expect(await stores[0].readAll()).toHaveLength(3);
    });

    it("interleaved 'any' appends from 3 processes leave one contiguous, valid stream and an intact file", async () => {
      const ws = await startWriters(3);
      const stream = 'test.procs-any';

      const replies = await Promise.all(ws.map((w) => w.send({ op: 'appendMany', streamId: stream, count: 40 })));

      expect(replies.every((r) => r.ok)).toBe(true);
      const store = stores[0];
      const read = await store.readStream(stream);
      expect(read.map((e) => e.revision)).toEqual(Array.from({ length: 120 }, (_, i) => i));
      expect(await store.verifyStream(stream)).toEqual({ streamId: stream, valid: true, eventsChecked: 120 });
      const all = await store.readAll();
      for (let i = 1; i < all.length; i++) expect(all[i].position > all[i - 1].position).toBe(true);
      raw((db) => expect(db.pragma('integrity_check', { simple: true })).toBe('ok'));
    });
  });
});
