import { assertNever, streamIdFor, type CommandMetadata, type Decider, type NewEvent } from '@gongzhi/kernel';
import type { ActivityCommand, PublishActivity, ResolveHoursCorrection, SignUpForActivity } from './activity.commands';
import type { ActivityEvent } from './activity.events';
import { minutesBetween, normalizeSkills, optionalText, requireInstant, requireInteger, requireText, type OrgUnitRef } from './validation';
import type { VolunteerSnapshot } from './volunteer.decider';
import {
  ActivityAlreadyExists,
  ActivityFull,
  ActivityNotFound,
  ActivityStateInvalid,
  AlreadySignedUp,
  ConsentRequired,
  CorrectionAlreadyPending,
  CorrectionRequestNotFound,
  EnrolmentClosed,
  InvalidLeagueInput,
  NotTheVolunteer,
  ParticipationStateInvalid,
  RisksNotAcknowledged,
  RisksNotDisclosed,
  SkillsMismatch,
  VolunteerNotActive,
} from './youth-league.errors';

/** `youth-league.activity-<id>` */
export const activityStream = streamIdFor('youth-league', 'activity');

/** Longest service one record may hold: a day. Longer service is recorded per day. */
export const MAX_RECORD_MINUTES = 24 * 60;

export type ActivityStatus = 'Recruiting' | 'EnrolmentClosed' | 'Ended' | 'Cancelled';

/**
 * One volunteer's part in the activity:
 * (Invited →) SIGNED_UP → CONFIRMED → CHECKED_IN → CHECKED_OUT → COMPLETED(hours) | NO_SHOW | WITHDRAWN.
 */
export type ParticipationStatus =
  | 'Invited'
  | 'Declined'
  | 'SignedUp'
  | 'Withdrawn'
  | 'Confirmed'
  | 'CheckedIn'
  | 'CheckedOut'
  | 'Completed'
  | 'NoShow';

/** Statuses that hold one of the activity's places. */
export const HOLDS_A_PLACE: readonly ParticipationStatus[] = ['SignedUp', 'Confirmed', 'CheckedIn', 'CheckedOut', 'Completed'];

export interface Participation {
  volunteerId: string;
  status: ParticipationStatus;
  checkedInAt: string | null;
  checkedOutAt: string | null;
  /** The hour record (the first ServiceHoursRecorded, or the correction that filled an omission). */
  recordId: string | null;
  /** Net recorded minutes: the record plus every correction. */
  minutes: number;
  pendingRequestId: string | null;
}

export type Activity =
  | { status: 'None' }
  | {
      status: ActivityStatus;
      activityId: string;
      organizer: OrgUnitRef;
      startsAt: string;
      endsAt: string;
      slots: number;
      requiredSkills: string[];
      participations: Record<string, Participation>;
      /** Pending correction requests: request id → volunteer id. */
      pendingRequests: Record<string, { volunteerId: string; requestedMinutes: number }>;
      hoursRecorded: boolean;
    };

type ExistingActivity = Exclude<Activity, { status: 'None' }>;
type Emit = NewEvent<ActivityEvent>[];

const existing = (state: Activity, activityId: string): ExistingActivity => {
  if (state.status === 'None') throw new ActivityNotFound(activityId);
  return state;
};

const participation = (a: ExistingActivity, volunteerId: string, action: string, allowed: readonly ParticipationStatus[]): Participation => {
  const p = a.participations[volunteerId];
  if (!p || !allowed.includes(p.status)) throw new ParticipationStateInvalid(a.activityId, volunteerId, p?.status ?? 'None', action);
  return p;
};

const notCancelledOrEnded = (a: ExistingActivity, action: string): void => {
  if (a.status === 'Cancelled' || a.status === 'Ended') throw new ActivityStateInvalid(a.activityId, a.status, action);
};

/** The command comes from the volunteer's own account (the only way they can give consent online). */
const isTheVolunteer = (metadata: CommandMetadata, accountUserId: string | null): boolean =>
  accountUserId !== null && metadata.actor.userId === accountUserId;

