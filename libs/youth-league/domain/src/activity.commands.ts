import type { Command } from '@gongzhi/kernel';
import type { OrgUnitRef } from './validation';
import type { VolunteerSnapshot } from './volunteer.decider';

export type PublishActivity = Command<
  'PublishActivity',
  {
    activityId: string;
    organizer: OrgUnitRef;
    title: string;
    content: string;
    place: string;
    startsAt: string;
    endsAt: string;
    slots: number;
    requiredSkills?: string[];
    risks: string[];
    safetyMeasures?: string | null;
  }
>;
export type CloseEnrolment = Command<'CloseEnrolment', { activityId: string }>;
export type EndActivity = Command<'EndActivity', { activityId: string }>;
export type CancelActivity = Command<'CancelActivity', { activityId: string; reason: string }>;

/** `volunteer` is loaded by the handler from the volunteer's stream. */
export type InviteVolunteer = Command<'InviteVolunteer', { activityId: string; volunteer: VolunteerSnapshot }>;
export type DeclineInvitation = Command<'DeclineInvitation', { activityId: string; volunteer: VolunteerSnapshot }>;
export type SignUpForActivity = Command<
  'SignUpForActivity',
  { activityId: string; volunteer: VolunteerSnapshot; risksAcknowledged: boolean }
>;
export type WithdrawSignUp = Command<'WithdrawSignUp', { activityId: string; volunteer: VolunteerSnapshot; reason?: string | null }>;
export type ConfirmSignUp = Command<'ConfirmSignUp', { activityId: string; volunteerId: string }>;
export type CheckInVolunteer = Command<'CheckInVolunteer', { activityId: string; volunteerId: string }>;
export type CheckOutVolunteer = Command<'CheckOutVolunteer', { activityId: string; volunteerId: string }>;
export type MarkNoShow = Command<'MarkNoShow', { activityId: string; volunteerId: string }>;
export type RecordServiceHours = Command<
  'RecordServiceHours',
  { activityId: string; volunteerId: string; recordId: string; minutes?: number | null }
>;
export type RequestHoursCorrection = Command<
  'RequestHoursCorrection',
  { activityId: string; volunteer: VolunteerSnapshot; requestId: string; requestedMinutes: number; reason: string }
>;
export type ResolveHoursCorrection = Command<
  'ResolveHoursCorrection',
  { activityId: string; requestId: string; accept: boolean; correctedMinutes?: number | null; note?: string | null }
>;

export type ActivityCommand =
  | PublishActivity
  | CloseEnrolment
  | EndActivity
  | CancelActivity
  | InviteVolunteer
  | DeclineInvitation
  | SignUpForActivity
  | WithdrawSignUp
  | ConfirmSignUp
  | CheckInVolunteer
  | CheckOutVolunteer
  | MarkNoShow
  | RecordServiceHours
  | RequestHoursCorrection
  | ResolveHoursCorrection;
