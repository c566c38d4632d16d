import { Inject, Injectable } from '@nestjs/common';
import { inScope, OutOfScopeError, scopePredicate, type Principal } from '@gongzhi/auth';
import { CLOCK, type Clock } from '@gongzhi/eventsourcing';
import { OrgReadModel, type OrgUnitRow } from '@gongzhi/org';
import { Brackets, type DataSource, type SelectQueryBuilder } from 'typeorm';
import { METRICS } from './fact-mappers';
import { InvalidPeriod } from './mobilization.errors';
import { MobilizationCampaignActivityRow, MobilizationCampaignRow, MobilizationFactRow } from './mobilization.entities';

export const MOBILIZATION_READ_STORE = Symbol('MOBILIZATION_READ_STORE');

/** 組織化動員: through the hierarchy. */
export interface OrganizationalFigures {
  tasksIssued: number;
  tasksAcknowledged: number;
  tasksCompleted: number;
  tasksOverdue: number;
  /** Distinct units that acknowledged a task. */
  unitsActivated: number;
  staffDispatched: number;
}

/** 社會化動員: volunteers, social organizations, enterprises, the foundation. */
export interface SocialFigures {
  /** Sign-ups (人次), withdrawals taken back. */
  volunteersMobilized: number;
  /** Distinct volunteers with a standing sign-up (人數). */
  distinctVolunteers: number;
  serviceMinutes: number;
  activities: number;
  socialOrganizations: number;
  enterprises: number;
  foundationProjects: number;
  fundsPledgedFen: number;
  fundsReceivedFen: number;
  beneficiaries: number;
}

export interface Figures {
  organizational: OrganizationalFigures;
  social: SocialFigures;
}

export interface UnitRef {
  orgUnitId: string;
  name: string;
  path: string;
  kind: string;
}

export interface UnitFigures extends Figures {
  unit: UnitRef;
}

export interface ViewFilter {
  campaignId?: string | null;
  /** Inclusive start of the period (ISO instant); none: from the beginning. */
  from?: string | null;
  /** Exclusive end of the period; none: up to asOf. */
  to?: string | null;
  /** Only what had happened by then (default: now). */
  asOf?: string | null;
}

export interface MobilizationOverview extends UnitFigures {
  campaign: MobilizationCampaignRow | null;
  from: string | null;
  to: string | null;
  asOf: string;
  /** Facts recorded at the unit itself, not below it. */
  own: Figures;
  /** Each child unit with its whole subtree: own + Σ children = the unit's additive figures. */
  children: UnitFigures[];
}

export interface PeriodFigures extends Figures {
  from: string;
  to: string;
}

export type Granularity = 'day' | 'month';
type Query = { campaignId: string | null; from: string | null; to: string | null; asOf: string };
const MAX_BUCKETS = 62;
const ROOT: UnitRef = { orgUnitId: 'root', name: '全部', path: '/', kind: 'root' };

const toInstant = (value: string | null | undefined, field: string): string | null => {
  if (value === null || value === undefined || value === '') return null;
  const ms = Date.parse(value);
  if (Number.isNaN(ms) || !/T/.test(value)) throw new InvalidPeriod(`${field} must be an ISO-8601 instant`, { field });
  return new Date(ms).toISOString();
};

const escapeLike = (value: string): string => value.replace(/[\\%_]/g, (c) => `\\${c}`);

const unitRef = (row: OrgUnitRow): UnitRef => ({ orgUnitId: row.id, name: row.name, path: row.path, kind: row.kind });

/**
 * The unified mobilization view (組織化動員 + 社會化動員 side by side) for an org unit and its
 * whole subtree, optionally for one campaign, over a period and as of an instant. Every query
 * carries the caller's scope predicate; the unit asked about must be visible (NOT_FOUND
 * otherwise). Roll-ups are sums over a path prefix, so each fact counts once at every level.
 */
