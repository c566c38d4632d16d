import { forDecider, TEST_NOW, type GivenEvent } from '@gongzhi/testing';
import type { ActivityEvent } from './activity.events';
import { activityDecider } from './activity.decider';
import type { VolunteerSnapshot } from './volunteer.decider';

const given = forDecider(activityDecider);
type E = GivenEvent<ActivityEvent>;

const ORGANIZER = { orgUnitId: 'county', path: '/gz/gy/county/' };
const volunteer: VolunteerSnapshot = { volunteerId: 'v1', status: 'Active', accountUserId: 'user-v1', skills: ['first-aid'], homeOrgUnitPath: '/gz/gy/county/' };
const asVolunteer = { actor: { userId: 'user-v1' } };
const asOfficer = { actor: { userId: 'officer-1' } };

const published: E = {
  type: 'ActivityPublished',
  data: {
    activityId: 'a1', organizerOrgUnitId: 'county', organizerPath: ORGANIZER.path, title: '綠絲帶關愛留守兒童', content: '陪伴與課業輔導',
    place: '花溪區青岩鎮', startsAt: '2024-03-02T01:00:00.000Z', endsAt: '2024-03-02T05:00:00.000Z', slots: 2, requiredSkills: [],
    risks: ['戶外活動，注意防暑'], safetyMeasures: null, publishedAt: TEST_NOW,
  },
};
const signedUp = (volunteerId = 'v1'): E => ({
  type: 'VolunteerSignedUp',
  data: { activityId: 'a1', volunteerId, via: 'self', consent: { givenBy: `user-${volunteerId}`, givenAt: TEST_NOW, risksAcknowledged: true } },
});
const confirmed: E = { type: 'SignUpConfirmed', data: { activityId: 'a1', volunteerId: 'v1', at: TEST_NOW } };
const checkedIn: E = { type: 'VolunteerCheckedIn', data: { activityId: 'a1', volunteerId: 'v1', at: '2024-03-02T01:05:00.000Z' } };
const checkedOut: E = { type: 'VolunteerCheckedOut', data: { activityId: 'a1', volunteerId: 'v1', at: '2024-03-02T04:35:00.000Z' } };
const recorded: E = {
  type: 'ServiceHoursRecorded',
  data: {
    activityId: 'a1', recordId: 'r1', volunteerId: 'v1', organizerOrgUnitId: 'county', organizerPath: ORGANIZER.path, minutes: 210,
    basis: 'attendance', serviceDate: '2024-03-02', recordedAt: TEST_NOW,
  },
};
const requested: E = {
  type: 'HoursCorrectionRequested',
  data: { activityId: 'a1', requestId: 'q1', volunteerId: 'v1', currentMinutes: 210, requestedMinutes: 240, reason: '簽退晚錄了半小時', at: TEST_NOW },
};

describe('activity decider: publishing', () => {
  const publish = (risks: string[]) => ({
    type: 'PublishActivity' as const,
    data: {
      activityId: 'a1', organizer: ORGANIZER, title: '綠絲帶關愛留守兒童', content: '陪伴與課業輔導', place: '花溪區青岩鎮',
      startsAt: '2024-03-02T09:00:00+08:00', endsAt: '2024-03-02T13:00:00+08:00', slots: 2, risks,
    },
  });

  it('publishes with disclosed risks, times normalized to UTC', () => {
    given([]).when(publish(['戶外活動，注意防暑'])).then([published]);
  });

  it('refuses to publish without disclosed risks (Art 12)', () => {
    given([]).when(publish([])).thenThrows('LEAGUE.RISKS_NOT_DISCLOSED');
    given([]).when(publish(['  '])).thenThrows('LEAGUE.RISKS_NOT_DISCLOSED');
  });
});

