import { Role } from '@gongzhi/auth';
import { principalAt } from '@gongzhi/auth/testing';
import { adminCtx, officerCtx, openScenario, type Scenario } from '../test-support/scenario';
import { projectWorkers, workerDecider, workerStream, WorkerCardRow } from '../test-support/worker.fixture';

const WORKER = { workerId: '0190b3f4-7c1e-7a2b-9f00-00000000a11c', name: '張三明', idNumber: '11010519491231002X', phone: '13812345678' };

describe('PersonalDataReader (P-4)', () => {
  let s: Scenario;
  let subjectId: string;
  let card: WorkerCardRow;

  const readIdNumber = (principal: ReturnType<typeof principalAt>, correlationId = 'corr-read') =>
    s.privacy.reader.reveal(principal, {
      value: null,
      kind: 'idNumber',
      field: 'idNumber',
      orgUnitPath: card.owningOrgPath,
      resourceType: 'worker',
      resourceId: card.workerId,
      purpose: 'dispute-mediation',
      correlationId,
    });

  /** The read model keeps a reference; the stored envelope is fetched and decrypted on demand. */
  const revealFromEvent = async (principal: ReturnType<typeof principalAt>, correlationId = 'corr-read') => {
    const [event] = (await s.events.readStream(card.streamId)).filter((e) => e.id === card.idNumberEventId);
    const envelope = (event.data as Record<string, unknown>).idNumber as never;
    return s.privacy.reader.reveal(principal, {
      value: envelope,
      location: { eventId: event.id, streamId: event.streamId, field: ['idNumber'] },
      kind: 'idNumber',
      field: 'idNumber',
      orgUnitPath: card.owningOrgPath,
      resourceType: 'worker',
      resourceId: card.workerId,
      purpose: 'dispute-mediation',
      correlationId,
    });
  };

  beforeEach(async () => {
    s = await openScenario('sqlite');
    ({ subjectId } = await s.privacy.blindIndex.subjectFor('id-number', WORKER.idNumber));
    await s.processor.handle(
      workerDecider,
      workerStream(WORKER.workerId),
      { type: 'RegisterWorker', data: { ...WORKER, subjectId } },
      officerCtx(),
    );
    await projectWorkers(s.events, s.read.ds, s.privacy.transformer, s.privacy.columns);
    card = await s.read.ds.manager.findOneByOrFail(WorkerCardRow, { workerId: WORKER.workerId });
  });
  afterEach(() => s.cleanup());

  it('returns the masked value to a role without the unmask permission, and audits nothing', async () => {
    const analyst = principalAt('/cn/', [Role.Analyst], 'u-analyst');
    expect(await revealFromEvent(analyst)).toEqual({ value: '1101**********002X', masked: true, erased: false });
    expect((await s.privacy.audit.list()).records).toEqual([]);
  });

  it('returns the clear value to an officer whose scope covers the record, after writing an audit row', async () => {
    const officer = principalAt('/cn/county-a/', [Role.UnionOfficer], 'u-officer');
    expect(await revealFromEvent(officer, 'corr-42')).toEqual({ value: WORKER.idNumber, masked: false, erased: false });
    const { records } = await s.privacy.audit.list();
    expect(records).toEqual([
      expect.objectContaining({
        action: 'unmask',
        actorUserId: 'u-officer',
        actorRoles: ['union-officer'],
        subjectId,
        field: 'idNumber',
        purpose: 'dispute-mediation',
        resourceType: 'worker',
        resourceId: WORKER.workerId,
        correlationId: 'corr-42',
        result: 'allowed',
      }),
    ]);
    expect(JSON.stringify(records)).not.toContain(WORKER.idNumber);
    expect(await s.metrics.unmaskedReads.get()).toMatchObject({ values: [expect.objectContaining({ labels: { field: 'idNumber' }, value: 1 })] });
  });

  it('masks for an officer of another county: the permission counts only where the role was granted', async () => {
    const elsewhere = principalAt('/cn/county-b/', [Role.UnionOfficer], 'u-officer-b');
    expect(await revealFromEvent(elsewhere)).toMatchObject({ value: '1101**********002X', masked: true });
  });

  it('does not return the value when the audit row cannot be written', async () => {
    const officer = principalAt('/cn/county-a/', [Role.UnionOfficer], 'u-officer');
    jest.spyOn(s.privacy.audit, 'append').mockRejectedValueOnce(new Error('database down'));
    await expect(revealFromEvent(officer)).rejects.toThrow('database down');
  });

  it('shows the placeholder to everyone once the subject is erased', async () => {
    await s.privacy.erasure(s.processor).forgetSubject(subjectId, 'PIPL Art 47(1)', adminCtx());
    const officer = principalAt('/cn/county-a/', [Role.UnionOfficer], 'u-officer');
    expect(await revealFromEvent(officer)).toEqual({ value: '[已刪除]', masked: false, erased: true });
    expect(await revealFromEvent(principalAt('/cn/', [Role.Analyst]))).toEqual({ value: '[已刪除]', masked: false, erased: true });
    expect((await s.privacy.audit.list({ filter: { action: 'unmask' } })).records).toEqual([]);
  });

  it('answers null for a record without the value', async () => {
    expect(await readIdNumber(principalAt('/cn/county-a/', [Role.UnionOfficer]))).toEqual({ value: null, masked: false, erased: false });
  });
});
