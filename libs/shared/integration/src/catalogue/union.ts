import { defineIntegrationEvents, type ContextIntegrationEvents } from '../outbound/registry';

/**
 * Union (工會) integration events: where a labour dispute stands, for the human-resources and
 * social-security bureau's arbitration system and the stability-watch dashboards. Nothing about
 * workers or employers (names, ID numbers, claims' text) and no amounts: ids, categories,
 * counts, outcomes and dates.
 */
export const UNION_INTEGRATION_EVENTS: ContextIntegrationEvents = {
  context: 'union',
  mappings: defineIntegrationEvents('union', 'labor-dispute', {
    DisputeFiled: { name: 'filed', fields: ['disputeId', 'orgUnitId', 'category', 'workersInvolved', 'group', 'filedAt'] },
    StabilityWatchRaised: { name: 'stability-watch-raised', fields: ['disputeId', 'workersInvolved', 'raisedAt'] },
    DisputeTransferred: { name: 'transferred', fields: ['disputeId', 'fromOrgUnitId', 'toOrgUnitId', 'transferredAt'] },
    MediationAccepted: { name: 'mediation-accepted', fields: ['disputeId', 'acceptedAt', 'windowEndsAt'] },
    MediationDeclined: { name: 'mediation-declined', fields: ['disputeId', 'declinedAt'] },
    MediationAgreementSigned: { name: 'mediation-agreement-signed', fields: ['disputeId', 'performanceDueDate', 'signedAt'] },
    MediationFailed: { name: 'mediation-failed', fields: ['disputeId', 'failedAt'] },
    MediationWindowExpired: { name: 'mediation-window-expired', fields: ['disputeId', 'windowEndedAt', 'expiredAt'] },
    AgreementPerformed: { name: 'agreement-performed', fields: ['disputeId', 'performedAt'] },
    AgreementNotPerformed: { name: 'agreement-not-performed', fields: ['disputeId', 'recordedAt'] },
    ArbitrationApplied: { name: 'arbitration-applied', fields: ['disputeId', 'appliedAt', 'acceptanceDueAt'] },
    ArbitrationAccepted: { name: 'arbitration-accepted', fields: ['disputeId', 'acceptedAt', 'awardDueAt'] },
    AwardIssued: { name: 'award-issued', fields: ['disputeId', 'kind', 'issuedAt', 'servedAt'] },
    AwardBecameEffective: { name: 'award-became-effective', fields: ['disputeId', 'effectiveSince', 'basis'] },
    DisputeClosed: { name: 'closed', fields: ['disputeId', 'outcome', 'closedAt'] },
    DisputeReopened: { name: 'reopened', fields: ['disputeId', 'reopenedAt'] },
  }),
};
