import { Inject, Injectable } from '@nestjs/common';
import { inScope, OutOfScopeError, scopePredicate, type Principal } from '@gongzhi/auth';
import { Brackets, type DataSource, type ObjectLiteral, type SelectQueryBuilder } from 'typeorm';
import {
  ActivityRow,
  CampaignLinkRow,
  CampaignRow,
  CampaignTaskRow,
  CorrectionRequestRow,
  HourEntryRow,
  ParticipationRow,
  TimeBankAccountRow,
  TimeBankPostingRow,
  TimeBankRow,
  VolunteerRow,
} from '../read-model/league.entities';
import { LEAGUE_READ_STORE } from '../read-store.token';

export interface Page {
  /** Keyset cursor: the sort key of the last row of the previous page. */
  after?: string | null;
  limit: number;
}

export interface CertificateLine {
  organizerOrgUnitId: string;
  minutes: number;
  records: number;
  corrections: number;
  firstServiceDate: string;
  lastServiceDate: string;
}

export interface VolunteerCertificate {
  volunteerId: string;
  asOf: string;
  totalMinutes: number;
  byOrganization: CertificateLine[];
  pendingCorrections: number;
}

const MAX_BATCH = 500;
const chunks = <T>(items: readonly T[]): T[][] => {
  const unique = [...new Set(items)];
  const out: T[][] = [];
  for (let i = 0; i < unique.length; i += MAX_BATCH) out.push(unique.slice(i, i + MAX_BATCH));
  return out;
};

/**
 * Every read of the league tables, each filtered by the caller's scope in SQL (RELIABILITY.md §3,
 * layer 2): a row outside it is never loaded. Single lookups answer undefined for "missing" and
 * "outside" alike. Two documented widenings: a volunteer reads their own record, participations
 * and certificate; published activities that are recruiting are public (志願服務條例 Art 12).
 */
@Injectable()
export class LeagueReadModel {
  constructor(@Inject(LEAGUE_READ_STORE) private readonly ds: DataSource) {}

  private scoped<E extends ObjectLiteral>(entity: new () => E, alias: string, principal: Principal, column = 'owning_org_path', prefix = 'scope'): SelectQueryBuilder<E> {
    const { sql, params } = scopePredicate(principal, `${alias}.${column}`, prefix);
    return this.ds.getRepository(entity).createQueryBuilder(alias).where(new Brackets((qb) => qb.where(sql, params)));
  }

  private page<E extends ObjectLiteral>(qb: SelectQueryBuilder<E>, key: string, page: Page): Promise<E[]> {
    if (page.after) qb.andWhere(`${key} > :after`, { after: page.after });
    return qb.orderBy(key, 'ASC').take(page.limit).getMany();
  }

  // Volunteers --------------------------------------------------------------------------------

  /** A volunteer in scope, or the caller's own volunteer record. */
  async volunteer(principal: Principal, id: string): Promise<VolunteerRow | undefined> {
    const row = await this.ds.getRepository(VolunteerRow).findOneBy({ id });
    return row && (inScope(principal, row.owningOrgPath) || row.accountUserId === principal.userId) ? row : undefined;
  }

  async volunteersByIds(principal: Principal, ids: readonly string[]): Promise<Map<string, VolunteerRow>> {
    const out = new Map<string, VolunteerRow>();
    for (const part of chunks(ids)) {
      for (const row of await this.scoped(VolunteerRow, 'v', principal).andWhere('v.id IN (:...ids)', { ids: part }).getMany()) out.set(row.id, row);
    }
    return out;
  }

  volunteers(principal: Principal, filter: { status?: string | null; underPath?: string | null }, page: Page): Promise<VolunteerRow[]> {
    const qb = this.scoped(VolunteerRow, 'v', principal);
    if (filter.status) qb.andWhere('v.status = :status', { status: filter.status });
    if (filter.underPath) qb.andWhere("v.owning_org_path LIKE :under ESCAPE '\\'", { under: `${escapeLike(filter.underPath)}%` });
    return this.page(qb, 'v.id', page);
  }

