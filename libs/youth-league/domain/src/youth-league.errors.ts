import { DomainError } from '@gongzhi/kernel';

/**
 * Broken rules of the Youth League context. Codes are stable (`LEAGUE.<RULE>`): the GraphQL
 * layer shows them as `extensions.ruleCode`. Details carry ids only, never personal data.
 */

/** A command's input breaks a rule that needs no state (an empty title, an end before a start). */
export class InvalidLeagueInput extends DomainError {
  readonly code = 'LEAGUE.INVALID_INPUT';
}

// Volunteers -----------------------------------------------------------------------------------

export class VolunteerNotFound extends DomainError {
  readonly code = 'LEAGUE.VOLUNTEER_NOT_FOUND';
  constructor(volunteerId: string) {
    super(`Volunteer ${volunteerId} not found`, { volunteerId });
  }
}

export class VolunteerAlreadyRegistered extends DomainError {
  readonly code = 'LEAGUE.VOLUNTEER_ALREADY_REGISTERED';
  constructor(volunteerId: string) {
    super(`Volunteer ${volunteerId} is already registered`, { volunteerId });
  }
}

/** 志願服務條例 Art 20: a volunteer's personal data is recorded only with their consent. */
export class RegistrationConsentRequired extends DomainError {
  readonly code = 'LEAGUE.REGISTRATION_CONSENT_REQUIRED';
  constructor() {
    super('A volunteer is registered only with their consent to the privacy notice (志願服務條例 Art 20)');
  }
}

export class VolunteerAlreadyVerified extends DomainError {
  readonly code = 'LEAGUE.VOLUNTEER_ALREADY_VERIFIED';
  constructor(volunteerId: string) {
    super(`Volunteer ${volunteerId} is already verified`, { volunteerId });
  }
}

/** Only a verified, active volunteer takes part in activities. */
export class VolunteerNotActive extends DomainError {
  readonly code = 'LEAGUE.VOLUNTEER_NOT_ACTIVE';
  constructor(volunteerId: string, status: string) {
    super(`Volunteer ${volunteerId} is not active (${status})`, { volunteerId, status });
  }
}

export class VolunteerStatusUnchanged extends DomainError {
  readonly code = 'LEAGUE.VOLUNTEER_STATUS_UNCHANGED';
  constructor(volunteerId: string, status: string) {
    super(`Volunteer ${volunteerId} is already ${status}`, { volunteerId, status });
  }
}

// Activities -----------------------------------------------------------------------------------

export class ActivityNotFound extends DomainError {
  readonly code = 'LEAGUE.ACTIVITY_NOT_FOUND';
  constructor(activityId: string) {
    super(`Activity ${activityId} not found`, { activityId });
  }
}

export class ActivityAlreadyExists extends DomainError {
  readonly code = 'LEAGUE.ACTIVITY_ALREADY_EXISTS';
  constructor(activityId: string) {
    super(`Activity ${activityId} already exists`, { activityId });
  }
}

/** 志願服務條例 Art 12: recruitment discloses the risks of the service truthfully. */
export class RisksNotDisclosed extends DomainError {
  readonly code = 'LEAGUE.RISKS_NOT_DISCLOSED';
  constructor() {
    super('An activity is published only with its risks disclosed (志願服務條例 Art 12)');
  }
}

/** Art 12/14: the volunteer confirms they were told the risks before signing up. */
export class RisksNotAcknowledged extends DomainError {
  readonly code = 'LEAGUE.RISKS_NOT_ACKNOWLEDGED';
  constructor(activityId: string) {
    super('The volunteer must acknowledge the disclosed risks to sign up', { activityId });
  }
}

/**
 * 志願服務條例 Art 25: no one may assign a volunteer to service by force. A sign-up is the
 * volunteer's own act; an officer may invite, never enrol.
 */
export class ConsentRequired extends DomainError {
  readonly code = 'LEAGUE.CONSENT_REQUIRED';
  constructor(activityId: string, volunteerId: string) {
    super('Only the volunteer can sign up for an activity: an officer may invite, not enrol (志願服務條例 Art 25)', {
      activityId,
      volunteerId,
    });
  }
}

/** An act only the volunteer may do (decline an invitation, withdraw, ask for a correction). */
export class NotTheVolunteer extends DomainError {
  readonly code = 'LEAGUE.NOT_THE_VOLUNTEER';
  constructor(activityId: string, volunteerId: string) {
    super('Only the volunteer can do this', { activityId, volunteerId });
  }
}

