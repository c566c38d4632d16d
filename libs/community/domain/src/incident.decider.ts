import {
  computeDueAt,
  evolveDeadlines,
  extendDeadline,
  extensionProblem,
  isDeadlineEventType,
  pauseDeadline,
  policyFor,
  resumeDeadline,
  startDeadline,
  stopDeadline,
  type DeadlineClock,
  type DeadlineClocks,
  type DeadlineEvent,
  type DeadlinePolicy,
  type DeadlineRules,
  type DeadlineStopReason,
  type DeadlineUnit,
} from '@gongzhi/deadlines-domain';
import { assertNever, isIsoInstant, type Decider, type NewEvent } from '@gongzhi/kernel';
import {
  AlreadyResponsible,
  DuplicateNeedsOriginal,
  ExtensionAlreadyPending,
  ExtensionRefused,
  HandlingNotesRequired,
  HotlineOnly,
  IncidentAlreadyExists,
  IncidentNotFound,
  InvalidCommunityInput,
  InvalidIncidentState,
  NoExtensionPending,
  NoRunningTimeLimit,
  NotForHotline,
  ReasonRequired,
  ReturnNotAllowed,
  UnknownCategory,
  UnknownResponsibleUnit,
  CommunityNotFound,
} from './community.errors';
import type {
  AcceptIncident,
  CloseIncident,
  DispatchIncident,
  EvaluateIncident,
  FailVerification,
  FileIncident,
  GrantExtension,
  IncidentCommand,
  LinkDuplicate,
  MarkIncidentOverdue,
  NotifyExtension,
  ObjectToDispatch,
  ParkIncident,
  PassVerification,
  RaiseSupervision,
  ReceiveHotlineWorkOrder,
  RecordCallback,
  RejectExtension,
  ReplyToCaller,
  ReportHandling,
  ReportIncident,
  ReporterInput,
  RequestExtension,
  ResolveDispatchObjection,
  ReturnIncident,
  ReturnWorkOrder,
  UnparkIncident,
  VoidIncident,
} from './incident.commands';
import type { IncidentEvent } from './incident.events';
import { handlingPolicyOf } from './incident.policies';
import {
  EVALUATION_GRADES,
  HANDLING_CLOCK,
  HOTLINE_MATTER_TYPES,
  INCIDENT_CHANNELS,
  isOpenStatus,
  isSatisfied,
  REPLY_OUTCOMES,
  SATISFACTION_LEVELS,
  SUPERVISION_LEVELS,
  SUPERVISION_REASONS,
  VOID_REASONS,
  type IncidentCategory,
  type IncidentChannel,
  type IncidentLocation,
  type IncidentStatus,
  type Reporter,
  type UnitRef,
} from './incident.types';
import { cleanPhotoRefs, cleanText } from './text-rules';

export interface OpenIncident {
  status: IncidentStatus;
  incidentId: string;
  channel: IncidentChannel;
  communityId: string;
  gridId: string | null;
  /** Owning scope: the grid's path, else the community's. */
  orgUnitPath: string;
  category: IncidentCategory | null;
  /** The unit currently handling it (after dispatch). */
  responsible: UnitRef | null;
  /** 12345 only: the unit the centre sent the order to. */
  receivingUnit: UnitRef | null;
  hotline: { ticketNumber: string; returnedAt: string | null; designated: boolean } | null;
  reporterSubjectId: string | null;
  reworkCount: number;
  pendingExtension: { requestId: string; length: number; unit: DeadlineUnit } | null;
  clocks: DeadlineClocks;
  /** Due instants already reported overdue, so the scheduler's command is idempotent per due date. */
  overdueDueAts: string[];
  duplicates: string[];
}

export type Incident = { status: 'None' } | OpenIncident;

type Decided = NewEvent<IncidentEvent>[];

// Guards ---------------------------------------------------------------------------------------

const existing = (state: Incident, incidentId: string): OpenIncident => {
  if (state.status === 'None') throw new IncidentNotFound(incidentId);
  return state;
};

const inStatus = (state: Incident, incidentId: string, command: string, allowed: readonly IncidentStatus[]): OpenIncident => {
  const s = existing(state, incidentId);
  if (!allowed.includes(s.status)) throw new InvalidIncidentState(command, s.status, allowed);
  return s;
};

const isHotline = (s: OpenIncident): boolean => s.channel === 'hotline';

const gridCaseOnly = (s: OpenIncident, command: string, instead: string): void => {
  if (isHotline(s)) throw new NotForHotline(command, instead);
};