  /** The volunteer records whose account is the caller's (normally one). */
  myVolunteerRecords(principal: Principal): Promise<VolunteerRow[]> {
    return this.ds.getRepository(VolunteerRow).find({ where: { accountUserId: principal.userId }, order: { id: 'ASC' }, take: 10 });
  }

  // Activities --------------------------------------------------------------------------------

  async activity(principal: Principal, id: string): Promise<ActivityRow | undefined> {
    const row = await this.ds.getRepository(ActivityRow).findOneBy({ id });
    return row && (inScope(principal, row.owningOrgPath) || row.status === 'Recruiting') ? row : undefined;
  }

  activities(principal: Principal, filter: { status?: string | null; underPath?: string | null }, page: Page): Promise<ActivityRow[]> {
    const qb = this.scoped(ActivityRow, 'a', principal);
    if (filter.status) qb.andWhere('a.status = :status', { status: filter.status });
    if (filter.underPath) qb.andWhere("a.owning_org_path LIKE :under ESCAPE '\\'", { under: `${escapeLike(filter.underPath)}%` });
    return this.page(qb, 'a.id', page);
  }

  /** Recruiting activities anywhere: what a volunteer browses to sign up (public by Art 12). */
  openActivities(page: Page): Promise<ActivityRow[]> {
    const qb = this.ds.getRepository(ActivityRow).createQueryBuilder('a').where('a.status = :status', { status: 'Recruiting' });
    return this.page(qb, 'a.id', page);
  }

  participationsOfActivity(principal: Principal, activityId: string, page: Page): Promise<ParticipationRow[]> {
    return this.page(this.scoped(ParticipationRow, 'p', principal).andWhere('p.activity_id = :activityId', { activityId }), 'p.id', page);
  }

  /** Where a volunteer took part: for the volunteer themself or officers of their home subtree. */
  async participationsOfVolunteer(principal: Principal, volunteerId: string, page: Page): Promise<ParticipationRow[]> {
    if (!(await this.volunteer(principal, volunteerId))) throw new OutOfScopeError('Volunteer', volunteerId);
    const qb = this.ds.getRepository(ParticipationRow).createQueryBuilder('p').where('p.volunteer_id = :volunteerId', { volunteerId });
    return this.page(qb, 'p.id', page);
  }

  correctionRequests(principal: Principal, filter: { status?: string | null; activityId?: string | null }, page: Page): Promise<CorrectionRequestRow[]> {
    const qb = this.scoped(CorrectionRequestRow, 'c', principal);
    if (filter.status) qb.andWhere('c.status = :status', { status: filter.status });
    if (filter.activityId) qb.andWhere('c.activity_id = :activityId', { activityId: filter.activityId });
    return this.page(qb, 'c.id', page);
  }

  /**
   * 志願服務記錄證明: a volunteer's recorded hours by organizing unit (誰記錄誰證明), records and
   * corrections summed, as of an instant. For the volunteer and their home subtree's officers.
   */
  async certificate(principal: Principal, volunteerId: string, asOf: string): Promise<VolunteerCertificate> {
    if (!(await this.volunteer(principal, volunteerId))) throw new OutOfScopeError('Volunteer', volunteerId);
    const rows = await this.ds
      .getRepository(HourEntryRow)
      .createQueryBuilder('h')
      .select('h.organizer_org_unit_id', 'organizer')
      .addSelect('SUM(h.minutes)', 'minutes')
      .addSelect("SUM(CASE WHEN h.kind = 'record' THEN 1 ELSE 0 END)", 'records')
      .addSelect("SUM(CASE WHEN h.kind = 'correction' THEN 1 ELSE 0 END)", 'corrections')
      .addSelect('MIN(h.service_date)', 'first')
      .addSelect('MAX(h.service_date)', 'last')
      .where('h.volunteer_id = :volunteerId', { volunteerId })
      .andWhere('h.occurred_at <= :asOf', { asOf })
      .groupBy('h.organizer_org_unit_id')
      .orderBy('h.organizer_org_unit_id', 'ASC')
      .getRawMany<{ organizer: string; minutes: string | number; records: string | number; corrections: string | number; first: string; last: string }>();
    const pending = await this.ds
      .getRepository(CorrectionRequestRow)
      .createQueryBuilder('c')
      .where('c.volunteer_id = :volunteerId', { volunteerId })
      .andWhere('c.requested_at <= :asOf', { asOf })
      .andWhere(new Brackets((qb) => qb.where("c.status = 'pending'").orWhere('c.resolved_at > :asOf', { asOf })))
      .getCount();
    const byOrganization = rows.map((r) => ({
      organizerOrgUnitId: r.organizer,
      minutes: Number(r.minutes),
      records: Number(r.records),
      corrections: Number(r.corrections),
      firstServiceDate: r.first,
      lastServiceDate: r.last,
    }));
    return { volunteerId, asOf, totalMinutes: byOrganization.reduce((s, l) => s + l.minutes, 0), byOrganization, pendingCorrections: pending };
  }

