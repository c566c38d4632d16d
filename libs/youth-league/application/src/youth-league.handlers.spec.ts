import { schedulerCommandId } from '@gongzhi/deadlines';
import { FakeClock } from '@gongzhi/testing';
import { LeagueReadModel } from './queries/league-read-model';
import { ReactorCreditRow } from './reactors/time-bank-credit.reactor';
import { CampaignTaskRow, HourEntryRow, TimeBankAccountRow } from './read-model/league.entities';
import { createLeagueCast, type LeagueCast } from './test-support/league-story';
import { createLeagueTestApp, type LeagueTestApp } from './testing';
import { TaskDeadlines } from './write/task-deadlines';
import {
  AdvanceCampaignCommand,
  AdvanceTaskCommand,
  ExchangeHoursCommand,
  IssueTaskCommand,
  LaunchCampaignCommand,
  OpenTimeBankAccountCommand,
  OpenTimeBankCommand,
  PlanCampaignCommand,
  PublishActivityCommand,
  RecordAttendanceCommand,
  RecordServiceHoursCommand,
  RegisterVolunteerCommand,
  ReportTaskProgressCommand,
  RequestHoursCorrectionCommand,
  ResolveHoursCorrectionCommand,
  ReverseTransferCommand,
  SignUpForActivityCommand,
  VerifyVolunteerCommand,
} from './write/commands';

const codeOf = (p: Promise<unknown>) => p.then(
  () => 'resolved',
  (e: { code?: string; extensions?: { code?: string } }) => e.code ?? e.extensions?.code ?? String(e),
);

/**
 * The context through its command bus, with real projections on SQLite: who may do what where,
 * and what the read models then show.
 */