/** Art 15: tasks fit the volunteer's skills. */
export class SkillsMismatch extends DomainError {
  readonly code = 'LEAGUE.SKILLS_MISMATCH';
  constructor(activityId: string, missing: string[]) {
    super(`The activity requires skills the volunteer has not registered: ${missing.join(', ')}`, { activityId, missing });
  }
}

export class ActivityFull extends DomainError {
  readonly code = 'LEAGUE.ACTIVITY_FULL';
  constructor(activityId: string, slots: number) {
    super(`All ${slots} places of the activity are taken`, { activityId, slots });
  }
}

export class EnrolmentClosed extends DomainError {
  readonly code = 'LEAGUE.ENROLMENT_CLOSED';
  constructor(activityId: string, status: string) {
    super(`The activity does not take sign-ups (${status})`, { activityId, status });
  }
}

export class AlreadySignedUp extends DomainError {
  readonly code = 'LEAGUE.ALREADY_SIGNED_UP';
  constructor(activityId: string, volunteerId: string) {
    super('The volunteer already takes part in this activity', { activityId, volunteerId });
  }
}

export class ActivityStateInvalid extends DomainError {
  readonly code = 'LEAGUE.ACTIVITY_STATE_INVALID';
  constructor(activityId: string, status: string, action: string) {
    super(`Cannot ${action}: the activity is ${status}`, { activityId, status, action });
  }
}

/** The volunteer's part in the activity is not in the state the step needs. */
export class ParticipationStateInvalid extends DomainError {
  readonly code = 'LEAGUE.PARTICIPATION_STATE_INVALID';
  constructor(activityId: string, volunteerId: string, status: string, action: string) {
    super(`Cannot ${action}: the volunteer's participation is ${status}`, { activityId, volunteerId, status, action });
  }
}

export class CorrectionAlreadyPending extends DomainError {
  readonly code = 'LEAGUE.CORRECTION_PENDING';
  constructor(activityId: string, volunteerId: string) {
    super('A correction request of these hours is already waiting for the organizer', { activityId, volunteerId });
  }
}

export class CorrectionRequestNotFound extends DomainError {
  readonly code = 'LEAGUE.CORRECTION_REQUEST_NOT_FOUND';
  constructor(activityId: string, requestId: string) {
    super(`No pending correction request ${requestId}`, { activityId, requestId });
  }
}

// Time bank ------------------------------------------------------------------------------------

export class TimeBankNotFound extends DomainError {
  readonly code = 'LEAGUE.TIME_BANK_NOT_FOUND';
  constructor(bankId: string) {
    super(`Time bank ${bankId} not found`, { bankId });
  }
}

export class TimeBankAlreadyOpen extends DomainError {
  readonly code = 'LEAGUE.TIME_BANK_ALREADY_OPEN';
  constructor(bankId: string) {
    super(`Time bank ${bankId} is already open`, { bankId });
  }
}

export class AccountNotFound extends DomainError {
  readonly code = 'LEAGUE.ACCOUNT_NOT_FOUND';
  constructor(bankId: string, accountId: string) {
    super(`Account ${accountId} not found in time bank ${bankId}`, { bankId, accountId });
  }
}

export class AccountAlreadyOpen extends DomainError {
  readonly code = 'LEAGUE.ACCOUNT_ALREADY_OPEN';
  constructor(bankId: string, accountId: string) {
    super(`Account ${accountId} already exists`, { bankId, accountId });
  }
}

/** Member accounts never go below zero through an exchange or a reversal (see time-bank.decider). */
export class InsufficientHours extends DomainError {
  readonly code = 'LEAGUE.INSUFFICIENT_HOURS';
  constructor(bankId: string, accountId: string, balanceMinutes: number, minutes: number) {
    super(`Account ${accountId} holds ${balanceMinutes} minutes, ${minutes} needed`, { bankId, accountId, balanceMinutes, minutes });
  }
}

export class TransferNotAllowed extends DomainError {
  readonly code = 'LEAGUE.TRANSFER_NOT_ALLOWED';
  constructor(bankId: string, reason: string) {
    super(reason, { bankId });
  }
}

export class TransferNotFound extends DomainError {
  readonly code = 'LEAGUE.TRANSFER_NOT_FOUND';
  constructor(bankId: string, transferId: string) {
    super(`Transfer ${transferId} not found`, { bankId, transferId });
  }
}

