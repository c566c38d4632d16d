import type { DeadlineEvent, DeadlineUnit } from '@gongzhi/deadlines-domain';
import type { Event } from '@gongzhi/kernel';
import type {
  EvaluationGrade,
  HotlineMatterType,
  IncidentCategory,
  IncidentChannel,
  IncidentLocation,
  ReplyOutcome,
  Reporter,
  ReworkCause,
  Satisfaction,
  SupervisionLevel,
  SupervisionReason,
  VoidReason,
} from './incident.types';

// Intake ---------------------------------------------------------------------------------------

/** A matter reported by a grid worker on patrol, a resident, a camera, a referral or the green channel. */
export type IncidentReported = Event<
  'IncidentReported',
  {
    incidentId: string;
    channel: IncidentChannel;
    communityId: string;
    gridId: string | null;
    location: IncidentLocation;
    description: string;
    photoRefs: string[];
    reporter: Reporter | null;
    /** The referring body's or the camera system's own reference, when there is one. */
    externalRef: string | null;
    reportedAt: string;
  }
>;

/**
 * A 12345 work order (工單) arrived, already accepted and dispatched by the hotline centre with
 * a time limit: the unit's clock starts now (北京接訴即辦條例 Arts 11–13, 济南 Art 24).
 */
export type HotlineWorkOrderReceived = Event<
  'HotlineWorkOrderReceived',
  {
    incidentId: string;
    ticketNumber: string;
    matterType: HotlineMatterType | null;
    /** The centre's category as sent, and ours when the code is in the catalogue. */
    hotlineCategory: string;
    category: IncidentCategory | null;
    communityId: string;
    gridId: string | null;
    location: IncidentLocation;
    description: string;
    /** The centre's opaque reference to the caller, plus the caller's contact when sent. */
    callerRef: string;
    reporter: Reporter | null;
    /** The centre's own time limit in working days, when it set one; else the policy's. */
    timeLimitWorkingDays: number | null;
    dispatchedAt: string;
    receivedAt: string;
  }
>;

export type IncidentAccepted = Event<'IncidentAccepted', { incidentId: string; acceptedAt: string }>;

/** 不予立案/注銷. A duplicate names the original; both keep their own history. */
export type IncidentVoided = Event<
  'IncidentVoided',
  { incidentId: string; reason: VoidReason; duplicateOf: string | null; note: string; voidedAt: string }
>;

/** Recorded on the original when a later report was voided as its duplicate. */
export type DuplicateLinked = Event<'DuplicateLinked', { incidentId: string; duplicateId: string; linkedAt: string }>;

/** 立案: the report meets the category's filing conditions. */
export type IncidentFiled = Event<'IncidentFiled', { incidentId: string; category: IncidentCategory; filedAt: string }>;

// Handling -------------------------------------------------------------------------------------

/** 派遣 to the unit responsible (屬地/責任主體唯一). For a grid case the time limit starts here. */
export type IncidentDispatched = Event<
  'IncidentDispatched',
  { incidentId: string; toOrgUnitId: string; toOrgUnitPath: string; note: string; dispatchedAt: string }
>;

/** 退回: the unit says the matter is not its duty, with the reason (滨州條例 Art 11). */
export type IncidentReturned = Event<
  'IncidentReturned',
  { incidentId: string; fromOrgUnitId: string; reason: string; returnedAt: string }
>;

export type ExtensionRequested = Event<
  'ExtensionRequested',
  { incidentId: string; requestId: string; length: number; unit: DeadlineUnit; reason: string; requestedAt: string }
>;
export type ExtensionGranted = Event<'ExtensionGranted', { incidentId: string; requestId: string; length: number; unit: DeadlineUnit; grantedAt: string }>;
export type ExtensionRejected = Event<'ExtensionRejected', { incidentId: string; requestId: string; reason: string; rejectedAt: string }>;

/** 12345: the unit tells the centre it needs longer, and why (北京 Art 15 ¶2). */
export type ExtensionNotified = Event<'ExtensionNotified', { incidentId: string; length: number; unit: DeadlineUnit; reason: string; notifiedAt: string }>;

/** 掛賬: cannot be solved even with an extension; kept in the problem pool with the explanation. */
export type IncidentParked = Event<'IncidentParked', { incidentId: string; reason: string; parkedAt: string }>;
export type IncidentUnparked = Event<'IncidentUnparked', { incidentId: string; note: string; unparkedAt: string }>;

/** 處置反饋, with photos after. */
export type HandlingReported = Event<
  'HandlingReported',
  { incidentId: string; byOrgUnitId: string; notes: string; photoRefs: string[]; reportedAt: string }
>;

/** 核查 by the grid worker or supervisor on site. */
export type VerificationPassed = Event<'VerificationPassed', { incidentId: string; note: string; photoRefs: string[]; verifiedAt: string }>;
export type VerificationFailed = Event<'VerificationFailed', { incidentId: string; note: string; photoRefs: string[]; failedAt: string }>;

