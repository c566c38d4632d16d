import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { Registry } from 'prom-client';
import { InMemoryEventStore } from '@gongzhi/event-store/testing';
import { CommandProcessor, EventSourcingModule } from '@gongzhi/eventsourcing';
import { AuditLog } from '../audit/audit-log';
import { auditVerifyCommand, forgetSubjectCommand } from '../cli/privacy-cli';
import { ErasureService } from '../erasure/erasure.service';
import { BlindIndex } from '../keys/blind-index';
import { adminCtx, officerCtx } from '../test-support/scenario';
import { workerDecider, workerStream } from '../test-support/worker.fixture';
import { PRIVACY_STORE, PrivacyModule, type PrivacyModuleOptions } from './privacy.module';
import type { DataSource } from 'typeorm';
import { describeWithPostgres, freshSchemaName, postgresTestUrl } from '@gongzhi/testing';

const WORKER = { workerId: '0190b3f4-7c1e-7a2b-9f00-00000000a11c', name: '張三明', idNumber: '11010519491231002X', phone: '13812345678' };

describe('PrivacyModule', () => {
  let dir: string;
  let app: INestApplicationContext | undefined;
  let store: InMemoryEventStore;

  const boot = async (overrides: Partial<PrivacyModuleOptions> = {}) => {
    const registry = new Registry();
    @Module({
      imports: [
        EventSourcingModule.forRoot({ store }),
        PrivacyModule.forRoot({
          dataDir: dir,
          production: false,
          readStore: { kind: 'sqlite', file: join(dir, 'read.sqlite') },
          env: {},
          metrics: { registry: () => registry },
          ...overrides,
        }),
      ],
    })
    class AppModule {}
    app = await NestFactory.createApplicationContext(AppModule, { logger: false, abortOnError: false });
    await app.init();
    return { app, registry };
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gongzhi-privacy-module-'));
    store = new InMemoryEventStore();
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('encrypts personal fields of every command (global EVENT_TRANSFORMER), with keys generated 0600 in the data dir', async () => {
    const { app } = await boot();
    const { subjectId } = await app.get(BlindIndex).subjectFor('id-number', WORKER.idNumber);
    await app.get(CommandProcessor).handle(workerDecider, workerStream(WORKER.workerId), { type: 'RegisterWorker', data: { ...WORKER, subjectId } }, officerCtx());
    const [e] = await store.readStream(workerStream(WORKER.workerId));
    expect(e.data).toMatchObject({ idNumber: { $pii: 'enc', subjectId } });
    expect(JSON.stringify(e.data)).not.toContain(WORKER.idNumber);
    expect(statSync(join(dir, 'keys', 'kek.key')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'privacy.sqlite')).isFile()).toBe(true);
  });

  it('records every command in the audit log from the event log, once, across restarts', async () => {
    const { app: first } = await boot();
    const { subjectId } = await first.get(BlindIndex).subjectFor('id-number', WORKER.idNumber);
    const commands = first.get(CommandProcessor);
    await commands.handle(workerDecider, workerStream(WORKER.workerId), { type: 'RegisterWorker', data: { ...WORKER, subjectId } }, officerCtx({ correlationId: 'c-1' }));
    await commands.handle(workerDecider, workerStream(WORKER.workerId), { type: 'ChangePhone', data: { phone: '13987654321' } }, officerCtx({ correlationId: 'c-2' }));
    const audit = first.get(AuditLog);
    await waitFor(async () => (await audit.list({ filter: { action: 'command' } })).records.length === 2);
    await first.close();
    app = undefined;

    const { app: second } = await boot();
    await second.get(CommandProcessor).handle(workerDecider, workerStream(WORKER.workerId), { type: 'IssueCard', data: { cardNo: 'C-1' } }, officerCtx({ correlationId: 'c-3' }));
    const audit2 = second.get(AuditLog);
    await waitFor(async () => (await audit2.list({ filter: { action: 'command' } })).records.length === 3);
    const { records } = await audit2.list({ filter: { action: 'command' } });
    expect(records.map((r) => [r.correlationId, r.actorUserId, r.resourceId, r.details?.eventTypes])).toEqual([
      ['c-3', 'u-officer', workerStream(WORKER.workerId), ['CardIssued']],
      ['c-2', 'u-officer', workerStream(WORKER.workerId), ['PhoneChanged']],
      ['c-1', 'u-officer', workerStream(WORKER.workerId), ['WorkerRegistered']],
    ]);
    expect(JSON.stringify(records)).not.toMatch(/張三明|11010519491231002X|13812345678/);
    expect((await audit2.verify()).valid).toBe(true);
  });

  it('runs the CLI commands: forget-subject, then audit verify (and reports tampering)', async () => {
    const { app } = await boot({ recordCommands: false });
    const { subjectId } = await app.get(BlindIndex).subjectFor('id-number', WORKER.idNumber);
    await app.get(CommandProcessor).handle(workerDecider, workerStream(WORKER.workerId), { type: 'RegisterWorker', data: { ...WORKER, subjectId } }, officerCtx());
    const out: string[] = [];
    const io = { out: (s: string) => out.push(s), err: (s: string) => out.push(`ERR ${s}`) };
    expect(await forgetSubjectCommand(app.get(ErasureService), subjectId, { basis: 'PIPL Art 47(1)', operator: 'cli', correlationId: 'corr-cli' }, io)).toBe(0);
    expect(out[0]).toMatch(new RegExp(`^erased ${subjectId}: key versions destroyed \\[1\\], blind-index rows 1, read-model rows cleared 0, audit row 1, event `));
    expect(await forgetSubjectCommand(app.get(ErasureService), '11010519491231002X', { basis: 'x', operator: 'cli', correlationId: 'c' }, io)).toBe(2);
    expect(out.join('\n')).not.toContain('11010519491231002X');

    expect(await auditVerifyCommand(app.get(AuditLog), io)).toBe(0);
    expect(out.at(-1)).toMatch(/^audit log: 1 row\(s\), hash chain intact; head 1 [0-9a-f]{64}$/);
    const ds = app.get<DataSource>(PRIVACY_STORE);
    await ds.query('DROP TRIGGER audit_log_no_update');
    await ds.query(`UPDATE audit_log SET purpose = 'nothing to see' WHERE seq = 1`);
    expect(await auditVerifyCommand(app.get(AuditLog), io)).toBe(1);
    expect(out.at(-1)).toBe('audit log BROKEN at row 1: hash_mismatch (0 row(s) verified before it)');
  });

  it('refuses to start in production without configured keys, and never generates them there', async () => {
    await expect(boot({ production: true })).rejects.toThrow(/Set GONGZHI_KEK or GONGZHI_KEK_FILE/);
    expect(() => statSync(join(dir, 'keys', 'kek.key'))).toThrow();
    // The same start succeeds with keys from the environment.
    const env = { GONGZHI_KEK: Buffer.alloc(32, 1).toString('base64'), GONGZHI_INDEX_KEY: Buffer.alloc(32, 2).toString('base64') };
    await expect(boot({ production: true, env })).resolves.toBeDefined();
  });

  describeWithPostgres()('on PostgreSQL', () => {
    it('keeps the privacy tables in a schema of their own beside the read store', async () => {
      const schema = freshSchemaName('privacy_mod');
      const { app } = await boot({ readStore: { kind: 'postgres', url: postgresTestUrl() }, schema, recordCommands: false });
      try {
        const { subjectId } = await app.get(BlindIndex).subjectFor('id-number', WORKER.idNumber);
        await app.get(CommandProcessor).handle(workerDecider, workerStream(WORKER.workerId), { type: 'RegisterWorker', data: { ...WORKER, subjectId } }, officerCtx());
        const ds = app.get<DataSource>(PRIVACY_STORE);
        const tables: { table_name: string }[] = await ds.query(
          'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name',
          [schema],
        );
        expect(tables.map((t) => t.table_name)).toEqual(['audit_command_checkpoint', 'audit_log', 'data_subjects', 'subject_blind_index', 'subject_keys']);
        await expect(ds.query(`DELETE FROM "${schema}".audit_log`)).resolves.toBeDefined(); // empty: nothing to refuse
        await app.get(AuditLog).append({ action: 'command', actor: { userId: 'u' } });
        await expect(ds.query(`TRUNCATE "${schema}".audit_log`)).rejects.toThrow(/append-only/);
      } finally {
        await app.get<DataSource>(PRIVACY_STORE).query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      }
    });
  });

  it('erases through the injected ErasureService with the injected audit', async () => {
    const { app } = await boot({ recordCommands: false });
    const { subjectId } = await app.get(BlindIndex).subjectFor('id-number', WORKER.idNumber);
    const result = await app.get(ErasureService).forgetSubject(subjectId, 'PIPL Art 47(1)', adminCtx());
    expect(result).toMatchObject({ erasedNow: true, blindIndexRowsDeleted: 1 });
  });
});

const waitFor = async (check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> => {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
};
