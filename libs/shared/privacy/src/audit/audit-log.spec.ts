import { DataSource, type DataSourceOptions } from 'typeorm';
import { describeWithPostgres } from '@gongzhi/testing';
import { postgresStore, sqliteStore, type TestStore } from '../test-support/stores';
import { tableName } from '../schema';
import { AuditRecordRow } from './audit-record.entity';
import { AuditDetailsRejected, AuditLog, GENESIS_HASH } from './audit-log';

const officer = { userId: 'u-officer', roles: ['union-officer'], orgUnitId: 'ou-county-a' };
const subjectId = '8d0f6c1e-2b7a-4c55-9a51-3f3a1e0c9b10';

/** Bypasses the append-only trigger the way someone with DDL rights could. */
const tamper = async (store: TestStore, table: string, sql: string): Promise<void> => {
  if (store.kind === 'sqlite') {
    await store.ds.query('DROP TRIGGER audit_log_no_update');
    await store.ds.query('DROP TRIGGER audit_log_no_delete');
    await store.ds.query(sql);
  } else {
    await store.ds.transaction(async (m) => {
      await m.query(`ALTER TABLE ${table} DISABLE TRIGGER USER`);
      await m.query(sql);
      await m.query(`ALTER TABLE ${table} ENABLE TRIGGER USER`);
    });
  }
};

const suite = (name: string, open: () => Promise<TestStore>, d: jest.Describe = describe) =>
  d(`AuditLog on ${name}`, () => {
    let store: TestStore;
    let audit: AuditLog;
    let now: number;
    let table: string;

    beforeEach(async () => {
      now = Date.parse('2024-05-01T08:00:00Z');
      store = await open();
      table = tableName(store.ds, AuditRecordRow);
      audit = new AuditLog(store.ds, () => new Date((now += 1000)));
      await audit.append({ action: 'command', actor: officer, resourceType: 'labor-dispute', resourceId: 'd-1', correlationId: 'c-1' });
      await audit.append({ action: 'unmask', actor: officer, subjectId, field: 'idNumber', purpose: 'mediation', correlationId: 'c-2' });
      await audit.append({ action: 'erasure', actor: { userId: 'u-admin', roles: ['admin'] }, subjectId, purpose: 'PIPL Art 47(1)' });
    });
    afterEach(() => store.cleanup());

    it('chains rows: each hash covers the row and the previous hash, from a fixed genesis', async () => {
      const { records } = await audit.list({ first: 10 });
      expect(records.map((r) => [r.seq, r.action])).toEqual([
        [3, 'erasure'],
        [2, 'unmask'],
        [1, 'command'],
      ]);
      expect(records[2].prevHash).toBe(GENESIS_HASH);
      expect(records[1].prevHash).toBe(records[2].hash);
      expect(records[0].prevHash).toBe(records[1].hash);
      expect(records[1]).toMatchObject({
        actorUserId: 'u-officer',
        actorRoles: ['union-officer'],
        actorOrgUnitId: 'ou-county-a',
        subjectId,
        field: 'idNumber',
        purpose: 'mediation',
        correlationId: 'c-2',
        result: 'allowed',
        occurredAt: '2024-05-01T08:00:02.000Z',
      });
      expect(await audit.verify()).toEqual({ valid: true, checked: 3, headSeq: 3, headHash: records[0].hash });
    });

    it('pages newest first and filters by action, actor, subject and time', async () => {
      const page1 = await audit.list({ first: 2 });
      expect(page1.records.map((r) => r.seq)).toEqual([3, 2]);
      expect(page1.hasNextPage).toBe(true);
      const page2 = await audit.list({ first: 2, after: page1.endCursor ?? undefined });
      expect(page2.records.map((r) => r.seq)).toEqual([1]);
      expect(page2.hasNextPage).toBe(false);
      expect((await audit.list({ filter: { subjectId } })).records.map((r) => r.seq)).toEqual([3, 2]);
      expect((await audit.list({ filter: { action: 'unmask', actorUserId: 'u-officer' } })).records.map((r) => r.seq)).toEqual([2]);
      expect((await audit.list({ filter: { from: '2024-05-01T08:00:02Z', to: '2024-05-01T08:00:03Z' } })).records.map((r) => r.seq)).toEqual([2]);
    });

    it('refuses UPDATE and DELETE at the database level', async () => {
      await expect(store.ds.query(`UPDATE ${table} SET purpose = 'x' WHERE seq = 2`)).rejects.toThrow(/append-only/);
      await expect(store.ds.query(`DELETE FROM ${table} WHERE seq = 3`)).rejects.toThrow(/append-only/);
      expect((await audit.verify()).valid).toBe(true);
    });

    it('reports a row altered in SQL behind the trigger (hash mismatch at that row)', async () => {
      await tamper(store, table, `UPDATE ${table} SET actor_user_id = 'someone-else' WHERE seq = 2`);
      expect(await audit.verify()).toMatchObject({ valid: false, checked: 1, firstInvalid: { seq: 2, reason: 'hash_mismatch' } });
    });

    it('reports a row deleted from the middle (gap)', async () => {
      await tamper(store, table, `DELETE FROM ${table} WHERE seq = 2`);
      expect(await audit.verify()).toMatchObject({ valid: false, firstInvalid: { seq: 3, reason: 'gap' } });
    });

    it('reports a row whose hash was recomputed but whose link was not (broken link downstream)', async () => {
      const [row] = (await audit.list({ first: 1, after: 3 })).records; // seq 2
      const { auditRowHash } = await import('./audit-log');
      const forged = { ...row, purpose: 'forged', details: null, actorRoles: row.actorRoles.join(',') };
      const hash = auditRowHash(forged as never);
      await tamper(store, table, `UPDATE ${table} SET purpose = 'forged', hash = '${hash}' WHERE seq = 2`);
      expect(await audit.verify()).toMatchObject({ valid: false, firstInvalid: { seq: 3, reason: 'broken_link' } });
    });

    it('keeps a single chain under concurrent appends', async () => {
      await Promise.all(Array.from({ length: 20 }, (_, i) => audit.append({ action: 'unmask', actor: officer, subjectId, field: `f${i}` })));
      expect(await audit.verify()).toMatchObject({ valid: true, checked: 23 });
    });

    it('rejects details that look like personal data, without echoing them', async () => {
      const attempt = audit.append({ action: 'command', actor: officer, details: { note: 'worker 11010519491231002X' } });
      await expect(attempt).rejects.toThrow(AuditDetailsRejected);
      await expect(audit.append({ action: 'command', actor: officer, details: { phone: '13812345678' } })).rejects.not.toThrow(/138/);
      expect((await audit.verify()).checked).toBe(3);
    });
  });

suite('SQLite', () => sqliteStore());
suite('PostgreSQL', () => postgresStore(), describeWithPostgres());

describeWithPostgres()('AuditLog across processes (PostgreSQL)', () => {
  let store: TestStore;
  let second: DataSource;
  afterEach(async () => {
    await second?.destroy();
    await store.cleanup();
  });

  it('keeps one chain when two connection pools append at once (advisory lock, unique prev_hash)', async () => {
    store = await postgresStore();
    second = new DataSource({ ...(store.ds.options as object), poolSize: 4 } as DataSourceOptions);
    await second.initialize();
    const a = new AuditLog(store.ds);
    const b = new AuditLog(second);
    await Promise.all(
      Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).append({ action: 'unmask', actor: officer, subjectId, field: `f${i}` })),
    );
    expect(await a.verify()).toMatchObject({ valid: true, checked: 30 });
  });
});
