import { Inject, Injectable, Optional } from '@nestjs/common';
import { andWhereInScope, escapeLike, inScope, ORG_DIRECTORY, OutOfScopeError, systemPrincipal, type OrgDirectory, type Principal } from '@gongzhi/auth';
import { isOverdue, toIsoInstant, type DeadlineClock } from '@gongzhi/deadlines-domain';
import { AggregateReader, CLOCK, type Clock } from '@gongzhi/eventsourcing';
import { InvalidCommandInput, isValidAggregateId } from '@gongzhi/kernel';
import { OrgReadModel } from '@gongzhi/org';
import {
  laborDisputeDecider,
  laborDisputeStream,
  type DisputeCase,
  type DisputeCategory,
  type DisputeStatus,
  type LaborDispute,
} from '@gongzhi/union-domain';
import { Brackets, type DataSource } from 'typeorm';
import { LaborDisputeFactRow, LaborDisputeRow } from '../read-model/labor-dispute.entities';
import { UNION_READ_STORE } from '../tokens';

const WHAT = 'LaborDispute';

export interface LaborDisputeFilter {
  status?: readonly DisputeStatus[] | null;
  /** The org unit whose subtree to list (must lie in the caller's scope). */
  orgUnitId?: string | null;
  group?: boolean | null;
  /** A clock someone owes an act by has passed its due date (evaluated now). */
  overdue?: boolean | null;
  category?: readonly DisputeCategory[] | null;
  /** Filed at or after this instant. */
  filedFrom?: string | null;
  /** Filed before this instant. */
  filedTo?: string | null;
}

/** Keyset cursor of the list (newest filing first). */
export interface DisputeListKey {
  filedAt: string;
  disputeId: string;
}

export interface OpenClockView extends DeadlineClock {
  overdue: boolean;
}

export interface LaborDisputeView {
  disputeId: string;
  case: DisputeCase;
  revision: number;
  /** The instant the answer describes: `asOf`, or now. */
  at: string;
  asOf: string | null;
  /** The union responsible at `at`, with its path then and its name now. */
  responsibleOrgUnit: { id: string; path: string; name: string | null };
  openClocks: OpenClockView[];
}

export interface MonthlyKpis {
  month: string;
  filed: number;
  groupDisputes: number;
  mediatedSuccessfully: number;
  mediationsConcluded: number;
  mediationSuccessRate: number | null;
  awardsIssued: number;
  awardsOnTime: number;
  onTimeAwardRate: number | null;
  closed: number;
  averageDaysToClose: number | null;
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
export const MAX_KPI_MONTHS = 60;

const monthsBetween = (from: string, to: string): string[] => {
  const out: string[] = [];
  let [y, m] = from.split('-').map(Number);
  const [ty, tm] = to.split('-').map(Number);
  while ((y < ty || (y === ty && m <= tm)) && out.length <= MAX_KPI_MONTHS) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    if (m === 12) {
      y += 1;
      m = 1;
    } else {
      m += 1;
    }
  }
  return out;
};

const round = (v: number, digits = 4): number => Math.round(v * 10 ** digits) / 10 ** digits;

/**
 * Reads of the labor-dispute context. Lists and KPIs come from the read model, always filtered
 * by the caller's scope in SQL; a single dispute is folded from its stream, so `asOf` answers
 * exactly what was recorded up to that instant.
 */
@Injectable()
export class LaborDisputeQueries {
  constructor(
    @Inject(UNION_READ_STORE) private readonly ds: DataSource,
    private readonly reader: AggregateReader,
    @Inject(ORG_DIRECTORY) private readonly directory: OrgDirectory,
    @Inject(CLOCK) private readonly clock: Clock,
    @Optional() private readonly orgs?: OrgReadModel,
  ) {}

  now(): string {
    return this.clock.now().toISOString();
  }

  /** The subtree path of an org unit the caller may see, or NOT_FOUND. */
  private async subtree(principal: Principal, orgUnitId: string): Promise<string> {
    const path = await this.directory.resolvePath(orgUnitId);
    if (!path || !inScope(principal, path)) throw new OutOfScopeError('OrgUnit', orgUnitId);
    return path;
  }

  async list(principal: Principal, filter: LaborDisputeFilter, page: { limit: number; after?: DisputeListKey }): Promise<LaborDisputeRow[]> {
    const qb = andWhereInScope(this.ds.getRepository(LaborDisputeRow).createQueryBuilder('d'), principal, 'd.owning_org_path');
    if (filter.orgUnitId) {
      qb.andWhere("d.owning_org_path LIKE :subtree ESCAPE '\\'", { subtree: `${escapeLike(await this.subtree(principal, filter.orgUnitId))}%` });
    }
    if (filter.status?.length) qb.andWhere('d.status IN (:...statuses)', { statuses: [...filter.status] });
    if (filter.category?.length) qb.andWhere('d.category IN (:...categories)', { categories: [...filter.category] });
    if (typeof filter.group === 'boolean') qb.andWhere('d.group_dispute = :group', { group: filter.group });
    if (typeof filter.overdue === 'boolean') {
      const now = this.now();
      qb.andWhere(
        filter.overdue
          ? 'd.next_obligation_due_at IS NOT NULL AND d.next_obligation_due_at <= :now'
          : '(d.next_obligation_due_at IS NULL OR d.next_obligation_due_at > :now)',
        { now },
      );
    }
    if (filter.filedFrom) qb.andWhere('d.filed_at >= :filedFrom', { filedFrom: instant(filter.filedFrom, 'filedFrom') });
    if (filter.filedTo) qb.andWhere('d.filed_at < :filedTo', { filedTo: instant(filter.filedTo, 'filedTo') });
    if (page.after) {
      qb.andWhere(
        new Brackets((w) =>
          w
            .where('d.filed_at < :afterFiled', { afterFiled: page.after?.filedAt })
            .orWhere('(d.filed_at = :afterFiled AND d.dispute_id < :afterId)', { afterFiled: page.after?.filedAt, afterId: page.after?.disputeId }),
        ),
      );
    }
    return qb.orderBy('d.filed_at', 'DESC').addOrderBy('d.dispute_id', 'DESC').take(page.limit).getMany();
  }

