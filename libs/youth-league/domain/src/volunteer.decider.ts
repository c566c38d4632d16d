import { assertNever, personalData, streamIdFor, type Decider, type NewEvent, type PersonalValue } from '@gongzhi/kernel';
import type { RegisterVolunteer, VolunteerCommand } from './volunteer.commands';
import type { VolunteerEvent } from './volunteer.events';
import { normalizeSkills, optionalText, requireText } from './validation';
import {
  RegistrationConsentRequired,
  VolunteerAlreadyRegistered,
  VolunteerAlreadyVerified,
  VolunteerNotFound,
  VolunteerStatusUnchanged,
} from './youth-league.errors';

/** `youth-league.volunteer-<id>` */
export const volunteerStream = streamIdFor('youth-league', 'volunteer');

/**
 * REGISTERED → (verified) ACTIVE ↔ INACTIVE (DOMAIN.md §2.9). Verification is the organization
 * checking the registration (Art 13); only an active volunteer signs up for activities.
 */
export type VolunteerStatus = 'Registered' | 'Active' | 'Inactive';

export type Volunteer =
  | { status: 'None' }
  | {
      status: VolunteerStatus;
      volunteerId: string;
      subjectId: string;
      homeOrgUnitId: string;
      orgUnitPath: string;
      accountUserId: string | null;
      skills: string[];
      verified: boolean;
      /**
       * Decoded when the stream is read through the privacy transformer; ErasedPersonalData once
       * the person was forgotten. Held in memory only: read models keep ids, not names.
       */
      name: PersonalValue;
      phone: PersonalValue | null;
    };

export type ExistingVolunteer = Exclude<Volunteer, { status: 'None' }>;

/** What another aggregate's decision needs to know of a volunteer (loaded by the handler). */
export interface VolunteerSnapshot {
  volunteerId: string;
  status: VolunteerStatus;
  accountUserId: string | null;
  skills: string[];
  homeOrgUnitPath: string;
}

export const volunteerSnapshot = (v: ExistingVolunteer): VolunteerSnapshot => ({
  volunteerId: v.volunteerId,
  status: v.status,
  accountUserId: v.accountUserId,
  skills: v.skills,
  homeOrgUnitPath: v.orgUnitPath,
});

const register = ({ data, metadata }: RegisterVolunteer, state: Volunteer): NewEvent<VolunteerEvent>[] => {
  if (state.status !== 'None') throw new VolunteerAlreadyRegistered(data.volunteerId);
  // 志願服務條例 Art 20: personal data is recorded with the volunteer's consent, never without.
  if (data.consentGiven !== true) throw new RegistrationConsentRequired();
  const name = requireText(data.name, 'name', 50);
  const phone = optionalText(data.phone, 'phone', 30);
  return [
    {
      type: 'VolunteerRegistered',
      data: {
        volunteerId: data.volunteerId,
        subjectId: requireText(data.subjectId, 'subjectId', 64),
        name: personalData(data.subjectId, name),
        phone: phone === null ? null : personalData(data.subjectId, phone),
        skills: normalizeSkills(data.skills),
        homeOrgUnitId: requireText(data.homeOrgUnitId, 'homeOrgUnitId', 64),
        accountUserId: optionalText(data.accountUserId, 'accountUserId', 128),
        registeredVia: data.registeredVia === 'self' ? 'self' : 'organization',
        consent: { privacyNoticeVersion: requireText(data.privacyNoticeVersion, 'privacyNoticeVersion', 40), consentedAt: metadata.now },
        registeredAt: metadata.now,
      },
    },
  ];
};

const existing = (state: Volunteer, volunteerId: string): ExistingVolunteer => {
  if (state.status === 'None') throw new VolunteerNotFound(volunteerId);
  return state;
};

export const decideVolunteer = (command: VolunteerCommand, state: Volunteer): NewEvent<VolunteerEvent>[] => {
  const { metadata } = command;
  switch (command.type) {
    case 'RegisterVolunteer':
      return register(command, state);
    case 'VerifyVolunteer': {
      const v = existing(state, command.data.volunteerId);
      if (v.verified) throw new VolunteerAlreadyVerified(v.volunteerId);
      return [{ type: 'VolunteerVerified', data: { volunteerId: v.volunteerId, verifiedBy: metadata.actor.userId, verifiedAt: metadata.now } }];
    }
    case 'UpdateVolunteerSkills': {
      const v = existing(state, command.data.volunteerId);
      const skills = normalizeSkills(command.data.skills);
      if (skills.join('\n') === v.skills.join('\n')) return [];
      return [{ type: 'VolunteerSkillsUpdated', data: { volunteerId: v.volunteerId, skills } }];
    }
    case 'DeactivateVolunteer': {
      const v = existing(state, command.data.volunteerId);
      if (v.status === 'Inactive') throw new VolunteerStatusUnchanged(v.volunteerId, v.status);
      return [
        {
          type: 'VolunteerDeactivated',
          data: { volunteerId: v.volunteerId, reason: optionalText(command.data.reason, 'reason', 500), at: metadata.now },
        },
      ];
    }
    case 'ReactivateVolunteer': {
      const v = existing(state, command.data.volunteerId);
      if (v.status !== 'Inactive') throw new VolunteerStatusUnchanged(v.volunteerId, v.status);
      return [{ type: 'VolunteerReactivated', data: { volunteerId: v.volunteerId, at: metadata.now } }];
    }
    default:
      return assertNever(command);
  }
};

export const evolveVolunteer = (state: Volunteer, event: VolunteerEvent): Volunteer => {
  switch (event.type) {
    case 'VolunteerRegistered':
      return {
        status: 'Registered',
        volunteerId: event.data.volunteerId,
        subjectId: event.data.subjectId,
        homeOrgUnitId: event.data.homeOrgUnitId,
        orgUnitPath: event.metadata.orgUnitPath,
        accountUserId: event.data.accountUserId,
        skills: event.data.skills,
        verified: false,
        name: event.data.name,
        phone: event.data.phone,
      };
    case 'VolunteerVerified':
      // A volunteer deactivated before verification stays inactive until reactivated.
      return state.status === 'None' ? state : { ...state, verified: true, status: state.status === 'Registered' ? 'Active' : state.status };
    case 'VolunteerSkillsUpdated':
      return state.status === 'None' ? state : { ...state, skills: event.data.skills };
    case 'VolunteerDeactivated':
      return state.status === 'None' ? state : { ...state, status: 'Inactive' };
    case 'VolunteerReactivated':
      return state.status === 'None' ? state : { ...state, status: state.verified ? 'Active' : 'Registered' };
    default:
      return assertNever(event);
  }
};

export const volunteerDecider: Decider<Volunteer, VolunteerCommand, VolunteerEvent> = {
  initialState: { status: 'None' },
  decide: decideVolunteer,
  evolve: evolveVolunteer,
};
