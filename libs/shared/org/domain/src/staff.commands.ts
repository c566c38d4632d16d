import type { Command } from '@gongzhi/kernel';
import type { UnitSnapshot } from './org-unit.commands';
import type { AssignmentScope, StaffRole } from './staff.events';

export type RegisterStaff = Command<
  'RegisterStaff',
  {
    staffId: string;
    displayName: string;
    orgUnitId: string;
    /** The home unit as the handler found it; null when it does not exist. */
    orgUnit: UnitSnapshot | null;
  }
>;

export type AssignRole = Command<
  'AssignRole',
  {
    staffId: string;
    assignmentId: string;
    role: StaffRole;
    orgUnitId: string;
    scope: AssignmentScope;
    orgUnit: UnitSnapshot | null;
  }
>;

export type RevokeRole = Command<'RevokeRole', { staffId: string; assignmentId: string }>;

export type StaffCommand = RegisterStaff | AssignRole | RevokeRole;