const hotlineOnly = (s: OpenIncident, command: string): void => {
  if (!isHotline(s)) throw new HotlineOnly(command);
};

const reasonOf = (what: string, value: unknown, max = 1000): string => {
  const text = cleanText('reason', value ?? '', max, { optional: true });
  if (!text) throw new ReasonRequired(what);
  return text;
};

const note = (value: unknown, field = 'note', max = 2000): string => cleanText(field, value ?? '', max, { optional: true });

const oneOf = <T extends string>(field: string, value: unknown, allowed: readonly T[]): T => {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new InvalidCommunityInput(`${field} must be one of ${allowed.join(', ')}`, { field });
  }
  return value as T;
};

const location = (value: IncidentLocation | undefined | null): IncidentLocation => {
  if (!value) throw new InvalidCommunityInput('location is required', { field: 'location' });
  const coordinate = (v: unknown, field: string, limit: number): number | null => {
    if (v === undefined || v === null) return null;
    if (typeof v !== 'number' || !Number.isFinite(v) || Math.abs(v) > limit) throw new InvalidCommunityInput(`${field} is out of range`, { field });
    return v;
  };
  return {
    address: cleanText('location.address', value.address, 300),
    latitude: coordinate(value.latitude, 'location.latitude', 90),
    longitude: coordinate(value.longitude, 'location.longitude', 180),
  };
};

const reporterOf = (input: ReporterInput | null | undefined): Reporter | null =>
  input
    ? {
        subjectId: input.subjectId,
        name: input.name ?? null,
        phone: input.phone ?? null,
        confidential: input.confidential ?? false,
        wantsReply: input.wantsReply ?? false,
      }
    : null;

const handlingClock = (s: OpenIncident): DeadlineClock | undefined => s.clocks[HANDLING_CLOCK];

/** The policy version a clock was started under (a later version never changes a running clock). */
const policyOfClock = (rules: DeadlineRules, clock: DeadlineClock): DeadlinePolicy =>
  rules.policies.find((p) => p.policyId === clock.policyId && p.version === clock.version) ?? policyFor(rules, clock.policyId, clock.startedAt);

const startHandlingClock = (
  rules: DeadlineRules,
  s: Pick<OpenIncident, 'channel' | 'category'>,
  at: string,
  workingDaysOverride?: number | null,
): NewEvent<DeadlineEvent> => {
  const started = startDeadline(rules, handlingPolicyOf(s.channel, s.category), HANDLING_CLOCK, at);
  if (workingDaysOverride === undefined || workingDaysOverride === null) return { type: 'DeadlineStarted', data: started };
  // The hotline centre may set the order's own limit (北京 Art 13 派單注明辦理時限): same policy
  // and source, the length the centre chose.
  return {
    type: 'DeadlineStarted',
    data: {
      ...started,
      length: workingDaysOverride,
      unit: 'wd',
      dueAt: computeDueAt(rules.calendar, started.startedAt, workingDaysOverride, 'wd'),
    },
  };
};

const stopHandlingClock = (s: OpenIncident, at: string, reason: DeadlineStopReason): Decided =>
  handlingClock(s) ? [{ type: 'DeadlineStopped', data: stopDeadline(HANDLING_CLOCK, at, reason) }] : [];

const timeLimitDays = (value: number | null | undefined): number | null => {
  if (value === undefined || value === null) return null;
  if (!Number.isInteger(value) || value < 1 || value > 60) {
    throw new InvalidCommunityInput('timeLimitWorkingDays must be a whole number of working days from 1 to 60', { field: 'timeLimitWorkingDays' });
  }
  return value;
};

const extensionLength = (value: unknown): number => {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new InvalidCommunityInput('An extension is a whole number ≥ 1', { field: 'length' });
  }
  return value;
};

// Intake ---------------------------------------------------------------------------------------

const report = ({ data, metadata }: ReportIncident, state: Incident): Decided => {
  if (state.status !== 'None') throw new IncidentAlreadyExists(data.incidentId);
  const channel = oneOf('channel', data.channel, INCIDENT_CHANNELS);
  if (channel === 'hotline') throw new InvalidCommunityInput('12345 work orders arrive through ReceiveHotlineWorkOrder', { field: 'channel' });
  if (!data.community) throw new CommunityNotFound('');
  return [
    {
      type: 'IncidentReported',
      data: {
        incidentId: data.incidentId,
        channel,
        communityId: data.community.orgUnitId,
        gridId: data.grid?.orgUnitId ?? null,
        location: location(data.location),
        description: cleanText('description', data.description, 2000),
        photoRefs: cleanPhotoRefs(data.photoRefs),
        reporter: reporterOf(data.reporter),
        externalRef: cleanText('externalRef', data.externalRef, 100, { optional: true }) || null,
        reportedAt: metadata.now,
      },
    },
  ];
};