describe('youth league through the command bus', () => {
  const clock = new FakeClock('2024-03-01T00:00:00.000Z');
  let t: LeagueTestApp;
  let cast: LeagueCast;
  let read: LeagueReadModel;

  beforeAll(async () => {
    t = await createLeagueTestApp({ clock });
    cast = await createLeagueCast(t);
    read = t.app.get(LeagueReadModel);
  });
  afterAll(() => t?.close());

  const volunteerInput = { name: '李小紅', phone: '13800138000', skills: ['first-aid'], consentGiven: true, privacyNoticeVersion: '2024-01' };

  it('registers a volunteer by her own consent; only officers whose scope covers her verify her', async () => {
    await t.run(RegisterVolunteerCommand, { ...volunteerInput, volunteerId: 'v-li', self: true }, cast.volunteer);
    expect(await codeOf(t.run(VerifyVolunteerCommand, { volunteerId: 'v-li' }, cast.countyB))).toBe('NOT_FOUND');
    expect(await codeOf(t.run(VerifyVolunteerCommand, { volunteerId: 'v-li' }, cast.volunteer))).toBe('FORBIDDEN');
    await t.run(VerifyVolunteerCommand, { volunteerId: 'v-li' }, cast.countyA);
    await t.settle();
    const row = await read.volunteer(cast.countyA, 'v-li');
    expect(row).toMatchObject({ status: 'Active', verified: true, accountUserId: cast.volunteer.userId, owningOrgPath: cast.tree.paths.communityA });
    expect(await read.volunteer(cast.countyB, 'v-li')).toBeUndefined();
    // Read models hold no personal data: the name stays in the (encrypted) event.
    expect(JSON.stringify(row)).not.toContain('李小紅');
    expect(JSON.stringify(row)).not.toContain('13800138000');
  });

  it('an officer cannot enrol her (LEAGUE.CONSENT_REQUIRED); she signs up herself, serves, and the organizer records her hours', async () => {
    await t.run(OpenTimeBankCommand, { bankId: 'bank-a', name: '甲縣愛心時間銀行', ownerOrgUnitId: cast.tree.ids.countyA }, cast.countyA);
    await t.run(OpenTimeBankAccountCommand, { bankId: 'bank-a', accountId: 'acc-li', kind: 'member', volunteerId: 'v-li', orgUnitId: cast.tree.ids.communityA }, cast.countyA);
    await t.run(
      PublishActivityCommand,
      {
        activityId: 'act-1', organizerOrgUnitId: cast.tree.ids.countyA, title: '綠絲帶關愛留守兒童', content: '陪伴與課業輔導', place: '北門社區活動室',
        startsAt: '2024-03-02T01:00:00Z', endsAt: '2024-03-02T05:00:00Z', slots: 5, requiredSkills: ['first-aid'], risks: ['戶外活動，注意防暑'],
      },
      cast.countyA,
    );
    expect(await codeOf(t.run(SignUpForActivityCommand, { activityId: 'act-1', volunteerId: 'v-li', risksAcknowledged: true }, cast.countyA))).toBe(
      'LEAGUE.CONSENT_REQUIRED',
    );
    await t.run(SignUpForActivityCommand, { activityId: 'act-1', volunteerId: 'v-li', risksAcknowledged: true }, cast.volunteer);
    await t.run(RecordAttendanceCommand, { activityId: 'act-1', volunteerId: 'v-li', step: 'confirm' }, cast.countyA);
    clock.set('2024-03-02T01:00:00.000Z');
    await t.run(RecordAttendanceCommand, { activityId: 'act-1', volunteerId: 'v-li', step: 'check-in' }, cast.countyA);
    clock.advance({ hours: 3, minutes: 30 });
    await t.run(RecordAttendanceCommand, { activityId: 'act-1', volunteerId: 'v-li', step: 'check-out' }, cast.countyA);
    // Another county's officer cannot record for this organizer.
    expect(await codeOf(t.run(RecordServiceHoursCommand, { activityId: 'act-1', volunteerId: 'v-li' }, cast.countyB))).toBe('NOT_FOUND');
    await t.run(RecordServiceHoursCommand, { activityId: 'act-1', volunteerId: 'v-li', recordId: 'rec-1' }, cast.countyA);
    await t.settle();

    const participations = await read.participationsOfActivity(cast.countyA, 'act-1', { limit: 10 });
    expect(participations).toEqual([expect.objectContaining({ volunteerId: 'v-li', status: 'Completed', minutes: 210, via: 'self' })]);
    expect((await read.activity(cast.countyA, 'act-1'))?.placesTaken).toBe(1);
    const certificate = await read.certificate(cast.volunteer, 'v-li', '2099-01-01T00:00:00.000Z');
    expect(certificate).toMatchObject({ totalMinutes: 210, byOrganization: [expect.objectContaining({ organizerOrgUnitId: cast.tree.ids.countyA, minutes: 210, records: 1 })] });
    // Completed service credits her time-bank account, from the bank's issuer account (double entry).
    expect(await read.balanceAsOf('bank-a', 'acc-li', '2099-01-01T00:00:00.000Z')).toBe(210);
    expect(await read.bankTotalAsOf('bank-a', '2099-01-01T00:00:00.000Z')).toBe(0);
  });

  it('a correction is a compensating entry in the hours and in the ledger, never an edit', async () => {
    clock.advance({ days: 1 });
    expect(await codeOf(t.run(RequestHoursCorrectionCommand, { activityId: 'act-1', volunteerId: 'v-li', requestedMinutes: 240, reason: 'x' }, cast.countyA))).toBe(
      'LEAGUE.NOT_THE_VOLUNTEER',
    );
    await t.run(RequestHoursCorrectionCommand, { activityId: 'act-1', volunteerId: 'v-li', requestId: 'req-1', requestedMinutes: 240, reason: '簽退晚錄了半小時' }, cast.volunteer);
    const before = clock.nowIso();
    clock.advance({ hours: 2 });
    await t.run(ResolveHoursCorrectionCommand, { activityId: 'act-1', requestId: 'req-1', accept: true }, cast.countyA);
    await t.settle();

    const entries = await t.dataSource.getRepository(HourEntryRow).find({ where: { volunteerId: 'v-li' }, order: { occurredAt: 'ASC' } });
    expect(entries.map((e) => [e.kind, e.minutes])).toEqual([['record', 210], ['correction', 30]]);
    expect((await read.certificate(cast.volunteer, 'v-li', '2099-01-01T00:00:00.000Z')).totalMinutes).toBe(240);
    // As of before the resolution the certificate shows the original figure and the pending request.
    expect(await read.certificate(cast.volunteer, 'v-li', before)).toMatchObject({ totalMinutes: 210, pendingCorrections: 1 });
    expect(await read.balanceAsOf('bank-a', 'acc-li', '2099-01-01T00:00:00.000Z')).toBe(240);
    expect(await read.balanceAsOf('bank-a', 'acc-li', before)).toBe(210);
    const credits = await t.dataSource.getRepository(ReactorCreditRow).find({ order: { minutes: 'DESC' } });
    expect(credits.map((c) => [c.outcome, c.minutes])).toEqual([['credited', 210], ['credited', 30]]);
  });

  it('exchanges hours across organizations and reverses them with a new transfer', async () => {
    await t.run(RegisterVolunteerCommand, { ...volunteerInput, name: '王大爺', volunteerId: 'v-wang', self: true }, cast.neighbour);
    await t.run(OpenTimeBankAccountCommand, { bankId: 'bank-a', accountId: 'acc-zhang', kind: 'member', name: '張阿姨', orgUnitId: cast.tree.ids.countyA }, cast.countyA);
    expect(await codeOf(t.run(ExchangeHoursCommand, { bankId: 'bank-a', fromAccountId: 'acc-zhang', toAccountId: 'acc-li', minutes: 10, memo: '理髮' }, cast.countyA))).toBe(
      'LEAGUE.INSUFFICIENT_HOURS',
    );
    await t.run(ExchangeHoursCommand, { bankId: 'bank-a', transferId: 'x-1', fromAccountId: 'acc-li', toAccountId: 'acc-zhang', minutes: 60, memo: '陪同就醫' }, cast.countyA);
    await t.settle();
    const at = '2099-01-01T00:00:00.000Z';
    expect([await read.balanceAsOf('bank-a', 'acc-li', at), await read.balanceAsOf('bank-a', 'acc-zhang', at)]).toEqual([180, 60]);
    await t.run(ReverseTransferCommand, { bankId: 'bank-a', transferId: 'x-2', reversesTransferId: 'x-1', reason: '服務未發生' }, cast.countyA);
    await t.settle();
    expect([await read.balanceAsOf('bank-a', 'acc-li', at), await read.balanceAsOf('bank-a', 'acc-zhang', at)]).toEqual([240, 0]);
    expect(await read.bankTotalAsOf('bank-a', at)).toBe(0);
    const rows = await t.dataSource.getRepository(TimeBankAccountRow).find({ where: { bankId: 'bank-a' } });
    expect(rows.reduce((s, r) => s + r.balanceMinutes, 0)).toBe(0);
    // Another county sees neither the bank nor its accounts.
    expect(await read.timeBank(cast.countyB, 'bank-a')).toBeUndefined();
    expect(await read.timeBankAccounts(cast.countyB, { bankId: 'bank-a' }, { limit: 10 })).toEqual([]);
  });

  it('cascades a campaign task province → city → county; each unit acts on its own task only', async () => {
    await t.run(PlanCampaignCommand, { campaignId: 'chunhui', name: '春暉行動', brand: 'chunhui', description: '動員在外人士反哺家鄉', startsOn: '2024-03-01', endsOn: '2024-12-31' }, cast.province);
    await t.run(AdvanceCampaignCommand, { campaignId: 'chunhui', step: 'approve' }, cast.province);
    await t.run(LaunchCampaignCommand, { campaignId: 'chunhui', channels: ['organizational', 'social'] }, cast.province);
    const deadline = '2024-06-30T16:00:00.000Z';
    await t.run(IssueTaskCommand, { campaignId: 'chunhui', taskId: 't-city', assigneeOrgUnitId: cast.tree.ids.city, title: '建立春暉使者聯絡站', quotaTarget: 10, quotaUnit: '站', deadline }, cast.province);
    expect(await codeOf(t.run(AdvanceTaskCommand, { campaignId: 'chunhui', taskId: 't-city', step: 'acknowledge' }, cast.countyA))).toBe('NOT_FOUND');
    await t.run(AdvanceTaskCommand, { campaignId: 'chunhui', taskId: 't-city', step: 'acknowledge' }, cast.city);
    await t.run(IssueTaskCommand, { campaignId: 'chunhui', taskId: 't-a', parentTaskId: 't-city', assigneeOrgUnitId: cast.tree.ids.countyA, title: '甲縣聯絡站', quotaTarget: 4, quotaUnit: '站', deadline }, cast.city);
    await t.run(IssueTaskCommand, { campaignId: 'chunhui', taskId: 't-b', parentTaskId: 't-city', assigneeOrgUnitId: cast.tree.ids.countyB, title: '乙縣聯絡站', quotaTarget: 3, quotaUnit: '站', deadline: '2024-04-30T16:00:00.000Z' }, cast.city);
    // County B cannot touch county A's task.
    expect(await codeOf(t.run(AdvanceTaskCommand, { campaignId: 'chunhui', taskId: 't-a', step: 'acknowledge' }, cast.countyB))).toBe('NOT_FOUND');
    await t.run(AdvanceTaskCommand, { campaignId: 'chunhui', taskId: 't-a', step: 'acknowledge' }, cast.countyA);
    await t.run(ReportTaskProgressCommand, { campaignId: 'chunhui', taskId: 't-a', achieved: 4 }, cast.countyA);
    await t.run(AdvanceTaskCommand, { campaignId: 'chunhui', taskId: 't-a', step: 'complete' }, cast.countyA);
    await t.settle();

    expect((await read.campaignTasks(cast.countyA, { campaignId: 'chunhui' }, { limit: 10 })).map((k) => [k.taskId, k.status])).toEqual([['t-a', 'Completed']]);
    expect((await read.campaignTasks(cast.province, { campaignId: 'chunhui' }, { limit: 10 })).map((k) => k.taskId).sort()).toEqual(['t-a', 't-b', 't-city']);
    // County A sees the campaign it works for, county B's officer sees it too (own task), the community does not.
    expect(await read.campaign(cast.countyA, 'chunhui')).toBeDefined();
    expect(await read.campaign(cast.communityA, 'chunhui')).toBeUndefined();
  });

  it('the deadline scheduler marks the task overdue once its deadline passed, and only then', async () => {
    expect((await t.scheduler.tick()).fired).toEqual([]);
    clock.set('2024-05-01T00:00:00.000Z');
    const report = await t.scheduler.tick();
    expect(report.failed).toEqual([]);
    expect(report.fired).toEqual([expect.objectContaining({ trigger: 'league.campaign-task-overdue', clockId: 'next-task-deadline', dueAt: '2024-04-30T16:00:00.000Z' })]);
    await t.settle();
    const row = await t.dataSource.getRepository(CampaignTaskRow).findOneBy({ id: 'chunhui/t-b' });
    expect(row).toMatchObject({ overdue: true, status: 'Issued' });
    expect((await t.dataSource.getRepository(CampaignTaskRow).findOneBy({ id: 'chunhui/t-city' }))?.overdue).toBe(false);
    // The clock moved on to the next open deadline, so the next tick has nothing to fire.
    expect((await t.scheduler.tick()).fired).toEqual([]);
    // Fired a second time anyway (another scheduler instance, a restart): the same derived command id, nothing new.
    const head = await t.store.headPosition();
    const due = { streamId: 'youth-league.campaign-chunhui', clockId: 'next-task-deadline', dueAt: '2024-04-30T16:00:00.000Z' };
    await t.app.get(TaskDeadlines).fire({ ...due, policyId: 'league.campaign-task.deadline', version: 1, startedAt: '2024-03-01T00:00:00.000Z' }, schedulerCommandId(due));
    expect(await t.store.headPosition()).toBe(head);
  });
});