  // Time bank ---------------------------------------------------------------------------------

  async timeBank(principal: Principal, id: string): Promise<TimeBankRow | undefined> {
    return (await this.scoped(TimeBankRow, 'b', principal).andWhere('b.id = :id', { id }).getOne()) ?? undefined;
  }

  timeBanks(principal: Principal, page: Page): Promise<TimeBankRow[]> {
    return this.page(this.scoped(TimeBankRow, 'b', principal), 'b.id', page);
  }

  /** Accounts the caller may see: all of a bank they oversee, else those of members in their scope. */
  private accountsQuery(principal: Principal) {
    const own = scopePredicate(principal, 't.owning_org_path', 'own');
    const bank = scopePredicate(principal, 't.bank_path', 'bank');
    return this.ds
      .getRepository(TimeBankAccountRow)
      .createQueryBuilder('t')
      .where(new Brackets((qb) => qb.where(own.sql, own.params).orWhere(bank.sql, bank.params)));
  }

  async timeBankAccount(principal: Principal, bankId: string, accountId: string): Promise<TimeBankAccountRow | undefined> {
    return (await this.accountsQuery(principal).andWhere('t.id = :id', { id: `${bankId}/${accountId}` }).getOne()) ?? undefined;
  }

  timeBankAccounts(principal: Principal, filter: { bankId?: string | null; volunteerId?: string | null }, page: Page): Promise<TimeBankAccountRow[]> {
    const qb = this.accountsQuery(principal);
    if (filter.bankId) qb.andWhere('t.bank_id = :bankId', { bankId: filter.bankId });
    if (filter.volunteerId) qb.andWhere('t.volunteer_id = :volunteerId', { volunteerId: filter.volunteerId });
    return this.page(qb, 't.id', page);
  }

  /** The account's balance as of an instant: the sum of its postings up to it. */
  async balanceAsOf(bankId: string, accountId: string, asOf: string): Promise<number> {
    const raw = await this.ds
      .getRepository(TimeBankPostingRow)
      .createQueryBuilder('p')
      .select('COALESCE(SUM(p.delta_minutes), 0)', 'balance')
      .where('p.bank_id = :bankId AND p.account_id = :accountId AND p.occurred_at <= :asOf', { bankId, accountId, asOf })
      .getRawOne<{ balance: string | number }>();
    return Number(raw?.balance ?? 0);
  }

  /** Sum of all balances of a bank as of an instant: zero, by double entry. */
  async bankTotalAsOf(bankId: string, asOf: string): Promise<number> {
    const raw = await this.ds
      .getRepository(TimeBankPostingRow)
      .createQueryBuilder('p')
      .select('COALESCE(SUM(p.delta_minutes), 0)', 'total')
      .where('p.bank_id = :bankId AND p.occurred_at <= :asOf', { bankId, asOf })
      .getRawOne<{ total: string | number }>();
    return Number(raw?.total ?? 0);
  }