@Injectable()
export class MobilizationView {
  constructor(
    @Inject(MOBILIZATION_READ_STORE) private readonly ds: DataSource,
    private readonly org: OrgReadModel,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async overview(principal: Principal, orgUnitId: string | null | undefined, filter: ViewFilter): Promise<MobilizationOverview> {
    const asOf = toInstant(filter.asOf, 'asOf') ?? this.clock.now().toISOString();
    const from = toInstant(filter.from, 'from');
    const to = toInstant(filter.to, 'to');
    if (from && to && from >= to) throw new InvalidPeriod('from must precede to', { field: 'to' });
    const campaign = filter.campaignId ? await this.campaignFor(principal, filter.campaignId) : null;
    const root = await this.rootUnit(principal, orgUnitId ?? (campaign && inScope(principal, campaign.ownerPath) ? campaign.ownerOrgUnitId : principal.orgUnitId));
    if (campaign && !inScope(principal, campaign.ownerPath) && !(await this.hasFacts(principal, root.path, campaign.id, asOf))) {
      throw new OutOfScopeError('Campaign', campaign.id);
    }
    const q = { campaignId: campaign?.id ?? null, from, to, asOf };
    const children = root.path === '/' ? await this.topLevelUnits(principal) : ((await this.org.childrenOf(principal, [root.orgUnitId], true)).get(root.orgUnitId) ?? []).map(unitRef);
    const [total, own, ...perChild] = await Promise.all([
      this.figures(principal, { prefix: root.path }, q),
      this.figures(principal, { exact: root.path }, q),
      ...children.map((c) => this.figures(principal, { prefix: c.path }, q)),
    ]);
    return {
      unit: root,
      ...total,
      campaign,
      from,
      to,
      asOf,
      own,
      children: children.map((unit, i) => ({ unit, ...perChild[i] })),
    };
  }

  /** The root unit's figures per day or month (UTC+8 calendar) between `from` and `to`. */
  async series(principal: Principal, orgUnitId: string | null | undefined, filter: ViewFilter & { granularity: Granularity }): Promise<PeriodFigures[]> {
    const asOf = toInstant(filter.asOf, 'asOf') ?? this.clock.now().toISOString();
    const from = toInstant(filter.from, 'from');
    const to = toInstant(filter.to, 'to') ?? asOf;
    if (!from) throw new InvalidPeriod('A series needs from', { field: 'from' });
    if (from >= to) throw new InvalidPeriod('from must precede to', { field: 'to' });
    const campaign = filter.campaignId ? await this.campaignFor(principal, filter.campaignId) : null;
    const root = await this.rootUnit(principal, orgUnitId ?? principal.orgUnitId);
    const buckets = bucketsOf(from, to, filter.granularity);
    return Promise.all(
      buckets.map(async (b) => ({ ...b, ...(await this.figures(principal, { prefix: root.path }, { campaignId: campaign?.id ?? null, from: b.from, to: b.to, asOf })) })),
    );
  }

  private async campaignFor(principal: Principal, campaignId: string): Promise<MobilizationCampaignRow> {
    const row = await this.ds.getRepository(MobilizationCampaignRow).findOneBy({ id: campaignId });
    if (!row) throw new OutOfScopeError('Campaign', campaignId);
    return row;
  }

  private async rootUnit(principal: Principal, orgUnitId: string): Promise<UnitRef> {
    if (orgUnitId === 'root') {
      if (!inScope(principal, '/')) throw new OutOfScopeError('OrgUnit', orgUnitId);
      return ROOT;
    }
    const row = await this.org.orgUnit(principal, orgUnitId);
    if (!row) throw new OutOfScopeError('OrgUnit', orgUnitId);
    return unitRef(row);
  }

  private async topLevelUnits(principal: Principal): Promise<UnitRef[]> {
    const rows = await this.org.orgUnits(principal, { limit: 500, includeRetired: true });
    return rows.filter((r) => r.parentId === null).map(unitRef);
  }

  private async hasFacts(principal: Principal, path: string, campaignId: string, asOf: string): Promise<boolean> {
    const qb = this.facts(principal, { prefix: path }, { campaignId, from: null, to: null, asOf });
    return (await qb.select('f.id').limit(1).getRawOne()) !== undefined;
  }

  private facts(principal: Principal, where: { prefix?: string; exact?: string }, q: Query): SelectQueryBuilder<MobilizationFactRow> {
    return this.filtered(this.ds.getRepository(MobilizationFactRow).createQueryBuilder('f'), principal, where, q);
  }

  /** The facts of a subtree (or of one unit), in the caller's scope, for a campaign, a period, as of an instant. */
  private filtered<Q extends SelectQueryBuilder<any>>(qb: Q, principal: Principal, where: { prefix?: string; exact?: string }, q: Query): Q {
    const scope = scopePredicate(principal, 'f.org_unit_path', 'scope');
    qb.where(new Brackets((w) => w.where(scope.sql, scope.params)))
      .andWhere('f.occurred_at <= :asOf', { asOf: q.asOf });
    if (where.exact !== undefined) qb.andWhere('f.org_unit_path = :exact', { exact: where.exact });
    else qb.andWhere("f.org_unit_path LIKE :prefix ESCAPE '\\'", { prefix: `${escapeLike(where.prefix ?? '/')}%` });
    if (q.from) qb.andWhere('f.occurred_at >= :from', { from: q.from });
    if (q.to) qb.andWhere('f.occurred_at < :to', { to: q.to });
    if (q.campaignId) {
      const links = this.ds.getMetadata(MobilizationCampaignActivityRow).tablePath;
      qb.andWhere(
        new Brackets((w) =>
          w
            .where('f.campaign_id = :campaignId', { campaignId: q.campaignId })
            .orWhere(`f.activity_id IN (SELECT l.activity_id FROM ${links} l WHERE l.campaign_id = :campaignId AND l.linked_at <= :asOf)`),
        ),
      );
    }
    return qb;
  }

  async figures(principal: Principal, where: { prefix?: string; exact?: string }, q: Query): Promise<Figures> {
    const sums = await this.facts(principal, where, q).select('f.metric', 'metric').addSelect('SUM(f.value)', 'total').groupBy('f.metric').getRawMany<{ metric: string; total: string | number }>();
    const distinct = await this.facts(principal, where, q)
      .select('f.metric', 'metric')
      .addSelect('COUNT(DISTINCT f.subject)', 'n')
      .andWhere('f.metric IN (:...metrics)', { metrics: [METRICS.unitActivated, METRICS.socialOrganizationJoined, METRICS.enterpriseJoined] })
      .groupBy('f.metric')
      .getRawMany<{ metric: string; n: string | number }>();
    // Volunteers whose sign-ups, withdrawals taken back, still add up to at least one.
    const standing = await this.ds
      .createQueryBuilder()
      .select('COUNT(*)', 'n')
      .from(
        (sub) =>
          this.filtered(sub.from(MobilizationFactRow, 'f'), principal, where, q)
            .select('f.subject', 'subject')
            .andWhere('f.metric = :signUps', { signUps: METRICS.volunteerSignUps })
            .groupBy('f.subject')
            .having('SUM(f.value) > 0'),
        'standing',
      )
      .getRawOne<{ n: string | number }>();
    const distinctVolunteers = Number(standing?.n ?? 0);

    const sum = (m: string) => Number(sums.find((r) => r.metric === m)?.total ?? 0);
    const count = (m: string) => Number(distinct.find((r) => r.metric === m)?.n ?? 0);
    return {
      organizational: {
        tasksIssued: sum(METRICS.tasksIssued),
        tasksAcknowledged: sum(METRICS.tasksAcknowledged),
        tasksCompleted: sum(METRICS.tasksCompleted),
        tasksOverdue: sum(METRICS.tasksOverdue),
        unitsActivated: count(METRICS.unitActivated),
        staffDispatched: sum(METRICS.staffDispatched),
      },
      social: {
        volunteersMobilized: sum(METRICS.volunteerSignUps),
        distinctVolunteers,
        serviceMinutes: sum(METRICS.serviceMinutes),
        activities: sum(METRICS.activities),
        socialOrganizations: count(METRICS.socialOrganizationJoined),
        enterprises: count(METRICS.enterpriseJoined),
        foundationProjects: sum(METRICS.foundationProjects),
        fundsPledgedFen: sum(METRICS.fundsPledgedFen),
        fundsReceivedFen: sum(METRICS.fundsReceivedFen),
        beneficiaries: sum(METRICS.beneficiaries),
      },
    };
  }
}

const LOCAL_OFFSET_MS = 8 * 3_600_000;

/** Calendar buckets in UTC+8 (no DST in China) covering [from, to). */
export const bucketsOf = (from: string, to: string, granularity: Granularity): { from: string; to: string }[] => {
  const out: { from: string; to: string }[] = [];
  const local = new Date(Date.parse(from) + LOCAL_OFFSET_MS);
  let y = local.getUTCFullYear();
  let m = local.getUTCMonth();
  let d = granularity === 'day' ? local.getUTCDate() : 1;
  const start = (yy: number, mm: number, dd: number) => new Date(Date.UTC(yy, mm, dd) - LOCAL_OFFSET_MS).toISOString();
  let cursor = start(y, m, d);
  while (cursor < to) {
    if (granularity === 'day') d += 1;
    else m += 1;
    const next = start(y, m, d);
    out.push({ from: cursor < from ? from : cursor, to: next > to ? to : next });
    if (out.length > MAX_BUCKETS) throw new InvalidPeriod(`At most ${MAX_BUCKETS} periods per series`, { field: 'granularity' });
    cursor = next;
    const n = new Date(Date.parse(next) + LOCAL_OFFSET_MS);
    [y, m, d] = [n.getUTCFullYear(), n.getUTCMonth(), n.getUTCDate()];
  }
  return out;
};
