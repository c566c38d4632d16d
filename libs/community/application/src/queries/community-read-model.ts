import { Inject, Injectable } from '@nestjs/common';
import { can, escapeLike, ForbiddenError, inScope, OutOfScopeError, Permission, scopePredicate, type Principal } from '@gongzhi/auth';
import { incidentStream, INCIDENT_STATUSES, InvalidCommunityInput, type IncidentChannel, type IncidentStatus } from '@gongzhi/community-domain';
import { AggregateReader, CLOCK, type Clock } from '@gongzhi/eventsourcing';
import { isValidAggregateId } from '@gongzhi/kernel';
import { OrgTree } from '@gongzhi/org';
import { Brackets, DataSource, type SelectQueryBuilder } from 'typeorm';
import { GridRow } from '../read-model/grid.entities';
import { IncidentKpiRow, IncidentRow } from '../read-model/incident.entities';
import { COMMUNITY_READ_STORE } from '../tokens';
import { incidentViewFold, type IncidentView } from '../view/incident-view';

export interface IncidentBoardFilter {
  /** Only incidents owned or handled inside this org unit's subtree. */
  underOrgUnitId?: string | null;
  gridId?: string | null;
  statuses?: IncidentStatus[] | null;
  categoryCode?: string | null;
  channel?: IncidentChannel | null;
  /** true: the running time limit has passed now; false: it has not (or there is none). */
  overdue?: boolean | null;
  /** true: sent back for rework at least once. */
  reworked?: boolean | null;
  supervised?: boolean | null;
  open?: boolean | null;
}

export interface BoardCursor {
  reportedAt: string;
  incidentId: string;
}

export type KpiLevel = 'community' | 'grid';

export interface KpiFigures {
  reported: number;
  responded: number;
  filed: number;
  closed: number;
  closedOnTime: number;
  closedReworked: number;
  reworkOrders: number;
  overdue: number;
  supervised: number;
  satisfactionAsked: number;
  satisfactionYes: number;
  /** 結案率 closed / filed in the period (may pass 1 when older cases close). */
  closureRate: number | null;
  /** 按期結案率 closed on time / closed. */
  onTimeClosureRate: number | null;
  /** 返工率 closed after at least one rework / closed. */
  reworkRate: number | null;
  /** 回訪滿意率 satisfied or basically satisfied / callbacks and evaluations that asked. */
  satisfactionRate: number | null;
  /** 響應率 reports of the period that got a first response / reported. */
  responseRate: number | null;
}

export interface KpiLine extends KpiFigures {
  orgUnitId: string;
  level: KpiLevel;
  communityId: string;
  month: string;
}

export interface KpiReport {
  underOrgUnitId: string;
  fromMonth: string;
  toMonth: string;
  level: KpiLevel;
  lines: KpiLine[];
  total: KpiFigures;
}

const COUNTS = [
  'reported',
  'responded',
  'filed',
  'closed',
  'closedOnTime',
  'closedReworked',
  'reworkOrders',
  'overdue',
  'supervised',
  'satisfactionAsked',
  'satisfactionYes',
] as const;

const ratio = (a: number, b: number): number | null => (b === 0 ? null : Math.round((a / b) * 10_000) / 10_000);

export const kpiFigures = (c: Record<(typeof COUNTS)[number], number>): KpiFigures => ({
  ...c,
  closureRate: ratio(c.closed, c.filed),
  onTimeClosureRate: ratio(c.closedOnTime, c.closed),
  reworkRate: ratio(c.closedReworked, c.closed),
  satisfactionRate: ratio(c.satisfactionYes, c.satisfactionAsked),
  responseRate: ratio(c.responded, c.reported),
});

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/**
 * Every read of the community tables, each filtered by the caller's scope in SQL. An incident is
 * visible where it is owned (its grid or community) and where it is being handled (a
 * department it was dispatched to); single-object reads answer NOT_FOUND for "missing" and
 * "outside" alike.
 */
