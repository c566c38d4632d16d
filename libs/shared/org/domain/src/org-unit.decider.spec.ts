import { forDecider } from '@gongzhi/testing';
import type { CreateOrgUnit, MoveOrgUnit, RenameOrgUnit, RetireOrgUnit } from './org-unit.commands';
import { orgUnitDecider } from './org-unit.decider';
import type { OrgUnitCreated } from './org-unit.events';

const given = forDecider(orgUnitDecider);

const created = (orgUnitId: string, parentId: string | null, path: string, name = `Unit ${orgUnitId}`): OrgUnitCreated =>
  ({ type: 'OrgUnitCreated', data: { orgUnitId, name, kind: 'community', code: null, parentId, path } }) as OrgUnitCreated;

const create = (data: Partial<CreateOrgUnit['data']> = {}) => ({
  type: 'CreateOrgUnit' as const,
  data: { orgUnitId: 'city', name: '吳江市', kind: 'government-organ' as const, ...data },
});
const rename = (name: string, orgUnitId = 'ca'): { type: 'RenameOrgUnit'; data: RenameOrgUnit['data'] } => ({
  type: 'RenameOrgUnit',
  data: { orgUnitId, name },
});
const move = (data: Partial<MoveOrgUnit['data']>): { type: 'MoveOrgUnit'; data: MoveOrgUnit['data'] } => ({
  type: 'MoveOrgUnit',
  data: { orgUnitId: 'ca', newParentId: 'city2', currentPath: '/p/c/ca/', newParent: { orgUnitId: 'city2', path: '/p/c2/', retired: false }, ...data },
});
const retire = (data: Partial<RetireOrgUnit['data']> = {}): { type: 'RetireOrgUnit'; data: RetireOrgUnit['data'] } => ({
  type: 'RetireOrgUnit',
  data: { orgUnitId: 'ca', currentPath: '/p/c/ca/', activeChildren: 0, ...data },
});

const countyA = created('ca', 'c', '/p/c/ca/');

describe('org unit decider: CreateOrgUnit', () => {
  it('creates a top-level unit with path /<id>/', () => {
    given()
      .when(create({ code: 'WJ-01' }))
      .then([{ type: 'OrgUnitCreated', data: { orgUnitId: 'city', name: '吳江市', kind: 'government-organ', code: 'WJ-01', parentId: null, path: '/city/' } }]);
  });

  it("creates a child under its parent's current path, trimming the name", () => {
    given()
      .when(create({ orgUnitId: 'songling', name: '  松陵辦事處 ', kind: 'street-office', parentId: 'city', parent: { orgUnitId: 'city', path: '/p/city/', retired: false } }))
      .then([{ type: 'OrgUnitCreated', data: { orgUnitId: 'songling', name: '松陵辦事處', kind: 'street-office', code: null, parentId: 'city', path: '/p/city/songling/' } }]);
  });

  it('refuses a parent the handler did not find: ORG.PARENT_NOT_FOUND', () => {
    given().when(create({ parentId: 'ghost', parent: null })).thenThrows('ORG.PARENT_NOT_FOUND');
    given().when(create({ parentId: 'ghost' })).thenThrows('ORG.PARENT_NOT_FOUND');
  });

  it('refuses a snapshot of another unit than the parent named', () => {
    given().when(create({ parentId: 'a', parent: { orgUnitId: 'b', path: '/b/', retired: false } })).thenThrows('ORG.PARENT_NOT_FOUND');
  });

  it('refuses a retired parent: ORG.PARENT_RETIRED', () => {
    given().when(create({ parentId: 'old', parent: { orgUnitId: 'old', path: '/old/', retired: true } })).thenThrows('ORG.PARENT_RETIRED');
  });

  it('refuses to create a unit twice: ORG.UNIT_ALREADY_EXISTS', () => {
    given([created('city', null, '/city/')]).when(create()).thenThrows('ORG.UNIT_ALREADY_EXISTS');
  });

  it('refuses bad ids, names, kinds and codes', () => {
    for (const orgUnitId of ['root', 'Upper', 'has space', '', 'a/b', 'x'.repeat(65), '_lead']) {
      given().when(create({ orgUnitId })).thenThrows('ORG.INVALID_ID');
    }
    given().when(create({ name: '   ' })).thenThrows('ORG.INVALID_NAME');
    given().when(create({ name: '名'.repeat(101) })).thenThrows('ORG.INVALID_NAME');
    given().when(create({ kind: 'club' as never })).thenThrows('ORG.INVALID_KIND');
    given().when(create({ code: 'bad code!' })).thenThrows('ORG.INVALID_CODE');
  });

  it('refuses a tree deeper than 16 levels: ORG.TREE_TOO_DEEP', () => {
    const deep = `/${Array.from({ length: 16 }, (_, i) => `l${i}`).join('/')}/`;
    given().when(create({ orgUnitId: 'x', parentId: 'l15', parent: { orgUnitId: 'l15', path: deep, retired: false } })).thenThrows('ORG.TREE_TOO_DEEP');
  });
});

