import { ALL_ROLES, type Principal, Role, systemPrincipal } from '@gongzhi/auth';
import type { CommandResult } from '@gongzhi/eventsourcing';
import { STAFF_ROLES } from '@gongzhi/org-domain';
import { readModelSnapshot } from '@gongzhi/projections';
import { principalAt } from '@gongzhi/auth/testing';
import { ReadModelOrgDirectory } from './directory/read-model-org-directory';
import { ORG_PROJECTION } from './org.module';
import { OrgReadModel } from './queries/org-read-model';
import { GetOrgUnitQuery, ListOrgUnitsQuery, ListStaffQuery } from './queries/org.queries';
import { RoleAssignmentRow, StaffRow } from './read-model/org.entities';
import { createOrgTestApp, createScopeTree, type OrgTestApp, type ScopeTree } from './testing';
import {
  AssignRoleCommand,
  CreateOrgUnitCommand,
  MoveOrgUnitCommand,
  RegisterStaffCommand,
  RenameOrgUnitCommand,
  RetireOrgUnitCommand,
  RevokeRoleCommand,
} from './write/commands';

const meta = (commandId?: string) => ({ correlationId: 'spec', ...(commandId ? { commandId } : {}) });

const errorOf = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    const err = e as { code?: string; extensions?: { code?: string }; message: string };
    return { code: err.extensions?.code ?? err.code, message: err.message };
  }
  throw new Error('expected an error');
};

