import { DomainError } from '@gongzhi/kernel';

export class InvalidOrgId extends DomainError {
  readonly code = 'ORG.INVALID_ID';
}
export class InvalidOrgUnitName extends DomainError {
  readonly code = 'ORG.INVALID_NAME';
}
export class InvalidOrgUnitKind extends DomainError {
  readonly code = 'ORG.INVALID_KIND';
}
export class InvalidOrgUnitCode extends DomainError {
  readonly code = 'ORG.INVALID_CODE';
}
export class OrgUnitAlreadyExists extends DomainError {
  readonly code = 'ORG.UNIT_ALREADY_EXISTS';
  constructor(orgUnitId: string) {
    super(`Org unit ${orgUnitId} already exists`, { orgUnitId });
  }
}
export class OrgUnitNotFound extends DomainError {
  readonly code = 'ORG.UNIT_NOT_FOUND';
  constructor(orgUnitId: string) {
    super(`Org unit ${orgUnitId} not found`, { orgUnitId });
  }
}
export class OrgUnitIsRetired extends DomainError {
  readonly code = 'ORG.UNIT_RETIRED';
  constructor(orgUnitId: string) {
    super(`Org unit ${orgUnitId} is retired`, { orgUnitId });
  }
}
export class ParentNotFound extends DomainError {
  readonly code = 'ORG.PARENT_NOT_FOUND';
  constructor(parentId: string) {
    super(`Parent org unit ${parentId} not found`, { parentId });
  }
}
export class ParentRetired extends DomainError {
  readonly code = 'ORG.PARENT_RETIRED';
  constructor(parentId: string) {
    super(`Parent org unit ${parentId} is retired`, { parentId });
  }
}
/** Moving a unit under itself or one of its descendants would cut the subtree off the tree. */
export class OrgCycle extends DomainError {
  readonly code = 'ORG.CYCLE';
  constructor(orgUnitId: string, newParentId: string) {
    super(`Org unit ${orgUnitId} cannot move under ${newParentId}: it is the unit itself or one of its descendants`, {
      orgUnitId,
      newParentId,
    });
  }
}
export class OrgUnitHasActiveChildren extends DomainError {
  readonly code = 'ORG.UNIT_HAS_ACTIVE_CHILDREN';
  constructor(orgUnitId: string, activeChildren: number) {
    super(`Org unit ${orgUnitId} still has ${activeChildren} active child unit(s)`, { orgUnitId, activeChildren });
  }
}
export class StaffAlreadyRegistered extends DomainError {
  readonly code = 'ORG.STAFF_ALREADY_REGISTERED';
  constructor(staffId: string) {
    super(`Staff member ${staffId} is already registered`, { staffId });
  }
}
export class StaffNotFound extends DomainError {
  readonly code = 'ORG.STAFF_NOT_FOUND';
  constructor(staffId: string) {
    super(`Staff member ${staffId} not found`, { staffId });
  }
}
export class InvalidStaffRole extends DomainError {
  readonly code = 'ORG.INVALID_ROLE';
}
export class RoleAlreadyAssigned extends DomainError {
  readonly code = 'ORG.ROLE_ALREADY_ASSIGNED';
}
export class AssignmentAlreadyExists extends DomainError {
  readonly code = 'ORG.ASSIGNMENT_ALREADY_EXISTS';
}
export class AssignmentNotFound extends DomainError {
  readonly code = 'ORG.ASSIGNMENT_NOT_FOUND';
  constructor(staffId: string, assignmentId: string) {
    super(`Role assignment ${assignmentId} of staff member ${staffId} not found or already revoked`, { staffId, assignmentId });
  }
}
export class OrgTreeTooDeep extends DomainError {
  readonly code = 'ORG.TREE_TOO_DEEP';
}
export class InvalidDisplayName extends DomainError {
  readonly code = 'ORG.INVALID_DISPLAY_NAME';
}