describe('org unit decider: RenameOrgUnit', () => {
  it('renames, keeping the previous name in the event', () => {
    given([countyA])
      .when(rename('吳江區'))
      .then([{ type: 'OrgUnitRenamed', data: { orgUnitId: 'ca', name: '吳江區', previousName: 'Unit ca' } }]);
  });

  it('a rename to the same name appends nothing', () => {
    given([countyA]).when(rename(' Unit ca ')).thenNothing();
  });

  it('uses the latest name after an earlier rename', () => {
    given([countyA, { type: 'OrgUnitRenamed', data: { orgUnitId: 'ca', name: 'B', previousName: 'Unit ca' } }])
      .when(rename('C'))
      .then([{ type: 'OrgUnitRenamed', data: { orgUnitId: 'ca', name: 'C', previousName: 'B' } }]);
  });

  it('refuses a missing unit, a retired one and an empty name', () => {
    given().when(rename('x')).thenThrows('ORG.UNIT_NOT_FOUND');
    given([countyA, { type: 'OrgUnitRetired', data: { orgUnitId: 'ca', path: '/p/c/ca/', reason: null } }])
      .when(rename('x'))
      .thenThrows('ORG.UNIT_RETIRED');
    given([countyA]).when(rename('')).thenThrows('ORG.INVALID_NAME');
  });
});

describe('org unit decider: MoveOrgUnit', () => {
  it('moves the unit under a new parent, with the old and new paths', () => {
    given([countyA])
      .when(move({}))
      .then([{ type: 'OrgUnitMoved', data: { orgUnitId: 'ca', fromParentId: 'c', toParentId: 'city2', previousPath: '/p/c/ca/', path: '/p/c2/ca/' } }]);
  });

  it('moves a unit to the top level', () => {
    given([countyA])
      .when(move({ newParentId: null, newParent: null }))
      .then([{ type: 'OrgUnitMoved', data: { orgUnitId: 'ca', fromParentId: 'c', toParentId: null, previousPath: '/p/c/ca/', path: '/ca/' } }]);
  });

  it('moving under its current parent appends nothing', () => {
    given([countyA]).when(move({ newParentId: 'c', newParent: { orgUnitId: 'c', path: '/p/c/', retired: false } })).thenNothing();
  });

  it('refuses to move a unit under itself: ORG.CYCLE', () => {
    given([countyA]).when(move({ newParentId: 'ca', newParent: { orgUnitId: 'ca', path: '/p/c/ca/', retired: false } })).thenThrows('ORG.CYCLE');
  });

  it('refuses to move a unit under its own descendant: ORG.CYCLE', () => {
    given([countyA])
      .when(move({ newParentId: 'grid', newParent: { orgUnitId: 'grid', path: '/p/c/ca/cm/grid/', retired: false } }))
      .thenThrows('ORG.CYCLE');
  });

  it('does not mistake a sibling with a longer id for a descendant', () => {
    given([created('b1', 'a', '/a/b1/')])
      .when(move({ orgUnitId: 'b1', currentPath: '/a/b1/', newParentId: 'x', newParent: { orgUnitId: 'x', path: '/a/b10/x/', retired: false } }))
      .then([{ type: 'OrgUnitMoved', data: { orgUnitId: 'b1', fromParentId: 'a', toParentId: 'x', previousPath: '/a/b1/', path: '/a/b10/x/b1/' } }]);
  });

  it('refuses a missing or retired new parent', () => {
    given([countyA]).when(move({ newParent: null })).thenThrows('ORG.PARENT_NOT_FOUND');
    given([countyA]).when(move({ newParent: { orgUnitId: 'city2', path: '/p/c2/', retired: true } })).thenThrows('ORG.PARENT_RETIRED');
  });

  it('refuses to move a missing or retired unit', () => {
    given().when(move({})).thenThrows('ORG.UNIT_NOT_FOUND');
    given([countyA, { type: 'OrgUnitRetired', data: { orgUnitId: 'ca', path: '/p/c/ca/', reason: null } }])
      .when(move({}))
      .thenThrows('ORG.UNIT_RETIRED');
  });

  it('refuses a current path that does not end with the unit', () => {
    given([countyA]).when(move({ currentPath: '/p/c/other/' })).thenThrows('ORG.UNIT_NOT_FOUND');
  });

  it('follows the parent of an earlier move', () => {
    const moved = { type: 'OrgUnitMoved' as const, data: { orgUnitId: 'ca', fromParentId: 'c', toParentId: 'city2', previousPath: '/p/c/ca/', path: '/p/c2/ca/' } };
    given([countyA, moved]).when(move({ currentPath: '/p/c2/ca/' })).thenNothing();
  });
});

describe('org unit decider: RetireOrgUnit', () => {
  it('retires a unit without active children', () => {
    given([countyA])
      .when(retire({ reason: ' merged ' }))
      .then([{ type: 'OrgUnitRetired', data: { orgUnitId: 'ca', path: '/p/c/ca/', reason: 'merged' } }]);
  });

  it('refuses while children are active: ORG.UNIT_HAS_ACTIVE_CHILDREN', () => {
    given([countyA]).when(retire({ activeChildren: 2 })).thenThrows('ORG.UNIT_HAS_ACTIVE_CHILDREN');
  });

  it('refuses to retire twice or a missing unit', () => {
    given([countyA, { type: 'OrgUnitRetired', data: { orgUnitId: 'ca', path: '/p/c/ca/', reason: null } }])
      .when(retire())
      .thenThrows('ORG.UNIT_RETIRED');
    given().when(retire()).thenThrows('ORG.UNIT_NOT_FOUND');
  });

  it('a retired unit keeps its data in the state', () => {
    given([countyA])
      .when(retire())
      .thenState({ status: 'Retired', orgUnitId: 'ca', name: 'Unit ca', kind: 'community', code: null, parentId: 'c' });
  });
});
