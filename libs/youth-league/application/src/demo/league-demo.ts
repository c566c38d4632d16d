import { CommandBus } from '@nestjs/cqrs';
import { buildPrincipal, Role, systemPrincipal, type Principal } from '@gongzhi/auth';
import type { CommandResult } from '@gongzhi/eventsourcing';
import { OrgTree } from '@gongzhi/org';
import { v5 as uuidv5 } from 'uuid';
import {
  AdvanceCampaignCommand,
  AdvanceTaskCommand,
  ChangeActivityStatusCommand,
  DispatchStaffCommand,
  ExchangeHoursCommand,
  IssueTaskCommand,
  LaunchCampaignCommand,
  LinkCampaignActivityCommand,
  LinkFoundationProjectCommand,
  MarkOverdueTasksCommand,
  OpenTimeBankAccountCommand,
  OpenTimeBankCommand,
  PlanCampaignCommand,
  PublishActivityCommand,
  RecordAttendanceCommand,
  RecordCampaignPartnerCommand,
  RecordFoundationFigureCommand,
  RecordServiceHoursCommand,
  RegisterVolunteerCommand,
  ReportTaskProgressCommand,
  ReverseTransferCommand,
  SignUpForActivityCommand,
  VerifyVolunteerCommand,
  type CommandMeta,
} from '../write/commands';

/** Fixed forever: the same demo step always carries the same commandId. */
const DEMO_NAMESPACE = '0d7c5e3a-91b4-4f26-8a0e-5c3f2b1d7e64';

export interface YouthLeagueDemoResult {
  campaigns: number;
  activities: number;
  volunteers: number;
  appended: number;
  replayed: number;
}

/** The org units the demo needs; they come with the platform's demo organisation. */
export const LEAGUE_DEMO_UNIT_IDS = ['gz-league', 'gz-league-guiyang', 'gz-league-xiuwen', 'gz-league-zunyi', 'gz-league-meitan', 'songling-ercun'] as const;

interface DemoVolunteer {
  id: string;
  account: string;
  name: string;
  home: string;
  skills: string[];
}

const VOLUNTEERS: DemoVolunteer[] = [
  { id: 'gz-vol-luo', account: 'vol-luo-yuqing', name: '羅雨晴', home: 'gz-league-xiuwen', skills: ['teaching', 'first-aid'] },
  { id: 'gz-vol-yang', account: 'vol-yang-fan', name: '楊帆', home: 'gz-league-xiuwen', skills: ['teaching'] },
  { id: 'gz-vol-wu', account: 'vol-wu-jiahui', name: '吳佳慧', home: 'gz-league-guiyang', skills: ['first-aid', 'sign-language'] },
  { id: 'gz-vol-tian', account: 'vol-tian-lei', name: '田磊', home: 'gz-league-guiyang', skills: ['driving'] },
  { id: 'ercun-vol-chen', account: 'vol-chen-xiaomei', name: '陳曉梅', home: 'songling-ercun', skills: ['elderly-care'] },
  { id: 'ercun-vol-zhou', account: 'vol-zhou-jian', name: '周健', home: 'songling-ercun', skills: ['elderly-care', 'repair'] },
];

interface DemoActivity {
  id: string;
  organizer: string;
  title: string;
  content: string;
  place: string;
  daysAgo: number;
  hours: number;
  slots: number;
  risks: string[];
  requiredSkills?: string[];
  campaign?: string;
  volunteers: Array<{ id: string; minutes: number }>;
}

