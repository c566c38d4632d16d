import { Role } from '@gongzhi/auth';
import { FakeClock } from '@gongzhi/testing';
import { CommunityReadModel } from './queries/community-read-model';
import { actor, defineSancunGrid, LOCATION, meta, run, type Tree } from './test-support/scenario';
import { createCommunityTestApp, createCommunityTestTree, type CommunityTestApp } from './testing';
import {
  AcceptIncidentCommand,
  CloseIncidentCommand,
  DispatchIncidentCommand,
  EvaluateIncidentCommand,
  FailVerificationCommand,
  FileIncidentCommand,
  GrantExtensionCommand,
  PassVerificationCommand,
  ReportHandlingCommand,
  ReportIncidentCommand,
  RequestExtensionCommand,
  VoidIncidentCommand,
} from './write/commands';

/** Monday 4 March 2024, 09:00 in China. */
const MONDAY = '2024-03-04T01:00:00.000Z';
const GARBAGE = 'event.city-appearance.exposed-garbage';

describe('grid cases through the command bus, the read models and the deadline scheduler', () => {
  let t: CommunityTestApp;
  let tree: Tree;
  let reads: CommunityReadModel;
  const clock = new FakeClock(MONDAY);

  const gridWorker = () => actor(tree, 'sancun', [Role.GridWorker], 'sancun-grid-worker');
  const communityOfficer = () => actor(tree, 'sancun', [Role.CommunityWorker], 'sancun-worker');
  const streetOfficer = () => actor(tree, 'songling', [Role.CommunityWorker], 'songling-worker');
  const department = () => actor(tree, 'chengguan', [Role.CommunityWorker], 'chengguan-worker');
  const sibling = () => actor(tree, 'shengze', [Role.CommunityWorker], 'shengze-worker');
  const codeOf = (p: Promise<unknown>) => p.then(() => 'ok', (e: { code?: string }) => e.code);

  beforeAll(async () => {
    t = await createCommunityTestApp({ clock });
    tree = await createCommunityTestTree(t.commandBus);
    await defineSancunGrid(t.commandBus, tree);
    await t.settle();
    reads = t.app.get(CommunityReadModel);
  });
  afterAll(() => t?.close());

  const report = async (description = '12幢東側綠化帶堆放生活垃圾') => {
    const r = await run(t.commandBus, new ReportIncidentCommand({ channel: 'grid-patrol', gridId: 'sancun-grid-01', location: LOCATION, description }, gridWorker(), meta()));
    return r.aggregateId;
  };
  const toDispatched = async (incidentId: string) => {
    await run(t.commandBus, new AcceptIncidentCommand({ incidentId }, communityOfficer(), meta()));
    await run(t.commandBus, new FileIncidentCommand({ incidentId, categoryCode: GARBAGE }, communityOfficer(), meta()));
    await run(t.commandBus, new DispatchIncidentCommand({ incidentId, toOrgUnitId: 'chengguan' }, streetOfficer(), meta()));
  };

  it('takes a patrol report from intake to evaluation, each step by the unit whose step it is', async () => {
    const id = await report();
    expect(await codeOf(run(t.commandBus, new AcceptIncidentCommand({ incidentId: id }, gridWorker(), meta())))).toBe('FORBIDDEN');
    expect(await codeOf(run(t.commandBus, new AcceptIncidentCommand({ incidentId: id }, sibling(), meta())))).toBe('NOT_FOUND');
    await run(t.commandBus, new AcceptIncidentCommand({ incidentId: id }, communityOfficer(), meta()));
    expect(await codeOf(run(t.commandBus, new FileIncidentCommand({ incidentId: id, categoryCode: 'event.nope.nope' }, communityOfficer(), meta())))).toBe(
      'COMMUNITY.UNKNOWN_CATEGORY',
    );
    await run(t.commandBus, new FileIncidentCommand({ incidentId: id, categoryCode: GARBAGE }, communityOfficer(), meta()));
    // The community officer cannot send work to a unit outside its own subtree; the street office can.
    expect(await codeOf(run(t.commandBus, new DispatchIncidentCommand({ incidentId: id, toOrgUnitId: 'chengguan' }, communityOfficer(), meta())))).toBe(
      'COMMUNITY.UNKNOWN_RESPONSIBLE_UNIT',
    );
    await run(t.commandBus, new DispatchIncidentCommand({ incidentId: id, toOrgUnitId: 'chengguan' }, streetOfficer(), meta()));
    const dispatchedAt = clock.nowIso();
    clock.advance({ days: 1 });
    await run(t.commandBus, new ReportHandlingCommand({ incidentId: id, notes: '已清運並消殺', photoRefs: ['photos/after-1.jpg'] }, department(), meta()));
    await run(t.commandBus, new PassVerificationCommand({ incidentId: id, note: '現場已清理', photoRefs: ['photos/check-1.jpg'] }, gridWorker(), meta()));
    await run(t.commandBus, new CloseIncidentCommand({ incidentId: id }, communityOfficer(), meta()));
    await run(t.commandBus, new EvaluateIncidentCommand({ incidentId: id, grade: 'good', satisfaction: 'satisfied', comment: '處置及時' }, communityOfficer(), meta()));
    await t.settle();

    const view = await reads.incident(communityOfficer(), id);
    expect(view.status).toBe('Evaluated');
    expect(view.timeline.map((e) => e.type)).toEqual([
      'IncidentReported',
      'IncidentAccepted',
      'IncidentFiled',
      'IncidentDispatched',
      'DeadlineStarted',
      'HandlingReported',
      'DeadlineStopped',
      'VerificationPassed',
      'IncidentClosed',
      'IncidentEvaluated',
    ]);
    expect(view.timeline[5]).toMatchObject({ actorUserId: 'chengguan-worker', details: { byOrgUnitId: 'chengguan', notes: '已清運並消殺' } });
    // Who was responsible right after dispatch: the fold stops at that instant.
    const then = await reads.incident(communityOfficer(), id, dispatchedAt);
    expect(then).toMatchObject({ status: 'Dispatched', responsibleOrgUnitId: 'chengguan', timeLimit: { policyId: 'community.incident.standard', status: 'running' } });

    const [row] = await reads.incidents(communityOfficer(), { gridId: 'sancun-grid-01', statuses: ['Evaluated'] }, { limit: 10 });
    expect(row).toMatchObject({ incidentId: id, status: 'Evaluated', open: false, closedOnTime: true, reworkCount: 0, responsibleOrgUnitId: 'chengguan', satisfaction: 'satisfied' });
    // The department sees the case it handled; the sibling street office sees nothing.
    expect((await reads.incidents(department(), {}, { limit: 10 })).map((r) => r.incidentId)).toContain(id);
    expect(await reads.incidents(sibling(), {}, { limit: 10 })).toEqual([]);
    await expect(reads.incident(sibling(), id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('sends a failed verification back for rework and counts it on the board and in the KPIs', async () => {
    const id = await report('沿街商鋪門前堆放紙箱');
    await toDispatched(id);
    await run(t.commandBus, new ReportHandlingCommand({ incidentId: id, notes: '已通知商戶清理' }, department(), meta()));
    await run(t.commandBus, new FailVerificationCommand({ incidentId: id, note: '紙箱仍在' }, gridWorker(), meta()));
    await run(t.commandBus, new ReportHandlingCommand({ incidentId: id, notes: '已清運' }, department(), meta()));
    await run(t.commandBus, new PassVerificationCommand({ incidentId: id }, gridWorker(), meta()));
    await run(t.commandBus, new CloseIncidentCommand({ incidentId: id }, communityOfficer(), meta()));
    await t.settle();
    const rows = await reads.incidents(streetOfficer(), { reworked: true }, { limit: 10 });
    expect(rows.map((r) => [r.incidentId, r.reworkCount, r.status])).toEqual([[id, 1, 'Closed']]);
  });

  it('voids a duplicate, linking it to the original; both keep their history', async () => {
    const original = await report('井蓋破損');
    const duplicate = await report('井蓋破損（重複上報）');
    await run(t.commandBus, new VoidIncidentCommand({ incidentId: duplicate, reason: 'duplicate', duplicateOf: original }, communityOfficer(), meta()));
    await t.settle();
    expect((await reads.incident(communityOfficer(), original)).duplicates).toEqual([duplicate]);
    expect(await reads.incident(communityOfficer(), duplicate)).toMatchObject({ status: 'Voided', duplicateOf: original });
    expect((await reads.incidentRow(communityOfficer(), original))?.duplicateCount).toBe(1);
  });

  it('reports an overdue case through the scheduler once its limit has passed, and only once', async () => {
    clock.set('2024-03-11T01:00:00.000Z'); // Monday 11 March, 09:00
    const late = await report('綠地被佔用堆放建材');
    await toDispatched(late);
    const extended = await report('行道樹枝幹折斷');
    await toDispatched(extended);
    await run(t.commandBus, new RequestExtensionCommand({ incidentId: extended, length: 3, reason: '需園林部門配合' }, department(), meta()));
    await run(t.commandBus, new GrantExtensionCommand({ incidentId: extended }, streetOfficer(), meta()));
    await t.settle();
    expect((await t.scheduler.tick()).fired).toEqual([]);

    // 5 working days from Monday 11 March end with Monday 18 March; the extension runs to Thursday 21.
    clock.set('2024-03-18T16:00:00.000Z');
    const report1 = await t.scheduler.tick();
    expect(report1.fired.map((f) => f.streamId)).toEqual([`community.incident-${late}`]);
    await t.settle();
    const view = await reads.incident(streetOfficer(), late);
    expect(view.timeline.slice(-2).map((e) => [e.type, e.actorUserId])).toEqual([
      ['IncidentOverdue', 'deadline-scheduler'],
      ['SupervisionRaised', 'deadline-scheduler'],
    ]);
    expect(view.supervisions).toEqual([expect.objectContaining({ reason: 'overdue', level: 'notice' })]);
    expect((await t.scheduler.tick()).fired).toEqual([]);
    const overdueNow = await reads.incidents(streetOfficer(), { overdue: true }, { limit: 10 });
    expect(overdueNow.map((r) => r.incidentId)).toEqual([late]);

    // Handled after its limit: closed, but not on time.
    await run(t.commandBus, new ReportHandlingCommand({ incidentId: late, notes: '建材已清走' }, department(), meta()));
    await run(t.commandBus, new PassVerificationCommand({ incidentId: late }, gridWorker(), meta()));
    await run(t.commandBus, new CloseIncidentCommand({ incidentId: late }, communityOfficer(), meta()));
    await t.settle();
    expect(await reads.incidentRow(streetOfficer(), late)).toMatchObject({ status: 'Closed', closedOnTime: false, wasLate: true, supervisionCount: 1 });
  });

  it('gives the street office the KPIs of its communities and grids; a sibling street office gets NOT_FOUND', async () => {
    const report = await reads.kpis(streetOfficer(), { underOrgUnitId: 'songling', fromMonth: '2024-03', toMonth: '2024-03' });
    expect(report.lines.map((l) => l.orgUnitId)).toEqual(['sancun']);
    expect(report.total).toMatchObject({
      reported: 6,
      filed: 4,
      closed: 3,
      closedOnTime: 2,
      closedReworked: 1,
      reworkOrders: 1,
      overdue: 1,
      // The original of the duplicate was never accepted: 5 of 6 reports got a response.
      responded: 5,
      satisfactionAsked: 1,
      satisfactionYes: 1,
      closureRate: 0.75,
      onTimeClosureRate: 0.6667,
      reworkRate: 0.3333,
      satisfactionRate: 1,
      responseRate: 0.8333,
    });
    const grids = await reads.kpis(streetOfficer(), { underOrgUnitId: 'songling', fromMonth: '2024-03', toMonth: '2024-03', level: 'grid' });
    expect(grids.lines.map((l) => [l.orgUnitId, l.reported])).toEqual([['sancun-grid-01', 6]]);
    await expect(reads.kpis(sibling(), { underOrgUnitId: 'songling', fromMonth: '2024-03', toMonth: '2024-03' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(reads.kpis(gridWorker(), { underOrgUnitId: 'sancun', fromMonth: '2024-03', toMonth: '2024-03' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
