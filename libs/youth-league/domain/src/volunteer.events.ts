import type { Event, PersonalData } from '@gongzhi/kernel';

/**
 * A volunteer is a data subject: name and phone travel as PersonalData (encrypted under the
 * subject's key before the append), everything else in clear is ids, labels and times.
 * `accountUserId` is the volunteer's own login: acts that need their consent must come from it.
 */
export type VolunteerRegistered = Event<
  'VolunteerRegistered',
  {
    volunteerId: string;
    subjectId: string;
    name: PersonalData;
    phone: PersonalData | null;
    skills: string[];
    homeOrgUnitId: string;
    accountUserId: string | null;
    /** 志願服務條例 Art 7: self-registration, or through an organization. */
    registeredVia: 'self' | 'organization';
    /** Art 20: the privacy notice the volunteer agreed to, and when. */
    consent: { privacyNoticeVersion: string; consentedAt: string };
    registeredAt: string;
  }
>;

export type VolunteerVerified = Event<'VolunteerVerified', { volunteerId: string; verifiedBy: string; verifiedAt: string }>;
export type VolunteerSkillsUpdated = Event<'VolunteerSkillsUpdated', { volunteerId: string; skills: string[] }>;
export type VolunteerDeactivated = Event<'VolunteerDeactivated', { volunteerId: string; reason: string | null; at: string }>;
export type VolunteerReactivated = Event<'VolunteerReactivated', { volunteerId: string; at: string }>;

export type VolunteerEvent =
  | VolunteerRegistered
  | VolunteerVerified
  | VolunteerSkillsUpdated
  | VolunteerDeactivated
  | VolunteerReactivated;

export const VOLUNTEER_EVENT_TYPES: readonly VolunteerEvent['type'][] = [
  'VolunteerRegistered',
  'VolunteerVerified',
  'VolunteerSkillsUpdated',
  'VolunteerDeactivated',
  'VolunteerReactivated',
];
