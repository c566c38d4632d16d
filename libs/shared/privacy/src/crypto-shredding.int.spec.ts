import Database from 'better-sqlite3';
import { describeWithPostgres } from '@gongzhi/testing';
import { isErasedPersonalData, isPersonalData } from '@gongzhi/kernel';
import { BlindIndexRow, DataSubjectRow, SubjectKeyRow } from './keys/entities';
import { SubjectErasedError } from './errors';
import { dataSubjectStream } from './erasure/data-subject.decider';
import { maskIdNumber, maskName, maskPhone } from './validation/masking';
import { scanFilesForPlaintext, scanForPlaintext } from './testing';
import { adminCtx, officerCtx, openScenario, type Scenario } from './test-support/scenario';
import { projectWorkers, workerDecider, workerStream, WorkerCardRow } from './test-support/worker.fixture';

const ALICE = { workerId: '0190b3f4-7c1e-7a2b-9f00-00000000a11c', name: '張三明', idNumber: '11010519491231002X', phone: '13812345678' };
const ALICE_NEW_PHONE = '13987654321';
const BOB = { workerId: '0190b3f4-7c1e-7a2b-9f00-000000000b0b', name: '李四光', idNumber: '44030519900101123X', phone: '15011112222' };

const register = async (s: Scenario, w: typeof ALICE): Promise<string> => {
  const { subjectId } = await s.privacy.blindIndex.subjectFor('id-number', w.idNumber);
  await s.processor.handle(
    workerDecider,
    workerStream(w.workerId),
    { type: 'RegisterWorker', data: { workerId: w.workerId, subjectId, name: w.name, idNumber: w.idNumber, phone: w.phone } },
    officerCtx({ commandId: `register-${w.workerId}` }),
  );
  return subjectId;
};

const clearReadModel = async (s: Scenario) => s.read.ds.getRepository(WorkerCardRow).clear();