export class TransferAlreadyReversed extends DomainError {
  readonly code = 'LEAGUE.TRANSFER_ALREADY_REVERSED';
  constructor(bankId: string, transferId: string) {
    super(`Transfer ${transferId} was already reversed`, { bankId, transferId });
  }
}

// Campaigns ------------------------------------------------------------------------------------

export class CampaignNotFound extends DomainError {
  readonly code = 'LEAGUE.CAMPAIGN_NOT_FOUND';
  constructor(campaignId: string) {
    super(`Campaign ${campaignId} not found`, { campaignId });
  }
}

export class CampaignAlreadyExists extends DomainError {
  readonly code = 'LEAGUE.CAMPAIGN_ALREADY_EXISTS';
  constructor(campaignId: string) {
    super(`Campaign ${campaignId} already exists`, { campaignId });
  }
}

export class CampaignStateInvalid extends DomainError {
  readonly code = 'LEAGUE.CAMPAIGN_STATE_INVALID';
  constructor(campaignId: string, status: string, action: string) {
    super(`Cannot ${action}: the campaign is ${status}`, { campaignId, status, action });
  }
}

export class ChannelNotLaunched extends DomainError {
  readonly code = 'LEAGUE.CHANNEL_NOT_LAUNCHED';
  constructor(campaignId: string, channel: string) {
    super(`The campaign was not launched with the ${channel} channel`, { campaignId, channel });
  }
}

/** Organizational mobilization runs down the hierarchy: a task goes to a unit below the issuer. */
export class AssigneeNotSubordinate extends DomainError {
  readonly code = 'LEAGUE.ASSIGNEE_NOT_SUBORDINATE';
  constructor(campaignId: string, assigneeOrgUnitId: string) {
    super('A task is issued to an org unit below the issuing unit', { campaignId, assigneeOrgUnitId });
  }
}

export class TaskNotFound extends DomainError {
  readonly code = 'LEAGUE.TASK_NOT_FOUND';
  constructor(campaignId: string, taskId: string) {
    super(`Task ${taskId} not found`, { campaignId, taskId });
  }
}

export class TaskAlreadyExists extends DomainError {
  readonly code = 'LEAGUE.TASK_ALREADY_EXISTS';
  constructor(campaignId: string, taskId: string) {
    super(`Task ${taskId} already exists`, { campaignId, taskId });
  }
}

export class TaskStateInvalid extends DomainError {
  readonly code = 'LEAGUE.TASK_STATE_INVALID';
  constructor(campaignId: string, taskId: string, status: string, action: string) {
    super(`Cannot ${action}: the task is ${status}`, { campaignId, taskId, status, action });
  }
}

/** The scheduler (or anyone) asked to mark a task overdue before its deadline. */
export class TaskNotDue extends DomainError {
  readonly code = 'LEAGUE.TASK_NOT_DUE';
  constructor(campaignId: string, taskId: string, deadline: string) {
    super(`Task ${taskId} is due at ${deadline}`, { campaignId, taskId, deadline });
  }
}

export class CampaignHasOpenTasks extends DomainError {
  readonly code = 'LEAGUE.CAMPAIGN_HAS_OPEN_TASKS';
  constructor(campaignId: string, openTaskIds: string[]) {
    super(`${openTaskIds.length} task(s) are still open`, { campaignId, openTaskIds });
  }
}

export class DuplicateReference extends DomainError {
  readonly code = 'LEAGUE.DUPLICATE_REFERENCE';
  constructor(campaignId: string, what: string, id: string) {
    super(`${what} ${id} is already linked to the campaign`, { campaignId, what, id });
  }
}

export class FoundationProjectNotFound extends DomainError {
  readonly code = 'LEAGUE.FOUNDATION_PROJECT_NOT_FOUND';
  constructor(campaignId: string, projectId: string) {
    super(`Foundation project ${projectId} is not linked to the campaign`, { campaignId, projectId });
  }
}

/** A time bank's accounts belong to units in the subtree of the unit that runs the bank. */
export class AccountOutsideBank extends DomainError {
  readonly code = 'LEAGUE.ACCOUNT_OUTSIDE_BANK';
  constructor(bankId: string, orgUnitId: string) {
    super('The account holder belongs to an org unit outside the time bank', { bankId, orgUnitId });
  }
}