  /** An account's postings, newest last; the cursor is `<occurredAt>|<position>`. Check visibility first. */
  postings(bankId: string, accountId: string, page: Page): Promise<TimeBankPostingRow[]> {
    const qb = this.ds
      .getRepository(TimeBankPostingRow)
      .createQueryBuilder('p')
      .where('p.bank_id = :bankId AND p.account_id = :accountId', { bankId, accountId });
    if (page.after) qb.andWhere("(p.occurred_at || '|' || p.position) > :after", { after: page.after });
    return qb.orderBy('p.occurred_at', 'ASC').addOrderBy('p.position', 'ASC').take(page.limit).getMany();
  }

  // Campaigns ---------------------------------------------------------------------------------

  /** Visible when owned in scope, or when one of its tasks is (a county sees the campaign it works for). */
  async campaign(principal: Principal, id: string): Promise<CampaignRow | undefined> {
    const row = await this.ds.getRepository(CampaignRow).findOneBy({ id });
    if (!row) return undefined;
    if (inScope(principal, row.owningOrgPath)) return row;
    const task = await this.scoped(CampaignTaskRow, 'k', principal).andWhere('k.campaign_id = :id', { id }).getOne();
    return task ? row : undefined;
  }

  campaigns(principal: Principal, filter: { status?: string | null; brand?: string | null }, page: Page): Promise<CampaignRow[]> {
    const own = scopePredicate(principal, 'c.owning_org_path', 'own');
    const tasks = scopePredicate(principal, 'k.owning_org_path', 'task');
    const qb = this.ds
      .getRepository(CampaignRow)
      .createQueryBuilder('c')
      .where(
        new Brackets((w) =>
          w.where(own.sql, own.params).orWhere(
            `EXISTS (SELECT 1 FROM ${this.ds.getMetadata(CampaignTaskRow).tablePath} k WHERE k.campaign_id = c.id AND ${tasks.sql})`,
            tasks.params,
          ),
        ),
      );
    if (filter.status) qb.andWhere('c.status = :status', { status: filter.status });
    if (filter.brand) qb.andWhere('c.brand = :brand', { brand: filter.brand });
    return this.page(qb, 'c.id', page);
  }

  /** Tasks in scope; by campaign, by assignee unit path, open only. Cursor: the row key. */
  campaignTasks(
    principal: Principal,
    filter: { campaignId?: string | null; underPath?: string | null; openOnly?: boolean | null; parentTaskId?: string | null },
    page: Page,
  ): Promise<CampaignTaskRow[]> {
    const qb = this.scoped(CampaignTaskRow, 'k', principal);
    if (filter.campaignId) qb.andWhere('k.campaign_id = :campaignId', { campaignId: filter.campaignId });
    if (filter.underPath) qb.andWhere("k.owning_org_path LIKE :under ESCAPE '\\'", { under: `${escapeLike(filter.underPath)}%` });
    if (filter.parentTaskId) qb.andWhere('k.parent_task_id = :parent', { parent: filter.parentTaskId });
    if (filter.openOnly) qb.andWhere("k.status <> 'Completed' AND k.overdue = :no", { no: false });
    return this.page(qb, 'k.id', page);
  }

  /** The campaign's social references the caller may see (all of them for the owner's scope). */
  async campaignLinks(principal: Principal, campaign: CampaignRow, kind: string, page: Page): Promise<CampaignLinkRow[]> {
    const qb = inScope(principal, campaign.owningOrgPath)
      ? this.ds.getRepository(CampaignLinkRow).createQueryBuilder('l').where('1 = 1')
      : this.scoped(CampaignLinkRow, 'l', principal);
    qb.andWhere('l.campaign_id = :campaignId AND l.kind = :kind', { campaignId: campaign.id, kind });
    return this.page(qb, 'l.id', page);
  }
}

const escapeLike = (value: string): string => value.replace(/[\\%_]/g, (c) => `\\${c}`);
