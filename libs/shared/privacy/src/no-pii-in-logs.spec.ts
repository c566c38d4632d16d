import { Writable } from 'node:stream';
import pino from 'pino';
import { Role } from '@gongzhi/auth';
import { principalAt } from '@gongzhi/auth/testing';
import { personalData } from '@gongzhi/kernel';
import { loadPrivacyKeys } from './crypto/key-material';
import { findPersonalPatterns } from './validation/personal-patterns';
import { adminCtx, officerCtx, openScenario, type Scenario } from './test-support/scenario';
import { projectWorkers, workerDecider, workerStream, WorkerCardRow } from './test-support/worker.fixture';

/**
 * RELIABILITY.md P-3 at the library level: run the privacy paths, including every failure they
 * report, with the output the platform would produce (pino JSON with its standard error
 * serializer, console, stdout/stderr, /metrics), plus the clear parts of every stored event and
 * every audit row; then grep all of it for ID-number and phone patterns and the known values.
 */
const WORKER = { workerId: '0190b3f4-7c1e-7a2b-9f00-00000000a11c', name: '張三明', idNumber: '11010519491231002X', phone: '13812345678' };
const KNOWN = [WORKER.name, WORKER.idNumber, WORKER.phone, '440305199001011234', '13987654321'];

describe('P-3: no ID numbers or phones in logs, errors, metrics or clear event parts', () => {
  let s: Scenario;
  let captured: string[];
  let logger: pino.Logger;
  const restore: (() => void)[] = [];

  beforeEach(async () => {
    captured = [];
    const sink = new Writable({ write: (chunk, _enc, done) => (captured.push(String(chunk)), done()) });
    logger = pino({ level: 'trace' }, sink);
    for (const stream of [process.stdout, process.stderr]) {
      const original = stream.write.bind(stream);
      stream.write = ((chunk: unknown, ...rest: unknown[]) => {
        captured.push(String(chunk));
        return (original as (...a: unknown[]) => boolean)(chunk, ...rest);
      }) as typeof stream.write;
      restore.push(() => (stream.write = original as typeof stream.write));
    }
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      const spy = jest.spyOn(console, method).mockImplementation((...args: unknown[]) => void captured.push(args.map(String).join(' ')));
      restore.push(() => spy.mockRestore());
    }
    s = await openScenario('sqlite');
  });
  afterEach(async () => {
    restore.splice(0).forEach((r) => r());
    await s.cleanup();
  });

  /** What a handler's catch block does: log the error with pino's serializer, keep going. */
  const attempt = async (what: string, work: () => Promise<unknown>): Promise<void> => {
    try {
      await work();
      logger.info({ what }, 'ok');
    } catch (err) {
      logger.error({ err, what }, 'failed');
      captured.push(String(err), JSON.stringify(err), (err as Error).stack ?? '');
    }
  };

  it('finds nothing after the happy paths and every failure path ran', async () => {
    const { subjectId } = await s.privacy.blindIndex.subjectFor('id-number', WORKER.idNumber);
    const stream = workerStream(WORKER.workerId);
    await attempt('register', () =>
      s.processor.handle(workerDecider, stream, { type: 'RegisterWorker', data: { ...WORKER, subjectId } }, officerCtx()),
    );
    await attempt('change phone', () => s.processor.handle(workerDecider, stream, { type: 'ChangePhone', data: { phone: '13987654321' } }, officerCtx()));
    await attempt('project', () => projectWorkers(s.events, s.read.ds, s.privacy.transformer, s.privacy.columns));
    const card = await s.read.ds.manager.findOneByOrFail(WorkerCardRow, { workerId: WORKER.workerId });
    await attempt('unmask', () =>
      s.privacy.reader.reveal(principalAt('/cn/county-a/', [Role.UnionOfficer]), {
        value: personalData(subjectId, WORKER.idNumber),
        kind: 'idNumber',
        field: 'idNumber',
        orgUnitPath: card.owningOrgPath,
        correlationId: 'corr-1',
      }),
    );

    // Failure paths, each of which has the personal value at hand when it fails.
    await attempt('invalid id number', () => s.privacy.blindIndex.subjectFor('id-number', '440305199001011234'));
    await attempt('invalid mobile', () => s.privacy.blindIndex.add(subjectId, 'mobile', '1381234567'));
    await attempt('already registered', () =>
      s.processor.handle(workerDecider, stream, { type: 'RegisterWorker', data: { ...WORKER, subjectId } }, officerCtx()),
    );
    await attempt('unprotected pii', () =>
      s.privacy.transformer.encode({ id: '0190b3f4-7c1e-7a2b-9f00-000000000009', streamId: stream, type: 'X', data: { note: WORKER.phone } }),
    );
    await attempt('tampered envelope', async () => {
      const [e] = await s.events.readStream(stream);
      const data = e.data as Record<string, Record<string, string>>;
      await s.privacy.transformer.decode({ ...e, data: { ...data, name: data.idNumber } });
    });
    await attempt('subject id that is an id number', () => s.privacy.vault.encrypt(WORKER.idNumber, WORKER.name, { eventId: 'e', streamId: stream, field: ['x'] }));
    await attempt('audit details with a phone', () => s.privacy.audit.append({ action: 'command', actor: { userId: 'u' }, details: { phone: WORKER.phone } }));
    await attempt('erasure basis with an id number', () =>
      s.privacy.erasure(s.processor).forgetSubject(subjectId, `request for ${WORKER.idNumber}`, adminCtx()),
    );
    await attempt('bad kek', async () => loadPrivacyKeys({ env: { GONGZHI_KEK: 'MTM4MTIzNDU2Nzg=', GONGZHI_INDEX_KEY: 'x' } }));
    await attempt('erase', () => s.privacy.erasure(s.processor).forgetSubject(subjectId, 'PIPL Art 47(1)', adminCtx()));
    await attempt('personal data for an erased subject', () =>
      s.processor.handle(workerDecider, stream, { type: 'ChangePhone', data: { phone: '13700000000' } }, officerCtx()),
    );
    await attempt('replay', () => projectWorkers(s.events, s.read.ds, s.privacy.transformer, s.privacy.columns));

    const events = await s.events.readAll();
    const clearParts = events.map((e) => JSON.stringify({ id: e.id, streamId: e.streamId, type: e.type, metadata: e.metadata }));
    const audit = JSON.stringify((await s.privacy.audit.list({ first: 500 })).records);
    const haystack = [...captured, ...clearParts, audit, await s.registry.metrics()].join('\n');

    // The capture is real: the failures above were logged.
    expect(haystack).toContain('PRIVACY.INVALID_ID_NUMBER');
    expect(haystack).toContain('PRIVACY.SUBJECT_ERASED');
    expect(haystack).toContain('UnprotectedPersonalDataError');
    expect(haystack).toContain('PersonalDataIntegrityError');
    expect(captured.filter((l) => l.includes('"msg":"failed"')).length).toBeGreaterThanOrEqual(10);

    expect(findPersonalPatterns(haystack)).toEqual([]);
    for (const known of KNOWN) expect(haystack.includes(known)).toBe(false);
  });
});
