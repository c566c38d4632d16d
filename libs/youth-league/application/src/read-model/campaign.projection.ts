import type { RecordedEvent } from '@gongzhi/event-store';
import { defineProjection, type Projection, type ProjectionContext } from '@gongzhi/projections';
import { CAMPAIGN_EVENT_TYPES, type CampaignEvent } from '@gongzhi/youth-league-domain';
import type { EntityManager } from 'typeorm';
import { CampaignLinkRow, CampaignRow, CampaignTaskRow } from './league.entities';
import { dataOf, occurredAt, ORG_UNIT_MOVED, rewriteMovedPaths } from './projection-support';

export const CAMPAIGN_PROJECTION_NAME = 'league-campaigns';

type Data<T extends CampaignEvent['type']> = Extract<CampaignEvent, { type: T }>['data'];

export const taskKey = (campaignId: string, taskId: string): string => `${campaignId}/${taskId}`;
export const linkKey = (campaignId: string, kind: string, refId: string): string => `${campaignId}/${kind}/${refId}`;

const STATUS: Partial<Record<CampaignEvent['type'], string>> = {
  CampaignApproved: 'Approved',
  CampaignLaunched: 'Launched',
  CampaignStarted: 'Running',
  CampaignClosingStarted: 'Closing',
  CampaignClosed: 'Closed',
  CampaignEvaluated: 'Evaluated',
};

/** Campaigns, their tasks (owned by the assignee's subtree) and their social-channel references. */
export const campaignProjection = (): Projection =>
  defineProjection({
    name: CAMPAIGN_PROJECTION_NAME,
    version: 1,
    handles: [...CAMPAIGN_EVENT_TYPES, ORG_UNIT_MOVED],
    entities: [CampaignRow, CampaignTaskRow, CampaignLinkRow],
    async apply(events: RecordedEvent[], em: EntityManager, ctx: ProjectionContext) {
      for (const e of events) await applyOne(e, em, ctx);
    },
  });