const ACTIVITIES: DemoActivity[] = [
  {
    id: 'green-ribbon-xiuwen-kids',
    organizer: 'gz-league-xiuwen',
    title: '綠絲帶·關愛農民工子女',
    content: '為留守兒童提供課業輔導和陪伴（和諧貴州三關愛）',
    place: '修文縣六廣鎮中心小學',
    daysAgo: 20,
    hours: 4,
    slots: 15,
    risks: ['山區道路行車', '戶外活動注意防暑'],
    requiredSkills: ['teaching'],
    campaign: 'green-ribbon-2024',
    volunteers: [
      { id: 'gz-vol-luo', minutes: 240 },
      { id: 'gz-vol-yang', minutes: 210 },
    ],
  },
  {
    id: 'green-ribbon-guiyang-games',
    organizer: 'gz-league-guiyang',
    title: '綠絲帶·民運會賽會志願服務',
    content: '全國少數民族傳統體育運動會賽場引導與醫療協助',
    place: '貴陽奧林匹克體育中心',
    daysAgo: 12,
    hours: 6,
    slots: 40,
    risks: ['人群密集，注意踩踏風險', '長時間站立'],
    campaign: 'green-ribbon-2024',
    volunteers: [
      { id: 'gz-vol-wu', minutes: 360 },
      { id: 'gz-vol-tian', minutes: 300 },
      { id: 'gz-vol-luo', minutes: 330 },
    ],
  },
  {
    id: 'chunhui-xiuwen-homes',
    organizer: 'gz-league-xiuwen',
    title: '春暉行動·走訪外出務工人員家庭',
    content: '走訪在外務工青年家庭，宣傳春暉行動，建立聯絡檔案',
    place: '修文縣扎佐鎮',
    daysAgo: 8,
    hours: 3,
    slots: 10,
    risks: ['入戶走訪注意人身安全'],
    campaign: 'chunhui-2024',
    volunteers: [{ id: 'gz-vol-yang', minutes: 180 }],
  },
  {
    id: 'ercun-elderly-visits',
    organizer: 'songling-ercun',
    title: '二村社區·陪伴高齡獨居老人',
    content: '上門陪伴聊天、代購生活用品、檢查家用電器安全',
    place: '吳江市松陵鎮二村社區',
    daysAgo: 6,
    hours: 3,
    slots: 8,
    risks: ['入戶服務注意用電安全'],
    volunteers: [
      { id: 'ercun-vol-chen', minutes: 180 },
      { id: 'ercun-vol-zhou', minutes: 150 },
    ],
  },
];

/**
 * Seeds the Youth League demo through the command path (the handlers the GraphQL mutations use):
 * 共青團貴州省委's 春暉行動 cascaded to city and county league committees (one county overdue),
 * the 綠絲帶 volunteer service campaign with its activities, volunteers who sign up themselves,
 * the foundation project, and 二村社區's 愛心時間銀行 with members and exchanges. Dated
 * relative to `now`; every step has a fixed commandId, so a second run appends nothing.
 * Needs the demo org units (LEAGUE_DEMO_UNIT_IDS) and the org projection caught up.
 */
