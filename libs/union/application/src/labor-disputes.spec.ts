import { Role } from '@gongzhi/auth';
import { MoveOrgUnitCommand } from '@gongzhi/org';
import { FakeClock } from '@gongzhi/testing';
import { laborDisputeStream, LaborPolicy } from '@gongzhi/union-domain';
import { createLaborDisputeProjection } from './read-model/labor-dispute.projection';
import { LaborDisputeFactRow, LaborDisputeRow } from './read-model/labor-dispute.entities';
import { createUnionTestApp, createUnionTree, UNION_TEST_ENTITIES, type UnionTestApp, type UnionTree } from './testing';
import { filing, groupFiling, meta, officerAt } from './test-support/fixtures';
import { ProjectionRunner } from '@gongzhi/projections';
import { DataSource } from 'typeorm';
import { systemPrincipal } from '@gongzhi/auth';

const START = '2024-03-01T02:00:00.000Z'; // 10:00 on 1 March 2024 in China

describe('labor disputes (application, SQLite read store)', () => {
  let t: UnionTestApp;
  let clock: FakeClock;
  let tree: UnionTree;
  const admin = systemPrincipal('test-admin');
  const officer = (level: keyof UnionTree['paths']) => officerAt(tree.paths[level]);

  beforeEach(async () => {
    clock = new FakeClock(START);
    t = await createUnionTestApp({ clock });
    tree = await createUnionTree(t.commandBus);
    await t.settle();
  });
  afterEach(() => t.close());

  const file = async (level: keyof UnionTree['ids'], overrides = {}) =>
    (await t.disputes.file(filing(tree.ids[level], overrides), officer(level), meta())).aggregateId;
  const step = (disputeId: string, type: string, data: Record<string, unknown> = {}, who = officer('rucheng')) =>
    t.disputes.step({ type, data: { disputeId, ...data } } as never, who, meta());
  const eventTypes = async (disputeId: string) => (await t.store.readStream(laborDisputeStream(disputeId))).map((e) => e.type);
  const list = async (who = officer('city'), filter = {}) => (await t.queries.list(who, filter, { limit: 50 })).map((r) => r.disputeId);

  describe('the deadline scheduler, on a FakeClock', () => {
    it('expires the mediation window at the end of day 15, not before', async () => {
      const id = await file('rucheng');
      await step(id, 'ApplyForMediation', { committee: { kind: 'township-street', name: '土橋鎮勞動爭議調解中心' }, form: 'written' });
      await step(id, 'AcceptMediation');
      await t.settle();
      // Accepted on 1 March: the window covers 2–16 March and closes at midnight (China time).
      clock.set('2024-03-16T15:59:59.000Z');
      expect((await t.scheduler.tick()).fired).toEqual([]);
      expect((await t.queries.get(officer('rucheng'), id)).case.status).toBe('Mediating');
      clock.set('2024-03-16T16:00:00.000Z');
      expect((await t.scheduler.tick()).fired).toEqual([
        { trigger: 'union.expire-mediation-window', streamId: laborDisputeStream(id), clockId: 'mediation-window', dueAt: '2024-03-16T16:00:00.000Z' },
      ]);
      await t.settle();
      expect((await eventTypes(id)).slice(-2)).toEqual(['MediationWindowExpired', 'DeadlineStopped']);
      const [row] = await t.queries.list(officer('rucheng'), { status: ['MediationFailed'] }, { limit: 5 });
      expect(row).toMatchObject({ disputeId: id, status: 'MediationFailed' });
      // A second tick after the projection caught up finds nothing left to expire.
      clock.advance({ days: 1 });
      expect((await t.scheduler.tick()).fired).toEqual([]);
      const events = await t.store.readStream(laborDisputeStream(id));
      expect(events.filter((e) => e.type === 'MediationWindowExpired')).toHaveLength(1);
      expect(events[events.length - 1].metadata).toMatchObject({ actor: { userId: 'deadline-scheduler' } });
    });

    it('runs the award deadline to day 60 after a 15-day extension, and only then shows it overdue', async () => {
      const id = await file('rucheng');
      await step(id, 'ApplyForArbitration', { commission: '汝城縣勞動人事爭議仲裁委員會' });
      await step(id, 'AcceptArbitration', { caseNumber: '汝勞人仲案〔2024〕12號' });
      clock.set('2024-04-10T02:00:00Z');
      await step(id, 'ExtendAwardDeadline', { days: 15, approvedBy: '仲裁委主任', noticeServed: true });
      await t.settle();
      clock.set('2024-04-16T02:00:00Z'); // day 46: the original 45 days are over
      expect(await list(officer('rucheng'), { overdue: true })).toEqual([]);
      expect(await list(officer('rucheng'), { overdue: false })).toEqual([id]);
      const view = await t.queries.get(officer('rucheng'), id);
      expect(view.openClocks.find((c) => c.clockId === 'award')).toMatchObject({
        policyId: LaborPolicy.award,
        version: 1,
        source: '勞動爭議調解仲裁法 (2007) Art 43',
        startedAt: START,
        dueAt: '2024-04-30T16:00:00.000Z',
        extensions: [expect.objectContaining({ length: 15, approvedBy: '仲裁委主任' })],
        overdue: false,
      });
      clock.set('2024-04-30T16:00:00Z'); // day 60 is over
      expect(await list(officer('rucheng'), { overdue: true })).toEqual([id]);
      expect((await t.queries.get(officer('rucheng'), id)).openClocks.find((c) => c.clockId === 'award')?.overdue).toBe(true);
    });

    it('counts a published working-day policy over the loaded holidays; running clocks keep their version', async () => {
      const before = await file('rucheng');
      await step(before, 'ApplyForLegalAid', { aidOffice: '汝城縣法律援助中心' });
      // A new version, published as data: 3 working days from 1 April 2024.
      await t.policies.publish({ policyId: LaborPolicy.legalAidDecision, length: 3, unit: 'wd', source: '某省法律援助條例 (example local rule)', effectiveFrom: '2024-04-01T00:00:00+08:00' }, 'admin', clock.nowIso());
      clock.set('2024-04-03T02:00:00Z'); // Wednesday before 清明 (4–6 April off, Sunday 7 worked)
      const after = await file('rucheng');
      await step(after, 'ApplyForLegalAid', { aidOffice: '汝城縣法律援助中心' });
      const clockOf = async (id: string) => (await t.queries.get(officer('rucheng'), id)).openClocks.find((c) => c.clockId === 'legal-aid-decision');
      expect(await clockOf(after)).toMatchObject({ version: 2, unit: 'wd', length: 3, calendarId: 'cn-national', dueAt: '2024-04-09T16:00:00.000Z' });
      expect(await clockOf(before)).toMatchObject({ version: 1, unit: 'd', length: 7, dueAt: '2024-03-08T16:00:00.000Z' });
    });
  });

  describe('the dispute list', () => {
    it('filters by status, subtree, group, category, filing time and overdue, newest first, in pages', async () => {
      const a = await file('rucheng');
      clock.advance({ days: 1 });
      const b = (await t.disputes.file(groupFiling(tree.ids.tuqiao, { category: 'working-conditions' }), officer('tuqiao'), meta())).aggregateId;
      clock.advance({ days: 1 });
      const c = await file('yizhang', { category: 'labor-contract' });
      await step(c, 'ApplyForArbitration', { commission: '宜章縣仲裁委' }, officer('yizhang'));
      await t.settle();

      expect(await list()).toEqual([c, b, a]);
      expect(await list(officer('city'), { orgUnitId: tree.ids.rucheng })).toEqual([b, a]);
      expect(await list(officer('city'), { group: true })).toEqual([b]);
      expect(await list(officer('city'), { category: ['labor-contract', 'working-conditions'] })).toEqual([c, b]);
      expect(await list(officer('city'), { status: ['ArbitrationApplied'] })).toEqual([c]);
      expect(await list(officer('city'), { filedFrom: '2024-03-02T00:00:00+08:00', filedTo: '2024-03-03T00:00:00+08:00' })).toEqual([b]);
      clock.advance({ days: 6 }); // the commission's 5 days to accept are over
      expect(await list(officer('city'), { overdue: true })).toEqual([c]);

      const first = await t.queries.list(officer('city'), {}, { limit: 2 });
      expect(first.map((r) => r.disputeId)).toEqual([c, b]);
      const next = await t.queries.list(officer('city'), {}, { limit: 2, after: { filedAt: first[1].filedAt, disputeId: first[1].disputeId } });
      expect(next.map((r) => r.disputeId)).toEqual([a]);

      // Scope: a county sees its own subtree only; a subtree outside the scope is NOT_FOUND.
      expect(await list(officer('yizhang'))).toEqual([c]);
      expect(await list(officer('rucheng'))).toEqual([b, a]);
      await expect(t.queries.list(officer('yizhang'), { orgUnitId: tree.ids.rucheng }, { limit: 5 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      const [group] = await t.queries.list(officer('province'), { group: true }, { limit: 5 });
      expect(group).toMatchObject({ groupDispute: true, stabilityWatch: true, workersInvolved: 12 });
      expect(group.stateJson).not.toContain('工人1');
    });
  });

  describe('KPIs per subtree and month', () => {
    it('counts filings, mediations, awards and closings; a county officer above sees them, a sibling county does not', async () => {
      await file('yizhang');
      const mediated = await file('tuqiao');
      await step(mediated, 'ApplyForMediation', { committee: { kind: 'enterprise', name: '企業調解委員會' }, form: 'oral' });
      await step(mediated, 'AcceptMediation');
      clock.advance({ days: 3 });
      await step(mediated, 'SignMediationAgreement', { terms: '分期付清', performanceDueDate: '2024-03-20', partiesSigned: true, mediatorSigned: true, committeeSealed: true });
      clock.advance({ days: 10 });
      await step(mediated, 'RecordAgreementPerformed');
      await step(mediated, 'CloseDispute', { outcome: 'mediation-agreement-performed' });

      const failed = (await t.disputes.file(groupFiling(tree.ids.rucheng), officer('rucheng'), meta())).aggregateId;
      await step(failed, 'ApplyForMediation', { committee: { kind: 'enterprise', name: '企業調解委員會' }, form: 'written' });
      await step(failed, 'AcceptMediation');
      await step(failed, 'RecordMediationFailure', { reason: '差距過大' });
      await step(failed, 'ApplyForArbitration', { commission: '汝城縣仲裁委' });
      await step(failed, 'AcceptArbitration', { caseNumber: 'X' });
      clock.set('2024-04-10T02:00:00Z');
      await step(failed, 'IssueAward', { kind: 'non-final', summary: '支付', awardedAmount: 1000 });
      await t.settle();

      const march = { orgUnitId: tree.ids.city, fromMonth: '2024-03', toMonth: '2024-04' };
      const [m, a] = await t.queries.kpis(officer('city'), march);
      expect(m).toEqual({
        month: '2024-03',
        filed: 3,
        groupDisputes: 1,
        mediatedSuccessfully: 1,
        mediationsConcluded: 2,
        mediationSuccessRate: 0.5,
        awardsIssued: 0,
        awardsOnTime: 0,
        onTimeAwardRate: null,
        closed: 1,
        averageDaysToClose: 13,
      });
      expect(a).toMatchObject({ month: '2024-04', filed: 0, awardsIssued: 1, awardsOnTime: 1, onTimeAwardRate: 1 });

      // 汝城 sees its own subtree (incl. 土橋鎮), 宜章 only itself and cannot ask for 汝城.
      expect((await t.queries.kpis(officer('rucheng'), { ...march, orgUnitId: tree.ids.rucheng }))[0]).toMatchObject({ filed: 2, groupDisputes: 1 });
      expect((await t.queries.kpis(officer('yizhang'), { ...march, orgUnitId: tree.ids.yizhang }))[0]).toMatchObject({ filed: 1, groupDisputes: 0, mediatedSuccessfully: 0 });
      await expect(t.queries.kpis(officer('yizhang'), { ...march, orgUnitId: tree.ids.rucheng })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(t.queries.kpis(officer('rucheng'), march)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });
  });

  describe('responsibility over time', () => {
    it('answers as of a date before and after a transfer, to the county that held it then', async () => {
      const id = await file('tuqiao');
      clock.set('2024-03-05T02:00:00Z');
      await t.disputes.transfer({ disputeId: id, toOrgUnitId: tree.ids.yizhang, reason: '用人單位在宜章' }, officer('city'), meta());
      await t.settle();

      const before = await t.queries.get(officer('city'), id, '2024-03-03T00:00:00Z');
      expect(before.responsibleOrgUnit).toEqual({ id: tree.ids.tuqiao, path: tree.paths.tuqiao, name: '土橋鎮工會' });
      expect(before.case.status).toBe('Filed');
      const after = await t.queries.get(officer('city'), id, '2024-03-06T00:00:00Z');
      expect(after.responsibleOrgUnit).toEqual({ id: tree.ids.yizhang, path: tree.paths.yizhang, name: '宜章縣總工會' });
      expect(after.case.transfers).toHaveLength(1);

      // 土橋鎮 answers for the days it held the case, and no longer sees it now.
      expect((await t.queries.get(officer('tuqiao'), id, '2024-03-03T00:00:00Z')).responsibleOrgUnit.id).toBe(tree.ids.tuqiao);
      await expect(t.queries.get(officer('tuqiao'), id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect(await list(officer('rucheng'))).toEqual([]);
      expect(await list(officer('yizhang'))).toEqual([id]);
      // Before the filing there is nothing to answer.
      await expect(t.queries.get(officer('city'), id, '2024-02-01T00:00:00Z')).rejects.toMatchObject({ code: 'NOT_FOUND' });
      // Acting on it is now 宜章's business.
      await expect(step(id, 'ApplyForLegalAid', { aidOffice: 'x' }, officer('tuqiao'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await step(id, 'ApplyForLegalAid', { aidOffice: '宜章縣法律援助中心' }, officer('yizhang'));
    });

    it('follows a move of the handling union in the tree', async () => {
      const id = await file('tuqiao');
      await t.commandBus.execute(new MoveOrgUnitCommand({ orgUnitId: tree.ids.tuqiao, newParentId: tree.ids.yizhang }, admin, { correlationId: 'move' }));
      await t.settle();
      expect(await list(officer('yizhang'))).toEqual([id]);
      expect(await list(officer('rucheng'))).toEqual([]);
      const [row] = await t.dataSource.getRepository(LaborDisputeRow).find();
      expect(row.owningOrgPath).toBe(`${tree.paths.yizhang}${tree.ids.tuqiao}/`);
      const [fact] = await t.dataSource.getRepository(LaborDisputeFactRow).find();
      expect(fact.owningOrgPath).toBe(`${tree.paths.yizhang}${tree.ids.tuqiao}/`);
      await step(id, 'ApplyForLegalAid', { aidOffice: 'x' }, officer('yizhang'));
      await t.settle();
      const events = await t.store.readStream(laborDisputeStream(id));
      expect(events[events.length - 1].metadata).toMatchObject({ orgUnitPath: `${tree.paths.yizhang}${tree.ids.tuqiao}/` });
    });
  });

  describe('authorization and idempotency', () => {
    it('answers NOT_FOUND outside the scope and FORBIDDEN without union:write', async () => {
      const id = await file('rucheng');
      await expect(step(id, 'ApplyForLegalAid', { aidOffice: 'x' }, officer('yizhang'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(step(id, 'ApplyForLegalAid', { aidOffice: 'x' }, officerAt(tree.paths.rucheng, [Role.Analyst]))).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(t.disputes.file(filing(tree.ids.rucheng), officer('yizhang'), meta())).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(t.disputes.file(filing('no-such-union'), officer('city'), meta())).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(step('no-such-dispute', 'AcceptMediation')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });

    it('returns the original result for a resent command and appends nothing', async () => {
      const commandId = '0190b3f4-7c1e-7a2b-9f00-0000000000c1';
      const first = await t.disputes.file(filing(tree.ids.rucheng), officer('rucheng'), meta({ commandId }));
      const again = await t.disputes.file(filing(tree.ids.rucheng), officer('rucheng'), meta({ commandId }));
      expect(again).toMatchObject({ aggregateId: first.aggregateId, revision: first.revision, idempotentReplay: true });
      expect(await t.store.readStream(laborDisputeStream(first.aggregateId))).toHaveLength(first.events.length);
    });
  });

  it('rebuilds to the same read model from the log (oracle)', async () => {
    const a = await file('rucheng');
    await step(a, 'ApplyForMediation', { committee: { kind: 'enterprise', name: 'c' }, form: 'oral' });
    await step(a, 'AcceptMediation');
    const b = (await t.disputes.file(groupFiling(tree.ids.tuqiao), officer('tuqiao'), meta())).aggregateId;
    await step(b, 'CloseDispute', { outcome: 'abandoned' }, officer('tuqiao'));
    await t.disputes.transfer({ disputeId: a, toOrgUnitId: tree.ids.yizhang, reason: 'r' }, officer('city'), meta());
    await t.settle();
    const fresh = new DataSource({ type: 'better-sqlite3', database: ':memory:', entities: UNION_TEST_ENTITIES });
    await fresh.initialize();
    const runner = new ProjectionRunner({ projection: createLaborDisputeProjection(), store: t.store, dataSource: fresh, leaseMs: 3_000 });
    await runner.start();
    await runner.waitForPosition(await t.store.headPosition(), { timeoutMs: 10_000, pollMs: 5 });
    const dump = async (ds: DataSource) => ({
      disputes: await ds.getRepository(LaborDisputeRow).find({ order: { disputeId: 'ASC' } }),
      facts: await ds.getRepository(LaborDisputeFactRow).find({ order: { disputeId: 'ASC', kind: 'ASC' } }),
    });
    const [incremental, rebuilt] = [await dump(t.dataSource), await dump(fresh)];
    expect(rebuilt).toEqual(incremental);
    expect(incremental.disputes).toHaveLength(2);
    await runner.stop();
    await fresh.destroy();
  });
});