const receiveHotline = ({ data, metadata }: ReceiveHotlineWorkOrder, state: Incident): Decided => {
  const dispatchedAt = data.dispatchedAt ?? metadata.now;
  if (!isIsoInstant(dispatchedAt)) throw new InvalidCommunityInput('dispatchedAt must be an ISO instant', { field: 'dispatchedAt' });
  const timeLimit = timeLimitDays(data.timeLimitWorkingDays);
  if (state.status !== 'None') {
    // Idempotent by ticket number: a copy of an order already here changes nothing. Only an order
    // the unit returned, sent again by the centre after the return, is a new dispatch.
    const s = state;
    const returnedAt = s.hotline?.returnedAt;
    if (s.status !== 'ReturnedToCenter' || !returnedAt || Date.parse(dispatchedAt) <= Date.parse(returnedAt)) return [];
    return [
      { type: 'HotlineWorkOrderRedispatched', data: { incidentId: s.incidentId, timeLimitWorkingDays: timeLimit, dispatchedAt, receivedAt: metadata.now } },
      startHandlingClock(data.rules, s, metadata.now, timeLimit),
    ];
  }
  if (!data.community) throw new CommunityNotFound('');
  const ticketNumber = cleanText('ticketNumber', data.ticketNumber, 64);
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(ticketNumber)) {
    throw new InvalidCommunityInput('ticketNumber: letters, digits, - and _ only', { field: 'ticketNumber' });
  }
  const category = data.category;
  return [
    {
      type: 'HotlineWorkOrderReceived',
      data: {
        incidentId: data.incidentId,
        ticketNumber,
        matterType: data.matterType ? oneOf('matterType', data.matterType, HOTLINE_MATTER_TYPES) : null,
        hotlineCategory: cleanText('category', data.hotlineCategory, 100),
        category,
        communityId: data.community.orgUnitId,
        gridId: data.grid?.orgUnitId ?? null,
        location: location(data.location),
        description: cleanText('description', data.description, 4000),
        callerRef: cleanText('callerRef', data.callerRef, 100),
        reporter: reporterOf(data.caller),
        timeLimitWorkingDays: timeLimit,
        dispatchedAt,
        receivedAt: metadata.now,
      },
    },
    // The unit's time limit runs from receipt (派單 with its 時限).
    startHandlingClock(data.rules, { channel: 'hotline', category }, metadata.now, timeLimit),
  ];
};

const accept = ({ data, metadata }: AcceptIncident, state: Incident): Decided => {
  inStatus(state, data.incidentId, 'AcceptIncident', ['Reported']);
  return [{ type: 'IncidentAccepted', data: { incidentId: data.incidentId, acceptedAt: metadata.now } }];
};

const voidIncident = ({ data, metadata }: VoidIncident, state: Incident): Decided => {
  inStatus(state, data.incidentId, 'VoidIncident', ['Reported', 'Accepted']);
  const reason = oneOf('reason', data.reason, VOID_REASONS);
  let duplicateOf: string | null = null;
  if (reason === 'duplicate') {
    if (!data.duplicateOf || data.duplicateOf === data.incidentId || !data.originalFound) {
      throw new DuplicateNeedsOriginal(data.duplicateOf ? { duplicateOf: data.duplicateOf } : undefined);
    }
    duplicateOf = data.duplicateOf;
  }
  const text = note(data.note);
  if (reason === 'fails-filing-conditions' && !text) throw new ReasonRequired('Voiding a report that fails the filing conditions');
  return [{ type: 'IncidentVoided', data: { incidentId: data.incidentId, reason, duplicateOf, note: text, voidedAt: metadata.now } }];
};

const linkDuplicate = ({ data, metadata }: LinkDuplicate, state: Incident): Decided => {
  const s = existing(state, data.incidentId);
  if (s.duplicates.includes(data.duplicateId)) return [];
  return [{ type: 'DuplicateLinked', data: { incidentId: data.incidentId, duplicateId: data.duplicateId, linkedAt: metadata.now } }];
};

const file = ({ data, metadata }: FileIncident, state: Incident): Decided => {
  const s = inStatus(state, data.incidentId, 'FileIncident', ['Accepted']);
  gridCaseOnly(s, 'FileIncident', 'the category sent with the order');
  if (!data.category) throw new UnknownCategory(data.categoryCode);
  return [{ type: 'IncidentFiled', data: { incidentId: data.incidentId, category: data.category, filedAt: metadata.now } }];
};