  /**
   * One dispute, now or as of an instant. Visible when the caller's scope covers the union
   * responsible now, or (with `asOf`) the one responsible then: a county that handed a case on
   * can still answer for the time it held it.
   */
  async get(principal: Principal, disputeId: string, asOf?: string | null): Promise<LaborDisputeView> {
    if (!isValidAggregateId(disputeId)) throw new OutOfScopeError(WHAT, disputeId);
    const stream = laborDisputeStream(disputeId);
    const current = await this.reader.load<LaborDispute, any>(laborDisputeDecider, stream);
    if (current.state.status === 'None') throw new OutOfScopeError(WHAT, disputeId);
    const currentPath = (await this.directory.resolvePath(current.state.orgUnitId)) ?? current.state.orgUnitPath;
    const at = asOf ? instant(asOf, 'asOf') : this.now();
    const then = asOf ? await this.reader.aggregateAsOf<LaborDispute, any>(laborDisputeDecider, stream, at) : current;
    if (then.state.status === 'None') throw new OutOfScopeError(WHAT, disputeId);
    const pathThen = asOf ? then.state.orgUnitPath : currentPath;
    if (!inScope(principal, currentPath) && !inScope(principal, pathThen)) throw new OutOfScopeError(WHAT, disputeId);
    const s = then.state;
    const name = this.orgs ? ((await this.orgs.orgUnitsByIds(systemPrincipal('union-queries'), [s.orgUnitId])).get(s.orgUnitId)?.name ?? null) : null;
    return {
      disputeId,
      case: s,
      revision: then.revision,
      at,
      asOf: asOf ? at : null,
      responsibleOrgUnit: { id: s.orgUnitId, path: pathThen, name },
      openClocks: Object.values(s.clocks)
        .map((c) => ({ ...c, overdue: c.expiry === 'overdue' && isOverdue(c, at) }))
        .sort((a, b) => a.dueAt.localeCompare(b.dueAt)),
    };
  }

  /**
   * Monthly KPIs of an org unit's subtree, restricted to the caller's scope: filed, group
   * disputes, successful mediations and their rate among concluded ones, awards on time and their
   * rate, closings and the average days from filing to closing.
   */
  async kpis(principal: Principal, input: { orgUnitId: string; fromMonth: string; toMonth: string }): Promise<MonthlyKpis[]> {
    if (!MONTH.test(input.fromMonth) || !MONTH.test(input.toMonth) || input.fromMonth > input.toMonth) {
      throw new InvalidCommandInput('fromMonth and toMonth must be YYYY-MM, fromMonth not after toMonth');
    }
    const months = monthsBetween(input.fromMonth, input.toMonth);
    if (months.length > MAX_KPI_MONTHS) throw new InvalidCommandInput(`At most ${MAX_KPI_MONTHS} months at a time`);
    const subtree = await this.subtree(principal, input.orgUnitId);
    const qb = andWhereInScope(this.ds.getRepository(LaborDisputeFactRow).createQueryBuilder('f'), principal, 'f.owning_org_path')
      .andWhere("f.owning_org_path LIKE :subtree ESCAPE '\\'", { subtree: `${escapeLike(subtree)}%` })
      .andWhere('f.month >= :fromMonth AND f.month <= :toMonth', { fromMonth: input.fromMonth, toMonth: input.toMonth })
      .select('f.month', 'month')
      .addSelect('f.kind', 'kind')
      .addSelect('COUNT(*)', 'n')
      .addSelect('SUM(f.value)', 'total')
      .groupBy('f.month')
      .addGroupBy('f.kind');
    const raw: { month: string; kind: string; n: string | number; total: string | number | null }[] = await qb.getRawMany();
    const cell = (month: string, kind: string) => {
      const r = raw.find((x) => x.month === month && x.kind === kind);
      return { n: r ? Number(r.n) : 0, total: r ? Number(r.total ?? 0) : 0 };
    };
    return months.map((month) => {
      const agreed = cell(month, 'mediation-agreed').n;
      const failed = cell(month, 'mediation-failed').n;
      const awards = cell(month, 'award');
      const closed = cell(month, 'closed');
      return {
        month,
        filed: cell(month, 'filed').n,
        groupDisputes: cell(month, 'group-filed').n,
        mediatedSuccessfully: agreed,
        mediationsConcluded: agreed + failed,
        mediationSuccessRate: agreed + failed > 0 ? round(agreed / (agreed + failed)) : null,
        awardsIssued: awards.n,
        awardsOnTime: awards.total,
        onTimeAwardRate: awards.n > 0 ? round(awards.total / awards.n) : null,
        closed: closed.n,
        averageDaysToClose: closed.n > 0 ? round(closed.total / closed.n, 1) : null,
      };
    });
  }
}

const instant = (value: string, field: string): string => {
  if (Number.isNaN(Date.parse(value))) throw new InvalidCommandInput(`${field} must be an ISO-8601 instant`);
  return toIsoInstant(value);
};
