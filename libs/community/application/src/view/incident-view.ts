import {
  isOpenStatus,
  type EvaluationGrade,
  type IncidentCategory,
  type IncidentChannel,
  type IncidentEvent,
  type IncidentLocation,
  type IncidentStatus,
  type Reporter,
  type Satisfaction,
  type SupervisionLevel,
  type SupervisionReason,
} from '@gongzhi/community-domain';
import type { DeadlineUnit } from '@gongzhi/deadlines-domain';
import { isPersonalValue } from '@gongzhi/kernel';

export interface TimelineEntry {
  revision: number;
  type: string;
  occurredAt: string;
  actorUserId: string;
  actorOrgUnitId: string | null;
  /** The event's data without its personal values (the reporter appears by subject id only). */
  details: Record<string, unknown>;
}

export interface TimeLimitView {
  policyId: string;
  version: number;
  source: string;
  length: number;
  unit: DeadlineUnit;
  startedAt: string;
  dueAt: string;
  status: 'running' | 'paused' | 'stopped';
  extensions: number;
}

export interface HandlingView {
  byOrgUnitId: string;
  notes: string;
  photoRefs: string[];
  reportedAt: string;
}

export interface SupervisionView {
  reason: SupervisionReason;
  level: SupervisionLevel;
  note: string;
  relatedIncidentId: string | null;
  raisedAt: string;
}

/**
 * Everything about one incident, folded from its stream: the detail page and the answer to
 * "as of T" (the fold stops at T). Personal values stay as the privacy layer decoded them; the
 * API masks or reveals them per reader.
 */
export interface IncidentView {
  exists: boolean;
  incidentId: string;
  channel: IncidentChannel;
  status: IncidentStatus;
  open: boolean;
  communityId: string;
  gridId: string | null;
  orgUnitPath: string;
  responsibleOrgUnitId: string | null;
  responsiblePath: string | null;
  category: IncidentCategory | null;
  hotlineCategory: string | null;
  ticketNumber: string | null;
  matterType: string | null;
  callerRef: string | null;
  location: IncidentLocation | null;
  description: string;
  photoRefs: string[];
  reporter: Reporter | null;
  externalRef: string | null;
  reportedAt: string;
  timeLimit: TimeLimitView | null;
  reworkCount: number;
  wasOverdue: boolean;
  supervisions: SupervisionView[];
  duplicateOf: string | null;
  duplicates: string[];
  handlings: HandlingView[];
  satisfaction: Satisfaction | null;
  evaluation: { grade: EvaluationGrade; satisfaction: Satisfaction | null; comment: string; evaluatedAt: string } | null;
  closedAt: string | null;
  revision: number;
  timeline: TimelineEntry[];
}

export const emptyIncidentView = (): IncidentView => ({
  exists: false,
  incidentId: '',
  channel: 'grid-patrol',
  status: 'Reported',
  open: true,
  communityId: '',
  gridId: null,
  orgUnitPath: '',
  responsibleOrgUnitId: null,
  responsiblePath: null,
  category: null,
  hotlineCategory: null,
  ticketNumber: null,
  matterType: null,
  callerRef: null,
  location: null,
  description: '',
  photoRefs: [],
  reporter: null,
  externalRef: null,
  reportedAt: '',
  timeLimit: null,
  reworkCount: 0,
  wasOverdue: false,
  supervisions: [],
  duplicateOf: null,
  duplicates: [],
  handlings: [],
  satisfaction: null,
  evaluation: null,
  closedAt: null,
  revision: -1,
  timeline: [],
});

/** Personal values become their subject id; nothing personal reaches the timeline. */
const withoutPersonalData = (value: unknown): unknown => {
  if (isPersonalValue(value)) return { subjectId: value.subjectId };
  if (Array.isArray(value)) return value.map(withoutPersonalData);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, withoutPersonalData(v)]));
  }
  return value;
};

const detailsOf = (event: IncidentEvent): Record<string, unknown> => {
  const { incidentId: _id, ...rest } = event.data as Record<string, unknown>;
  if ('reporter' in rest) {
    const r = rest.reporter as Reporter | null;
    rest.reporter = r ? { subjectId: r.subjectId, confidential: r.confidential, wantsReply: r.wantsReply } : null;
  }
  return withoutPersonalData(rest) as Record<string, unknown>;
};

type Status = IncidentStatus;
const status = (v: IncidentView, s: Status): IncidentView => ({ ...v, status: s, open: isOpenStatus(s) });