const applyOne = async (e: RecordedEvent, em: EntityManager, ctx: ProjectionContext): Promise<void> => {
  const campaigns = ctx.repository(CampaignRow);
  const tasks = ctx.repository(CampaignTaskRow);
  const links = ctx.repository(CampaignLinkRow);
  const at = occurredAt(e);
  if (e.type === ORG_UNIT_MOVED) {
    await rewriteMovedPaths(em, ctx, e, [
      { entity: CampaignRow, columns: ['owning_org_path'] },
      { entity: CampaignTaskRow, columns: ['owning_org_path', 'issuer_path'] },
      { entity: CampaignLinkRow, columns: ['owning_org_path'] },
    ]);
    return;
  }
  const type = e.type as CampaignEvent['type'];
  const campaignId = dataOf<{ campaignId: string }>(e).campaignId;
  if (type === 'CampaignPlanned') {
    const d = dataOf<Data<'CampaignPlanned'>>(e);
    await campaigns.save({
      id: d.campaignId, name: d.name, brand: d.brand, description: d.description, ownerOrgUnitId: d.ownerOrgUnitId, owningOrgPath: d.ownerPath,
      status: 'Planned', channels: '[]', startsOn: d.startsOn, endsOn: d.endsOn, rating: null, evaluationSummary: null, plannedAt: at, updatedAt: at, revision: e.revision,
    });
    return;
  }
  const campaign = await campaigns.findOneBy({ id: campaignId });
  if (!campaign) throw new Error(`${e.type} for a campaign never planned: ${campaignId}`);
  const change: Partial<CampaignRow> = { updatedAt: at, revision: e.revision };
  if (STATUS[type]) change.status = STATUS[type];
  const taskId = dataOf<{ taskId?: string }>(e).taskId;
  const updateTask = (values: Partial<CampaignTaskRow>) => tasks.update({ id: taskKey(campaignId, taskId ?? '') }, { ...values, updatedAt: at });
  switch (type) {
    case 'CampaignLaunched':
      change.channels = JSON.stringify(dataOf<Data<'CampaignLaunched'>>(e).channels);
      break;
    case 'CampaignEvaluated': {
      const d = dataOf<Data<'CampaignEvaluated'>>(e);
      change.rating = d.rating;
      change.evaluationSummary = d.summary;
      break;
    }
    case 'CampaignTaskIssued': {
      const d = dataOf<Data<'CampaignTaskIssued'>>(e);
      await tasks.save({
        id: taskKey(d.campaignId, d.taskId), campaignId: d.campaignId, taskId: d.taskId, parentTaskId: d.parentTaskId, campaignName: campaign.name,
        issuerOrgUnitId: d.issuerOrgUnitId, issuerPath: d.issuerPath, assigneeOrgUnitId: d.assigneeOrgUnitId, owningOrgPath: d.assigneePath,
        title: d.title, quotaTarget: d.quota.target, quotaUnit: d.quota.unit, achieved: 0, deadline: d.deadline, status: 'Issued', overdue: false,
        late: false, staffDispatched: 0, issuedAt: at, acknowledgedAt: null, completedAt: null, updatedAt: at,
      });
      break;
    }
    case 'CampaignTaskAcknowledged':
      await updateTask({ status: 'Acknowledged', acknowledgedAt: at });
      break;
    case 'CampaignTaskProgressReported':
      await updateTask({ achieved: dataOf<Data<'CampaignTaskProgressReported'>>(e).achieved });
      break;
    case 'CampaignTaskCompleted': {
      const d = dataOf<Data<'CampaignTaskCompleted'>>(e);
      await updateTask({ status: 'Completed', achieved: d.achieved, late: d.late, completedAt: at });
      break;
    }
    case 'CampaignTaskOverdue':
      await updateTask({ overdue: true });
      break;
    case 'CampaignStaffDispatched': {
      const row = await tasks.findOneBy({ id: taskKey(campaignId, taskId ?? '') });
      if (row) await updateTask({ staffDispatched: row.staffDispatched + dataOf<Data<'CampaignStaffDispatched'>>(e).count });
      break;
    }
    case 'CampaignActivityLinked': {
      const d = dataOf<Data<'CampaignActivityLinked'>>(e);
      await links.save(link(campaignId, 'activity', d.activityId, d.organizerPath, d.organizerOrgUnitId, at, {}));
      break;
    }
    case 'CampaignPartnerJoined': {
      const d = dataOf<Data<'CampaignPartnerJoined'>>(e);
      await links.save(link(campaignId, 'partner', d.partnerId, d.viaPath, d.viaOrgUnitId, at, { name: d.name, partnerKind: d.kind, contribution: d.contribution }));
      break;
    }
    case 'FoundationProjectLinked': {
      const d = dataOf<Data<'FoundationProjectLinked'>>(e);
      await links.save(
        link(campaignId, 'foundation-project', d.projectId, d.viaPath, d.viaOrgUnitId, at, {
          name: d.title, foundationName: d.foundationName, projectRef: d.projectRef, pledgedFen: d.pledgedFen,
        }),
      );
      break;
    }
    case 'FoundationPledgeRecorded':
    case 'FoundationFundsReceived':
    case 'FoundationBeneficiariesReported': {
      const d = dataOf<{ projectId: string; amountFen?: number; count?: number }>(e);
      const id = linkKey(campaignId, 'foundation-project', d.projectId);
      const row = await links.findOneBy({ id });
      if (!row) break;
      if (type === 'FoundationPledgeRecorded') await links.update({ id }, { pledgedFen: row.pledgedFen + (d.amountFen ?? 0) });
      else if (type === 'FoundationFundsReceived') await links.update({ id }, { receivedFen: row.receivedFen + (d.amountFen ?? 0) });
      else await links.update({ id }, { beneficiaries: row.beneficiaries + (d.count ?? 0) });
      break;
    }
  }
  await campaigns.update({ id: campaignId }, change);
};

const link = (
  campaignId: string,
  kind: string,
  refId: string,
  path: string,
  orgUnitId: string,
  at: string,
  extra: Partial<CampaignLinkRow>,
): CampaignLinkRow => ({
  id: linkKey(campaignId, kind, refId),
  campaignId,
  kind,
  refId,
  name: null,
  partnerKind: null,
  foundationName: null,
  projectRef: null,
  contribution: null,
  owningOrgPath: path,
  orgUnitId,
  pledgedFen: 0,
  receivedFen: 0,
  beneficiaries: 0,
  linkedAt: at,
  ...extra,
});