const publish = ({ data, metadata }: PublishActivity, state: Activity): Emit => {
  if (state.status !== 'None') throw new ActivityAlreadyExists(data.activityId);
  const startsAt = requireInstant(data.startsAt, 'startsAt');
  const endsAt = requireInstant(data.endsAt, 'endsAt');
  if (Date.parse(endsAt) <= Date.parse(startsAt)) throw new InvalidLeagueInput('endsAt must be after startsAt', { field: 'endsAt' });
  // 志願服務條例 Art 12: recruitment tells volunteers the risks; an activity without them is not published.
  const risks = Array.isArray(data.risks) ? data.risks.filter((r) => typeof r === 'string' && r.trim() !== '') : [];
  if (risks.length === 0) throw new RisksNotDisclosed();
  return [
    {
      type: 'ActivityPublished',
      data: {
        activityId: data.activityId,
        organizerOrgUnitId: data.organizer.orgUnitId,
        organizerPath: data.organizer.path,
        title: requireText(data.title, 'title', 100),
        content: requireText(data.content, 'content', 4000),
        place: requireText(data.place, 'place', 200),
        startsAt,
        endsAt,
        slots: requireInteger(data.slots, 'slots', 1, 10_000),
        requiredSkills: normalizeSkills(data.requiredSkills, 'requiredSkills'),
        risks: risks.map((r, i) => requireText(r, `risks[${i}]`, 500)),
        safetyMeasures: optionalText(data.safetyMeasures, 'safetyMeasures', 2000),
        publishedAt: metadata.now,
      },
    },
  ];
};

const requireActive = (volunteer: VolunteerSnapshot): void => {
  if (volunteer.status !== 'Active') throw new VolunteerNotActive(volunteer.volunteerId, volunteer.status);
};

const signUp = ({ data, metadata }: SignUpForActivity, state: Activity): Emit => {
  const a = existing(state, data.activityId);
  const { volunteer } = data;
  // 志願服務條例 Art 25: the sign-up is the volunteer's own act. An officer can invite
  // (InviteVolunteer), never enrol someone in their place.
  if (!isTheVolunteer(metadata, volunteer.accountUserId)) throw new ConsentRequired(a.activityId, volunteer.volunteerId);
  if (a.status !== 'Recruiting') throw new EnrolmentClosed(a.activityId, a.status);
  requireActive(volunteer);
  const current = a.participations[volunteer.volunteerId];
  if (current && HOLDS_A_PLACE.includes(current.status)) throw new AlreadySignedUp(a.activityId, volunteer.volunteerId);
  if (current?.status === 'NoShow') throw new ParticipationStateInvalid(a.activityId, volunteer.volunteerId, current.status, 'sign up');
  // Art 12/14: the risks were disclosed; the volunteer confirms having read them.
  if (data.risksAcknowledged !== true) throw new RisksNotAcknowledged(a.activityId);
  // Art 15: the task fits the volunteer's skills.
  const missing = a.requiredSkills.filter((s) => !volunteer.skills.includes(s));
  if (missing.length > 0) throw new SkillsMismatch(a.activityId, missing);
  const taken = Object.values(a.participations).filter((p) => HOLDS_A_PLACE.includes(p.status)).length;
  if (taken >= a.slots) throw new ActivityFull(a.activityId, a.slots);
  return [
    {
      type: 'VolunteerSignedUp',
      data: {
        activityId: a.activityId,
        volunteerId: volunteer.volunteerId,
        via: current?.status === 'Invited' ? 'invitation' : 'self',
        consent: { givenBy: metadata.actor.userId, givenAt: metadata.now, risksAcknowledged: true },
      },
    },
  ];
};

