import { forDecider } from '@gongzhi/testing';
import type { AssignRole, RegisterStaff } from './staff.commands';
import { staffDecider } from './staff.decider';
import type { RoleAssigned, StaffRegistered } from './staff.events';

const given = forDecider(staffDecider);
const unitCa = { orgUnitId: 'ca', path: '/p/c/ca/', retired: false };

const register = (data: Partial<RegisterStaff['data']> = {}) => ({
  type: 'RegisterStaff' as const,
  data: { staffId: 's1', displayName: '王小明', orgUnitId: 'ca', orgUnit: unitCa, ...data },
});
const assign = (data: Partial<AssignRole['data']> = {}) => ({
  type: 'AssignRole' as const,
  data: { staffId: 's1', assignmentId: 'a1', role: 'admin' as const, orgUnitId: 'ca', scope: 'subtree' as const, orgUnit: unitCa, ...data },
});
const revoke = (assignmentId = 'a1') => ({ type: 'RevokeRole' as const, data: { staffId: 's1', assignmentId } });

const registered: StaffRegistered = {
  type: 'StaffRegistered',
  data: { staffId: 's1', displayName: '王小明', orgUnitId: 'ca', orgUnitPath: '/p/c/ca/' },
} as StaffRegistered;
const assigned: RoleAssigned = {
  type: 'RoleAssigned',
  data: { staffId: 's1', assignmentId: 'a1', role: 'admin', orgUnitId: 'ca', orgUnitPath: '/p/c/ca/', scope: 'subtree' },
} as RoleAssigned;
const revoked = { type: 'RoleRevoked' as const, data: { staffId: 's1', assignmentId: 'a1', role: 'admin' as const, orgUnitId: 'ca' } };

describe('staff decider: RegisterStaff', () => {
  it('registers a staff member in their home unit', () => {
    given().when(register()).then([registered]);
  });

  it('refuses a home unit that was not found or is retired', () => {
    given().when(register({ orgUnit: null })).thenThrows('ORG.UNIT_NOT_FOUND');
    given().when(register({ orgUnit: { ...unitCa, retired: true } })).thenThrows('ORG.UNIT_RETIRED');
  });

  it('refuses to register twice, and bad ids and names', () => {
    given([registered]).when(register()).thenThrows('ORG.STAFF_ALREADY_REGISTERED');
    given().when(register({ staffId: 'Bad Id' })).thenThrows('ORG.INVALID_ID');
    given().when(register({ displayName: ' ' })).thenThrows('ORG.INVALID_DISPLAY_NAME');
  });

  it('keeps phones and ID numbers out of display names, which are stored in clear', () => {
    given().when(register({ displayName: '網格員 138-1234-5678' })).thenThrows('ORG.INVALID_DISPLAY_NAME');
    given().when(register({ displayName: '王小明 11010519491231002X' })).thenThrows('ORG.INVALID_DISPLAY_NAME');
    given().when(register({ displayName: '第12網格 2024-01 值班' })).then([{ ...registered, data: { ...registered.data, displayName: '第12網格 2024-01 值班' } }]);
  });
});

describe('staff decider: AssignRole', () => {
  it('assigns a role scoped to a unit subtree', () => {
    given([registered]).when(assign()).then([assigned]);
  });

  it('assigns a unit-only role elsewhere', () => {
    given([registered])
      .when(assign({ assignmentId: 'a2', role: 'analyst', scope: 'unit', orgUnitId: 'cb', orgUnit: { orgUnitId: 'cb', path: '/p/c/cb/', retired: false } }))
      .then([{ type: 'RoleAssigned', data: { staffId: 's1', assignmentId: 'a2', role: 'analyst', orgUnitId: 'cb', orgUnitPath: '/p/c/cb/', scope: 'unit' } }]);
  });

  it('refuses the same active role in the same place: ORG.ROLE_ALREADY_ASSIGNED', () => {
    given([registered, assigned]).when(assign({ assignmentId: 'a2' })).thenThrows('ORG.ROLE_ALREADY_ASSIGNED');
  });

  it('allows the role again after it was revoked, under a new assignment id', () => {
    given([registered, assigned, revoked]).when(assign({ assignmentId: 'a2' })).then([{ ...assigned, data: { ...assigned.data, assignmentId: 'a2' } }]);
  });

  it('never reuses an assignment id: ORG.ASSIGNMENT_ALREADY_EXISTS', () => {
    given([registered, assigned, revoked]).when(assign()).thenThrows('ORG.ASSIGNMENT_ALREADY_EXISTS');
  });

  it('refuses unknown staff, unknown roles, bad scopes and missing or retired units', () => {
    given().when(assign()).thenThrows('ORG.STAFF_NOT_FOUND');
    given([registered]).when(assign({ role: 'superuser' as never })).thenThrows('ORG.INVALID_ROLE');
    given([registered]).when(assign({ scope: 'everything' as never })).thenThrows('ORG.INVALID_ROLE');
    given([registered]).when(assign({ orgUnit: null })).thenThrows('ORG.UNIT_NOT_FOUND');
    given([registered]).when(assign({ orgUnit: { ...unitCa, retired: true } })).thenThrows('ORG.UNIT_RETIRED');
  });
});

describe('staff decider: RevokeRole', () => {
  it('revokes an active assignment', () => {
    given([registered, assigned]).when(revoke()).then([revoked]);
  });

  it('refuses an unknown or already revoked assignment: ORG.ASSIGNMENT_NOT_FOUND', () => {
    given([registered]).when(revoke()).thenThrows('ORG.ASSIGNMENT_NOT_FOUND');
    given([registered, assigned, revoked]).when(revoke()).thenThrows('ORG.ASSIGNMENT_NOT_FOUND');
    given().when(revoke()).thenThrows('ORG.STAFF_NOT_FOUND');
  });

  it('keeps revoked assignments in the state', () => {
    given([registered, assigned])
      .when(revoke())
      .thenState({ status: 'Registered', staffId: 's1', orgUnitId: 'ca', assignments: { a1: { role: 'admin', orgUnitId: 'ca', scope: 'subtree', revoked: true } } });
  });
});
