import { randomUUID } from 'node:crypto';
import { Role, buildPrincipal, type Principal } from '@gongzhi/auth';
import type { EventStore } from '@gongzhi/event-store';
import { ORG_READ_MODEL_ENTITIES } from '@gongzhi/org';
import { createOrgTestApp, createScopeTree, type OrgTestApp, type ScopeTree } from '@gongzhi/org/testing';
import { ProjectionRunner } from '@gongzhi/projections';
import type { DataSourceOptions } from 'typeorm';
import { MOBILIZATION_ENTITIES } from '../mobilization.entities';
import { MobilizationModule, MOBILIZATION_PROJECTION } from '../mobilization.module';
import { MobilizationView } from '../mobilization-view';

/**
 * The view fed the way production feeds it: events of other contexts appended to the log by
 * type name (this library imports none of them), the org context's own projection for the tree.
 */
export interface MobilizationHarness {
  org: OrgTestApp;
  runner: ProjectionRunner;
  view: MobilizationView;
  tree: ScopeTree;
  at: (level: keyof ScopeTree['paths'], roles?: Role[]) => Principal;
  append(streamId: string, type: string, data: Record<string, unknown>, options: { path: string; at: string }): Promise<void>;
  settle(): Promise<void>;
  close(): Promise<void>;
}

export const createMobilizationHarness = async (dataSourceOptions?: Omit<DataSourceOptions, 'entities'>): Promise<MobilizationHarness> => {
  const org = await createOrgTestApp({
    imports: [MobilizationModule.forRoot()],
    dataSourceOptions: {
      ...((dataSourceOptions ?? { type: 'better-sqlite3', database: ':memory:' }) as DataSourceOptions),
      entities: [...ORG_READ_MODEL_ENTITIES, ...MOBILIZATION_ENTITIES],
    } as DataSourceOptions,
  });
  const runner = new ProjectionRunner({ projection: org.app.get(MOBILIZATION_PROJECTION), store: org.store as EventStore, dataSource: org.dataSource, leaseMs: 3_000 });
  await runner.start();
  const tree = await createScopeTree(org.commandBus);
  const settle = async () => {
    const head = await org.store.headPosition();
    await org.settle();
    await runner.waitForPosition(head, { timeoutMs: 15_000, pollMs: 5 });
  };
  await settle();
  return {
    org,
    runner,
    view: org.app.get(MobilizationView),
    tree,
    at: (level, roles = [Role.LeagueOfficer]) =>
      buildPrincipal({ userId: `officer@${tree.ids[level]}`, roles, orgUnitId: tree.ids[level], orgUnitPath: tree.paths[level] }),
    append: async (streamId, type, data, { path, at }) => {
      await org.store.appendToStream(streamId, [
        {
          id: randomUUID(),
          type,
          data: data as never,
          metadata: { commandId: randomUUID(), correlationId: 'mob-test', causationId: 'mob-test', actor: { userId: 'test' }, orgUnitPath: path, occurredAt: at, schemaVersion: 1 },
        },
      ]);
    },
    settle,
    close: async () => {
      await runner.stop();
      await org.close();
    },
  };
};

/** Times of the story, in order. */
export const T = {
  planned: '2024-03-01T00:00:00.000Z',
  issued: '2024-03-02T00:00:00.000Z',
  acknowledged: '2024-03-03T00:00:00.000Z',
  published: '2024-03-04T00:00:00.000Z',
  signedUp: '2024-03-05T00:00:00.000Z',
  linked: '2024-03-06T00:00:00.000Z',
  served: '2024-03-10T00:00:00.000Z',
  completed: '2024-04-01T00:00:00.000Z',
  corrected: '2024-04-02T00:00:00.000Z',
  overdue: '2024-05-01T00:00:00.000Z',
  funds: '2024-05-02T00:00:00.000Z',
};

/**
 * 春暉行動 owned by the province: tasks to the city, county A (completed) and county B
 * (overdue); volunteer service organized by community A (linked to the campaign) and by county B
 * (not linked); a partner via the city, an enterprise via county A; the foundation at the province.
 */