// Handling ---------------------------------------------------------------------------------------

const dispatch = ({ data, metadata }: DispatchIncident, state: Incident): Decided => {
  const s = existing(state, data.incidentId);
  if (!data.to) throw new UnknownResponsibleUnit(data.toOrgUnitId);
  const event: NewEvent<IncidentEvent> = {
    type: 'IncidentDispatched',
    data: { incidentId: s.incidentId, toOrgUnitId: data.to.orgUnitId, toOrgUnitPath: data.to.path, note: note(data.note), dispatchedAt: metadata.now },
  };
  if (isHotline(s)) {
    // Passing a 12345 order on inside our area: the centre's time limit keeps running.
    inStatus(state, data.incidentId, 'DispatchIncident', ['Dispatched']);
    if (s.responsible?.orgUnitId === data.to.orgUnitId) throw new AlreadyResponsible(data.to.orgUnitId);
    return [event];
  }
  inStatus(state, data.incidentId, 'DispatchIncident', ['Filed']);
  // CJJ/T 106: the handling time limit (and 督辦) start at dispatch.
  return [event, startHandlingClock(data.rules, s, metadata.now)];
};

const returnIncident = ({ data, metadata }: ReturnIncident, state: Incident): Decided => {
  const s = inStatus(state, data.incidentId, 'ReturnIncident', ['Dispatched']);
  const reason = reasonOf('Returning an incident as not ours', data.reason);
  const from = s.responsible?.orgUnitId ?? '';
  const returned: NewEvent<IncidentEvent> = { type: 'IncidentReturned', data: { incidentId: s.incidentId, fromOrgUnitId: from, reason, returnedAt: metadata.now } };
  if (isHotline(s)) {
    if (!s.receivingUnit || s.responsible?.orgUnitId === s.receivingUnit.orgUnitId) throw new NotForHotline('ReturnIncident', 'ReturnWorkOrder');
    return [returned];
  }
  // The next unit gets a full time limit from its own dispatch.
  return [returned, ...stopHandlingClock(s, metadata.now, 'cancelled')];
};

const requestExtension = ({ data, metadata }: RequestExtension, state: Incident): Decided => {
  const s = inStatus(state, data.incidentId, 'RequestExtension', ['Dispatched']);
  gridCaseOnly(s, 'RequestExtension', 'NotifyExtension');
  if (s.pendingExtension) throw new ExtensionAlreadyPending(s.pendingExtension.requestId);
  const clock = handlingClock(s);
  if (!clock) throw new NoRunningTimeLimit();
  const reason = reasonOf('An extension request', data.reason);
  const length = extensionLength(data.length);
  const policy = policyOfClock(data.rules, clock);
  const unit = data.unit ?? policy.extension?.unit ?? clock.unit;
  // Approval comes later; everything else the policy demands is checked now.
  const problem = extensionProblem(policy, clock, { at: metadata.now, length, unit, approvedBy: 'pending approval' });
  if (problem) throw new ExtensionRefused(problem, policy.policyId);
  return [{ type: 'ExtensionRequested', data: { incidentId: s.incidentId, requestId: data.requestId, length, unit, reason, requestedAt: metadata.now } }];
};

const grantExtension = ({ data, metadata }: GrantExtension, state: Incident): Decided => {
  const s = inStatus(state, data.incidentId, 'GrantExtension', ['Dispatched']);
  const pending = s.pendingExtension;
  if (!pending) throw new NoExtensionPending();
  const clock = handlingClock(s);
  if (!clock) throw new NoRunningTimeLimit();
  const policy = policyOfClock(data.rules, clock);
  const by = { at: metadata.now, length: pending.length, unit: pending.unit, approvedBy: metadata.actor.userId };
  const problem = extensionProblem(policy, clock, by);
  if (problem) throw new ExtensionRefused(problem, policy.policyId);
  return [
    { type: 'ExtensionGranted', data: { incidentId: s.incidentId, requestId: pending.requestId, length: pending.length, unit: pending.unit, grantedAt: metadata.now } },
    { type: 'DeadlineExtended', data: extendDeadline(data.rules.calendar, clock, { ...by, reason: `extension ${pending.requestId}` }) },
  ];
};