describe('org context over an in-memory store and SQLite read model', () => {
  let t: OrgTestApp;
  let tree: ScopeTree;
  const admin = () => systemPrincipal('spec-admin');
  const at = (level: keyof ScopeTree['paths'], roles: Role[] = [Role.Admin]): Principal => principalAt(tree.paths[level], roles);
  const exec = <T = CommandResult>(command: unknown): Promise<T> => t.commandBus.execute(command as never);
  const readModel = () => t.app.get(OrgReadModel);

  beforeAll(async () => {
    t = await createOrgTestApp();
    tree = await createScopeTree(t.commandBus);
    // A grid under the community and a staff member there, to see a move carry them along.
    await exec(new CreateOrgUnitCommand({ orgUnitId: 'grid-1', name: '第一網格', kind: 'grid', parentId: tree.ids.communityA }, admin(), meta()));
    await exec(new RegisterStaffCommand({ staffId: 'staff-grid', displayName: '李網格員', orgUnitId: 'grid-1' }, admin(), meta()));
    await t.settle();
  });
  afterAll(() => t.close());

  it('the auth roles and the staff roles are the same list', () => {
    expect([...STAFF_ROLES].sort()).toEqual([...ALL_ROLES].sort());
  });

  it('projects the tree with materialized paths and depths', async () => {
    const rows = await readModel().orgUnits(admin(), { limit: 100 });
    expect(rows.map((r) => [r.id, r.path, r.depth])).toEqual([
      ['province', '/province/', 1],
      ['city', '/province/city/', 2],
      ['county-a', '/province/city/county-a/', 3],
      ['community-a', '/province/city/county-a/community-a/', 4],
      ['grid-1', '/province/city/county-a/community-a/grid-1/', 5],
      ['county-b', '/province/city/county-b/', 3],
    ]);
  });

  it('a county B user lists nothing of county A; the province lists both', async () => {
    const ids = async (p: Principal) => (await t.queryBus.execute(new ListOrgUnitsQuery(p, { limit: 100 }))).map((r) => r.id);
    expect(await ids(at('countyB', [Role.Analyst]))).toEqual(['county-b']);
    expect(await ids(at('countyA', [Role.Analyst]))).toEqual(['county-a', 'community-a', 'grid-1']);
    expect(await ids(at('province', [Role.Analyst]))).toHaveLength(6);
  });

  it('a unit outside the scope answers NOT_FOUND exactly like a missing one', async () => {
    const outside = await errorOf(t.queryBus.execute(new GetOrgUnitQuery(at('countyB'), 'county-a')));
    const missing = await errorOf(t.queryBus.execute(new GetOrgUnitQuery(at('countyB'), 'no-such-unit')));
    expect(outside).toEqual({ code: 'NOT_FOUND', message: 'OrgUnit county-a not found' });
    expect(missing).toEqual({ code: 'NOT_FOUND', message: 'OrgUnit no-such-unit not found' });
  });

  it('lists under a unit, paging by path', async () => {
    const first = await readModel().orgUnits(admin(), { underId: 'city', limit: 2 });
    expect(first.map((r) => r.id)).toEqual(['county-a', 'community-a']);
    const next = await readModel().orgUnits(admin(), { underId: 'city', limit: 2, afterPath: first[1].path });
    expect(next.map((r) => r.id)).toEqual(['grid-1', 'county-b']);
    await expect(readModel().orgUnits(at('countyB'), { underId: 'city', limit: 2 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  describe('authorization of commands', () => {
    it('renaming a unit outside the scope is NOT_FOUND; inside without admin is FORBIDDEN', async () => {
      expect((await errorOf(exec(new RenameOrgUnitCommand({ orgUnitId: 'county-a', name: 'x' }, at('countyB'), meta())))).code).toBe('NOT_FOUND');
      expect((await errorOf(exec(new RenameOrgUnitCommand({ orgUnitId: 'county-a', name: 'x' }, at('countyA', [Role.Analyst]), meta())))).code).toBe('FORBIDDEN');
    });

    it('creating under a parent outside the scope is ORG.PARENT_NOT_FOUND, like a missing parent', async () => {
      const outside = await errorOf(exec(new CreateOrgUnitCommand({ orgUnitId: 'x1', name: 'X', kind: 'grid', parentId: 'county-a' }, at('countyB'), meta())));
      const missing = await errorOf(exec(new CreateOrgUnitCommand({ orgUnitId: 'x1', name: 'X', kind: 'grid', parentId: 'nowhere' }, at('countyB'), meta())));
      expect(outside.code).toBe('ORG.PARENT_NOT_FOUND');
      expect(missing.code).toBe('ORG.PARENT_NOT_FOUND');
    });

    it('only an administrator of the whole tree creates top-level units', async () => {
      expect((await errorOf(exec(new CreateOrgUnitCommand({ name: 'Top', kind: 'foundation' }, at('province'), meta())))).code).toBe('FORBIDDEN');
    });

    it('a county admin creates and renames inside the county', async () => {
      const result = await exec(new CreateOrgUnitCommand({ orgUnitId: 'grid-a2', name: '第二網格', kind: 'grid', parentId: 'community-a' }, at('countyA'), meta()));
      expect(result).toMatchObject({ aggregateId: 'grid-a2', streamId: 'org.org-unit-grid-a2', revision: 0 });
      const renamed = await exec(new RenameOrgUnitCommand({ orgUnitId: 'grid-a2', name: '二號網格' }, at('countyA'), { ...meta(), expectedRevision: 0 }));
      expect(renamed.events.map((e) => e.type)).toEqual(['OrgUnitRenamed']);
      await t.settle();
      expect((await readModel().orgUnit(at('communityA'), 'grid-a2'))?.name).toBe('二號網格');
    });

    it('a stale expectedRevision is a conflict', async () => {
      const error = await errorOf(exec(new RenameOrgUnitCommand({ orgUnitId: 'county-b', name: '乙區' }, admin(), { ...meta(), expectedRevision: 5 })));
      expect(error.code).toBe('EVENTSOURCING.CONFLICT');
    });
  });

  it('a create resent with the same commandId returns the original result and appends nothing', async () => {
    const commandId = '0190f5a2-7b1c-7d2e-8f00-000000000001';
    const input = { name: '綠絲帶志願者協會', kind: 'social-organization' as const, parentId: 'city' };
    const first = await exec(new CreateOrgUnitCommand(input, admin(), meta(commandId)));
    const head = await t.store.headPosition();
    const again = await exec(new CreateOrgUnitCommand(input, admin(), meta(commandId)));
    expect(again).toEqual({ ...first, idempotentReplay: true });
    expect(await t.store.headPosition()).toBe(head);
  });

  it('moving under its own descendant is ORG.CYCLE', async () => {
    expect((await errorOf(exec(new MoveOrgUnitCommand({ orgUnitId: 'county-a', newParentId: 'grid-1' }, admin(), meta())))).code).toBe('ORG.CYCLE');
    expect((await errorOf(exec(new MoveOrgUnitCommand({ orgUnitId: 'county-a', newParentId: 'county-a' }, admin(), meta())))).code).toBe('ORG.CYCLE');
  });

  it('retiring a unit with active children is refused', async () => {
    expect((await errorOf(exec(new RetireOrgUnitCommand({ orgUnitId: 'community-a' }, admin(), meta())))).code).toBe('ORG.UNIT_HAS_ACTIVE_CHILDREN');
  });

  describe('staff and role assignments', () => {
    it('registers staff and grants scopes through role assignments', async () => {
      await exec(new RegisterStaffCommand({ staffId: 'wang', displayName: '王主任', orgUnitId: 'county-a' }, at('countyA'), meta()));
      const assigned = await exec(
        new AssignRoleCommand({ staffId: 'wang', assignmentId: 'wang-admin-b', role: Role.Admin, orgUnitId: 'county-b', scope: 'subtree' }, at('city'), meta()),
      );
      expect(assigned.events.map((e) => e.type)).toEqual(['RoleAssigned']);
      await t.settle();
      const directory = t.app.get(ReadModelOrgDirectory);
      expect(await directory.grantsOf('wang')).toEqual([{ path: tree.paths.countyB, includeDescendants: true, roles: ['admin'] }]);

      await exec(new RevokeRoleCommand({ staffId: 'wang', assignmentId: 'wang-admin-b' }, at('city'), meta()));
      await t.settle();
      expect(await directory.grantsOf('wang')).toEqual([]);
    });

    it('a county A admin cannot assign roles in county B (ORG.UNIT_NOT_FOUND) nor see city staff (NOT_FOUND)', async () => {
      const error = await errorOf(
        exec(new AssignRoleCommand({ staffId: 'wang', role: Role.Admin, orgUnitId: 'county-b' }, at('countyA'), meta())),
      );
      expect(error.code).toBe('ORG.UNIT_NOT_FOUND');
      await exec(new RegisterStaffCommand({ staffId: 'city-clerk', displayName: '趙文員', orgUnitId: 'city' }, admin(), meta()));
      const hidden = await errorOf(exec(new AssignRoleCommand({ staffId: 'city-clerk', role: Role.Analyst, orgUnitId: 'county-a' }, at('countyA'), meta())));
      expect(hidden).toEqual({ code: 'NOT_FOUND', message: 'StaffMember city-clerk not found' });
    });

    it('lists only staff in scope', async () => {
      await t.settle();
      const ids = async (p: Principal) => (await t.queryBus.execute(new ListStaffQuery(p, { limit: 50 }))).map((s) => s.id);
      expect(await ids(at('countyA'))).toEqual(['staff-grid', 'wang']);
      expect(await ids(at('countyB'))).toEqual([]);
      expect(await ids(at('city'))).toEqual(['city-clerk', 'staff-grid', 'wang']);
    });
  });

  describe('moving a subtree', () => {
    beforeAll(async () => {
      await exec(new AssignRoleCommand({ staffId: 'staff-grid', assignmentId: 'grid-role', role: Role.GridWorker, orgUnitId: 'grid-1', scope: 'unit' }, admin(), meta()));
      await t.settle();
      // Warm the directory cache: the move must invalidate it.
      expect(await t.app.get(ReadModelOrgDirectory).resolvePath('grid-1')).toBe('/province/city/county-a/community-a/grid-1/');
      const moved = await exec(new MoveOrgUnitCommand({ orgUnitId: 'community-a', newParentId: 'county-b' }, at('city'), meta()));
      expect(moved.events.map((e) => e.type)).toEqual(['OrgUnitMoved']);
      await t.settle();
    });

    it('re-projects the paths of the whole subtree, its staff and their assignments', async () => {
      const rows = await readModel().orgUnits(admin(), { underId: 'county-b', limit: 100, includeRetired: true });
      expect(rows.map((r) => [r.id, r.path, r.depth])).toEqual([
        ['community-a', '/province/city/county-b/community-a/', 4],
        ['grid-1', '/province/city/county-b/community-a/grid-1/', 5],
        ['grid-a2', '/province/city/county-b/community-a/grid-a2/', 5],
      ]);
      const staff = await t.dataSource.getRepository(StaffRow).findOneByOrFail({ id: 'staff-grid' });
      expect(staff.owningOrgPath).toBe('/province/city/county-b/community-a/grid-1/');
      const assignment = await t.dataSource.getRepository(RoleAssignmentRow).findOneByOrFail({ id: 'grid-role' });
      expect(assignment.owningOrgPath).toBe('/province/city/county-b/community-a/grid-1/');
    });

    it('the subtree leaves county A and enters county B for scoped readers', async () => {
      const ids = async (p: Principal) => (await readModel().orgUnits(p, { limit: 100 })).map((r) => r.id);
      expect(await ids(at('countyA'))).toEqual(['county-a']);
      expect(await ids(at('countyB'))).toEqual(['county-b', 'community-a', 'grid-1', 'grid-a2']);
    });

    it('the directory answers the new path at once (its cache was cleared)', async () => {
      expect(await t.app.get(ReadModelOrgDirectory).resolvePath('grid-1')).toBe('/province/city/county-b/community-a/grid-1/');
    });

    it('the write side computes paths from the streams after the move', async () => {
      const result = await exec(new CreateOrgUnitCommand({ orgUnitId: 'grid-b3', name: '三號網格', kind: 'grid', parentId: 'community-a' }, at('countyB'), meta()));
      expect(result.events).toHaveLength(1);
      await t.settle();
      expect((await readModel().orgUnit(admin(), 'grid-b3'))?.path).toBe('/province/city/county-b/community-a/grid-b3/');
      const stored = await t.store.readStream('org.org-unit-grid-b3');
      expect(stored[0].metadata.orgUnitPath).toBe('/province/city/county-b/community-a/grid-b3/');
    });

    it('a rebuild from position 0 gives the same read model as the incremental one (SP-4)', async () => {
      const projection = t.app.get(ORG_PROJECTION);
      const before = await readModelSnapshot(t.dataSource, projection);
      await t.runner!.rebuild({ timeoutMs: 20_000, pollMs: 20 });
      expect(await readModelSnapshot(t.dataSource, projection)).toEqual(before);
    });
  });

  it('a retired unit disappears from lists and from the directory', async () => {
    await exec(new RetireOrgUnitCommand({ orgUnitId: 'grid-b3', reason: '合併' }, at('countyB'), meta()));
    await t.settle();
    expect((await readModel().orgUnits(at('countyB'), { limit: 100 })).map((r) => r.id)).not.toContain('grid-b3');
    expect((await readModel().orgUnits(at('countyB'), { limit: 100, includeRetired: true })).map((r) => r.id)).toContain('grid-b3');
    expect(await t.app.get(ReadModelOrgDirectory).resolvePath('grid-b3')).toBeUndefined();
    expect((await errorOf(exec(new RenameOrgUnitCommand({ orgUnitId: 'grid-b3', name: 'x' }, at('countyB'), meta())))).code).toBe('ORG.UNIT_RETIRED');
  });
});