export const seedYouthLeagueDemo = async (
  app: { get<T>(token: new (...args: any[]) => T): T },
  /**
   * `settle` waits for the projections (the time-bank reactor credits the volunteers' service,
   * which the exchanges at the end spend); without it the exchanges are left out.
   */
  options: { now: Date; settle?: () => Promise<void> },
): Promise<YouthLeagueDemoResult> => {
  const bus = app.get(CommandBus);
  const tree = app.get(OrgTree);
  const system = systemPrincipal('gongzhi-cli-seed');
  const result: YouthLeagueDemoResult = { campaigns: 0, activities: 0, volunteers: 0, appended: 0, replayed: 0 };
  const day = 86_400_000;
  const at = (daysAgo: number, hour = 10) => new Date(Math.floor(options.now.getTime() / day) * day - daysAgo * day + (hour - 8) * 3_600_000).toISOString();
  const run = async <I>(
    Command: new (input: I, principal: Principal, meta: CommandMeta) => object,
    input: I,
    step: string,
    when: string,
    principal: Principal = system,
  ): Promise<CommandResult> => {
    const r: CommandResult = await bus.execute(
      new Command(input, principal, { correlationId: 'seed-demo', commandId: uuidv5(`league-demo:${step}`, DEMO_NAMESPACE), now: when }) as never,
    );
    if (r.idempotentReplay) result.replayed++;
    else result.appended += r.events.length;
    return r;
  };
  // A volunteer acts from her own login: only she can sign up (志願服務條例 Art 25).
  const volunteerPrincipal = async (v: DemoVolunteer): Promise<Principal> => {
    const unit = await tree.unit(v.home);
    if (!unit) throw new Error(`The demo needs org unit ${v.home}: seed the demo organisation first`);
    return buildPrincipal({ userId: v.account, roles: [Role.Analyst], orgUnitId: v.home, orgUnitPath: unit.path });
  };

  // Volunteers register themselves and are verified by their league committee or community.
  for (const v of VOLUNTEERS) {
    await run(
      RegisterVolunteerCommand,
      { volunteerId: v.id, name: v.name, skills: v.skills, homeOrgUnitId: v.home, self: true, consentGiven: true, privacyNoticeVersion: '2024-01' },
      `volunteer:${v.id}`,
      at(40),
      await volunteerPrincipal(v),
    );
    await run(VerifyVolunteerCommand, { volunteerId: v.id }, `verify:${v.id}`, at(39));
    result.volunteers++;
  }

  // 春暉行動: organizational channel down to the counties, social channel with partners and the foundation.
  const chunhui = 'chunhui-2024';
  const year = new Date(at(60)).getUTCFullYear();
  await run(
    PlanCampaignCommand,
    { campaignId: chunhui, name: '春暉行動·春暉譜新篇', brand: 'chunhui', description: '動員在外貴州籍人士反哺家鄉，建設春暉使者聯絡站', ownerOrgUnitId: 'gz-league', startsOn: `${year}-01-01`, endsOn: `${year + 1}-12-31` },
    'chunhui:plan',
    at(60),
  );
  await run(AdvanceCampaignCommand, { campaignId: chunhui, step: 'approve' }, 'chunhui:approve', at(58));
  await run(LaunchCampaignCommand, { campaignId: chunhui, channels: ['organizational', 'social'] }, 'chunhui:launch', at(57));
  const task = (taskId: string, assignee: string, title: string, target: number, deadlineInDays: number, parentTaskId?: string) =>
    run(
      IssueTaskCommand,
      { campaignId: chunhui, taskId, parentTaskId: parentTaskId ?? null, assigneeOrgUnitId: assignee, title, quotaTarget: target, quotaUnit: '站', deadline: at(-deadlineInDays, 24) },
      `chunhui:task:${taskId}`,
      at(56),
    );
  const step = (taskId: string, s: 'acknowledge' | 'complete', daysAgo: number, achieved?: number) =>
    run(AdvanceTaskCommand, { campaignId: chunhui, taskId, step: s, achieved: achieved ?? null }, `chunhui:${s}:${taskId}`, at(daysAgo));
  await task('guiyang', 'gz-league-guiyang', '貴陽市春暉使者聯絡站建設', 12, 60);
  await task('zunyi', 'gz-league-zunyi', '遵義市春暉使者聯絡站建設', 10, 60);
  await step('guiyang', 'acknowledge', 55);
  await step('zunyi', 'acknowledge', 54);
  // The cities cascade to their counties (meitan's part is due already and was never acknowledged).
  await run(IssueTaskCommand, { campaignId: chunhui, taskId: 'xiuwen', parentTaskId: 'guiyang', assigneeOrgUnitId: 'gz-league-xiuwen', title: '修文縣聯絡站', quotaTarget: 4, quotaUnit: '站', deadline: at(-30, 24) }, 'chunhui:task:xiuwen', at(53));
  await run(IssueTaskCommand, { campaignId: chunhui, taskId: 'meitan', parentTaskId: 'zunyi', assigneeOrgUnitId: 'gz-league-meitan', title: '湄潭縣聯絡站', quotaTarget: 3, quotaUnit: '站', deadline: at(10, 24) }, 'chunhui:task:meitan', at(52));
  await step('xiuwen', 'acknowledge', 50);
  await run(DispatchStaffCommand, { campaignId: chunhui, taskId: 'xiuwen', count: 15, purpose: '走訪外出務工人員家庭' }, 'chunhui:staff:xiuwen', at(45));
  await run(DispatchStaffCommand, { campaignId: chunhui, taskId: 'guiyang', count: 8, purpose: '聯絡站選址與掛牌' }, 'chunhui:staff:guiyang', at(44));
  await run(ReportTaskProgressCommand, { campaignId: chunhui, taskId: 'xiuwen', achieved: 2, note: '扎佐、六廣兩站掛牌' }, 'chunhui:progress:xiuwen', at(30));
  await step('xiuwen', 'complete', 9, 4);
  await run(ReportTaskProgressCommand, { campaignId: chunhui, taskId: 'guiyang', achieved: 7, note: '7站已建成' }, 'chunhui:progress:guiyang', at(7));
  // The scheduler would have marked meitan's task overdue the day after its deadline.
  await run(MarkOverdueTasksCommand, { campaignId: chunhui }, 'chunhui:overdue:1', at(9, 12), systemPrincipal('system:deadline-scheduler'));
  await run(RecordCampaignPartnerCommand, { campaignId: chunhui, partnerId: 'gy-youth-volunteers', kind: 'social-organization', name: '貴陽市青年志願者協會', viaOrgUnitId: 'gz-league-guiyang', contribution: '組織志願者走訪' }, 'chunhui:partner:1', at(40));
  await run(RecordCampaignPartnerCommand, { campaignId: chunhui, partnerId: 'kaidi-green', kind: 'enterprise', name: '凱迪綠色產業帶富資金', contribution: '青年創業帶富資金' }, 'chunhui:partner:2', at(38));
  await run(
    LinkFoundationProjectCommand,
    { campaignId: chunhui, projectId: 'hot-lunch', foundationName: '貴州省青少年發展基金會', projectRef: 'GZ-HOPE-LUNCH', title: '讓山區孩子吃上熱騰騰午飯', pledgedFen: 500_000_000 },
    'chunhui:foundation',
    at(36),
  );
  await run(RecordFoundationFigureCommand, { campaignId: chunhui, projectId: 'hot-lunch', figure: 'receipt', amountFen: 120_000_000, receiptRef: 'R-001' }, 'chunhui:receipt:1', at(20));
  await run(RecordFoundationFigureCommand, { campaignId: chunhui, projectId: 'hot-lunch', figure: 'receipt', amountFen: 80_000_000, receiptRef: 'R-002' }, 'chunhui:receipt:2', at(5));
  await run(RecordFoundationFigureCommand, { campaignId: chunhui, projectId: 'hot-lunch', figure: 'beneficiaries', count: 3600, note: '12所山區小學' }, 'chunhui:beneficiaries', at(5));
  result.campaigns++;

  // 綠絲帶: social mobilization by the Guiyang committee.
  const greenRibbon = 'green-ribbon-2024';
  await run(
    PlanCampaignCommand,
    { campaignId: greenRibbon, name: '綠絲帶志願服務行動', brand: 'green-ribbon', description: '和諧貴州三關愛：關愛農民工子女、關愛老人、關愛殘疾人', ownerOrgUnitId: 'gz-league-guiyang', startsOn: `${year}-01-01`, endsOn: `${year}-12-31` },
    'green:plan',
    at(45),
  );
  await run(AdvanceCampaignCommand, { campaignId: greenRibbon, step: 'approve' }, 'green:approve', at(44));
  await run(LaunchCampaignCommand, { campaignId: greenRibbon, channels: ['social'] }, 'green:launch', at(43));
  result.campaigns++;

  // 二村社區's 愛心時間銀行, before its volunteers serve (their service is credited there).
  const bank = 'ercun-time-bank';
  await run(OpenTimeBankCommand, { bankId: bank, name: '二村社區愛心時間銀行', ownerOrgUnitId: 'songling-ercun' }, 'bank:open', at(30));
  await run(OpenTimeBankAccountCommand, { bankId: bank, accountId: 'chen', kind: 'member', volunteerId: 'ercun-vol-chen', orgUnitId: 'songling-ercun' }, 'bank:account:chen', at(29));
  await run(OpenTimeBankAccountCommand, { bankId: bank, accountId: 'zhou', kind: 'member', volunteerId: 'ercun-vol-zhou', orgUnitId: 'songling-ercun' }, 'bank:account:zhou', at(29));
  await run(OpenTimeBankAccountCommand, { bankId: bank, accountId: 'aunt-zhang', kind: 'member', name: '張阿姨', orgUnitId: 'songling-ercun' }, 'bank:account:zhang', at(29));
  await run(OpenTimeBankAccountCommand, { bankId: bank, accountId: 'uncle-wang', kind: 'member', name: '王大爺', orgUnitId: 'songling-ercun' }, 'bank:account:wang', at(29));
  await run(OpenTimeBankAccountCommand, { bankId: bank, accountId: 'residents-committee', kind: 'org-unit', orgUnitId: 'songling-ercun' }, 'bank:account:committee', at(29));

  for (const a of ACTIVITIES) {
    const starts = at(a.daysAgo, 9);
    await run(
      PublishActivityCommand,
      {
        activityId: a.id, organizerOrgUnitId: a.organizer, title: a.title, content: a.content, place: a.place, startsAt: starts,
        endsAt: new Date(Date.parse(starts) + a.hours * 3_600_000).toISOString(), slots: a.slots, risks: a.risks, requiredSkills: a.requiredSkills ?? [],
      },
      `activity:${a.id}`,
      at(a.daysAgo + 7),
    );
    if (a.campaign) await run(LinkCampaignActivityCommand, { campaignId: a.campaign, activityId: a.id }, `link:${a.campaign}:${a.id}`, at(a.daysAgo + 6));
    for (const { id, minutes } of a.volunteers) {
      const v = VOLUNTEERS.find((x) => x.id === id) as DemoVolunteer;
      const key = `${a.id}:${id}`;
      await run(SignUpForActivityCommand, { activityId: a.id, volunteerId: id, risksAcknowledged: true }, `signup:${key}`, at(a.daysAgo + 5), await volunteerPrincipal(v));
      await run(RecordAttendanceCommand, { activityId: a.id, volunteerId: id, step: 'confirm' }, `confirm:${key}`, at(a.daysAgo + 2));
      await run(RecordAttendanceCommand, { activityId: a.id, volunteerId: id, step: 'check-in' }, `check-in:${key}`, starts);
      await run(RecordAttendanceCommand, { activityId: a.id, volunteerId: id, step: 'check-out' }, `check-out:${key}`, new Date(Date.parse(starts) + minutes * 60_000).toISOString());
      await run(RecordServiceHoursCommand, { activityId: a.id, volunteerId: id, recordId: `rec-${id}`.slice(0, 64) }, `hours:${key}`, at(a.daysAgo - 1));
    }
    await run(ChangeActivityStatusCommand, { activityId: a.id, action: 'end' }, `end:${a.id}`, at(a.daysAgo - 1, 20));
    result.activities++;
  }

  // Exchanges in the time bank: the volunteers spend hours they earned on neighbours' needs.
  if (!options.settle) return result;
  await options.settle();
  await run(ExchangeHoursCommand, { bankId: bank, transferId: 'x-chen-zhang', fromAccountId: 'chen', toAccountId: 'aunt-zhang', minutes: 60, memo: '陪同張阿姨就醫' }, 'bank:x1', at(3));
  await run(ExchangeHoursCommand, { bankId: bank, transferId: 'x-zhou-wang', fromAccountId: 'zhou', toAccountId: 'uncle-wang', minutes: 90, memo: '為王大爺修理熱水器' }, 'bank:x2', at(2));
  await run(ExchangeHoursCommand, { bankId: bank, transferId: 'x-zhang-committee', fromAccountId: 'aunt-zhang', toAccountId: 'residents-committee', minutes: 30, memo: '兌換社區理髮服務' }, 'bank:x3', at(1));
  await run(ReverseTransferCommand, { bankId: bank, transferId: 'x-zhang-committee-rev', reversesTransferId: 'x-zhang-committee', reason: '理髮服務未提供，沖正' }, 'bank:x3-rev', at(0, 9));
  return result;
};
