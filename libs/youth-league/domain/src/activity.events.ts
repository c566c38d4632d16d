import type { Event } from '@gongzhi/kernel';

/**
 * A volunteer activity, published by any org unit (league committee, community, union, social
 * organization). Its events are stamped with the organizer's org path: 誰組織誰記錄 — the
 * organizer records attendance and hours, and answers correction requests.
 */
export type ActivityPublished = Event<
  'ActivityPublished',
  {
    activityId: string;
    organizerOrgUnitId: string;
    organizerPath: string;
    title: string;
    content: string;
    place: string;
    startsAt: string;
    endsAt: string;
    slots: number;
    requiredSkills: string[];
    /** 志願服務條例 Art 12: the risks told to every volunteer before they sign up. */
    risks: string[];
    safetyMeasures: string | null;
    publishedAt: string;
  }
>;
export type ActivityEnrolmentClosed = Event<'ActivityEnrolmentClosed', { activityId: string; at: string }>;
export type ActivityEnded = Event<'ActivityEnded', { activityId: string; at: string }>;
export type ActivityCancelled = Event<'ActivityCancelled', { activityId: string; reason: string; at: string }>;

/** An officer's invitation: no enrolment, only a request the volunteer may accept or decline. */
export type VolunteerInvited = Event<'VolunteerInvited', { activityId: string; volunteerId: string; invitedBy: string; at: string }>;
export type InvitationDeclined = Event<'InvitationDeclined', { activityId: string; volunteerId: string; at: string }>;

/** The volunteer's own sign-up (Art 25): `consent` records who gave it and that the risks were read. */
export type VolunteerSignedUp = Event<
  'VolunteerSignedUp',
  {
    activityId: string;
    volunteerId: string;
    via: 'self' | 'invitation';
    consent: { givenBy: string; givenAt: string; risksAcknowledged: true };
  }
>;
export type SignUpWithdrawn = Event<'SignUpWithdrawn', { activityId: string; volunteerId: string; reason: string | null; at: string }>;
export type SignUpConfirmed = Event<'SignUpConfirmed', { activityId: string; volunteerId: string; at: string }>;
export type VolunteerCheckedIn = Event<'VolunteerCheckedIn', { activityId: string; volunteerId: string; at: string }>;
export type VolunteerCheckedOut = Event<'VolunteerCheckedOut', { activityId: string; volunteerId: string; at: string }>;
export type VolunteerNoShow = Event<'VolunteerNoShow', { activityId: string; volunteerId: string; at: string }>;

/** 志願服務記錄與證明出具辦法: the organizer records actual service time (minutes). */
export type ServiceHoursRecorded = Event<
  'ServiceHoursRecorded',
  {
    activityId: string;
    recordId: string;
    volunteerId: string;
    organizerOrgUnitId: string;
    organizerPath: string;
    minutes: number;
    /** 'attendance': check-in to check-out; 'manual': the organizer's own figure. */
    basis: 'attendance' | 'manual';
    serviceDate: string;
    recordedAt: string;
  }
>;

/** The volunteer asks for an error or omission to be fixed (令67號: 申請更正、補錄). */
export type HoursCorrectionRequested = Event<
  'HoursCorrectionRequested',
  { activityId: string; requestId: string; volunteerId: string; currentMinutes: number; requestedMinutes: number; reason: string; at: string }
>;

/**
 * A compensating entry: the original record stays, `deltaMinutes` is added to it. The volunteer's
 * hours are the sum of the record and every correction, never an edited figure.
 */
export type HoursCorrected = Event<
  'HoursCorrected',
  {
    activityId: string;
    requestId: string;
    recordId: string;
    volunteerId: string;
    organizerOrgUnitId: string;
    organizerPath: string;
    previousMinutes: number;
    correctedMinutes: number;
    deltaMinutes: number;
    note: string | null;
    at: string;
  }
>;
export type HoursCorrectionRejected = Event<
  'HoursCorrectionRejected',
  { activityId: string; requestId: string; volunteerId: string; note: string; at: string }
>;

export type ActivityEvent =
  | ActivityPublished
  | ActivityEnrolmentClosed
  | ActivityEnded
  | ActivityCancelled
  | VolunteerInvited
  | InvitationDeclined
  | VolunteerSignedUp
  | SignUpWithdrawn
  | SignUpConfirmed
  | VolunteerCheckedIn
  | VolunteerCheckedOut
  | VolunteerNoShow
  | ServiceHoursRecorded
  | HoursCorrectionRequested
  | HoursCorrected
  | HoursCorrectionRejected;

export const ACTIVITY_EVENT_TYPES: readonly ActivityEvent['type'][] = [
  'ActivityPublished',
  'ActivityEnrolmentClosed',
  'ActivityEnded',
  'ActivityCancelled',
  'VolunteerInvited',
  'InvitationDeclined',
  'VolunteerSignedUp',
  'SignUpWithdrawn',
  'SignUpConfirmed',
  'VolunteerCheckedIn',
  'VolunteerCheckedOut',
  'VolunteerNoShow',
  'ServiceHoursRecorded',
  'HoursCorrectionRequested',
  'HoursCorrected',
  'HoursCorrectionRejected',
];