const resolveCorrection = ({ data, metadata }: ResolveHoursCorrection, a: ExistingActivity): Emit => {
  const pending = a.pendingRequests[data.requestId];
  if (!pending) throw new CorrectionRequestNotFound(a.activityId, data.requestId);
  const p = a.participations[pending.volunteerId];
  if (!data.accept) {
    return [
      {
        type: 'HoursCorrectionRejected',
        data: {
          activityId: a.activityId,
          requestId: data.requestId,
          volunteerId: pending.volunteerId,
          note: requireText(data.note, 'note', 1000),
          at: metadata.now,
        },
      },
    ];
  }
  const corrected =
    data.correctedMinutes === undefined || data.correctedMinutes === null
      ? pending.requestedMinutes
      : requireInteger(data.correctedMinutes, 'correctedMinutes', 0, MAX_RECORD_MINUTES);
  return [
    {
      type: 'HoursCorrected',
      data: {
        activityId: a.activityId,
        requestId: data.requestId,
        // An omission (no record yet) is filled by a record named after the request.
        recordId: p.recordId ?? data.requestId,
        volunteerId: pending.volunteerId,
        organizerOrgUnitId: a.organizer.orgUnitId,
        organizerPath: a.organizer.path,
        previousMinutes: p.minutes,
        correctedMinutes: corrected,
        deltaMinutes: corrected - p.minutes,
        note: optionalText(data.note, 'note', 1000),
        at: metadata.now,
      },
    },
  ];
};

