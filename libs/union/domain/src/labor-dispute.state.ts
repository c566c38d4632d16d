import { evolveDeadlines, type DeadlineClocks, type LocalDate } from '@gongzhi/deadlines-domain';
import { assertNever } from '@gongzhi/kernel';
import type { LaborDisputeEvent } from './labor-dispute.events';
import type {
  ApplicationForm,
  AwardKind,
  DisputeCategory,
  DisputeOutcome,
  DisputeStatus,
  Employer,
  LimitationBasis,
  MediationCommittee,
  Party,
  Worker,
} from './labor-dispute.types';

export interface MediationRecord {
  committee: MediationCommittee;
  form: ApplicationForm;
  appliedAt: string;
  acceptedAt: string | null;
  windowEndsAt: string | null;
  agreement: { terms: string; performanceDueDate: LocalDate; signedAt: string } | null;
  outcome: 'agreed' | 'performed' | 'not-performed' | 'failed' | 'expired' | 'declined' | null;
  endedAt: string | null;
}

export interface ArbitrationRecord {
  commission: string;
  appliedAt: string;
  acceptanceDueAt: string;
  limitationExpired: boolean;
  caseNumber: string | null;
  acceptedAt: string | null;
  decidedLate: boolean | null;
  awardDueAt: string | null;
  extended: boolean;
  notAcceptedReasons: string | null;
  endedAt: string | null;
}

export interface AwardRecord {
  kind: AwardKind;
  summary: string;
  awardedAmount: number;
  issuedAt: string;
  servedAt: string;
  onTime: boolean;
  suitWindowEndsAt: string;
  setAsideWindowEndsAt: string | null;
  effectiveSince: string | null;
  /** null: no set-aside ruling; true/false: the court's ruling (Art 49). */
  setAside: boolean | null;
  setAsideRuledAt: string | null;
}

export interface LegalAidRecord {
  status: 'applied' | 'granted' | 'refused' | 'assigned';
  aidOffice: string;
  appliedAt: string;
  decidedAt: string | null;
  decidedLate: boolean | null;
  reasons: string | null;
  lawyerName: string | null;
  lawFirm: string | null;
  assignedAt: string | null;
}

/** A dispute once filed. Stage records stay after the stage ends: they are the case file. */
export interface DisputeCase {
  status: DisputeStatus;
  disputeId: string;
  orgUnitId: string;
  /** Scope of the data: the handling union's path, from the filing or the last transfer. */
  orgUnitPath: string;
  category: DisputeCategory;
  claimAmount: number;
  description: string;
  employer: Employer;
  workers: Worker[];
  workersInvolved: number;
  commonClaim: boolean;
  group: boolean;
  stabilityWatch: boolean;
  filedAt: string;
  limitation: { basis: LimitationBasis; expiredAtFiling: boolean; suspended: boolean };
  clocks: DeadlineClocks;
  mediation: MediationRecord | null;
  arbitration: ArbitrationRecord | null;
  mediationStatement: { terms: string; issuedAt: string } | null;
  award: AwardRecord | null;
  litigation: { party: Party; court: string; basis: string; filedAt: string } | null;
  setAsideApplication: { court: string; appliedAt: string } | null;
  enforcement: { court: string; basis: 'award' | 'mediation-statement'; appliedAt: string } | null;
  legalAid: LegalAidRecord | null;
  closing: { outcome: DisputeOutcome; note: string; closedAt: string; previousStatus: DisputeStatus; clocks: DeadlineClocks } | null;
  transfers: { fromOrgUnitId: string; toOrgUnitId: string; reason: string; at: string }[];
  reopenings: number;
  updatedAt: string;
}

export type LaborDispute = { status: 'None' } | DisputeCase;

export const initialLaborDispute: LaborDispute = { status: 'None' };

const on = (state: LaborDispute, change: (s: DisputeCase) => DisputeCase): LaborDispute =>
  state.status === 'None' ? state : change(state);

/**
 * Folds one event. Pure and total: an event that does not fit the state (possible only in a
 * hand-edited or truncated stream) leaves what it cannot apply unchanged rather than throwing,
 * so history stays readable.
 */
