import { writeFileSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { Role } from '@gongzhi/auth';
import { scanForPlaintext } from '@gongzhi/privacy/testing';
import { codesOf, E2eApp, type GraphqlResponse } from './testing/e2e-harness';

const M = (name: string, input: string) => `mutation($i: ${input}!) { ${name}(input: $i) { aggregateId revision events { type } } }`;

const OVERVIEW = `query($unit: ID, $campaign: ID) {
  mobilizationOverview(orgUnitId: $unit, campaignId: $campaign) {
    unit { orgUnitId name }
    campaign { name status }
    organizational { tasksIssued tasksAcknowledged tasksCompleted tasksOverdue unitsActivated staffDispatched }
    social { volunteersMobilized distinctVolunteers serviceHours activities socialOrganizations enterprises fundsPledged fundsReceived beneficiaries }
    own { organizational { tasksIssued } social { serviceHours } }
    children { unit { orgUnitId name } organizational { tasksIssued tasksCompleted staffDispatched } social { volunteersMobilized serviceHours } }
  }
}`;

/**
 * The issue 8 story over HTTP on the embedded platform, as a new user would run it: a provincial
 * league officer launches 春暉行動 and cascades tasks through the city to the county; the county
 * publishes a 綠絲帶 activity for it; a volunteer registers and signs up herself (an officer
 * cannot do it for her); the county records her service; and the provincial officer's unified
 * view shows both sides with the county's figures rolled up through the city exactly once.
 * Set GONGZHI_E2E_TRANSCRIPT=<file> to keep the requests and responses.
 */
describe('Youth League mobilization story (e2e over HTTP)', () => {
  let e: E2eApp;
  const transcript: Array<{ step: string; as: string; query: string; variables: unknown; response: unknown }> = [];
  const tokens: Record<string, string> = {};

  const gql = async (step: string, as: string, query: string, variables: Record<string, unknown> = {}): Promise<GraphqlResponse> => {
    const r = await e.gql(query, variables, { Authorization: tokens[as] });
    transcript.push({ step, as, query, variables, response: r.body });
    return r;
  };
  const ok = async (step: string, as: string, query: string, variables: Record<string, unknown> = {}) => {
    const r = await gql(step, as, query, variables);
    expect(r.body.errors).toBeUndefined();
    return r.body.data;
  };

  const deadline = new Date(Date.now() + 30 * 86_400_000).toISOString();

  beforeAll(async () => {
    e = await E2eApp.start();
    tokens.operator = e.token('operator', [Role.Admin], 'root');
    tokens.province = e.token('officer-gz', [Role.LeagueOfficer], 'gz-league');
    tokens.provinceAnalyst = e.token('analyst-gz', [Role.Analyst], 'gz-league');
    tokens.city = e.token('officer-gy', [Role.LeagueOfficer], 'gy-league');
    tokens.county = e.token('officer-hx', [Role.LeagueOfficer], 'hx-league');
    // Auth has no volunteer role yet: the volunteer's login is a token for her own subject; the
    // least-privileged role stands in (her acts need no staff permission).
    tokens.volunteer = e.token('vol-li-xiaohong', [Role.Analyst], 'hx-league');
    const unit = 'mutation($i: CreateOrgUnitInput!) { createOrgUnit(input: $i) { aggregateId } }';
    await ok('org tree', 'operator', unit, { i: { orgUnitId: 'gz-league', name: '共青團貴州省委', kind: 'LEAGUE_COMMITTEE' } });
    await ok('org tree', 'operator', unit, { i: { orgUnitId: 'gy-league', name: '共青團貴陽市委', kind: 'LEAGUE_COMMITTEE', parentId: 'gz-league' } });
    await ok('org tree', 'operator', unit, { i: { orgUnitId: 'hx-league', name: '共青團花溪區委', kind: 'LEAGUE_COMMITTEE', parentId: 'gy-league' } });
    await e.settle();
  });
  afterAll(async () => {
    if (process.env.GONGZHI_E2E_TRANSCRIPT) writeFileSync(process.env.GONGZHI_E2E_TRANSCRIPT, JSON.stringify(transcript, null, 2));
    await e?.close();
  });

  it('the provincial officer plans, approves and launches 春暉行動 on both channels, and issues a task to the city', async () => {
    await ok('plan campaign', 'province', M('planCampaign', 'PlanCampaignInput'), {
      i: { campaignId: 'chunhui-2024', name: '春暉行動', brand: 'CHUNHUI', description: '動員在外貴州籍人士反哺家鄉', startsOn: '2024-06-01', endsOn: '2024-12-31' },
    });
    await ok('approve', 'province', M('advanceCampaign', 'AdvanceCampaignInput'), { i: { campaignId: 'chunhui-2024', step: 'APPROVE' } });
    await ok('launch', 'province', M('launchCampaign', 'LaunchCampaignInput'), { i: { campaignId: 'chunhui-2024', channels: ['ORGANIZATIONAL', 'SOCIAL'] } });
    const issued = await ok('issue task to the city', 'province', M('issueCampaignTask', 'IssueCampaignTaskInput'), {
      i: { campaignId: 'chunhui-2024', taskId: 'gy-liaison', assigneeOrgUnitId: 'gy-league', title: '建立春暉使者聯絡站', quotaTarget: 10, quotaUnit: '站', deadline },
    });
    expect(issued.issueCampaignTask.events.map((x: { type: string }) => x.type)).toEqual(['CampaignStarted', 'CampaignTaskIssued', 'DeadlineStarted']);
  });

  it('the city acknowledges and cascades part of it to the county, which carries it out', async () => {
    // The county cannot act on the city's task.
    expect(codesOf(await gql('county tries the city task', 'county', M('acknowledgeCampaignTask', 'CampaignTaskRefInput'), { i: { campaignId: 'chunhui-2024', taskId: 'gy-liaison' } }))).toEqual([
      'NOT_FOUND',
    ]);
    await ok('city acknowledges', 'city', M('acknowledgeCampaignTask', 'CampaignTaskRefInput'), { i: { campaignId: 'chunhui-2024', taskId: 'gy-liaison' } });
    await ok('city cascades to the county', 'city', M('issueCampaignTask', 'IssueCampaignTaskInput'), {
      i: { campaignId: 'chunhui-2024', taskId: 'hx-liaison', parentTaskId: 'gy-liaison', assigneeOrgUnitId: 'hx-league', title: '花溪區春暉聯絡站', quotaTarget: 3, quotaUnit: '站', deadline },
    });
    await ok('county acknowledges', 'county', M('acknowledgeCampaignTask', 'CampaignTaskRefInput'), { i: { campaignId: 'chunhui-2024', taskId: 'hx-liaison' } });
    await ok('county dispatches staff', 'county', M('dispatchCampaignStaff', 'DispatchCampaignStaffInput'), {
      i: { campaignId: 'chunhui-2024', taskId: 'hx-liaison', count: 12, purpose: '走訪在外務工人員家庭' },
    });
    await ok('county reports progress', 'county', M('reportCampaignTaskProgress', 'ReportCampaignTaskProgressInput'), {
      i: { campaignId: 'chunhui-2024', taskId: 'hx-liaison', achieved: 3, note: '三個聯絡站已掛牌' },
    });
    await ok('county completes', 'county', M('completeCampaignTask', 'CompleteCampaignTaskInput'), { i: { campaignId: 'chunhui-2024', taskId: 'hx-liaison' } });
    await e.settle();
    const tasks = await ok('county’s tasks', 'county', '{ campaignTasks { nodes { taskId status achieved staffDispatched campaignName } } }');
    expect(tasks.campaignTasks.nodes).toEqual([{ taskId: 'hx-liaison', status: 'COMPLETED', achieved: 3, staffDispatched: 12, campaignName: '春暉行動' }]);
  });

  it('the county publishes a 綠絲帶 activity for the campaign; a volunteer registers and signs up herself — an officer cannot', async () => {
    await ok('publish activity', 'county', M('publishActivity', 'PublishActivityInput'), {
      i: {
        activityId: 'green-ribbon-1', title: '綠絲帶關愛留守兒童', content: '陪伴留守兒童、課業輔導', place: '花溪區青岩鎮中心小學',
        startsAt: '2024-06-15T01:00:00Z', endsAt: '2024-06-15T05:00:00Z', slots: 20, risks: ['戶外活動，注意防暑', '山路行車'],
      },
    });
    await ok('link to the campaign', 'county', M('linkCampaignActivity', 'LinkCampaignActivityInput'), { i: { campaignId: 'chunhui-2024', activityId: 'green-ribbon-1' } });
    const open = await ok('volunteer browses', 'volunteer', '{ openActivities { nodes { id title risks placesTaken slots } } }');
    // (the projection may still be catching up; the sign-up does not depend on it)
    expect(Array.isArray(open.openActivities.nodes)).toBe(true);
    await ok('volunteer registers herself', 'volunteer', M('registerMeAsVolunteer', 'RegisterMeAsVolunteerInput'), {
      i: { volunteerId: 'li-xiaohong', name: '李小紅', phone: '13800138000', skills: ['teaching'], consentGiven: true, privacyNoticeVersion: '2024-01' },
    });
    await ok('county verifies her', 'county', M('verifyVolunteer', 'VolunteerRefInput'), { i: { volunteerId: 'li-xiaohong' } });
    const enrol = await gql('officer tries to enrol her', 'county', M('signUpForActivity', 'SignUpForActivityInput'), {
      i: { activityId: 'green-ribbon-1', volunteerId: 'li-xiaohong', risksAcknowledged: true },
    });
    expect(enrol.body.errors?.[0]?.extensions).toMatchObject({ code: 'DOMAIN_RULE', ruleCode: 'LEAGUE.CONSENT_REQUIRED' });
    await ok('she signs up', 'volunteer', M('signUpForActivity', 'SignUpForActivityInput'), {
      i: { activityId: 'green-ribbon-1', volunteerId: 'li-xiaohong', risksAcknowledged: true },
    });
  });

  it('the county records her attendance and 3 hours of service (誰組織誰記錄)', async () => {
    for (const step of ['CONFIRM', 'CHECK_IN', 'CHECK_OUT']) {
      await ok(`attendance ${step}`, 'county', M('recordAttendance', 'RecordAttendanceInput'), { i: { activityId: 'green-ribbon-1', volunteerId: 'li-xiaohong', step } });
    }
    await ok('record hours', 'county', M('recordServiceHours', 'RecordServiceHoursInput'), { i: { activityId: 'green-ribbon-1', volunteerId: 'li-xiaohong', minutes: 180 } });
    await ok('end activity', 'county', M('changeActivityStatus', 'ChangeActivityStatusInput'), { i: { activityId: 'green-ribbon-1', action: 'END' } });
    await e.settle();
    const cert = await ok('her certificate', 'volunteer', '{ volunteerCertificate(volunteerId: "li-xiaohong") { totalHours byOrganization { organizerOrgUnitId hours records } } }');
    expect(cert.volunteerCertificate).toEqual({ totalHours: 3, byOrganization: [{ organizerOrgUnitId: 'hx-league', hours: 3, records: 1 }] });
    const seen = await ok('the county sees her, unmasked', 'county', '{ volunteer(id: "li-xiaohong") { name phone status verified } }');
    expect(seen.volunteer).toEqual({ name: '李小紅', phone: '13800138000', status: 'ACTIVE', verified: true });
  });

  it('the province records the social channel: a partner via the city, the foundation project', async () => {
    await ok('partner joins', 'province', M('recordCampaignPartner', 'RecordCampaignPartnerInput'), {
      i: { campaignId: 'chunhui-2024', partnerId: 'gy-youth-volunteers', kind: 'SOCIAL_ORGANIZATION', name: '貴陽市青年志願者協會', viaOrgUnitId: 'gy-league' },
    });
    await ok('foundation project', 'province', M('linkFoundationProject', 'LinkFoundationProjectInput'), {
      i: { campaignId: 'chunhui-2024', projectId: 'hot-lunch', foundationName: '貴州省青少年發展基金會', projectRef: 'GZ-HOPE-2024-07', title: '讓山區孩子吃上熱騰騰午飯', pledgedFen: 50_000_000 },
    });
    await ok('funds received', 'province', M('recordFoundationFigure', 'RecordFoundationFigureInput'), {
      i: { campaignId: 'chunhui-2024', projectId: 'hot-lunch', figure: 'RECEIPT', amountFen: 12_000_000, receiptRef: 'R-2024-0615' },
    });
    await ok('beneficiaries', 'province', M('recordFoundationFigure', 'RecordFoundationFigureInput'), {
      i: { campaignId: 'chunhui-2024', projectId: 'hot-lunch', figure: 'BENEFICIARIES', count: 420 },
    });
  });

  it('the provincial unified view shows both sides, the county rolled up through the city exactly once', async () => {
    await e.settle();
    const { mobilizationOverview: o } = await ok('provincial unified view of the campaign', 'province', OVERVIEW, { campaign: 'chunhui-2024' });
    expect(o.unit).toEqual({ orgUnitId: 'gz-league', name: '共青團貴州省委' });
    expect(o.campaign).toEqual({ name: '春暉行動', status: 'Running' });
    expect(o.organizational).toEqual({ tasksIssued: 2, tasksAcknowledged: 2, tasksCompleted: 1, tasksOverdue: 0, unitsActivated: 2, staffDispatched: 12 });
    expect(o.social).toEqual({
      volunteersMobilized: 1, distinctVolunteers: 1, serviceHours: 3, activities: 1, socialOrganizations: 1, enterprises: 0,
      fundsPledged: 500_000, fundsReceived: 120_000, beneficiaries: 420,
    });
    expect(o.own).toEqual({ organizational: { tasksIssued: 0 }, social: { serviceHours: 0 } });
    expect(o.children).toEqual([
      { unit: { orgUnitId: 'gy-league', name: '共青團貴陽市委' }, organizational: { tasksIssued: 2, tasksCompleted: 1, staffDispatched: 12 }, social: { volunteersMobilized: 1, serviceHours: 3 } },
    ]);
    const { mobilizationOverview: city } = await ok('the city level of the same view', 'province', OVERVIEW, { unit: 'gy-league', campaign: 'chunhui-2024' });
    expect(city.own).toEqual({ organizational: { tasksIssued: 1 }, social: { serviceHours: 0 } });
    expect(city.children).toEqual([
      { unit: { orgUnitId: 'hx-league', name: '共青團花溪區委' }, organizational: { tasksIssued: 1, tasksCompleted: 1, staffDispatched: 12 }, social: { volunteersMobilized: 1, serviceHours: 3 } },
    ]);
    // Without a campaign filter: everything mobilized in the province's subtree (the same here).
    const { mobilizationOverview: all } = await ok('provincial unified view, all campaigns', 'province', OVERVIEW, {});
    expect(all.social.serviceHours).toBe(3);
    // Scope: the county cannot look at the province, and an analyst sees the volunteer masked.
    expect(codesOf(await gql('county asks for the province', 'county', OVERVIEW, { unit: 'gz-league' }))).toEqual(['NOT_FOUND']);
    const masked = await ok('a provincial analyst reads the volunteer', 'provinceAnalyst', '{ volunteer(id: "li-xiaohong") { name phone } }');
    expect(masked.volunteer.name).not.toBe('李小紅');
    expect(masked.volunteer.phone).not.toBe('13800138000');
  });

  it('keeps her name and phone out of every read-model table and out of the stored events, and forgets her on request', async () => {
    expect(await scanForPlaintext(e.app.get(DataSource), ['李小紅', '13800138000'])).toEqual([]);
    const [registered] = await e.store.readStream('youth-league.volunteer-li-xiaohong');
    expect(JSON.stringify(registered.data)).not.toContain('李小紅');
    expect(JSON.stringify(registered.data)).not.toContain('13800138000');
    const { volunteer } = await ok('her subject id', 'county', '{ volunteer(id: "li-xiaohong") { subjectId } }');
    await ok('the operator forgets her (PIPL Art 47)', 'operator', 'mutation($i: ForgetSubjectInput!) { forgetSubject(input: $i) { subjectId erasedNow } }', {
      i: { subjectId: volunteer.subjectId, basis: 'PIPL Art 47: volunteer’s request' },
    });
    const after = await ok('the county reads her after erasure', 'county', '{ volunteer(id: "li-xiaohong") { name phone status } volunteerCertificate(volunteerId: "li-xiaohong") { totalHours } }');
    expect(after.volunteer).toEqual({ name: '[已刪除]', phone: '[已刪除]', status: 'ACTIVE' });
    // Her service record stays (ids and hours only).
    expect(after.volunteerCertificate.totalHours).toBe(3);
  });
});