export const decideActivity = (command: ActivityCommand, state: Activity): Emit => {
  const { metadata } = command;
  const now = metadata.now;
  switch (command.type) {
    case 'PublishActivity':
      return publish(command, state);
    case 'CloseEnrolment': {
      const a = existing(state, command.data.activityId);
      if (a.status !== 'Recruiting') throw new ActivityStateInvalid(a.activityId, a.status, 'close enrolment');
      return [{ type: 'ActivityEnrolmentClosed', data: { activityId: a.activityId, at: now } }];
    }
    case 'EndActivity': {
      const a = existing(state, command.data.activityId);
      notCancelledOrEnded(a, 'end the activity');
      return [{ type: 'ActivityEnded', data: { activityId: a.activityId, at: now } }];
    }
    case 'CancelActivity': {
      const a = existing(state, command.data.activityId);
      notCancelledOrEnded(a, 'cancel the activity');
      if (a.hoursRecorded) throw new ActivityStateInvalid(a.activityId, 'recorded', 'cancel the activity');
      return [{ type: 'ActivityCancelled', data: { activityId: a.activityId, reason: requireText(command.data.reason, 'reason', 500), at: now } }];
    }
    case 'InviteVolunteer': {
      const a = existing(state, command.data.activityId);
      const { volunteer } = command.data;
      if (a.status !== 'Recruiting') throw new EnrolmentClosed(a.activityId, a.status);
      requireActive(volunteer);
      const current = a.participations[volunteer.volunteerId];
      if (current?.status === 'Invited') return [];
      if (current && HOLDS_A_PLACE.includes(current.status)) throw new AlreadySignedUp(a.activityId, volunteer.volunteerId);
      return [{ type: 'VolunteerInvited', data: { activityId: a.activityId, volunteerId: volunteer.volunteerId, invitedBy: metadata.actor.userId, at: now } }];
    }
    case 'DeclineInvitation': {
      const a = existing(state, command.data.activityId);
      const p = participation(a, command.data.volunteer.volunteerId, 'decline the invitation', ['Invited']);
      if (!isTheVolunteer(metadata, command.data.volunteer.accountUserId)) throw new NotTheVolunteer(a.activityId, p.volunteerId);
      return [{ type: 'InvitationDeclined', data: { activityId: a.activityId, volunteerId: p.volunteerId, at: now } }];
    }
    case 'SignUpForActivity':
      return signUp(command, state);
    case 'WithdrawSignUp': {
      const a = existing(state, command.data.activityId);
      const p = participation(a, command.data.volunteer.volunteerId, 'withdraw', ['SignedUp', 'Confirmed']);
      // Consent can be taken back: only the volunteer withdraws it.
      if (!isTheVolunteer(metadata, command.data.volunteer.accountUserId)) throw new NotTheVolunteer(a.activityId, p.volunteerId);
      return [
        {
          type: 'SignUpWithdrawn',
          data: { activityId: a.activityId, volunteerId: p.volunteerId, reason: optionalText(command.data.reason, 'reason', 500), at: now },
        },
      ];
    }
    case 'ConfirmSignUp': {
      const a = existing(state, command.data.activityId);
      notCancelledOrEnded(a, 'confirm a sign-up');
      const p = participation(a, command.data.volunteerId, 'confirm', ['SignedUp']);
      return [{ type: 'SignUpConfirmed', data: { activityId: a.activityId, volunteerId: p.volunteerId, at: now } }];
    }
    case 'CheckInVolunteer': {
      const a = existing(state, command.data.activityId);
      notCancelledOrEnded(a, 'check in');
      const p = participation(a, command.data.volunteerId, 'check in', ['Confirmed']);
      return [{ type: 'VolunteerCheckedIn', data: { activityId: a.activityId, volunteerId: p.volunteerId, at: now } }];
    }
    case 'CheckOutVolunteer': {
      const a = existing(state, command.data.activityId);
      const p = participation(a, command.data.volunteerId, 'check out', ['CheckedIn']);
      return [{ type: 'VolunteerCheckedOut', data: { activityId: a.activityId, volunteerId: p.volunteerId, at: now } }];
    }
    case 'MarkNoShow': {
      const a = existing(state, command.data.activityId);
      if (a.status === 'Cancelled') throw new ActivityStateInvalid(a.activityId, a.status, 'mark a no-show');
      const p = participation(a, command.data.volunteerId, 'mark a no-show', ['SignedUp', 'Confirmed']);
      return [{ type: 'VolunteerNoShow', data: { activityId: a.activityId, volunteerId: p.volunteerId, at: now } }];
    }
    case 'RecordServiceHours': {
      const a = existing(state, command.data.activityId);
      const p = participation(a, command.data.volunteerId, 'record hours', ['CheckedOut']);
      const attended = minutesBetween(p.checkedInAt ?? now, p.checkedOutAt ?? now);
      const manual = command.data.minutes !== undefined && command.data.minutes !== null;
      const minutes = manual ? requireInteger(command.data.minutes, 'minutes', 1, MAX_RECORD_MINUTES) : attended;
      if (!manual && (minutes < 1 || minutes > MAX_RECORD_MINUTES)) {
        throw new InvalidLeagueInput(`The attendance time (${minutes} min) cannot be recorded as is: give minutes`, { field: 'minutes' });
      }
      return [
        {
          type: 'ServiceHoursRecorded',
          data: {
            activityId: a.activityId,
            recordId: requireText(command.data.recordId, 'recordId', 64),
            volunteerId: p.volunteerId,
            organizerOrgUnitId: a.organizer.orgUnitId,
            organizerPath: a.organizer.path,
            minutes,
            basis: manual ? 'manual' : 'attendance',
            serviceDate: (p.checkedInAt ?? a.startsAt).slice(0, 10),
            recordedAt: now,
          },
        },
      ];
    }
    case 'RequestHoursCorrection': {
      const a = existing(state, command.data.activityId);
      // An omission (checked out or marked absent, nothing recorded) can be claimed as well as an error.
      const p = participation(a, command.data.volunteer.volunteerId, 'request a correction', ['Completed', 'CheckedOut', 'NoShow']);
      if (!isTheVolunteer(metadata, command.data.volunteer.accountUserId)) throw new NotTheVolunteer(a.activityId, p.volunteerId);
      if (p.pendingRequestId !== null) throw new CorrectionAlreadyPending(a.activityId, p.volunteerId);
      const requestedMinutes = requireInteger(command.data.requestedMinutes, 'requestedMinutes', 0, MAX_RECORD_MINUTES);
      if (requestedMinutes === p.minutes) throw new InvalidLeagueInput('The requested minutes equal the recorded ones', { field: 'requestedMinutes' });
      return [
        {
          type: 'HoursCorrectionRequested',
          data: {
            activityId: a.activityId,
            requestId: requireText(command.data.requestId, 'requestId', 64),
            volunteerId: p.volunteerId,
            currentMinutes: p.minutes,
            requestedMinutes,
            reason: requireText(command.data.reason, 'reason', 1000),
            at: now,
          },
        },
      ];
    }
    case 'ResolveHoursCorrection':
      return resolveCorrection(command, existing(state, command.data.activityId));
    default:
      return assertNever(command);
  }
};