const rejectExtension = ({ data, metadata }: RejectExtension, state: Incident): Decided => {
  const s = inStatus(state, data.incidentId, 'RejectExtension', ['Dispatched']);
  if (!s.pendingExtension) throw new NoExtensionPending();
  const reason = reasonOf('Rejecting an extension', data.reason);
  return [{ type: 'ExtensionRejected', data: { incidentId: s.incidentId, requestId: s.pendingExtension.requestId, reason, rejectedAt: metadata.now } }];
};

const notifyExtension = ({ data, metadata }: NotifyExtension, state: Incident): Decided => {
  const s = inStatus(state, data.incidentId, 'NotifyExtension', ['Dispatched', 'Handled']);
  hotlineOnly(s, 'NotifyExtension');
  const clock = handlingClock(s);
  if (!clock) throw new NoRunningTimeLimit();
  const reason = reasonOf('An extension notice', data.reason);
  const length = extensionLength(data.length);
  const policy = policyOfClock(data.rules, clock);
  const by = { at: metadata.now, length, unit: data.unit ?? policy.extension?.unit ?? clock.unit, approvedBy: null };
  const problem = extensionProblem(policy, clock, by);
  if (problem) throw new ExtensionRefused(problem, policy.policyId);
  return [
    { type: 'ExtensionNotified', data: { incidentId: s.incidentId, length, unit: by.unit, reason, notifiedAt: metadata.now } },
    { type: 'DeadlineExtended', data: extendDeadline(data.rules.calendar, clock, { ...by, reason }) },
  ];
};

const park = ({ data, metadata }: ParkIncident, state: Incident): Decided => {
  const s = inStatus(state, data.incidentId, 'ParkIncident', ['Dispatched']);
  gridCaseOnly(s, 'ParkIncident', 'ReplyToCaller with outcome objectively-blocked');
  const reason = reasonOf('Parking an incident (掛賬)', data.reason);
  const clock = handlingClock(s);
  return [
    { type: 'IncidentParked', data: { incidentId: s.incidentId, reason, parkedAt: metadata.now } },
    // A parked case sits in the problem pool: its time limit does not run meanwhile.
    ...(clock && clock.status === 'running' ? [{ type: 'DeadlinePaused' as const, data: pauseDeadline(clock, metadata.now, reason) }] : []),
  ];
};

const unpark = ({ data, metadata }: UnparkIncident, state: Incident): Decided => {
  const s = inStatus(state, data.incidentId, 'UnparkIncident', ['Parked']);
  const clock = handlingClock(s);
  return [
    { type: 'IncidentUnparked', data: { incidentId: s.incidentId, note: note(data.note), unparkedAt: metadata.now } },
    ...(clock && clock.status === 'paused' ? [{ type: 'DeadlineResumed' as const, data: resumeDeadline(data.rules.calendar, clock, metadata.now) }] : []),
  ];
};

const reportHandling = ({ data, metadata }: ReportHandling, state: Incident): Decided => {
  const s = inStatus(state, data.incidentId, 'ReportHandling', ['Dispatched']);
  const notes = cleanText('notes', data.notes ?? '', 4000, { optional: true });
  if (!notes) throw new HandlingNotesRequired();
  return [
    {
      type: 'HandlingReported',
      data: { incidentId: s.incidentId, byOrgUnitId: data.byOrgUnitId, notes, photoRefs: cleanPhotoRefs(data.photoRefs), reportedAt: metadata.now },
    },
    // A grid case's limit covers the handling; a 12345 order's runs until the caller has the reply.
    ...(isHotline(s) ? [] : stopHandlingClock(s, metadata.now, 'met')),
  ];
};

const passVerification = ({ data, metadata }: PassVerification, state: Incident): Decided => {
  const s = inStatus(state, data.incidentId, 'PassVerification', ['Handled']);
  gridCaseOnly(s, 'PassVerification', 'RecordCallback');
  return [
    { type: 'VerificationPassed', data: { incidentId: s.incidentId, note: note(data.note), photoRefs: cleanPhotoRefs(data.photoRefs), verifiedAt: metadata.now } },
  ];
};

const failVerification = ({ data, metadata }: FailVerification, state: Incident): Decided => {
  const s = inStatus(state, data.incidentId, 'FailVerification', ['Handled']);
  gridCaseOnly(s, 'FailVerification', 'RecordCallback');
  const text = note(data.note);
  if (!text) throw new ReasonRequired('A failed verification');
  return [
    { type: 'VerificationFailed', data: { incidentId: s.incidentId, note: text, photoRefs: cleanPhotoRefs(data.photoRefs), failedAt: metadata.now } },
    { type: 'IncidentReworkOrdered', data: { incidentId: s.incidentId, cause: 'verification-failed', reworkCount: s.reworkCount + 1, orderedAt: metadata.now } },
    startHandlingClock(data.rules, s, metadata.now),
  ];
};