/** Folds one event (with its stream revision) into the view. */
export const evolveIncidentView = (view: IncidentView, event: IncidentEvent & { revision?: number }): IncidentView => {
  const m = event.metadata;
  const revision = event.revision ?? view.revision + 1;
  const v: IncidentView = {
    ...view,
    revision,
    timeline: [
      ...view.timeline,
      {
        revision,
        type: event.type,
        occurredAt: m.occurredAt,
        actorUserId: m.actor.userId,
        actorOrgUnitId: m.actor.orgUnitId ?? null,
        details: detailsOf(event),
      },
    ],
  };
  switch (event.type) {
    case 'IncidentReported': {
      const d = event.data;
      return {
        ...v,
        exists: true,
        incidentId: d.incidentId,
        channel: d.channel,
        status: 'Reported',
        open: true,
        communityId: d.communityId,
        gridId: d.gridId,
        orgUnitPath: m.orgUnitPath,
        location: d.location,
        description: d.description,
        photoRefs: d.photoRefs,
        reporter: d.reporter,
        externalRef: d.externalRef,
        reportedAt: d.reportedAt,
      };
    }
    case 'HotlineWorkOrderReceived': {
      const d = event.data;
      return {
        ...v,
        exists: true,
        incidentId: d.incidentId,
        channel: 'hotline',
        status: 'Dispatched',
        open: true,
        communityId: d.communityId,
        gridId: d.gridId,
        orgUnitPath: m.orgUnitPath,
        responsibleOrgUnitId: d.gridId ?? d.communityId,
        responsiblePath: m.orgUnitPath,
        category: d.category,
        hotlineCategory: d.hotlineCategory,
        ticketNumber: d.ticketNumber,
        matterType: d.matterType,
        callerRef: d.callerRef,
        location: d.location,
        description: d.description,
        reporter: d.reporter,
        reportedAt: d.receivedAt,
      };
    }
    case 'IncidentAccepted':
      return status(v, 'Accepted');
    case 'IncidentVoided':
      return { ...status(v, 'Voided'), duplicateOf: event.data.duplicateOf };
    case 'DuplicateLinked':
      return { ...v, duplicates: [...v.duplicates, event.data.duplicateId] };
    case 'IncidentFiled':
      return { ...status(v, 'Filed'), category: event.data.category };
    case 'IncidentDispatched':
      return { ...status(v, 'Dispatched'), responsibleOrgUnitId: event.data.toOrgUnitId, responsiblePath: event.data.toOrgUnitPath };
    case 'IncidentReturned':
      return v.channel === 'hotline'
        ? { ...v, responsibleOrgUnitId: v.gridId ?? v.communityId, responsiblePath: v.orgUnitPath }
        : { ...status(v, 'Filed'), responsibleOrgUnitId: null, responsiblePath: null };
    case 'IncidentParked':
      return status(v, 'Parked');
    case 'IncidentUnparked':
      return status(v, 'Dispatched');
    case 'HandlingReported': {
      const { byOrgUnitId, notes, photoRefs, reportedAt } = event.data;
      return { ...status(v, 'Handled'), handlings: [...v.handlings, { byOrgUnitId, notes, photoRefs, reportedAt }] };
    }
    case 'VerificationPassed':
      return status(v, 'Verified');
    case 'VerificationFailed':
      return status(v, 'Dispatched');
    case 'IncidentReworkOrdered':
      return { ...status(v, 'Dispatched'), reworkCount: event.data.reworkCount };
    case 'IncidentClosed':
      return { ...status(v, 'Closed'), closedAt: event.data.closedAt };
    case 'IncidentEvaluated': {
      const { grade, satisfaction, comment, evaluatedAt } = event.data;
      return { ...status(v, 'Evaluated'), evaluation: { grade, satisfaction, comment, evaluatedAt }, satisfaction: satisfaction ?? v.satisfaction };
    }
    case 'DispatchObjected':
      return status(v, 'UnderReview');
    case 'DispatchObjectionResolved':
      return status(v, event.data.outcome === 'upheld' ? 'Dispatched' : 'ReturnedToCenter');
    case 'WorkOrderReturned':
      return status(v, 'ReturnedToCenter');
    case 'HotlineWorkOrderRedispatched':
      return { ...status(v, 'Dispatched'), responsibleOrgUnitId: v.gridId ?? v.communityId, responsiblePath: v.orgUnitPath };
    case 'CallerReplied':
      return status(v, 'Replied');
    case 'CallbackRecorded':
      return { ...v, satisfaction: event.data.satisfaction };
    case 'IncidentOverdue':
      return { ...v, wasOverdue: true };
    case 'SupervisionRaised': {
      const { reason, level, note, relatedIncidentId, raisedAt } = event.data;
      return { ...v, supervisions: [...v.supervisions, { reason, level, note, relatedIncidentId, raisedAt }] };
    }
    case 'DeadlineStarted': {
      const d = event.data;
      return {
        ...v,
        timeLimit: { policyId: d.policyId, version: d.version, source: d.source, length: d.length, unit: d.unit, startedAt: d.startedAt, dueAt: d.dueAt, status: 'running', extensions: 0 },
      };
    }
    case 'DeadlineExtended':
      return v.timeLimit ? { ...v, timeLimit: { ...v.timeLimit, dueAt: event.data.dueAt, extensions: v.timeLimit.extensions + 1 } } : v;
    case 'DeadlinePaused':
      return v.timeLimit ? { ...v, timeLimit: { ...v.timeLimit, status: 'paused' } } : v;
    case 'DeadlineResumed':
    case 'DeadlineRestarted':
      return v.timeLimit ? { ...v, timeLimit: { ...v.timeLimit, status: 'running', dueAt: event.data.dueAt } } : v;
    case 'DeadlineStopped':
      return v.timeLimit ? { ...v, timeLimit: { ...v.timeLimit, status: 'stopped' } } : v;
    default:
      // Extension requests and decisions, callbacks' notes and the like live in the timeline.
      return v;
  }
};

/** A fold the AggregateReader accepts (`load` / `aggregateAsOf`). */
export const incidentViewFold = {
  evolve: evolveIncidentView,
  get initialState(): IncidentView {
    return emptyIncidentView();
  },
};