const withParticipation = (a: ExistingActivity, volunteerId: string, change: Partial<Participation>): ExistingActivity => {
  const current: Participation = a.participations[volunteerId] ?? {
    volunteerId,
    status: 'SignedUp',
    checkedInAt: null,
    checkedOutAt: null,
    recordId: null,
    minutes: 0,
    pendingRequestId: null,
  };
  return { ...a, participations: { ...a.participations, [volunteerId]: { ...current, ...change } } };
};

const withoutRequest = (a: ExistingActivity, requestId: string): ExistingActivity => {
  const { [requestId]: _done, ...rest } = a.pendingRequests;
  return { ...a, pendingRequests: rest };
};

export const evolveActivity = (state: Activity, event: ActivityEvent): Activity => {
  if (event.type === 'ActivityPublished') {
    const d = event.data;
    return {
      status: 'Recruiting',
      activityId: d.activityId,
      organizer: { orgUnitId: d.organizerOrgUnitId, path: d.organizerPath },
      startsAt: d.startsAt,
      endsAt: d.endsAt,
      slots: d.slots,
      requiredSkills: d.requiredSkills,
      participations: {},
      pendingRequests: {},
      hoursRecorded: false,
    };
  }
  if (state.status === 'None') return state;
  const a = state;
  switch (event.type) {
    case 'ActivityEnrolmentClosed':
      return { ...a, status: 'EnrolmentClosed' };
    case 'ActivityEnded':
      return { ...a, status: 'Ended' };
    case 'ActivityCancelled':
      return { ...a, status: 'Cancelled' };
    case 'VolunteerInvited':
      return withParticipation(a, event.data.volunteerId, { status: 'Invited' });
    case 'InvitationDeclined':
      return withParticipation(a, event.data.volunteerId, { status: 'Declined' });
    case 'VolunteerSignedUp':
      return withParticipation(a, event.data.volunteerId, { status: 'SignedUp' });
    case 'SignUpWithdrawn':
      return withParticipation(a, event.data.volunteerId, { status: 'Withdrawn' });
    case 'SignUpConfirmed':
      return withParticipation(a, event.data.volunteerId, { status: 'Confirmed' });
    case 'VolunteerCheckedIn':
      return withParticipation(a, event.data.volunteerId, { status: 'CheckedIn', checkedInAt: event.data.at });
    case 'VolunteerCheckedOut':
      return withParticipation(a, event.data.volunteerId, { status: 'CheckedOut', checkedOutAt: event.data.at });
    case 'VolunteerNoShow':
      return withParticipation(a, event.data.volunteerId, { status: 'NoShow' });
    case 'ServiceHoursRecorded':
      return {
        ...withParticipation(a, event.data.volunteerId, { status: 'Completed', recordId: event.data.recordId, minutes: event.data.minutes }),
        hoursRecorded: true,
      };
    case 'HoursCorrectionRequested': {
      const next = withParticipation(a, event.data.volunteerId, { pendingRequestId: event.data.requestId });
      return {
        ...next,
        pendingRequests: { ...next.pendingRequests, [event.data.requestId]: { volunteerId: event.data.volunteerId, requestedMinutes: event.data.requestedMinutes } },
      };
    }
    case 'HoursCorrected':
      return {
        ...withoutRequest(
          withParticipation(a, event.data.volunteerId, {
            status: 'Completed',
            recordId: event.data.recordId,
            minutes: event.data.correctedMinutes,
            pendingRequestId: null,
          }),
          event.data.requestId,
        ),
        hoursRecorded: true,
      };
    case 'HoursCorrectionRejected':
      return withoutRequest(withParticipation(a, event.data.volunteerId, { pendingRequestId: null }), event.data.requestId);
    default:
      return assertNever(event);
  }
};

export const activityDecider: Decider<Activity, ActivityCommand, ActivityEvent> = {
  initialState: { status: 'None' },
  decide: decideActivity,
  evolve: evolveActivity,
};
