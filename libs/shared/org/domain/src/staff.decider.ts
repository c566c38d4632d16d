import { assertNever, type Decider, type NewEvent } from '@gongzhi/kernel';
import type { UnitSnapshot } from './org-unit.commands';
import {
  AssignmentAlreadyExists,
  AssignmentNotFound,
  InvalidOrgId,
  InvalidDisplayName,
  InvalidStaffRole,
  OrgUnitNotFound,
  OrgUnitIsRetired,
  RoleAlreadyAssigned,
  StaffAlreadyRegistered,
  StaffNotFound,
} from './org.errors';
import { isValidOrgId, isValidPath } from './org-path';
import type { AssignRole, RegisterStaff, RevokeRole, StaffCommand } from './staff.commands';
import { type AssignmentScope, STAFF_ROLES, type StaffEvent, type StaffRole } from './staff.events';

export interface Assignment {
  role: StaffRole;
  orgUnitId: string;
  scope: AssignmentScope;
  revoked: boolean;
}

export type Staff =
  | { status: 'None' }
  | {
      status: 'Registered';
      staffId: string;
      orgUnitId: string;
      /** Every assignment ever made, revoked ones included: an assignment id is never reused. */
      assignments: Readonly<Record<string, Assignment>>;
    };

export const MAX_DISPLAY_NAME_LENGTH = 100;
/** Seven digits or more (separators ignored): a phone, landline or ID number, never part of a name. */
const LONG_DIGIT_RUN = /\d{7,}/;

const checkId = (id: unknown, what: string): string => {
  if (!isValidOrgId(id)) throw new InvalidOrgId(`Invalid ${what}: lowercase letters, digits, '-' or '_' (at most 64)`);
  return id;
};

const liveUnit = (orgUnitId: string, unit: UnitSnapshot | null): string => {
  checkId(orgUnitId, 'org unit id');
  if (!unit || unit.orgUnitId !== orgUnitId || !isValidPath(unit.path)) throw new OrgUnitNotFound(orgUnitId);
  if (unit.retired) throw new OrgUnitIsRetired(orgUnitId);
  return unit.path;
};

const register = ({ data }: RegisterStaff, state: Staff): NewEvent<StaffEvent>[] => {
  const staffId = checkId(data.staffId, 'staff id');
  if (state.status !== 'None') throw new StaffAlreadyRegistered(staffId);
  const displayName = typeof data.displayName === 'string' ? data.displayName.trim() : '';
  if (displayName.length === 0 || displayName.length > MAX_DISPLAY_NAME_LENGTH) {
    throw new InvalidDisplayName(`A display name needs 1 to ${MAX_DISPLAY_NAME_LENGTH} characters`);
  }
  // Display names are stored in clear (see StaffRegistered): a phone or ID number must not ride along.
  if (LONG_DIGIT_RUN.test(displayName.replace(/[\s-]/g, ''))) {
    throw new InvalidDisplayName('A display name may not contain a phone or ID number');
  }
  const orgUnitPath = liveUnit(data.orgUnitId, data.orgUnit);
  return [{ type: 'StaffRegistered', data: { staffId, displayName, orgUnitId: data.orgUnitId, orgUnitPath } }];
};

const assign = ({ data }: AssignRole, state: Staff): NewEvent<StaffEvent>[] => {
  if (state.status === 'None') throw new StaffNotFound(data.staffId);
  const assignmentId = checkId(data.assignmentId, 'assignment id');
  if (!(STAFF_ROLES as readonly string[]).includes(data.role)) throw new InvalidStaffRole('Unknown role', { role: String(data.role) });
  if (data.scope !== 'unit' && data.scope !== 'subtree') throw new InvalidStaffRole('Scope is unit or subtree');
  if (state.assignments[assignmentId]) {
    throw new AssignmentAlreadyExists(`Assignment ${assignmentId} already exists`, { staffId: state.staffId, assignmentId });
  }
  const orgUnitPath = liveUnit(data.orgUnitId, data.orgUnit);
  const duplicate = Object.entries(state.assignments).find(
    ([, a]) => !a.revoked && a.role === data.role && a.orgUnitId === data.orgUnitId && a.scope === data.scope,
  );
  if (duplicate) {
    throw new RoleAlreadyAssigned(`Role ${data.role} is already assigned there`, {
      staffId: state.staffId,
      assignmentId: duplicate[0],
    });
  }
  return [
    {
      type: 'RoleAssigned',
      data: { staffId: state.staffId, assignmentId, role: data.role, orgUnitId: data.orgUnitId, orgUnitPath, scope: data.scope },
    },
  ];
};

const revoke = ({ data }: RevokeRole, state: Staff): NewEvent<StaffEvent>[] => {
  if (state.status === 'None') throw new StaffNotFound(data.staffId);
  const assignment = state.assignments[data.assignmentId];
  if (!assignment || assignment.revoked) throw new AssignmentNotFound(state.staffId, data.assignmentId);
  return [
    {
      type: 'RoleRevoked',
      data: { staffId: state.staffId, assignmentId: data.assignmentId, role: assignment.role, orgUnitId: assignment.orgUnitId },
    },
  ];
};

export const decideStaff = (command: StaffCommand, state: Staff): NewEvent<StaffEvent>[] => {
  switch (command.type) {
    case 'RegisterStaff':
      return register(command, state);
    case 'AssignRole':
      return assign(command, state);
    case 'RevokeRole':
      return revoke(command, state);
    default:
      return assertNever(command);
  }
};

export const evolveStaff = (state: Staff, event: StaffEvent): Staff => {
  switch (event.type) {
    case 'StaffRegistered':
      return { status: 'Registered', staffId: event.data.staffId, orgUnitId: event.data.orgUnitId, assignments: {} };
    case 'RoleAssigned':
      if (state.status === 'None') return state;
      return {
        ...state,
        assignments: {
          ...state.assignments,
          [event.data.assignmentId]: { role: event.data.role, orgUnitId: event.data.orgUnitId, scope: event.data.scope, revoked: false },
        },
      };
    case 'RoleRevoked': {
      if (state.status === 'None') return state;
      const existing = state.assignments[event.data.assignmentId];
      if (!existing) return state;
      return { ...state, assignments: { ...state.assignments, [event.data.assignmentId]: { ...existing, revoked: true } } };
    }
    default:
      return assertNever(event);
  }
};

export const initialStaff: Staff = { status: 'None' };

export const staffDecider: Decider<Staff, StaffCommand, StaffEvent> = {
  decide: decideStaff,
  evolve: evolveStaff,
  initialState: initialStaff,
};