export const appendStory = async (h: MobilizationHarness): Promise<void> => {
  const { paths, ids } = h.tree;
  const c = 'youth-league.campaign-c1';
  const task = (taskId: string, level: 'city' | 'countyA' | 'countyB', issuer: 'province' | 'city') => ({
    campaignId: 'c1', taskId, parentTaskId: null, issuerOrgUnitId: ids[issuer], issuerPath: paths[issuer], assigneeOrgUnitId: ids[level], assigneePath: paths[level],
    title: '春暉使者聯絡站', quota: { target: 3, unit: '站' }, deadline: '2024-04-30T16:00:00.000Z', issuedAt: T.issued,
  });
  const taskFacts = (taskId: string, level: 'city' | 'countyA' | 'countyB') => ({ campaignId: 'c1', taskId, assigneeOrgUnitId: ids[level], assigneePath: paths[level] });
  const on = (path: string, at: string) => ({ path, at });
  await h.append(c, 'CampaignPlanned', { campaignId: 'c1', name: '春暉行動', brand: 'chunhui', description: 'x', ownerOrgUnitId: ids.province, ownerPath: paths.province, startsOn: '2024-03-01', endsOn: '2024-12-31', plannedAt: T.planned }, on(paths.province, T.planned));
  await h.append(c, 'CampaignTaskIssued', task('t-city', 'city', 'province'), on(paths.province, T.issued));
  await h.append(c, 'CampaignTaskIssued', task('t-a', 'countyA', 'city'), on(paths.province, T.issued));
  await h.append(c, 'CampaignTaskIssued', task('t-b', 'countyB', 'city'), on(paths.province, T.issued));
  await h.append(c, 'CampaignTaskAcknowledged', { ...taskFacts('t-city', 'city'), at: T.acknowledged }, on(paths.province, T.acknowledged));
  await h.append(c, 'CampaignTaskAcknowledged', { ...taskFacts('t-a', 'countyA'), at: T.acknowledged }, on(paths.province, T.acknowledged));
  await h.append(c, 'CampaignStaffDispatched', { campaignId: 'c1', taskId: 't-a', orgUnitId: ids.countyA, orgUnitPath: paths.countyA, count: 5, purpose: '走訪', at: T.acknowledged }, on(paths.province, T.acknowledged));

  const a1 = 'youth-league.activity-a1';
  const a2 = 'youth-league.activity-a2';
  await h.append(a1, 'ActivityPublished', { activityId: 'a1', organizerOrgUnitId: ids.communityA, organizerPath: paths.communityA }, on(paths.communityA, T.published));
  await h.append(a2, 'ActivityPublished', { activityId: 'a2', organizerOrgUnitId: ids.countyB, organizerPath: paths.countyB }, on(paths.countyB, T.published));
  await h.append(a1, 'VolunteerSignedUp', { activityId: 'a1', volunteerId: 'v1', via: 'self' }, on(paths.communityA, T.signedUp));
  await h.append(a1, 'VolunteerSignedUp', { activityId: 'a1', volunteerId: 'v2', via: 'self' }, on(paths.communityA, T.signedUp));
  await h.append(a1, 'SignUpWithdrawn', { activityId: 'a1', volunteerId: 'v2', reason: null }, on(paths.communityA, T.linked));
  await h.append(a2, 'VolunteerSignedUp', { activityId: 'a2', volunteerId: 'v1', via: 'self' }, on(paths.countyB, T.signedUp));
  await h.append(c, 'CampaignActivityLinked', { campaignId: 'c1', activityId: 'a1', organizerOrgUnitId: ids.communityA, organizerPath: paths.communityA, at: T.linked }, on(paths.province, T.linked));
  await h.append(a1, 'ServiceHoursRecorded', { activityId: 'a1', recordId: 'r1', volunteerId: 'v1', organizerOrgUnitId: ids.communityA, organizerPath: paths.communityA, minutes: 120 }, on(paths.communityA, T.served));
  await h.append(a2, 'ServiceHoursRecorded', { activityId: 'a2', recordId: 'r2', volunteerId: 'v1', organizerOrgUnitId: ids.countyB, organizerPath: paths.countyB, minutes: 60 }, on(paths.countyB, T.served));
  await h.append(c, 'CampaignTaskCompleted', { ...taskFacts('t-a', 'countyA'), achieved: 3, late: false, at: T.completed }, on(paths.province, T.completed));
  await h.append(a1, 'HoursCorrected', { activityId: 'a1', requestId: 'q1', recordId: 'r1', volunteerId: 'v1', organizerOrgUnitId: ids.communityA, organizerPath: paths.communityA, previousMinutes: 120, correctedMinutes: 150, deltaMinutes: 30 }, on(paths.communityA, T.corrected));
  await h.append(c, 'CampaignTaskOverdue', { ...taskFacts('t-b', 'countyB'), deadline: '2024-04-30T16:00:00.000Z', at: T.overdue }, on(paths.province, T.overdue));
  await h.append(c, 'CampaignPartnerJoined', { campaignId: 'c1', partnerId: 'p1', kind: 'social-organization', name: '青年志願者協會', partnerOrgUnitId: null, viaOrgUnitId: ids.city, viaPath: paths.city, contribution: null, at: T.funds }, on(paths.province, T.funds));
  await h.append(c, 'CampaignPartnerJoined', { campaignId: 'c1', partnerId: 'p2', kind: 'enterprise', name: '凱迪綠色能源', partnerOrgUnitId: null, viaOrgUnitId: ids.countyA, viaPath: paths.countyA, contribution: null, at: T.funds }, on(paths.province, T.funds));
  await h.append(c, 'FoundationProjectLinked', { campaignId: 'c1', projectId: 'fp1', foundationName: '青基會', projectRef: 'R1', title: '午餐', pledgedFen: 1_000_000, viaOrgUnitId: ids.province, viaPath: paths.province, at: T.funds }, on(paths.province, T.funds));
  await h.append(c, 'FoundationFundsReceived', { campaignId: 'c1', projectId: 'fp1', amountFen: 300_000, receiptRef: 'R-1', viaPath: paths.province, at: T.funds }, on(paths.province, T.funds));
  await h.append(c, 'FoundationBeneficiariesReported', { campaignId: 'c1', projectId: 'fp1', count: 50, note: null, viaPath: paths.province, at: T.funds }, on(paths.province, T.funds));
  // Not a mobilization event: the view ignores it.
  await h.append('union.labor-dispute-d1', 'DisputeFiled', { disputeId: 'd1' }, on(paths.countyA, T.funds));
  await h.settle();
};
