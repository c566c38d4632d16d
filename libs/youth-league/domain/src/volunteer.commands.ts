import type { Command } from '@gongzhi/kernel';

export type RegisterVolunteer = Command<
  'RegisterVolunteer',
  {
    volunteerId: string;
    /** Opaque id of the person (their data key); a new UUID per volunteer. */
    subjectId: string;
    name: string;
    phone?: string | null;
    skills?: string[];
    homeOrgUnitId: string;
    accountUserId?: string | null;
    registeredVia: 'self' | 'organization';
    consentGiven: boolean;
    privacyNoticeVersion: string;
  }
>;
export type VerifyVolunteer = Command<'VerifyVolunteer', { volunteerId: string }>;
export type UpdateVolunteerSkills = Command<'UpdateVolunteerSkills', { volunteerId: string; skills: string[] }>;
export type DeactivateVolunteer = Command<'DeactivateVolunteer', { volunteerId: string; reason?: string | null }>;
export type ReactivateVolunteer = Command<'ReactivateVolunteer', { volunteerId: string }>;

export type VolunteerCommand =
  | RegisterVolunteer
  | VerifyVolunteer
  | UpdateVolunteerSkills
  | DeactivateVolunteer
  | ReactivateVolunteer;
