import { DomainError, type DomainErrorDetails } from '@gongzhi/kernel';

/** Codes are part of the API (`extensions.ruleCode`): messages may change, codes may not. */
export abstract class CommunityError extends DomainError {}

export class InvalidCommunityInput extends CommunityError {
  readonly code = 'COMMUNITY.INVALID_INPUT';
}

/** Free text (a description, a note) holding what looks like a phone or ID number in clear. */
export class PersonalDataInText extends CommunityError {
  readonly code = 'COMMUNITY.PERSONAL_DATA_IN_TEXT';
  constructor(field: string) {
    super(`${field} looks like it holds a phone or ID number: put the reporter's contact in the reporter fields, which are encrypted`, { field });
  }
}

// Grids ---------------------------------------------------------------------------------------

export class CommunityNotFound extends CommunityError {
  readonly code = 'COMMUNITY.COMMUNITY_NOT_FOUND';
  constructor(communityId: string) {
    super(`Community ${communityId} not found (an active org unit of kind community is required)`, { communityId });
  }
}

export class GridAlreadyDefined extends CommunityError {
  readonly code = 'COMMUNITY.GRID_ALREADY_DEFINED';
  constructor(gridId: string) {
    super(`Grid ${gridId} is already defined`, { gridId });
  }
}

export class GridNotFound extends CommunityError {
  readonly code = 'COMMUNITY.GRID_NOT_FOUND';
  constructor(gridId: string) {
    super(`Grid ${gridId} not found`, { gridId });
  }
}

export class GridIsRetired extends CommunityError {
  readonly code = 'COMMUNITY.GRID_RETIRED';
  constructor(gridId: string) {
    super(`Grid ${gridId} is retired`, { gridId });
  }
}

export class GridWorkerNotFound extends CommunityError {
  readonly code = 'COMMUNITY.GRID_WORKER_NOT_FOUND';
  constructor(staffId: string) {
    super(`Staff member ${staffId} not found in this community`, { staffId });
  }
}

export class SameGridWorker extends CommunityError {
  readonly code = 'COMMUNITY.SAME_GRID_WORKER';
  constructor(staffId: string) {
    super(`${staffId} is already the grid worker`, { staffId });
  }
}

export class GridHasOpenIncidents extends CommunityError {
  readonly code = 'COMMUNITY.GRID_HAS_OPEN_INCIDENTS';
  constructor(gridId: string, open: number) {
    super(`Grid ${gridId} still has ${open} open incident(s): close or move them before retiring it`, { gridId, open });
  }
}

// Incidents -----------------------------------------------------------------------------------

export class IncidentNotFound extends CommunityError {
  readonly code = 'COMMUNITY.INCIDENT_NOT_FOUND';
  constructor(incidentId: string) {
    super(`Incident ${incidentId} not found`, { incidentId });
  }
}

export class IncidentAlreadyExists extends CommunityError {
  readonly code = 'COMMUNITY.INCIDENT_ALREADY_EXISTS';
  constructor(incidentId: string) {
    super(`Incident ${incidentId} already exists`, { incidentId });
  }
}

/** The command does not apply in the incident's current status. */
export class InvalidIncidentState extends CommunityError {
  readonly code = 'COMMUNITY.INVALID_STATE';
  constructor(command: string, status: string, allowed: readonly string[]) {
    super(`${command} is not possible while the incident is ${status} (allowed in: ${allowed.join(', ')})`, { command, status, allowed });
  }
}

export class ReasonRequired extends CommunityError {
  readonly code = 'COMMUNITY.REASON_REQUIRED';
  constructor(what: string) {
    super(`${what} needs a written reason`, { what });
  }
}

export class DuplicateNeedsOriginal extends CommunityError {
  readonly code = 'COMMUNITY.DUPLICATE_NEEDS_ORIGINAL';
  constructor(detail?: DomainErrorDetails) {
    super('Voiding as a duplicate needs the original incident (an existing incident other than this one)', detail);
  }
}

export class UnknownCategory extends CommunityError {
  readonly code = 'COMMUNITY.UNKNOWN_CATEGORY';
  constructor(categoryCode: string) {
    super(`No active category ${categoryCode} in the catalogue`, { categoryCode });
  }
}

export class UnknownResponsibleUnit extends CommunityError {
  readonly code = 'COMMUNITY.UNKNOWN_RESPONSIBLE_UNIT';
  constructor(orgUnitId: string) {
    super(`Org unit ${orgUnitId} cannot take incidents (missing, retired or outside your scope)`, { orgUnitId });
  }
}

export class AlreadyResponsible extends CommunityError {
  readonly code = 'COMMUNITY.ALREADY_RESPONSIBLE';
  constructor(orgUnitId: string) {
    super(`${orgUnitId} already handles this incident`, { orgUnitId });
  }
}

export class ExtensionAlreadyPending extends CommunityError {
  readonly code = 'COMMUNITY.EXTENSION_PENDING';
  constructor(requestId: string) {
    super('An extension request is already waiting for a decision', { requestId });
  }
}

export class NoExtensionPending extends CommunityError {
  readonly code = 'COMMUNITY.NO_EXTENSION_PENDING';
  constructor() {
    super('No extension request is waiting for a decision');
  }
}

/** The deadline policy refuses the extension (see `ExtensionProblem` in the deadlines library). */
export class ExtensionRefused extends CommunityError {
  readonly code = 'COMMUNITY.EXTENSION_REFUSED';
  constructor(problem: string, policyId: string) {
    super(`The time limit cannot be extended: ${problem} (policy ${policyId})`, { problem, policyId });
  }
}

export class HotlineOnly extends CommunityError {
  readonly code = 'COMMUNITY.HOTLINE_ONLY';
  constructor(command: string) {
    super(`${command} applies to 12345 hotline work orders only`, { command });
  }
}

export class NotForHotline extends CommunityError {
  readonly code = 'COMMUNITY.NOT_FOR_HOTLINE';
  constructor(command: string, instead: string) {
    super(`${command} does not apply to 12345 work orders: use ${instead}`, { command, instead });
  }
}

/** 潍坊 12345 條例 Art 22: a unit the centre designated after a return may not return it again. */
export class ReturnNotAllowed extends CommunityError {
  readonly code = 'COMMUNITY.RETURN_NOT_ALLOWED';
  constructor() {
    super('The hotline centre designated this unit after an earlier return: it may not be returned again');
  }
}

export class HandlingNotesRequired extends CommunityError {
  readonly code = 'COMMUNITY.HANDLING_NOTES_REQUIRED';
  constructor() {
    super('Handling needs notes on what was done');
  }
}

export class NoRunningTimeLimit extends CommunityError {
  readonly code = 'COMMUNITY.NO_RUNNING_TIME_LIMIT';
  constructor() {
    super('The incident has no running time limit');
  }
}
