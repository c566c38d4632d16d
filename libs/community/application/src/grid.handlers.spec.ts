import { Role } from '@gongzhi/auth';
import { OrgReadModel } from '@gongzhi/org';
import { CommunityReadModel } from './queries/community-read-model';
import { actor, defineSancunGrid, LOCATION, meta, run, system, type Tree } from './test-support/scenario';
import { createCommunityTestApp, createCommunityTestTree, type CommunityTestApp } from './testing';
import { DefineGridCommand, ReassignGridWorkerCommand, ReportIncidentCommand, RetireGridCommand } from './write/commands';

describe('grids', () => {
  let t: CommunityTestApp;
  let tree: Tree;

  beforeAll(async () => {
    t = await createCommunityTestApp();
    tree = await createCommunityTestTree(t.commandBus);
    await t.settle();
  });
  afterAll(() => t?.close());

  const codeOf = (p: Promise<unknown>) => p.then(() => 'ok', (e: { code?: string; extensions?: { code?: string } }) => e.code ?? e.extensions?.code);

  it('a community officer defines a grid: an org unit of kind grid under the community, with its posted profile', async () => {
    const result = await defineSancunGrid(t.commandBus, tree);
    expect(result.events.map((e) => e.type)).toEqual(['GridDefined']);
    await t.settle();
    const officer = actor(tree, 'sancun', [Role.CommunityWorker]);
    const unit = await t.app.get(OrgReadModel).orgUnit(officer, 'sancun-grid-01');
    expect(unit).toMatchObject({ kind: 'grid', parentId: 'sancun', path: '/wujiang/songling/sancun/sancun-grid-01/' });
    const grid = await t.app.get(CommunityReadModel).grid(officer, 'sancun-grid-01');
    expect(grid).toMatchObject({
      communityId: 'sancun',
      name: '三村一號網格',
      workerStaffId: 'sancun-grid-worker',
      supervisionPhone: '0512-63012345',
      status: 'active',
      owningOrgPath: '/wujiang/songling/sancun/sancun-grid-01/',
    });
  });

  it('refuses a second definition, and leaves no org unit behind for a rejected one', async () => {
    expect(await codeOf(defineSancunGrid(t.commandBus, tree))).toBe('COMMUNITY.GRID_ALREADY_DEFINED');
    const bad = defineSancunGrid(t.commandBus, tree, actor(tree, 'sancun', [Role.CommunityWorker]), 'sancun-grid-09');
    await expect(bad).resolves.toBeDefined();
    const noWorker = run(
      t.commandBus,
      new DefineGridCommand(
        { gridId: 'sancun-grid-10', communityId: 'sancun', name: '十號', area: '某處', workerStaffId: 'nobody', supervisionPhone: '0512-63012345' },
        actor(tree, 'sancun', [Role.CommunityWorker]),
        meta(),
      ),
    );
    expect(await codeOf(noWorker)).toBe('COMMUNITY.GRID_WORKER_NOT_FOUND');
    await t.settle();
    expect(await t.app.get(OrgReadModel).orgUnit(system(), 'sancun-grid-10')).toBeUndefined();
  });

  it('answers NOT_FOUND for a community outside the caller’s scope, FORBIDDEN for a grid worker', async () => {
    expect(await codeOf(defineSancunGrid(t.commandBus, tree, actor(tree, 'ercun', [Role.CommunityWorker]), 'x-grid'))).toBe('NOT_FOUND');
    expect(await codeOf(defineSancunGrid(t.commandBus, tree, actor(tree, 'sancun', [Role.GridWorker]), 'y-grid'))).toBe('FORBIDDEN');
  });

  it('reassigns the grid worker to another staff member of the community', async () => {
    const officer = actor(tree, 'sancun', [Role.CommunityWorker]);
    const r = await run(t.commandBus, new ReassignGridWorkerCommand({ gridId: 'sancun-grid-01', workerStaffId: 'sancun-grid-worker-2', reason: '原網格員調任' }, officer, meta()));
    expect(r.events.map((e) => e.type)).toEqual(['GridWorkerReassigned']);
    await t.settle();
    expect((await t.app.get(CommunityReadModel).grid(officer, 'sancun-grid-01'))?.workerStaffId).toBe('sancun-grid-worker-2');
  });

  it('retires a grid only when no incident is open in it, and retires its org unit too', async () => {
    const officer = actor(tree, 'sancun', [Role.CommunityWorker]);
    await run(
      t.commandBus,
      new ReportIncidentCommand({ channel: 'grid-patrol', gridId: 'sancun-grid-09', location: LOCATION, description: '路燈不亮' }, actor(tree, 'sancun', [Role.GridWorker]), meta()),
    );
    await t.settle();
    expect(await codeOf(run(t.commandBus, new RetireGridCommand({ gridId: 'sancun-grid-09', reason: '併入一號網格' }, officer, meta())))).toBe(
      'COMMUNITY.GRID_HAS_OPEN_INCIDENTS',
    );
    const r = await run(t.commandBus, new RetireGridCommand({ gridId: 'sancun-grid-01', reason: '併入二號網格' }, officer, meta()));
    expect(r.events.map((e) => e.type)).toEqual(['GridRetired']);
    await t.settle();
    expect(await t.app.get(OrgReadModel).orgUnit(officer, 'sancun-grid-01')).toMatchObject({ retired: true });
    expect(await t.app.get(CommunityReadModel).grids(officer, { communityId: 'sancun', limit: 10 })).toEqual([expect.objectContaining({ gridId: 'sancun-grid-09' })]);
  });
});