const close = ({ data, metadata }: CloseIncident, state: Incident): Decided => {
  const s = inStatus(state, data.incidentId, 'CloseIncident', ['Verified']);
  return [{ type: 'IncidentClosed', data: { incidentId: s.incidentId, closedAt: metadata.now } }];
};

const evaluate = ({ data, metadata }: EvaluateIncident, state: Incident): Decided => {
  const s = inStatus(state, data.incidentId, 'EvaluateIncident', ['Closed']);
  return [
    {
      type: 'IncidentEvaluated',
      data: {
        incidentId: s.incidentId,
        grade: oneOf('grade', data.grade, EVALUATION_GRADES),
        satisfaction: data.satisfaction ? oneOf('satisfaction', data.satisfaction, SATISFACTION_LEVELS) : null,
        comment: note(data.comment, 'comment'),
        evaluatedAt: metadata.now,
      },
    },
  ];
};

// 12345 ------------------------------------------------------------------------------------------

const objectToDispatch = ({ data, metadata }: ObjectToDispatch, state: Incident): Decided => {
  const s = inStatus(state, data.incidentId, 'ObjectToDispatch', ['Dispatched']);
  hotlineOnly(s, 'ObjectToDispatch');
  return [{ type: 'DispatchObjected', data: { incidentId: s.incidentId, reason: reasonOf('A dispatch objection', data.reason), objectedAt: metadata.now } }];
};

const resolveObjection = ({ data, metadata }: ResolveDispatchObjection, state: Incident): Decided => {
  const s = inStatus(state, data.incidentId, 'ResolveDispatchObjection', ['UnderReview']);
  const outcome = oneOf('outcome', data.outcome, ['upheld', 'reassigned'] as const);
  return [
    { type: 'DispatchObjectionResolved', data: { incidentId: s.incidentId, outcome, note: note(data.note), resolvedAt: metadata.now } },
    ...(outcome === 'reassigned' ? stopHandlingClock(s, metadata.now, 'cancelled') : []),
  ];
};

const returnWorkOrder = ({ data, metadata }: ReturnWorkOrder, state: Incident): Decided => {
  const s = inStatus(state, data.incidentId, 'ReturnWorkOrder', ['Dispatched']);
  hotlineOnly(s, 'ReturnWorkOrder');
  if (s.hotline?.designated) throw new ReturnNotAllowed();
  const reason = reasonOf('Returning a work order to the centre', data.reason);
  return [{ type: 'WorkOrderReturned', data: { incidentId: s.incidentId, reason, returnedAt: metadata.now } }, ...stopHandlingClock(s, metadata.now, 'cancelled')];
};

const replyToCaller = ({ data, metadata }: ReplyToCaller, state: Incident): Decided => {
  const s = inStatus(state, data.incidentId, 'ReplyToCaller', ['Dispatched', 'Handled']);
  hotlineOnly(s, 'ReplyToCaller');
  return [
    {
      type: 'CallerReplied',
      data: { incidentId: s.incidentId, outcome: oneOf('outcome', data.outcome, REPLY_OUTCOMES), summary: cleanText('summary', data.summary, 2000), repliedAt: metadata.now },
    },
    ...stopHandlingClock(s, metadata.now, 'met'),
  ];
};

const recordCallback = ({ data, metadata }: RecordCallback, state: Incident): Decided => {
  const s = inStatus(state, data.incidentId, 'RecordCallback', ['Replied']);
  hotlineOnly(s, 'RecordCallback');
  const satisfaction = oneOf('satisfaction', data.satisfaction, SATISFACTION_LEVELS);
  const resolved = data.resolved === true;
  const recorded: NewEvent<IncidentEvent> = {
    type: 'CallbackRecorded',
    data: { incidentId: s.incidentId, satisfaction, resolved, note: note(data.note), recordedAt: metadata.now },
  };
  if (isSatisfied(satisfaction) && resolved) return [recorded, { type: 'IncidentClosed', data: { incidentId: s.incidentId, closedAt: metadata.now } }];
  // 济南 Art 27: dissatisfied or not done → 退回再辦, with a new time limit.
  return [
    recorded,
    { type: 'IncidentReworkOrdered', data: { incidentId: s.incidentId, cause: 'dissatisfied-callback', reworkCount: s.reworkCount + 1, orderedAt: metadata.now } },
    startHandlingClock(data.rules, s, metadata.now),
  ];
};