describe('activity decider: consent (志願服務條例 Art 25)', () => {
  it('takes a sign-up from the volunteer’s own account, recording the consent', () => {
    given([published])
      .when({ type: 'SignUpForActivity', data: { activityId: 'a1', volunteer, risksAcknowledged: true }, metadata: asVolunteer })
      .then([signedUp()]);
  });

  it('refuses an officer enrolling a volunteer: LEAGUE.CONSENT_REQUIRED', () => {
    const error = given([published])
      .when({ type: 'SignUpForActivity', data: { activityId: 'a1', volunteer, risksAcknowledged: true }, metadata: asOfficer })
      .thenThrows('LEAGUE.CONSENT_REQUIRED');
    expect((error as { details?: unknown }).details).toEqual({ activityId: 'a1', volunteerId: 'v1' });
  });

  it('refuses a sign-up for a volunteer without an account of their own (no way to consent online)', () => {
    given([published])
      .when({ type: 'SignUpForActivity', data: { activityId: 'a1', volunteer: { ...volunteer, accountUserId: null }, risksAcknowledged: true }, metadata: asOfficer })
      .thenThrows('LEAGUE.CONSENT_REQUIRED');
  });

  it('lets an officer invite, which enrols no one; the volunteer then accepts by signing up', () => {
    const invited: E = { type: 'VolunteerInvited', data: { activityId: 'a1', volunteerId: 'v1', invitedBy: 'officer-1', at: TEST_NOW } };
    given([published]).when({ type: 'InviteVolunteer', data: { activityId: 'a1', volunteer }, metadata: asOfficer }).then([invited]);
    // An invitation holds no place: two other volunteers can still take both places.
    given([published, invited, signedUp('v2'), signedUp('v3')])
      .when({ type: 'SignUpForActivity', data: { activityId: 'a1', volunteer, risksAcknowledged: true }, metadata: asVolunteer })
      .thenThrows('LEAGUE.ACTIVITY_FULL');
    given([published, invited])
      .when({ type: 'SignUpForActivity', data: { activityId: 'a1', volunteer, risksAcknowledged: true }, metadata: asVolunteer })
      .then([{ ...signedUp(), data: { ...(signedUp().data as object), via: 'invitation' } } as E]);
    given([published, invited])
      .when({ type: 'DeclineInvitation', data: { activityId: 'a1', volunteer }, metadata: asOfficer })
      .thenThrows('LEAGUE.NOT_THE_VOLUNTEER');
  });

  it('needs the disclosed risks acknowledged, matching skills, an active volunteer and a free place', () => {
    given([published])
      .when({ type: 'SignUpForActivity', data: { activityId: 'a1', volunteer, risksAcknowledged: false }, metadata: asVolunteer })
      .thenThrows('LEAGUE.RISKS_NOT_ACKNOWLEDGED');
    const needsTeaching: E = { ...published, data: { ...(published.data as object), requiredSkills: ['teaching'] } } as E;
    given([needsTeaching])
      .when({ type: 'SignUpForActivity', data: { activityId: 'a1', volunteer, risksAcknowledged: true }, metadata: asVolunteer })
      .thenThrows('LEAGUE.SKILLS_MISMATCH');
    given([published])
      .when({ type: 'SignUpForActivity', data: { activityId: 'a1', volunteer: { ...volunteer, status: 'Registered' }, risksAcknowledged: true }, metadata: asVolunteer })
      .thenThrows('LEAGUE.VOLUNTEER_NOT_ACTIVE');
    given([published, signedUp()])
      .when({ type: 'SignUpForActivity', data: { activityId: 'a1', volunteer, risksAcknowledged: true }, metadata: asVolunteer })
      .thenThrows('LEAGUE.ALREADY_SIGNED_UP');
    given([published, { type: 'ActivityEnrolmentClosed', data: { activityId: 'a1', at: TEST_NOW } }])
      .when({ type: 'SignUpForActivity', data: { activityId: 'a1', volunteer, risksAcknowledged: true }, metadata: asVolunteer })
      .thenThrows('LEAGUE.ENROLMENT_CLOSED');
  });

  it('lets only the volunteer withdraw, freeing the place', () => {
    given([published, signedUp()])
      .when({ type: 'WithdrawSignUp', data: { activityId: 'a1', volunteer }, metadata: asOfficer })
      .thenThrows('LEAGUE.NOT_THE_VOLUNTEER');
    given([published, signedUp(), { type: 'SignUpWithdrawn', data: { activityId: 'a1', volunteerId: 'v1', reason: null, at: TEST_NOW } }, signedUp('v2')])
      .when({ type: 'SignUpForActivity', data: { activityId: 'a1', volunteer, risksAcknowledged: true }, metadata: asVolunteer })
      .then([signedUp()]);
  });
});

describe('activity decider: attendance and hours (誰組織誰記錄)', () => {
  it('checks in only a confirmed volunteer, then records the attended minutes', () => {
    given([published, signedUp()])
      .when({ type: 'CheckInVolunteer', data: { activityId: 'a1', volunteerId: 'v1' } })
      .thenThrows('LEAGUE.PARTICIPATION_STATE_INVALID');
    given([published, signedUp(), confirmed, checkedIn, checkedOut])
      .when({ type: 'RecordServiceHours', data: { activityId: 'a1', volunteerId: 'v1', recordId: 'r1' } })
      .then([recorded]);
  });

  it('records a manual figure within a day, and refuses recording twice', () => {
    given([published, signedUp(), confirmed, checkedIn, checkedOut])
      .when({ type: 'RecordServiceHours', data: { activityId: 'a1', volunteerId: 'v1', recordId: 'r1', minutes: 180 } })
      .then([{ ...recorded, data: { ...(recorded.data as object), minutes: 180, basis: 'manual' } } as E]);
    given([published, signedUp(), confirmed, checkedIn, checkedOut])
      .when({ type: 'RecordServiceHours', data: { activityId: 'a1', volunteerId: 'v1', recordId: 'r1', minutes: 2000 } })
      .thenThrows('LEAGUE.INVALID_INPUT');
    given([published, signedUp(), confirmed, checkedIn, checkedOut, recorded])
      .when({ type: 'RecordServiceHours', data: { activityId: 'a1', volunteerId: 'v1', recordId: 'r2' } })
      .thenThrows('LEAGUE.PARTICIPATION_STATE_INVALID');
  });

  it('refuses to cancel an activity whose hours were recorded', () => {
    given([published, signedUp(), confirmed, checkedIn, checkedOut, recorded])
      .when({ type: 'CancelActivity', data: { activityId: 'a1', reason: '暴雨' } })
      .thenThrows('LEAGUE.ACTIVITY_STATE_INVALID');
  });
});