const scenarios = (kind: 'sqlite' | 'postgres', d: jest.Describe = describe) =>
  d(`crypto-shredding with a ${kind} read store`, () => {
    let s: Scenario;
    let alice: string;
    let bob: string;
    let aliceIndexHash: string;

    beforeEach(async () => {
      s = await openScenario(kind);
      alice = await register(s, ALICE);
      bob = await register(s, BOB);
      await s.processor.handle(workerDecider, workerStream(ALICE.workerId), { type: 'ChangePhone', data: { phone: ALICE_NEW_PHONE } }, officerCtx());
      aliceIndexHash = s.privacy.blindIndex.hash('id-number', ALICE.idNumber);
      await projectWorkers(s.events, s.read.ds, s.privacy.transformer, s.privacy.columns);
    });
    afterEach(() => s.cleanup());

    const aliceNeedles = () => [
      ALICE.name,
      ALICE.idNumber,
      ALICE.phone,
      ALICE_NEW_PHONE,
      maskName(ALICE.name),
      maskIdNumber(ALICE.idNumber),
      maskPhone(ALICE_NEW_PHONE),
      aliceIndexHash,
    ];

    it('stores events with ciphertext only: no plaintext in data, stream ids, types or metadata', async () => {
      const db = new Database(s.eventsFile, { readonly: true });
      const rows = db.prepare('SELECT event_id, stream_id, type, data, metadata FROM events ORDER BY position').all() as Record<string, string>[];
      db.close();
      expect(rows.map((r) => r.type)).toEqual(['WorkerRegistered', 'WorkerRegistered', 'PhoneChanged']);
      const stored = JSON.parse(rows[0].data);
      expect(stored).toMatchObject({
        workerId: ALICE.workerId,
        subjectId: alice,
        idNumber: { $pii: 'enc', subjectId: alice, keyVersion: 1, alg: 'A256GCM', iv: expect.any(String), ciphertext: expect.any(String), tag: expect.any(String) },
      });
      const everything = JSON.stringify(rows);
      for (const secret of [ALICE.name, ALICE.idNumber, ALICE.phone, ALICE_NEW_PHONE, BOB.name, BOB.idNumber, BOB.phone]) {
        expect(everything).not.toContain(secret);
      }
      // The clear part carries ids, org path and times only.
      expect(JSON.parse(rows[0].metadata)).toMatchObject({ orgUnitPath: '/cn/county-a/', actor: { userId: 'u-officer' } });
    });

    it('projects decrypted values while the keys exist (the scan finds them: it is not vacuous)', async () => {
      const card = await s.read.ds.manager.findOneByOrFail(WorkerCardRow, { workerId: ALICE.workerId });
      expect(card).toMatchObject({ name: '張三明', nameMasked: '張*明', idNumberMasked: '1101**********002X', phoneMasked: '139****4321' });
      const hits = await scanForPlaintext(s.read.ds, aliceNeedles());
      expect(hits.map((h) => h.needle).sort()).toEqual([0, 4, 5, 6, 7]);
    });

    it('P-1: erase, then replay everything: events remain, PII reads as Erased, no table or column holds the old values', async () => {
      const before = (await s.events.readAll()).length;
      const result = await s.privacy.erasure(s.processor).forgetSubject(alice, 'PIPL Art 47(1): request 2024-17', adminCtx({ commandId: 'erase-1' }));
      expect(result).toMatchObject({ subjectId: alice, erasedNow: true, keyVersionsDestroyed: [1], blindIndexRowsDeleted: 1 });
      expect(result.readModelRows.reduce((n, r) => n + r.rows, 0)).toBe(1);

      // The erasure event: PII-free, in privacy.subject-<id>.
      const [erased] = await s.events.readStream(dataSubjectStream(alice));
      expect(erased).toMatchObject({
        type: 'SubjectErased',
        data: { subjectId: alice, basis: 'PIPL Art 47(1): request 2024-17', requestedBy: 'u-admin' },
      });
      // Keys destroyed, blind index gone, subject marked.
      expect(await s.read.ds.manager.findBy(SubjectKeyRow, { subjectId: alice })).toEqual([
        expect.objectContaining({ wrappedDek: null, destroyedAt: expect.any(String) }),
      ]);
      expect(await s.read.ds.manager.countBy(BlindIndexRow, { subjectId: alice })).toBe(0);
      expect(await s.privacy.blindIndex.findSubject('id-number', ALICE.idNumber)).toBeUndefined();
      expect((await s.read.ds.manager.findOneByOrFail(DataSubjectRow, { subjectId: alice })).erasedAt).not.toBeNull();
      // The audit row.
      const { records } = await s.privacy.audit.list({ filter: { action: 'erasure' } });
      expect(records).toEqual([expect.objectContaining({ subjectId: alice, actorUserId: 'u-admin', correlationId: 'corr-erase', purpose: 'PIPL Art 47(1): request 2024-17' })]);

      // Replay everything from scratch.
      await clearReadModel(s);
      await projectWorkers(s.events, s.read.ds, s.privacy.transformer, s.privacy.columns);
      const all = await s.events.readAll();
      expect(all).toHaveLength(before + 1);
      const decoded = await Promise.all(all.map((e) => s.privacy.transformer.decodeEvent(e)));
      const aliceEvents = decoded.filter((e) => (e.data as { workerId?: string }).workerId === ALICE.workerId);
      expect(aliceEvents).toHaveLength(2);
      for (const e of aliceEvents) {
        for (const field of ['name', 'idNumber', 'phone'] as const) {
          const v = (e.data as Record<string, unknown>)[field];
          if (v !== undefined) expect(v).toEqual({ $pii: 'erased', subjectId: alice, erased: true, value: '[已刪除]' });
        }
      }
      const bobEvent = decoded.find((e) => (e.data as { workerId?: string }).workerId === BOB.workerId);
      expect(isPersonalData((bobEvent?.data as Record<string, unknown>).name)).toBe(true);

      expect(await scanForPlaintext(s.read.ds, aliceNeedles())).toEqual([]);
      // Bob is untouched, which shows the scan would have found Alice.
      expect((await scanForPlaintext(s.read.ds, [BOB.name])).length).toBeGreaterThan(0);
      if (kind === 'sqlite') {
        // Bytes on disk too (free pages, WAL): secure_delete and the checkpoint after erasure.
        expect(scanFilesForPlaintext(s.read.files, aliceNeedles())).toEqual([]);
        expect(scanFilesForPlaintext(s.read.files, [BOB.name]).length).toBeGreaterThan(0);
      }

      // The event store still verifies: erasure rewrote nothing.
      expect((await s.events.verifyStream(workerStream(ALICE.workerId))).valid).toBe(true);
    });

    it('P-2: a key that is missing during replay gives the placeholder, no exception, and a counted metric', async () => {
      await s.read.ds.manager.delete(SubjectKeyRow, { subjectId: bob });
      s.privacy.vault.evict();
      await clearReadModel(s);
      await expect(projectWorkers(s.events, s.read.ds, s.privacy.transformer, s.privacy.columns)).resolves.toBeGreaterThan(0);
      const card = await s.read.ds.manager.findOneByOrFail(WorkerCardRow, { workerId: BOB.workerId });
      expect(card).toMatchObject({ name: '[已刪除]', nameMasked: '[已刪除]', idNumberMasked: '[已刪除]', phoneMasked: '[已刪除]' });
      expect(await s.metrics.unavailableCount('missing')).toBe(3);
      expect(await s.registry.metrics()).toMatch(/gongzhi_personal_data_unavailable_total\{reason="missing"\} 3/);
    });

    it('after erasure the aggregate still loads and decides: an erased value is carried as a PII-free marker', async () => {
      await s.privacy.erasure(s.processor).forgetSubject(alice, 'PIPL Art 47(1)', adminCtx());
      await s.processor.handle(workerDecider, workerStream(ALICE.workerId), { type: 'IssueCard', data: { cardNo: 'C-1' } }, officerCtx());
      const [last] = (await s.events.readStream(workerStream(ALICE.workerId), { direction: 'backward', maxCount: 1 }));
      expect(last.data).toEqual({ workerId: ALICE.workerId, cardNo: 'C-1', printedName: { $pii: 'erased', subjectId: alice, erased: true } });
      // New personal data for a forgotten subject is refused: a new filing starts a new subject.
      await expect(
        s.processor.handle(workerDecider, workerStream(ALICE.workerId), { type: 'ChangePhone', data: { phone: '13700000000' } }, officerCtx()),
      ).rejects.toThrow(SubjectErasedError);
      const again = await s.privacy.blindIndex.subjectFor('id-number', ALICE.idNumber);
      expect(again.known).toBe(false);
      expect(again.subjectId).not.toBe(alice);
      const decoded = await s.privacy.transformer.decodeEvent(last);
      expect(isErasedPersonalData((decoded.data as { printedName: unknown }).printedName)).toBe(true);
    });

    it('forgetting twice is harmless: no second event, nothing left to destroy, one more audit row', async () => {
      const erasure = s.privacy.erasure(s.processor);
      await erasure.forgetSubject(alice, 'PIPL Art 47(1)', adminCtx());
      const second = await erasure.forgetSubject(alice, 'PIPL Art 47(1)', adminCtx({ correlationId: 'corr-again' }));
      expect(second).toMatchObject({ erasedNow: false, keyVersionsDestroyed: [], blindIndexRowsDeleted: 0 });
      expect(await s.events.readStream(dataSubjectStream(alice))).toHaveLength(1);
      expect((await s.privacy.audit.verify()).valid).toBe(true);
    });

    it('P-5: after rotation new events use key v2, v1 events still decrypt, until shredding', async () => {
      expect(await s.privacy.vault.rotateKey(alice)).toBe(2);
      await s.processor.handle(workerDecider, workerStream(ALICE.workerId), { type: 'ChangePhone', data: { phone: '13700000000' } }, officerCtx());
      const stored = await s.events.readStream(workerStream(ALICE.workerId));
      expect(stored.map((e) => (e.data as { phone: { keyVersion: number } }).phone.keyVersion)).toEqual([1, 1, 2]);
      const decoded = await Promise.all(stored.map((e) => s.privacy.transformer.decodeEvent(e)));
      expect(decoded.map((e) => (e.data as { phone: { value: string } }).phone.value)).toEqual([ALICE.phone, ALICE_NEW_PHONE, '13700000000']);
      await s.privacy.erasure(s.processor).forgetSubject(alice, 'PIPL Art 47(1)', adminCtx());
      const after = await Promise.all(stored.map((e) => s.privacy.transformer.decodeEvent(e)));
      expect(after.map((e) => (e.data as { phone: { value: string } }).phone.value)).toEqual(['[已刪除]', '[已刪除]', '[已刪除]']);
    });
  });

scenarios('sqlite');
scenarios('postgres', describeWithPostgres());
