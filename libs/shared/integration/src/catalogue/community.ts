import { defineIntegrationEvents, publicPath, type ContextIntegrationEvents, type PublicData } from '../outbound/registry';

/**
 * Community (社區) integration events: the life of a grid case or 12345 work order as other
 * systems (the hotline centre, the district's city-management platform) follow it. Ids, status
 * values, categories and times only: descriptions, addresses, photos, notes and everything about
 * the reporter or caller stay inside.
 */
const category = (data: unknown): PublicData => {
  const code = publicPath(data, ['category', 'code']);
  return code === undefined ? {} : { categoryCode: code };
};

export const COMMUNITY_INTEGRATION_EVENTS: ContextIntegrationEvents = {
  context: 'community',
  mappings: [
    ...defineIntegrationEvents('community', 'incident', {
      IncidentReported: { name: 'reported', fields: ['incidentId', 'channel', 'communityId', 'gridId', 'reportedAt'] },
      HotlineWorkOrderReceived: {
        name: 'hotline-work-order-received',
        fields: ['incidentId', 'ticketNumber', 'matterType', 'hotlineCategory', 'communityId', 'gridId', 'timeLimitWorkingDays', 'dispatchedAt', 'receivedAt'],
        extra: category,
      },
      IncidentAccepted: { name: 'accepted', fields: ['incidentId', 'acceptedAt'] },
      IncidentVoided: { name: 'voided', fields: ['incidentId', 'reason', 'duplicateOf', 'voidedAt'] },
      IncidentFiled: { name: 'filed', fields: ['incidentId', 'filedAt'], extra: category },
      IncidentDispatched: { name: 'dispatched', fields: ['incidentId', 'toOrgUnitId', 'toOrgUnitPath', 'dispatchedAt'] },
      IncidentReturned: { name: 'returned', fields: ['incidentId', 'fromOrgUnitId', 'returnedAt'] },
      ExtensionGranted: { name: 'extension-granted', fields: ['incidentId', 'length', 'unit', 'grantedAt'] },
      ExtensionNotified: { name: 'extension-notified', fields: ['incidentId', 'length', 'unit', 'notifiedAt'] },
      IncidentParked: { name: 'parked', fields: ['incidentId', 'parkedAt'] },
      IncidentUnparked: { name: 'unparked', fields: ['incidentId', 'unparkedAt'] },
      HandlingReported: { name: 'handling-reported', fields: ['incidentId', 'byOrgUnitId', 'reportedAt'] },
      VerificationPassed: { name: 'verification-passed', fields: ['incidentId', 'verifiedAt'] },
      VerificationFailed: { name: 'verification-failed', fields: ['incidentId', 'failedAt'] },
      IncidentReworkOrdered: { name: 'rework-ordered', fields: ['incidentId', 'cause', 'reworkCount', 'orderedAt'] },
      IncidentClosed: { name: 'closed', fields: ['incidentId', 'closedAt'] },
      IncidentEvaluated: { name: 'evaluated', fields: ['incidentId', 'grade', 'satisfaction', 'evaluatedAt'] },
      DispatchObjected: { name: 'dispatch-objected', fields: ['incidentId', 'objectedAt'] },
      DispatchObjectionResolved: { name: 'dispatch-objection-resolved', fields: ['incidentId', 'outcome', 'resolvedAt'] },
      WorkOrderReturned: { name: 'work-order-returned', fields: ['incidentId', 'returnedAt'] },
      HotlineWorkOrderRedispatched: {
        name: 'hotline-work-order-redispatched',
        fields: ['incidentId', 'timeLimitWorkingDays', 'dispatchedAt', 'receivedAt'],
      },
      CallerReplied: { name: 'caller-replied', fields: ['incidentId', 'outcome', 'repliedAt'] },
      CallbackRecorded: { name: 'callback-recorded', fields: ['incidentId', 'satisfaction', 'resolved', 'recordedAt'] },
      IncidentOverdue: { name: 'overdue', fields: ['incidentId', 'dueAt', 'detectedAt'] },
      SupervisionRaised: { name: 'supervision-raised', fields: ['incidentId', 'reason', 'level', 'relatedIncidentId', 'raisedAt'] },
    }),
    ...defineIntegrationEvents('community', 'grid', {
      GridDefined: { name: 'defined', fields: ['gridId', 'communityId', 'definedAt'] },
      GridRetired: { name: 'retired', fields: ['gridId', 'retiredAt'] },
    }),
  ],
};