// Time and supervision -------------------------------------------------------------------------

const markOverdue = ({ data, metadata }: MarkIncidentOverdue, state: Incident): Decided => {
  const s = existing(state, data.incidentId);
  const clock = s.clocks[data.clockId];
  // The scheduler acts on what its projection saw; an extension, a pause or a stop since then
  // makes the command a no-op rather than an error.
  if (!isOpenStatus(s.status) || !clock || clock.status !== 'running' || clock.dueAt !== data.dueAt) return [];
  if (Date.parse(metadata.now) < Date.parse(clock.dueAt) || s.overdueDueAts.includes(clock.dueAt)) return [];
  return [
    { type: 'IncidentOverdue', data: { incidentId: s.incidentId, clockId: data.clockId, dueAt: clock.dueAt, detectedAt: metadata.now } },
    // 济南 Art 28 / 潍坊 Art 26: an overdue matter is supervised.
    {
      type: 'SupervisionRaised',
      data: { incidentId: s.incidentId, reason: 'overdue', level: 'notice', note: '', relatedIncidentId: null, raisedAt: metadata.now },
    },
  ];
};

const raiseSupervision = ({ data, metadata }: RaiseSupervision, state: Incident): Decided => {
  const s = existing(state, data.incidentId);
  if (!isOpenStatus(s.status)) throw new InvalidIncidentState('RaiseSupervision', s.status, ['any open status']);
  const reason = oneOf('reason', data.reason, SUPERVISION_REASONS);
  const text = note(data.note);
  if (reason === 'manual' && !text) throw new ReasonRequired('Supervision raised by hand');
  return [
    {
      type: 'SupervisionRaised',
      data: {
        incidentId: s.incidentId,
        reason,
        level: oneOf('level', data.level, SUPERVISION_LEVELS),
        note: text,
        relatedIncidentId: data.relatedIncidentId ?? null,
        raisedAt: metadata.now,
      },
    },
  ];
};

export const decideIncident = (command: IncidentCommand, state: Incident): Decided => {
  switch (command.type) {
    case 'ReportIncident':
      return report(command, state);
    case 'ReceiveHotlineWorkOrder':
      return receiveHotline(command, state);
    case 'AcceptIncident':
      return accept(command, state);
    case 'VoidIncident':
      return voidIncident(command, state);
    case 'LinkDuplicate':
      return linkDuplicate(command, state);
    case 'FileIncident':
      return file(command, state);
    case 'DispatchIncident':
      return dispatch(command, state);
    case 'ReturnIncident':
      return returnIncident(command, state);
    case 'RequestExtension':
      return requestExtension(command, state);
    case 'GrantExtension':
      return grantExtension(command, state);
    case 'RejectExtension':
      return rejectExtension(command, state);
    case 'NotifyExtension':
      return notifyExtension(command, state);
    case 'ParkIncident':
      return park(command, state);
    case 'UnparkIncident':
      return unpark(command, state);
    case 'ReportHandling':
      return reportHandling(command, state);
    case 'PassVerification':
      return passVerification(command, state);
    case 'FailVerification':
      return failVerification(command, state);
    case 'CloseIncident':
      return close(command, state);
    case 'EvaluateIncident':
      return evaluate(command, state);
    case 'ObjectToDispatch':
      return objectToDispatch(command, state);
    case 'ResolveDispatchObjection':
      return resolveObjection(command, state);
    case 'ReturnWorkOrder':
      return returnWorkOrder(command, state);
    case 'ReplyToCaller':
      return replyToCaller(command, state);
    case 'RecordCallback':
      return recordCallback(command, state);
    case 'MarkIncidentOverdue':
      return markOverdue(command, state);
    case 'RaiseSupervision':
      return raiseSupervision(command, state);
    default:
      return assertNever(command);
  }
};

// Evolve -----------------------------------------------------------------------------------------

const opened = (
  event: { metadata: { orgUnitPath: string } },
  fields: Pick<OpenIncident, 'status' | 'incidentId' | 'channel' | 'communityId' | 'gridId' | 'category' | 'responsible' | 'receivingUnit' | 'hotline' | 'reporterSubjectId'>,
): OpenIncident => ({
  ...fields,
  orgUnitPath: event.metadata.orgUnitPath,
  reworkCount: 0,
  pendingExtension: null,
  clocks: {},
  overdueDueAts: [],
  duplicates: [],
});

