import { isOverdue } from '@gongzhi/deadlines-domain';
import type { LaborDisputeRow, LaborDisputeView } from '@gongzhi/union';
import { LaborClock } from '@gongzhi/union-domain';
import type { LaborDispute, LaborDisputeSummary } from './labor-dispute.types';

export const toSummary = (row: LaborDisputeRow, now: string): LaborDisputeSummary => ({
  id: row.disputeId,
  orgUnitId: row.orgUnitId,
  orgUnitPath: row.owningOrgPath,
  status: row.status,
  category: row.category,
  group: Boolean(row.groupDispute),
  stabilityWatch: Boolean(row.stabilityWatch),
  workersInvolved: row.workersInvolved,
  claimAmount: Number(row.claimAmount),
  employerName: row.employerName,
  filedAt: row.filedAt,
  closedAt: row.closedAt,
  outcome: row.outcome,
  limitationExpiredAtFiling: Boolean(row.limitationExpiredAtFiling),
  limitationDueAt: row.limitationDueAt,
  nextDueAt: row.nextObligationDueAt,
  nextDueClock: row.nextObligationClock,
  overdue: row.nextObligationDueAt !== null && row.nextObligationDueAt <= now,
  revision: row.revision,
});

export const toDetail = (view: LaborDisputeView): LaborDispute => {
  const s = view.case;
  const limitationClock = s.clocks[LaborClock.limitation];
  return {
    id: view.disputeId,
    revision: view.revision,
    at: view.at,
    asOf: view.asOf,
    status: s.status,
    responsibleOrgUnit: view.responsibleOrgUnit,
    category: s.category,
    claimAmount: s.claimAmount,
    description: s.description,
    employer: s.employer,
    workers: s.workers.map((w) => ({ ...w, disputeId: view.disputeId, orgUnitPath: view.responsibleOrgUnit.path })),
    workersInvolved: s.workersInvolved,
    commonClaim: s.commonClaim,
    group: s.group,
    stabilityWatch: s.stabilityWatch,
    filedAt: s.filedAt,
    limitation: {
      basis: s.limitation.basis,
      expiredAtFiling: s.limitation.expiredAtFiling,
      suspended: s.limitation.suspended,
      dueAt: limitationClock?.dueAt ?? null,
      expired: limitationClock ? isOverdue(limitationClock, view.at) : false,
    },
    mediation: s.mediation && {
      committeeKind: s.mediation.committee.kind,
      committeeName: s.mediation.committee.name,
      form: s.mediation.form,
      appliedAt: s.mediation.appliedAt,
      acceptedAt: s.mediation.acceptedAt,
      windowEndsAt: s.mediation.windowEndsAt,
      agreement: s.mediation.agreement,
      outcome: s.mediation.outcome,
      endedAt: s.mediation.endedAt,
    },
    arbitration: s.arbitration,
    mediationStatement: s.mediationStatement,
    award: s.award,
    litigation: s.litigation,
    enforcement: s.enforcement,
    legalAid: s.legalAid,
    closing: s.closing && { outcome: s.closing.outcome, note: s.closing.note, closedAt: s.closing.closedAt },
    transfers: s.transfers,
    reopenings: s.reopenings,
    openClocks: view.openClocks,
    updatedAt: s.updatedAt,
  };
};