/** 返工: back to the handling unit, with a new time limit; counted for the rework rate. */
export type IncidentReworkOrdered = Event<
  'IncidentReworkOrdered',
  { incidentId: string; cause: ReworkCause; reworkCount: number; orderedAt: string }
>;

/** 結案. */
export type IncidentClosed = Event<'IncidentClosed', { incidentId: string; closedAt: string }>;

/** 綜合評價 of a closed case (and the reporter's satisfaction, when asked). */
export type IncidentEvaluated = Event<
  'IncidentEvaluated',
  { incidentId: string; grade: EvaluationGrade; satisfaction: Satisfaction | null; comment: string; evaluatedAt: string }
>;

// 12345 steps ------------------------------------------------------------------------------------

/** 派單異議 (北京 Art 12): the unit disputes that the order is its own. */
export type DispatchObjected = Event<'DispatchObjected', { incidentId: string; reason: string; objectedAt: string }>;

/** The centre's answer: the unit keeps it (upheld) or the centre reassigns it elsewhere. */
export type DispatchObjectionResolved = Event<
  'DispatchObjectionResolved',
  { incidentId: string; outcome: 'upheld' | 'reassigned'; note: string; resolvedAt: string }
>;

/** Returned to the centre as clearly not the unit's duty (潍坊 Art 22). */
export type WorkOrderReturned = Event<'WorkOrderReturned', { incidentId: string; reason: string; returnedAt: string }>;

/** The centre sent a returned order back, designating this unit: it may not return it again. */
export type HotlineWorkOrderRedispatched = Event<
  'HotlineWorkOrderRedispatched',
  { incidentId: string; timeLimitWorkingDays: number | null; dispatchedAt: string; receivedAt: string }
>;

/** 回復來電人 (济南 Art 24). */
export type CallerReplied = Event<'CallerReplied', { incidentId: string; outcome: ReplyOutcome; summary: string; repliedAt: string }>;

/** 回訪 (济南 Art 27, 北京 Art 23). */
export type CallbackRecorded = Event<
  'CallbackRecorded',
  { incidentId: string; satisfaction: Satisfaction; resolved: boolean; note: string; recordedAt: string }
>;

// Time and supervision -------------------------------------------------------------------------

/** Raised by the deadline scheduler when the running time limit has passed. */
export type IncidentOverdue = Event<'IncidentOverdue', { incidentId: string; clockId: string; dueAt: string; detectedAt: string }>;

/** 督辦 (济南 Art 28; 潍坊 Art 26): overdue, repeated or concentrated complaints. */
export type SupervisionRaised = Event<
  'SupervisionRaised',
  {
    incidentId: string;
    reason: SupervisionReason;
    level: SupervisionLevel;
    note: string;
    /** For a repeated complaint: the later order that repeated this one. */
    relatedIncidentId: string | null;
    raisedAt: string;
  }
>;

export type IncidentOwnEvent =
  | IncidentReported
  | HotlineWorkOrderReceived
  | IncidentAccepted
  | IncidentVoided
  | DuplicateLinked
  | IncidentFiled
  | IncidentDispatched
  | IncidentReturned
  | ExtensionRequested
  | ExtensionGranted
  | ExtensionRejected
  | ExtensionNotified
  | IncidentParked
  | IncidentUnparked
  | HandlingReported
  | VerificationPassed
  | VerificationFailed
  | IncidentReworkOrdered
  | IncidentClosed
  | IncidentEvaluated
  | DispatchObjected
  | DispatchObjectionResolved
  | WorkOrderReturned
  | HotlineWorkOrderRedispatched
  | CallerReplied
  | CallbackRecorded
  | IncidentOverdue
  | SupervisionRaised;

/** The incident stream holds its own events and the clock events of its time limit. */
export type IncidentEvent = IncidentOwnEvent | DeadlineEvent;

export const INCIDENT_EVENT_TYPES: readonly IncidentOwnEvent['type'][] = [
  'IncidentReported',
  'HotlineWorkOrderReceived',
  'IncidentAccepted',
  'IncidentVoided',
  'DuplicateLinked',
  'IncidentFiled',
  'IncidentDispatched',
  'IncidentReturned',
  'ExtensionRequested',
  'ExtensionGranted',
  'ExtensionRejected',
  'ExtensionNotified',
  'IncidentParked',
  'IncidentUnparked',
  'HandlingReported',
  'VerificationPassed',
  'VerificationFailed',
  'IncidentReworkOrdered',
  'IncidentClosed',
  'IncidentEvaluated',
  'DispatchObjected',
  'DispatchObjectionResolved',
  'WorkOrderReturned',
  'HotlineWorkOrderRedispatched',
  'CallerReplied',
  'CallbackRecorded',
  'IncidentOverdue',
  'SupervisionRaised',
];
