import { AggregateAlreadyExists, AggregateNotFound, DomainError, InvalidCommandInput } from '@gongzhi/kernel';

/**
 * The union's rule codes. Codes are the API (GraphQL `extensions.ruleCode`); messages may change.
 * Details carry ids and states only, never personal data.
 */

export class DisputeNotFound extends AggregateNotFound {
  override readonly code = 'UNION.DISPUTE_NOT_FOUND';
  constructor(disputeId: string) {
    super('LaborDispute', disputeId);
  }
}
export class DisputeAlreadyFiled extends AggregateAlreadyExists {
  override readonly code = 'UNION.DISPUTE_ALREADY_FILED';
  constructor(disputeId: string) {
    super('LaborDispute', disputeId);
  }
}
export class InvalidDisputeInput extends InvalidCommandInput {
  override readonly code = 'UNION.INVALID_INPUT';
}
export class InvalidCreditCode extends DomainError {
  readonly code = 'UNION.INVALID_CREDIT_CODE';
}
export class DateInFuture extends DomainError {
  readonly code = 'UNION.DATE_IN_FUTURE';
}
export class DisputeAlreadyClosed extends DomainError {
  readonly code = 'UNION.DISPUTE_CLOSED';
}
export class DisputeNotClosed extends DomainError {
  readonly code = 'UNION.DISPUTE_NOT_CLOSED';
}
export class AlreadyResponsible extends DomainError {
  readonly code = 'UNION.ALREADY_RESPONSIBLE';
}
export class OutcomeNotReached extends DomainError {
  readonly code = 'UNION.OUTCOME_NOT_REACHED';
}

// Limitation
export class LimitationNotRunning extends DomainError {
  readonly code = 'UNION.LIMITATION_NOT_RUNNING';
}
export class LimitationNotSuspended extends DomainError {
  readonly code = 'UNION.LIMITATION_NOT_SUSPENDED';
}
export class LimitationExpired extends DomainError {
  readonly code = 'UNION.LIMITATION_EXPIRED';
}
export class DateBeforeLimitationStart extends DomainError {
  readonly code = 'UNION.DATE_BEFORE_LIMITATION_START';
}

// Mediation
export class MediationNotAvailable extends DomainError {
  readonly code = 'UNION.MEDIATION_NOT_AVAILABLE';
}
export class MediationNotApplied extends DomainError {
  readonly code = 'UNION.MEDIATION_NOT_APPLIED';
}
export class NotMediating extends DomainError {
  readonly code = 'UNION.NOT_MEDIATING';
}
export class MediationWindowClosed extends DomainError {
  readonly code = 'UNION.MEDIATION_WINDOW_CLOSED';
}
export class MediationWindowOpen extends DomainError {
  readonly code = 'UNION.MEDIATION_WINDOW_OPEN';
}
export class AgreementNotExecuted extends DomainError {
  readonly code = 'UNION.AGREEMENT_NOT_EXECUTED';
}
export class InvalidPerformanceDeadline extends DomainError {
  readonly code = 'UNION.INVALID_PERFORMANCE_DEADLINE';
}
export class NoMediationAgreement extends DomainError {
  readonly code = 'UNION.NO_MEDIATION_AGREEMENT';
}
export class PerformanceDeadlineNotReached extends DomainError {
  readonly code = 'UNION.PERFORMANCE_DEADLINE_NOT_REACHED';
}

// Arbitration
export class ArbitrationNotAvailable extends DomainError {
  readonly code = 'UNION.ARBITRATION_NOT_AVAILABLE';
}
export class MediationInProgress extends DomainError {
  readonly code = 'UNION.MEDIATION_IN_PROGRESS';
}
export class ArbitrationNotApplied extends DomainError {
  readonly code = 'UNION.ARBITRATION_NOT_APPLIED';
}
export class NotArbitrating extends DomainError {
  readonly code = 'UNION.NOT_ARBITRATING';
}
export class ReasonsRequired extends DomainError {
  readonly code = 'UNION.REASONS_REQUIRED';
}
export class AwardNotExtendable extends DomainError {
  readonly code = 'UNION.AWARD_NOT_EXTENDABLE';
}
export class AwardExtensionUsed extends DomainError {
  readonly code = 'UNION.AWARD_EXTENSION_USED';
}
export class AwardExtensionTooLong extends DomainError {
  readonly code = 'UNION.AWARD_EXTENSION_TOO_LONG';
}
export class AwardExtensionNotApproved extends DomainError {
  readonly code = 'UNION.AWARD_EXTENSION_NOT_APPROVED';
}
export class AwardExtensionNoticeRequired extends DomainError {
  readonly code = 'UNION.AWARD_EXTENSION_NOTICE_REQUIRED';
}
export class AwardDeadlinePassed extends DomainError {
  readonly code = 'UNION.AWARD_DEADLINE_PASSED';
}
export class StatementNotSigned extends DomainError {
  readonly code = 'UNION.STATEMENT_NOT_SIGNED';
}
export class FinalAwardNotApplicable extends DomainError {
  readonly code = 'UNION.FINAL_AWARD_NOT_APPLICABLE';
}
export class ChallengeWindowOpen extends DomainError {
  readonly code = 'UNION.CHALLENGE_WINDOW_OPEN';
}
export class ArbitrationPending extends DomainError {
  readonly code = 'UNION.ARBITRATION_PENDING';
}
export class SuitWindowClosed extends DomainError {
  readonly code = 'UNION.SUIT_WINDOW_CLOSED';
}
export class EmployerCannotSueFinalAward extends DomainError {
  readonly code = 'UNION.EMPLOYER_CANNOT_SUE_FINAL_AWARD';
}
export class LawsuitNotAvailable extends DomainError {
  readonly code = 'UNION.LAWSUIT_NOT_AVAILABLE';
}
export class SetAsideOnlyFinalAward extends DomainError {
  readonly code = 'UNION.SET_ASIDE_ONLY_FINAL_AWARD';
}
export class SetAsideWindowClosed extends DomainError {
  readonly code = 'UNION.SET_ASIDE_WINDOW_CLOSED';
}
export class NoSetAsideRequested extends DomainError {
  readonly code = 'UNION.NO_SET_ASIDE_REQUESTED';
}
export class EnforcementNotAvailable extends DomainError {
  readonly code = 'UNION.ENFORCEMENT_NOT_AVAILABLE';
}

// Legal aid
export class LegalAidAlreadyApplied extends DomainError {
  readonly code = 'UNION.LEGAL_AID_ALREADY_APPLIED';
}
export class LegalAidNotApplied extends DomainError {
  readonly code = 'UNION.LEGAL_AID_NOT_APPLIED';
}
export class LegalAidNotGranted extends DomainError {
  readonly code = 'UNION.LEGAL_AID_NOT_GRANTED';
}
export class LegalAidLawyerAlreadyAssigned extends DomainError {
  readonly code = 'UNION.LEGAL_AID_LAWYER_ALREADY_ASSIGNED';
}