@Injectable()
export class CommunityReadModel {
  constructor(
    @Inject(COMMUNITY_READ_STORE) private readonly ds: DataSource,
    private readonly reader: AggregateReader,
    private readonly tree: OrgTree,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  now(): string {
    return this.clock.now().toISOString();
  }

  private visibleIncidents(principal: Principal): SelectQueryBuilder<IncidentRow> {
    const owner = scopePredicate(principal, 'i.owning_org_path', 'own');
    const handler = scopePredicate(principal, 'i.responsible_path', 'resp');
    return this.ds
      .getRepository(IncidentRow)
      .createQueryBuilder('i')
      .andWhere(new Brackets((q) => q.where(owner.sql, owner.params).orWhere(handler.sql, handler.params)));
  }

  /** The path of a unit the caller can see, or NOT_FOUND. */
  async visibleUnitPath(principal: Principal, orgUnitId: string, what = 'OrgUnit'): Promise<string> {
    const unit = await this.tree.unit(orgUnitId);
    if (!unit || !inScope(principal, unit.path)) throw new OutOfScopeError(what, orgUnitId);
    return unit.path;
  }

  /** The board, newest report first; `after` is the last row of the previous page. */
  async incidents(principal: Principal, filter: IncidentBoardFilter, page: { limit: number; after?: BoardCursor }): Promise<IncidentRow[]> {
    const qb = this.visibleIncidents(principal);
    if (filter.underOrgUnitId) {
      const under = `${escapeLike(await this.visibleUnitPath(principal, filter.underOrgUnitId))}%`;
      qb.andWhere(new Brackets((q) => q.where("i.owning_org_path LIKE :under ESCAPE '\\'", { under }).orWhere("i.responsible_path LIKE :under ESCAPE '\\'", { under })));
    }
    if (filter.gridId) qb.andWhere('i.grid_id = :gridId', { gridId: filter.gridId });
    if (filter.statuses?.length) {
      const bad = filter.statuses.find((s) => !(INCIDENT_STATUSES as readonly string[]).includes(s));
      if (bad) throw new InvalidCommunityInput(`Unknown status ${bad}`, { field: 'statuses' });
      qb.andWhere('i.status IN (:...statuses)', { statuses: filter.statuses });
    }
    if (filter.categoryCode) qb.andWhere('i.category_code = :categoryCode', { categoryCode: filter.categoryCode });
    if (filter.channel) qb.andWhere('i.channel = :channel', { channel: filter.channel });
    if (filter.open !== undefined && filter.open !== null) qb.andWhere('i.open = :open', { open: filter.open });
    if (filter.reworked !== undefined && filter.reworked !== null) qb.andWhere(filter.reworked ? 'i.rework_count > 0' : 'i.rework_count = 0');
    if (filter.supervised !== undefined && filter.supervised !== null) qb.andWhere(filter.supervised ? 'i.supervision_count > 0' : 'i.supervision_count = 0');
    if (filter.overdue !== undefined && filter.overdue !== null) {
      // Overdue is a fact of now, not stored: the running limit's end has passed.
      const overdueSql = "(i.clock_status = 'running' AND i.due_at <= :now)";
      qb.andWhere(filter.overdue ? overdueSql : `NOT ${overdueSql}`, { now: this.now() });
    }
    if (page.after) {
      qb.andWhere(
        new Brackets((q) =>
          q
            .where('i.reported_at < :afterAt', { afterAt: page.after?.reportedAt })
            .orWhere(new Brackets((q2) => q2.where('i.reported_at = :afterAt', { afterAt: page.after?.reportedAt }).andWhere('i.incident_id < :afterId', { afterId: page.after?.incidentId }))),
        ),
      );
    }
    return qb.orderBy('i.reported_at', 'DESC').addOrderBy('i.incident_id', 'DESC').take(page.limit).getMany();
  }

  async incidentRow(principal: Principal, incidentId: string): Promise<IncidentRow | undefined> {
    return (await this.visibleIncidents(principal).andWhere('i.incident_id = :incidentId', { incidentId }).getOne()) ?? undefined;
  }

  /**
   * The incident folded from its stream: now, or as it stood at `asOf` (who was responsible on
   * date T). Visible when its current owner or handler is in scope.
   */
  async incident(principal: Principal, incidentId: string, asOf?: string | null): Promise<IncidentView> {
    if (!isValidAggregateId(incidentId)) throw new OutOfScopeError('Incident', incidentId);
    const stream = incidentStream(incidentId);
    const current = (await this.reader.load(incidentViewFold, stream)).state;
    const visible = current.exists && (inScope(principal, current.orgUnitPath) || (current.responsiblePath !== null && inScope(principal, current.responsiblePath)));
    if (!visible) throw new OutOfScopeError('Incident', incidentId);
    if (!asOf) return current;
    const past = (await this.reader.aggregateAsOf(incidentViewFold, stream, asOf)).state;
    if (!past.exists) throw new OutOfScopeError('Incident', incidentId);
    return past;
  }

  async grids(
    principal: Principal,
    options: { communityId?: string | null; includeRetired?: boolean | null; afterGridId?: string | null; limit: number },
  ): Promise<GridRow[]> {
    const scope = scopePredicate(principal, 'g.owning_org_path', 'scope');
    const qb = this.ds.getRepository(GridRow).createQueryBuilder('g').where(scope.sql, scope.params);
    if (options.communityId) {
      await this.visibleUnitPath(principal, options.communityId, 'Community');
      qb.andWhere('g.community_id = :communityId', { communityId: options.communityId });
    }
    if (!options.includeRetired) qb.andWhere('g.status = :active', { active: 'active' });
    if (options.afterGridId) qb.andWhere('g.grid_id > :after', { after: options.afterGridId });
    return qb.orderBy('g.grid_id', 'ASC').take(options.limit).getMany();
  }

  async grid(principal: Principal, gridId: string): Promise<GridRow | undefined> {
    const scope = scopePredicate(principal, 'g.owning_org_path', 'scope');
    return (
      (await this.ds.getRepository(GridRow).createQueryBuilder('g').where(scope.sql, scope.params).andWhere('g.grid_id = :gridId', { gridId }).getOne()) ??
      undefined
    );
  }

  /**
   * KPIs of the communities (or grids) under a unit, per month, with their total. Needs
   * analytics:read at that unit: a street office's officer sees its communities; a sibling
   * street office gets NOT_FOUND, as for any unit outside its scope.
   */
  async kpis(principal: Principal, q: { underOrgUnitId: string; fromMonth: string; toMonth: string; level?: KpiLevel | null }): Promise<KpiReport> {
    if (!MONTH.test(q.fromMonth) || !MONTH.test(q.toMonth) || q.fromMonth > q.toMonth) {
      throw new InvalidCommunityInput('Months are YYYY-MM, fromMonth not after toMonth', { field: 'fromMonth' });
    }
    const path = await this.visibleUnitPath(principal, q.underOrgUnitId);
    if (!can(principal, Permission.AnalyticsRead, path)) throw new ForbiddenError(`Permission ${Permission.AnalyticsRead} is required here`);
    const level: KpiLevel = q.level ?? 'community';
    const scope = scopePredicate(principal, 'k.owning_org_path', 'scope');
    const rows = await this.ds
      .getRepository(IncidentKpiRow)
      .createQueryBuilder('k')
      .where(scope.sql, scope.params)
      .andWhere("k.owning_org_path LIKE :under ESCAPE '\\'", { under: `${escapeLike(path)}%` })
      .andWhere('k.level = :level', { level })
      .andWhere('k.month >= :fromMonth AND k.month <= :toMonth', { fromMonth: q.fromMonth, toMonth: q.toMonth })
      .orderBy('k.month', 'ASC')
      .addOrderBy('k.org_unit_id', 'ASC')
      .getMany();
    const zero = Object.fromEntries(COUNTS.map((c) => [c, 0])) as Record<(typeof COUNTS)[number], number>;
    const total = { ...zero };
    for (const r of rows) for (const c of COUNTS) total[c] += r[c];
    return {
      underOrgUnitId: q.underOrgUnitId,
      fromMonth: q.fromMonth,
      toMonth: q.toMonth,
      level,
      lines: rows.map((r) => ({
        orgUnitId: r.orgUnitId,
        level: r.level as KpiLevel,
        communityId: r.communityId,
        month: r.month,
        ...kpiFigures(Object.fromEntries(COUNTS.map((c) => [c, r[c]])) as Record<(typeof COUNTS)[number], number>),
      })),
      total: kpiFigures(total),
    };
  }
}