describe('activity decider: corrections are compensating entries', () => {
  const history = [published, signedUp(), confirmed, checkedIn, checkedOut, recorded];

  it('takes a correction request from the volunteer only', () => {
    given(history)
      .when({
        type: 'RequestHoursCorrection',
        data: { activityId: 'a1', volunteer, requestId: 'q1', requestedMinutes: 240, reason: '簽退晚錄了半小時' },
        metadata: asVolunteer,
      })
      .then([requested]);
    given(history)
      .when({ type: 'RequestHoursCorrection', data: { activityId: 'a1', volunteer, requestId: 'q1', requestedMinutes: 240, reason: 'x' }, metadata: asOfficer })
      .thenThrows('LEAGUE.NOT_THE_VOLUNTEER');
    given([...history, requested])
      .when({ type: 'RequestHoursCorrection', data: { activityId: 'a1', volunteer, requestId: 'q2', requestedMinutes: 250, reason: 'x' }, metadata: asVolunteer })
      .thenThrows('LEAGUE.CORRECTION_PENDING');
  });

  it('accepting appends the difference; the original record is left as it was', () => {
    const corrected: E = {
      type: 'HoursCorrected',
      data: {
        activityId: 'a1', requestId: 'q1', recordId: 'r1', volunteerId: 'v1', organizerOrgUnitId: 'county', organizerPath: ORGANIZER.path,
        previousMinutes: 210, correctedMinutes: 240, deltaMinutes: 30, note: null, at: TEST_NOW,
      },
    };
    given([...history, requested]).when({ type: 'ResolveHoursCorrection', data: { activityId: 'a1', requestId: 'q1', accept: true } }).then([corrected]);
    // The organizer may verify a different figure than the one asked for: a negative difference.
    given([...history, requested])
      .when({ type: 'ResolveHoursCorrection', data: { activityId: 'a1', requestId: 'q1', accept: true, correctedMinutes: 200, note: '以簽到表為準' } })
      .then([{ ...corrected, data: { ...(corrected.data as object), correctedMinutes: 200, deltaMinutes: -10, note: '以簽到表為準' } } as E]);
    // A second request is measured against the corrected figure.
    given([...history, requested, corrected])
      .when({ type: 'RequestHoursCorrection', data: { activityId: 'a1', volunteer, requestId: 'q2', requestedMinutes: 240, reason: 'x' }, metadata: asVolunteer })
      .thenThrows('LEAGUE.INVALID_INPUT');
  });

  it('rejecting needs a note and changes no hours; an unknown request is refused', () => {
    given([...history, requested])
      .when({ type: 'ResolveHoursCorrection', data: { activityId: 'a1', requestId: 'q1', accept: false, note: '與簽到表不符' } })
      .then([{ type: 'HoursCorrectionRejected', data: { activityId: 'a1', requestId: 'q1', volunteerId: 'v1', note: '與簽到表不符', at: TEST_NOW } }]);
    given([...history, requested]).when({ type: 'ResolveHoursCorrection', data: { activityId: 'a1', requestId: 'q1', accept: false } }).thenThrows('LEAGUE.INVALID_INPUT');
    given(history).when({ type: 'ResolveHoursCorrection', data: { activityId: 'a1', requestId: 'q9', accept: true } }).thenThrows('LEAGUE.CORRECTION_REQUEST_NOT_FOUND');
  });

  it('fills an omission (a no-show that did serve) with a record named after the request', () => {
    const noShow: E = { type: 'VolunteerNoShow', data: { activityId: 'a1', volunteerId: 'v1', at: TEST_NOW } };
    const omission: E = { ...requested, data: { ...(requested.data as object), currentMinutes: 0, requestedMinutes: 120 } } as E;
    given([published, signedUp(), confirmed, noShow, omission])
      .when({ type: 'ResolveHoursCorrection', data: { activityId: 'a1', requestId: 'q1', accept: true } })
      .then([
        {
          type: 'HoursCorrected',
          data: {
            activityId: 'a1', requestId: 'q1', recordId: 'q1', volunteerId: 'v1', organizerOrgUnitId: 'county', organizerPath: ORGANIZER.path,
            previousMinutes: 0, correctedMinutes: 120, deltaMinutes: 120, note: null, at: TEST_NOW,
          },
        },
      ]);
  });
});
