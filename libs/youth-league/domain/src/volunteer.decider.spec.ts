import { personalData } from '@gongzhi/kernel';
import { forDecider, TEST_NOW, TEST_ORG_UNIT_PATH } from '@gongzhi/testing';
import type { VolunteerEvent } from './volunteer.events';
import { volunteerDecider } from './volunteer.decider';

const given = forDecider(volunteerDecider);

const registered: VolunteerEvent = {
  type: 'VolunteerRegistered',
  data: {
    volunteerId: 'v1',
    subjectId: 's1',
    name: personalData('s1', '李小紅'),
    phone: null,
    skills: ['first-aid'],
    homeOrgUnitId: 'ou-1',
    accountUserId: 'user-v1',
    registeredVia: 'self',
    consent: { privacyNoticeVersion: '2024-01', consentedAt: TEST_NOW },
    registeredAt: TEST_NOW,
  },
  metadata: {} as never,
};
const verified: VolunteerEvent = { type: 'VolunteerVerified', data: { volunteerId: 'v1', verifiedBy: 'officer', verifiedAt: TEST_NOW }, metadata: {} as never };

describe('volunteer decider', () => {
  it('registers a volunteer with consent, the personal fields wrapped as PersonalData and skills normalized', () => {
    given([])
      .when({
        type: 'RegisterVolunteer',
        data: {
          volunteerId: 'v1',
          subjectId: 's1',
          name: ' 李小紅 ',
          phone: '13800138000',
          skills: ['First-Aid', 'first-aid', '心理疏導'],
          homeOrgUnitId: 'ou-1',
          accountUserId: 'user-v1',
          registeredVia: 'self',
          consentGiven: true,
          privacyNoticeVersion: '2024-01',
        },
      })
      .then([
        {
          type: 'VolunteerRegistered',
          data: {
            volunteerId: 'v1',
            subjectId: 's1',
            name: { $pii: 'clear', subjectId: 's1', value: '李小紅' },
            phone: { $pii: 'clear', subjectId: 's1', value: '13800138000' },
            skills: ['first-aid', '心理疏導'],
            homeOrgUnitId: 'ou-1',
            accountUserId: 'user-v1',
            registeredVia: 'self',
            consent: { privacyNoticeVersion: '2024-01', consentedAt: TEST_NOW },
            registeredAt: TEST_NOW,
          },
        },
      ]);
  });

  it('refuses a registration without the volunteer’s consent (Art 20)', () => {
    given([])
      .when({
        type: 'RegisterVolunteer',
        data: {
          volunteerId: 'v1', subjectId: 's1', name: '李小紅', homeOrgUnitId: 'ou-1', registeredVia: 'organization', consentGiven: false, privacyNoticeVersion: '2024-01',
        },
      })
      .thenThrows('LEAGUE.REGISTRATION_CONSENT_REQUIRED');
  });

  it('verification makes a registered volunteer active; twice is refused', () => {
    given([registered])
      .when({ type: 'VerifyVolunteer', data: { volunteerId: 'v1' }, metadata: { actor: { userId: 'officer' } } })
      .then([{ type: 'VolunteerVerified', data: { volunteerId: 'v1', verifiedBy: 'officer', verifiedAt: TEST_NOW } }]);
    given([registered, verified]).when({ type: 'VerifyVolunteer', data: { volunteerId: 'v1' } }).thenThrows('LEAGUE.VOLUNTEER_ALREADY_VERIFIED');
  });

  it('goes inactive and back to active, keeping the org path of registration', () => {
    const state = given([registered, verified])
      .when({ type: 'DeactivateVolunteer', data: { volunteerId: 'v1', reason: '外出務工' } })
      .thenState({
        status: 'Inactive', volunteerId: 'v1', subjectId: 's1', homeOrgUnitId: 'ou-1', orgUnitPath: TEST_ORG_UNIT_PATH,
        accountUserId: 'user-v1', skills: ['first-aid'], verified: true, name: personalData('s1', '李小紅'), phone: null,
      });
    expect(state.status).toBe('Inactive');
    given([registered, verified, { type: 'VolunteerDeactivated', data: { volunteerId: 'v1', reason: null, at: TEST_NOW } }])
      .when({ type: 'ReactivateVolunteer', data: { volunteerId: 'v1' } })
      .then([{ type: 'VolunteerReactivated', data: { volunteerId: 'v1', at: TEST_NOW } }]);
    given([registered, verified]).when({ type: 'ReactivateVolunteer', data: { volunteerId: 'v1' } }).thenThrows('LEAGUE.VOLUNTEER_STATUS_UNCHANGED');
  });

  it('answers VOLUNTEER_NOT_FOUND for a volunteer never registered, and refuses a second registration', () => {
    given([]).when({ type: 'VerifyVolunteer', data: { volunteerId: 'v9' } }).thenThrows('LEAGUE.VOLUNTEER_NOT_FOUND');
    given([registered])
      .when({
        type: 'RegisterVolunteer',
        data: { volunteerId: 'v1', subjectId: 's1', name: 'x', homeOrgUnitId: 'ou-1', registeredVia: 'self', consentGiven: true, privacyNoticeVersion: '1' },
      })
      .thenThrows('LEAGUE.VOLUNTEER_ALREADY_REGISTERED');
  });

  it('an unchanged skill set decides nothing', () => {
    given([registered]).when({ type: 'UpdateVolunteerSkills', data: { volunteerId: 'v1', skills: ['FIRST-AID'] } }).thenNothing();
  });
});