export const evolveIncident = (state: Incident, event: IncidentEvent): Incident => {
  if (isDeadlineEventType(event.type)) {
    return state.status === 'None' ? state : { ...state, clocks: evolveDeadlines(state.clocks, event as DeadlineEvent) };
  }
  if (event.type === 'IncidentReported') {
    const d = event.data;
    return opened(event, {
      status: 'Reported',
      incidentId: d.incidentId,
      channel: d.channel,
      communityId: d.communityId,
      gridId: d.gridId,
      category: null,
      responsible: null,
      receivingUnit: null,
      hotline: null,
      reporterSubjectId: d.reporter?.subjectId ?? null,
    });
  }
  if (event.type === 'HotlineWorkOrderReceived') {
    const d = event.data;
    const receiving = { orgUnitId: d.gridId ?? d.communityId, path: event.metadata.orgUnitPath };
    return opened(event, {
      status: 'Dispatched',
      incidentId: d.incidentId,
      channel: 'hotline',
      communityId: d.communityId,
      gridId: d.gridId,
      category: d.category,
      responsible: receiving,
      receivingUnit: receiving,
      hotline: { ticketNumber: d.ticketNumber, returnedAt: null, designated: false },
      reporterSubjectId: d.reporter?.subjectId ?? null,
    });
  }
  if (state.status === 'None') return state;
  const s = state;
  switch (event.type) {
    case 'IncidentAccepted':
      return { ...s, status: 'Accepted' };
    case 'IncidentVoided':
      return { ...s, status: 'Voided' };
    case 'DuplicateLinked':
      return { ...s, duplicates: [...s.duplicates, event.data.duplicateId] };
    case 'IncidentFiled':
      return { ...s, status: 'Filed', category: event.data.category };
    case 'IncidentDispatched':
      return { ...s, status: 'Dispatched', responsible: { orgUnitId: event.data.toOrgUnitId, path: event.data.toOrgUnitPath } };
    case 'IncidentReturned':
      return isHotline(s)
        ? { ...s, responsible: s.receivingUnit }
        : { ...s, status: 'Filed', responsible: null, pendingExtension: null };
    case 'ExtensionRequested':
      return { ...s, pendingExtension: { requestId: event.data.requestId, length: event.data.length, unit: event.data.unit } };
    case 'ExtensionGranted':
    case 'ExtensionRejected':
      return { ...s, pendingExtension: null };
    case 'ExtensionNotified':
      return s;
    case 'IncidentParked':
      return { ...s, status: 'Parked' };
    case 'IncidentUnparked':
      return { ...s, status: 'Dispatched' };
    case 'HandlingReported':
      return { ...s, status: 'Handled', pendingExtension: null };
    case 'VerificationPassed':
      return { ...s, status: 'Verified' };
    case 'VerificationFailed':
      return { ...s, status: 'Dispatched' };
    case 'IncidentReworkOrdered':
      return { ...s, status: 'Dispatched', reworkCount: event.data.reworkCount };
    case 'IncidentClosed':
      return { ...s, status: 'Closed' };
    case 'IncidentEvaluated':
      return { ...s, status: 'Evaluated' };
    case 'DispatchObjected':
      return { ...s, status: 'UnderReview' };
    case 'DispatchObjectionResolved':
      return event.data.outcome === 'upheld'
        ? { ...s, status: 'Dispatched' }
        : { ...s, status: 'ReturnedToCenter', hotline: s.hotline && { ...s.hotline, returnedAt: event.data.resolvedAt } };
    case 'WorkOrderReturned':
      return { ...s, status: 'ReturnedToCenter', hotline: s.hotline && { ...s.hotline, returnedAt: event.data.returnedAt } };
    case 'HotlineWorkOrderRedispatched':
      return { ...s, status: 'Dispatched', responsible: s.receivingUnit, hotline: s.hotline && { ...s.hotline, designated: true } };
    case 'CallerReplied':
      return { ...s, status: 'Replied' };
    case 'CallbackRecorded':
      return s;
    case 'IncidentOverdue':
      return { ...s, overdueDueAts: [...s.overdueDueAts, event.data.dueAt] };
    case 'SupervisionRaised':
      return s;
    default:
      return assertNever(event as never);
  }
};

export const incidentDecider: Decider<Incident, IncidentCommand, IncidentEvent> = {
  decide: decideIncident,
  evolve: evolveIncident,
  initialState: { status: 'None' },
};

/** Only the incident's owning scope changes with an org move; used by handlers to stamp events. */
export const owningPathOf = (state: Incident): string | undefined => (state.status === 'None' ? undefined : state.orgUnitPath);