export const evolveLaborDispute = (state: LaborDispute, event: LaborDisputeEvent): LaborDispute => {
  const at = event.metadata.occurredAt;
  const touch = (s: DisputeCase): DisputeCase => ({ ...s, updatedAt: at });
  switch (event.type) {
    case 'DeadlineStarted':
    case 'DeadlinePaused':
    case 'DeadlineResumed':
    case 'DeadlineExtended':
    case 'DeadlineRestarted':
    case 'DeadlineStopped':
      return on(state, (s) => ({ ...s, clocks: evolveDeadlines(s.clocks, event) }));
    case 'DisputeFiled': {
      const d = event.data;
      return {
        status: 'Filed',
        disputeId: d.disputeId,
        orgUnitId: d.orgUnitId,
        orgUnitPath: event.metadata.orgUnitPath,
        category: d.category,
        claimAmount: d.claimAmount,
        description: d.description,
        employer: d.employer,
        workers: d.workers,
        workersInvolved: d.workersInvolved,
        commonClaim: d.commonClaim,
        group: d.group,
        stabilityWatch: false,
        filedAt: d.filedAt,
        limitation: { basis: d.limitation.basis, expiredAtFiling: d.limitation.expiredAtFiling, suspended: false },
        clocks: state.status === 'None' ? {} : state.clocks,
        mediation: null,
        arbitration: null,
        mediationStatement: null,
        award: null,
        litigation: null,
        setAsideApplication: null,
        enforcement: null,
        legalAid: null,
        closing: null,
        transfers: [],
        reopenings: 0,
        updatedAt: at,
      };
    }
    case 'StabilityWatchRaised':
      return on(state, (s) => touch({ ...s, stabilityWatch: true }));
    case 'DisputeTransferred':
      return on(state, (s) =>
        touch({
          ...s,
          orgUnitId: event.data.toOrgUnitId,
          orgUnitPath: event.metadata.orgUnitPath,
          transfers: [
            ...s.transfers,
            { fromOrgUnitId: event.data.fromOrgUnitId, toOrgUnitId: event.data.toOrgUnitId, reason: event.data.reason, at: event.data.transferredAt },
          ],
        }),
      );
    case 'LimitationInterrupted':
      return on(state, (s) => touch(s));
    case 'LimitationSuspended':
      return on(state, (s) => touch({ ...s, limitation: { ...s.limitation, suspended: true } }));
    case 'LimitationResumed':
      return on(state, (s) => touch({ ...s, limitation: { ...s.limitation, suspended: false } }));
    case 'MediationApplied':
      return on(state, (s) =>
        touch({
          ...s,
          status: 'MediationApplied',
          mediation: {
            committee: event.data.committee,
            form: event.data.form,
            appliedAt: event.data.appliedAt,
            acceptedAt: null,
            windowEndsAt: null,
            agreement: null,
            outcome: null,
            endedAt: null,
          },
        }),
      );
    case 'MediationAccepted':
      return on(state, (s) =>
        touch({
          ...s,
          status: 'Mediating',
          mediation: s.mediation && { ...s.mediation, acceptedAt: event.data.acceptedAt, windowEndsAt: event.data.windowEndsAt },
        }),
      );
    case 'MediationDeclined':
      return on(state, (s) =>
        touch({ ...s, status: 'MediationFailed', mediation: s.mediation && { ...s.mediation, outcome: 'declined', endedAt: event.data.declinedAt } }),
      );
    case 'MediationAgreementSigned':
      return on(state, (s) =>
        touch({
          ...s,
          status: 'MediationAgreed',
          mediation: s.mediation && {
            ...s.mediation,
            outcome: 'agreed',
            endedAt: event.data.signedAt,
            agreement: { terms: event.data.terms, performanceDueDate: event.data.performanceDueDate, signedAt: event.data.signedAt },
          },
        }),
      );
    case 'MediationFailed':
      return on(state, (s) =>
        touch({ ...s, status: 'MediationFailed', mediation: s.mediation && { ...s.mediation, outcome: 'failed', endedAt: event.data.failedAt } }),
      );
    case 'MediationWindowExpired':
      return on(state, (s) =>
        touch({ ...s, status: 'MediationFailed', mediation: s.mediation && { ...s.mediation, outcome: 'expired', endedAt: event.data.windowEndedAt } }),
      );
    case 'AgreementPerformed':
      return on(state, (s) => touch({ ...s, status: 'AgreementPerformed', mediation: s.mediation && { ...s.mediation, outcome: 'performed' } }));
    case 'AgreementNotPerformed':
      return on(state, (s) => touch({ ...s, status: 'AgreementBreached', mediation: s.mediation && { ...s.mediation, outcome: 'not-performed' } }));
    case 'ArbitrationApplied':
      return on(state, (s) =>
        touch({
          ...s,
          status: 'ArbitrationApplied',
          arbitration: {
            commission: event.data.commission,
            appliedAt: event.data.appliedAt,
            acceptanceDueAt: event.data.acceptanceDueAt,
            limitationExpired: event.data.limitationExpired,
            caseNumber: null,
            acceptedAt: null,
            decidedLate: null,
            awardDueAt: null,
            extended: false,
            notAcceptedReasons: null,
            endedAt: null,
          },
        }),
      );
    case 'ArbitrationAccepted':
      return on(state, (s) =>
        touch({
          ...s,
          status: 'Arbitrating',
          arbitration: s.arbitration && {
            ...s.arbitration,
            caseNumber: event.data.caseNumber,
            acceptedAt: event.data.acceptedAt,
            decidedLate: event.data.decidedLate,
            awardDueAt: event.data.awardDueAt,
          },
        }),
      );
    case 'ArbitrationNotAccepted':
      return on(state, (s) =>
        touch({
          ...s,
          status: 'ArbitrationNotAccepted',
          arbitration: s.arbitration && {
            ...s.arbitration,
            decidedLate: event.data.decidedLate,
            notAcceptedReasons: event.data.reasons,
            endedAt: event.data.decidedAt,
          },
        }),
      );
    case 'AwardDeadlineExtended':
      return on(state, (s) => touch({ ...s, arbitration: s.arbitration && { ...s.arbitration, extended: true, awardDueAt: event.data.awardDueAt } }));
    case 'ArbitralMediationStatementIssued':
      return on(state, (s) =>
        touch({
          ...s,
          status: 'MediationStatementEffective',
          mediationStatement: { terms: event.data.terms, issuedAt: event.data.issuedAt },
          arbitration: s.arbitration && { ...s.arbitration, endedAt: event.data.issuedAt },
        }),
      );
    case 'ArbitrationWithdrawn':
      return on(state, (s) =>
        touch({ ...s, status: 'ArbitrationWithdrawn', arbitration: s.arbitration && { ...s.arbitration, endedAt: event.data.withdrawnAt } }),
      );
    case 'AwardIssued':
      return on(state, (s) =>
        touch({
          ...s,
          status: 'Awarded',
          arbitration: s.arbitration && { ...s.arbitration, endedAt: event.data.issuedAt },
          award: {
            kind: event.data.kind,
            summary: event.data.summary,
            awardedAmount: event.data.awardedAmount,
            issuedAt: event.data.issuedAt,
            servedAt: event.data.servedAt,
            onTime: event.data.onTime,
            suitWindowEndsAt: event.data.suitWindowEndsAt,
            setAsideWindowEndsAt: event.data.setAsideWindowEndsAt,
            effectiveSince: null,
            setAside: null,
            setAsideRuledAt: null,
          },
        }),
      );
    case 'AwardBecameEffective':
      return on(state, (s) =>
        touch({ ...s, status: s.status === 'Awarded' ? 'AwardEffective' : s.status, award: s.award && { ...s.award, effectiveSince: event.data.effectiveSince } }),
      );
    case 'ChallengeWindowLapsed':
      return on(state, (s) => touch(s));
    case 'LawsuitFiled':
      return on(state, (s) =>
        touch({
          ...s,
          status: 'InLitigation',
          litigation: { party: event.data.party, court: event.data.court, basis: event.data.basis, filedAt: event.data.filedAt },
        }),
      );
    case 'SetAsideApplied':
      return on(state, (s) => touch({ ...s, status: 'SetAsideRequested', setAsideApplication: { court: event.data.court, appliedAt: event.data.appliedAt } }));
    case 'SetAsideRuled':
      return on(state, (s) =>
        touch({
          ...s,
          status: event.data.setAside ? 'AwardSetAside' : 'AwardEffective',
          award: s.award && {
            ...s.award,
            setAside: event.data.setAside,
            setAsideRuledAt: event.data.ruledAt,
            effectiveSince: event.data.setAside ? null : s.award.effectiveSince,
          },
        }),
      );
    case 'EnforcementApplied':
      return on(state, (s) =>
        touch({ ...s, status: 'EnforcementApplied', enforcement: { court: event.data.court, basis: event.data.basis, appliedAt: event.data.appliedAt } }),
      );
    case 'LegalAidApplied':
      return on(state, (s) =>
        touch({
          ...s,
          legalAid: {
            status: 'applied',
            aidOffice: event.data.aidOffice,
            appliedAt: event.data.appliedAt,
            decidedAt: null,
            decidedLate: null,
            reasons: null,
            lawyerName: null,
            lawFirm: null,
            assignedAt: null,
          },
        }),
      );
    case 'LegalAidDecided':
      return on(state, (s) =>
        touch({
          ...s,
          legalAid: s.legalAid && {
            ...s.legalAid,
            status: event.data.granted ? 'granted' : 'refused',
            decidedAt: event.data.decidedAt,
            decidedLate: event.data.decidedLate,
            reasons: event.data.reasons || null,
          },
        }),
      );
    case 'LegalAidLawyerAssigned':
      return on(state, (s) =>
        touch({
          ...s,
          legalAid: s.legalAid && {
            ...s.legalAid,
            status: 'assigned',
            lawyerName: event.data.lawyerName,
            lawFirm: event.data.lawFirm,
            assignedAt: event.data.assignedAt,
          },
        }),
      );
    case 'DisputeClosed':
      return on(state, (s) =>
        touch({
          ...s,
          status: 'Closed',
          closing: { outcome: event.data.outcome, note: event.data.note, closedAt: event.data.closedAt, previousStatus: s.status, clocks: s.clocks },
        }),
      );
    case 'DisputeReopened':
      return on(state, (s) =>
        touch({
          ...s,
          // The clocks that ran when the case was closed run again, with their pauses and
          // extensions (the decider re-announced them just before this event).
          status: s.closing?.previousStatus ?? 'Filed',
          clocks: s.closing?.clocks ?? s.clocks,
          closing: null,
          reopenings: s.reopenings + 1,
        }),
      );
    default:
      return assertNever(event);
  }
};
