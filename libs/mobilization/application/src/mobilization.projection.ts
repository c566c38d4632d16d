import type { RecordedEvent } from '@gongzhi/event-store';
import { defineProjection, upsertRows, type Projection, type ProjectionContext } from '@gongzhi/projections';
import type { EntityManager } from 'typeorm';
import { DEFAULT_FACT_MAPPERS, type FactMapper } from './fact-mappers';
import { MobilizationCampaignActivityRow, MobilizationCampaignRow, MobilizationFactRow, MOBILIZATION_ENTITIES } from './mobilization.entities';

export const MOBILIZATION_PROJECTION_NAME = 'mobilization-view';

const CAMPAIGN_STATUS: Record<string, string> = {
  CampaignApproved: 'Approved',
  CampaignLaunched: 'Launched',
  CampaignStarted: 'Running',
  CampaignClosingStarted: 'Closing',
  CampaignClosed: 'Closed',
  CampaignEvaluated: 'Evaluated',
};
const ORG_UNIT_MOVED = 'OrgUnitMoved';

const occurredAt = (e: RecordedEvent): string => {
  const raw = (e.metadata as { occurredAt?: unknown }).occurredAt;
  const ms = typeof raw === 'string' ? Date.parse(raw) : Number.NaN;
  return new Date(Number.isNaN(ms) ? e.recordedAt.getTime() : ms).toISOString();
};

const escapeLike = (value: string): string => value.replace(/[\\%_]/g, (c) => `\\${c}`);

const rewritePaths = async (em: EntityManager, ctx: ProjectionContext, from: string, to: string): Promise<void> => {
  for (const [entity, column] of [
    [MobilizationFactRow, 'org_unit_path'],
    [MobilizationCampaignRow, 'owner_path'],
  ] as const) {
    const sql = `UPDATE ${ctx.tableName(entity)} SET ${column} = :to || substr(${column}, :cut) WHERE ${column} LIKE :prefix ESCAPE '\\'`;
    const [text, values] = em.connection.driver.escapeQueryWithParameters(sql, { to, cut: from.length + 1, prefix: `${escapeLike(from)}%` }, {});
    await em.query(text, values);
  }
};

/**
 * The unified mobilization view's read model, fed by the global log of every context by event
 * type name. Facts of a batch are written in one bulk upsert keyed by event id, so a replayed
 * batch (SP-1) or a rebuild (SP-4) writes identical rows. A unit's move rewrites the paths of
 * its subtree's facts in order with the other events.
 */
export const mobilizationProjection = (mappers: Readonly<Record<string, FactMapper>> = DEFAULT_FACT_MAPPERS): Projection =>
  defineProjection({
    name: MOBILIZATION_PROJECTION_NAME,
    version: 1,
    handles: [...new Set([...Object.keys(mappers), 'CampaignPlanned', 'CampaignActivityLinked', ...Object.keys(CAMPAIGN_STATUS), ORG_UNIT_MOVED])],
    entities: MOBILIZATION_ENTITIES,
    async apply(events: RecordedEvent[], em: EntityManager, ctx: ProjectionContext) {
      let facts: MobilizationFactRow[] = [];
      const flush = async () => {
        await upsertRows(em, ctx.target(MobilizationFactRow), facts, ['id']);
        facts = [];
      };
      for (const e of events) {
        const at = occurredAt(e);
        const data = (e.data ?? {}) as Record<string, any>;
        if (e.type === ORG_UNIT_MOVED) {
          // Facts gathered so far in this batch go in first, so the move rewrites them too.
          await flush();
          if (data.previousPath && data.path && data.previousPath !== data.path) await rewritePaths(em, ctx, data.previousPath, data.path);
          continue;
        }
        if (e.type === 'CampaignPlanned') {
          await ctx.repository(MobilizationCampaignRow).save({
            id: data.campaignId, name: data.name, brand: data.brand, ownerOrgUnitId: data.ownerOrgUnitId, ownerPath: data.ownerPath, status: 'Planned', plannedAt: at,
          });
        } else if (CAMPAIGN_STATUS[e.type]) {
          await ctx.repository(MobilizationCampaignRow).update({ id: data.campaignId }, { status: CAMPAIGN_STATUS[e.type] });
        } else if (e.type === 'CampaignActivityLinked') {
          await ctx.repository(MobilizationCampaignActivityRow).save({
            id: `${data.campaignId}/${data.activityId}`, campaignId: data.campaignId, activityId: data.activityId, linkedAt: at,
          });
        }
        const mapper = mappers[e.type];
        if (!mapper) continue;
        mapper(e).forEach((f, i) => {
          // A fact without a place in the tree cannot be rolled up; it is left out rather than guessed.
          if (typeof f.orgUnitPath !== 'string' || !f.orgUnitPath.startsWith('/') || !Number.isFinite(f.value)) return;
          facts.push({
            id: `${e.id}#${i}`,
            metric: f.metric,
            value: f.value,
            subject: f.subject ?? null,
            orgUnitPath: f.orgUnitPath,
            campaignId: f.campaignId ?? null,
            activityId: f.activityId ?? null,
            occurredAt: at,
            eventType: e.type,
          });
        });
      }
      await flush();
    },
  });
