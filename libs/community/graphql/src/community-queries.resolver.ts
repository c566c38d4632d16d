import { Optional } from '@nestjs/common';
import { Args, Context, ID, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { correlationIdOf, CurrentUser, OutOfScopeError, Permission, RequirePermission, type Principal } from '@gongzhi/auth';
import {
  CategoryCatalogue,
  CommunityReadModel,
  type BoardCursor,
  type GridRow,
  type IncidentRow,
  type IncidentView,
  type KpiLevel,
} from '@gongzhi/community';
import { BadUserInputError, decodeCursor, PageArgs, pageSize, toConnection, type ConnectionShape } from '@gongzhi/graphql';
import { ERASED_PLACEHOLDER, isErasedPersonalData, isIsoInstant, isPersonalData, type PersonalValue } from '@gongzhi/kernel';
import { maskFor, PersonalDataReader, type PersonalDataKind } from '@gongzhi/privacy';
import { IncidentFilterInput } from './community.inputs';
import {
  Grid,
  GridConnection,
  Incident,
  IncidentCategory,
  IncidentConnection,
  IncidentSummary,
  KpiLevelEnum,
  KpiReport,
  Reporter,
} from './community.types';

/** The view behind an Incident object, kept for the field resolvers that need more than the DTO. */
const VIEW = Symbol('incident-view');
type IncidentObject = Incident & { [VIEW]: IncidentView };

const isOverdue = (status: string | null | undefined, dueAt: string | null | undefined, now: string): boolean =>
  status === 'running' && typeof dueAt === 'string' && Date.parse(now) >= Date.parse(dueAt);

export const toSummary = (row: IncidentRow, now: string): IncidentSummary => ({
  id: row.incidentId,
  channel: row.channel,
  status: row.status,
  open: row.open,
  communityId: row.communityId,
  gridId: row.gridId,
  responsibleOrgUnitId: row.responsibleOrgUnitId,
  categoryCode: row.categoryCode,
  categoryName: row.categoryName,
  ticketNumber: row.ticketNumber,
  address: row.address,
  description: row.description,
  reportedAt: row.reportedAt,
  dueAt: row.dueAt,
  timeLimitStatus: row.clockStatus,
  overdue: isOverdue(row.clockStatus, row.dueAt, now),
  wasLate: row.wasLate,
  reworkCount: row.reworkCount,
  supervisionCount: row.supervisionCount,
  supervisionLevel: row.supervisionLevel,
  satisfaction: row.satisfaction,
  closedAt: row.closedAt,
  closedOnTime: row.closedOnTime,
  duplicateOf: row.duplicateOf,
  revision: row.revision,
});

const toIncident = (view: IncidentView, now: string): IncidentObject => ({
  [VIEW]: view,
  id: view.incidentId,
  channel: view.channel,
  status: view.status,
  open: view.open,
  communityId: view.communityId,
  gridId: view.gridId,
  path: view.orgUnitPath,
  responsibleOrgUnitId: view.responsibleOrgUnitId,
  category: view.category,
  hotlineCategory: view.hotlineCategory,
  ticketNumber: view.ticketNumber,
  matterType: view.matterType,
  callerRef: view.callerRef,
  location: view.location,
  description: view.description,
  photoRefs: view.photoRefs,
  externalRef: view.externalRef,
  reportedAt: view.reportedAt,
  timeLimit: view.timeLimit ? { ...view.timeLimit, overdue: isOverdue(view.timeLimit.status, view.timeLimit.dueAt, now) } : null,
  reworkCount: view.reworkCount,
  wasOverdue: view.wasOverdue,
  supervisions: view.supervisions,
  duplicateOf: view.duplicateOf,
  duplicates: view.duplicates,
  handlings: view.handlings,
  satisfaction: view.satisfaction,
  evaluation: view.evaluation,
  closedAt: view.closedAt,
  revision: view.revision,
  timeline: view.timeline,
});

const toGrid = (row: GridRow): Grid => ({
  id: row.gridId,
  communityId: row.communityId,
  name: row.name,
  area: row.area,
  workerStaffId: row.workerStaffId,
  supervisionPhone: row.supervisionPhone,
  status: row.status.toUpperCase(),
  path: row.owningOrgPath,
  definedAt: row.definedAt,
  revision: row.revision,
});

const MONTH = /^\d{4}-\d{2}$/;

/**
 * Reads of grids, incidents and KPIs. Everything goes through the scoped read model: outside the
 * caller's scope an incident or grid is NOT_FOUND by id and absent from lists.
 */
@Resolver(() => Incident)
export class CommunityQueriesResolver {
  constructor(
    private readonly reads: CommunityReadModel,
    private readonly catalogue: CategoryCatalogue,
    @Optional() private readonly personalData?: PersonalDataReader,
  ) {}

  @Query(() => IncidentConnection, { description: 'The incident board of the caller’s scope, newest report first.' })
  async incidents(
    @CurrentUser() principal: Principal,
    @Args() page: PageArgs,
    @Args('filter', { type: () => IncidentFilterInput, nullable: true }) filter?: IncidentFilterInput | null,
  ): Promise<ConnectionShape<IncidentSummary>> {
    const size = pageSize(page.first);
    const after = decodeCursor<[string, string]>(page.after);
    if (after !== undefined && (!Array.isArray(after) || after.length !== 2 || !after.every((x) => typeof x === 'string'))) {
      throw new BadUserInputError('Invalid cursor');
    }
    const rows = await this.reads.incidents(
      principal,
      {
        underOrgUnitId: filter?.under ?? null,
        gridId: filter?.gridId ?? null,
        statuses: filter?.statuses ?? null,
        categoryCode: filter?.categoryCode ?? null,
        channel: filter?.channel ?? null,
        overdue: filter?.overdue ?? null,
        reworked: filter?.reworked ?? null,
        supervised: filter?.supervised ?? null,
        open: filter?.open ?? null,
      },
      { limit: size + 1, ...(after ? { after: { reportedAt: after[0], incidentId: after[1] } satisfies BoardCursor } : {}) },
    );
    const now = this.reads.now();
    return toConnection(
      rows.map((r) => toSummary(r, now)),
      size,
      (s) => [s.reportedAt, s.id],
    );
  }

  @Query(() => Incident, { description: 'One incident with its full timeline; `asOf` folds its history only up to that instant.' })
  async incident(
    @CurrentUser() principal: Principal,
    @Args('id', { type: () => ID }) id: string,
    @Args('asOf', { type: () => String, nullable: true, description: 'ISO-8601 instant' }) asOf?: string | null,
  ): Promise<Incident> {
    if (asOf && !isIsoInstant(asOf)) throw new BadUserInputError('asOf must be an ISO-8601 instant with an offset');
    const view = await this.reads.incident(principal, id, asOf ?? null);
    return toIncident(view, asOf ?? this.reads.now());
  }

  @ResolveField(() => Reporter, { nullable: true, description: 'The reporter or caller, masked unless you may see it here.' })
  async reporter(@Parent() incident: IncidentObject, @CurrentUser() principal: Principal, @Context('req') req: object): Promise<Reporter | null> {
    const view = incident[VIEW];
    const r = view?.reporter;
    if (!r) return null;
    const reveal = async (value: PersonalValue | null, kind: PersonalDataKind, field: string) => {
      if (!value) return { value: null, masked: false, erased: false };
      if (isErasedPersonalData(value)) return { value: ERASED_PLACEHOLDER, masked: false, erased: true };
      if (!isPersonalData(value)) return { value: null, masked: false, erased: false };
      // 济南 12345 條例 Art 22: a caller who asked for confidentiality is never shown in clear here.
      if (r.confidential || !this.personalData) return { value: maskFor(kind, value.value), masked: true, erased: false };
      return this.personalData.reveal(principal, {
        value,
        kind,
        field,
        orgUnitPath: view.orgUnitPath,
        resourceType: 'Incident',
        resourceId: view.incidentId,
        purpose: 'incident-handling',
        correlationId: correlationIdOf(req as Record<string, unknown>),
      });
    };
    const name = await reveal(r.name, 'name', 'Incident.reporter.name');
    const phone = await reveal(r.phone, 'phone', 'Incident.reporter.phone');
    return {
      name: name.value,
      phone: phone.value,
      confidential: r.confidential,
      wantsReply: r.wantsReply,
      masked: name.masked || phone.masked,
      erased: name.erased || phone.erased,
    };
  }

  @Query(() => GridConnection, { description: 'Grids in the caller’s scope, by id.' })
  async grids(
    @CurrentUser() principal: Principal,
    @Args() page: PageArgs,
    @Args('communityId', { type: () => ID, nullable: true }) communityId?: string | null,
    @Args('includeRetired', { type: () => Boolean, defaultValue: false }) includeRetired?: boolean,
  ): Promise<ConnectionShape<Grid>> {
    const size = pageSize(page.first);
    const after = decodeCursor<unknown>(page.after);
    if (after !== undefined && typeof after !== 'string') throw new BadUserInputError('Invalid cursor');
    const rows = await this.reads.grids(principal, { communityId: communityId ?? null, includeRetired: includeRetired ?? false, afterGridId: after ?? null, limit: size + 1 });
    return toConnection(rows.map(toGrid), size, (g) => g.id);
  }

  @Query(() => Grid, { description: 'A grid in the caller’s scope (NOT_FOUND otherwise).' })
  async grid(@CurrentUser() principal: Principal, @Args('id', { type: () => ID }) id: string): Promise<Grid> {
    const row = await this.reads.grid(principal, id);
    if (!row) throw new OutOfScopeError('Grid', id);
    return toGrid(row);
  }

  @Query(() => [IncidentCategory], { description: 'The category catalogue (部件/事件 → 大類 → 小類) with each category’s time-limit policy.' })
  async incidentCategories(@Args('includeRetired', { type: () => Boolean, defaultValue: false }) includeRetired?: boolean): Promise<IncidentCategory[]> {
    return this.catalogue.list({ includeRetired: includeRetired ?? false });
  }

  @Query(() => KpiReport, {
    description: 'KPIs per community (or grid) and month under a unit: 結案率, 按期結案率, 返工率, 回訪滿意率, 響應率. Needs analytics:read there.',
  })
  @RequirePermission(Permission.AnalyticsRead)
  async incidentKpis(
    @CurrentUser() principal: Principal,
    @Args('under', { type: () => ID }) under: string,
    @Args('fromMonth', { description: 'YYYY-MM' }) fromMonth: string,
    @Args('toMonth', { description: 'YYYY-MM' }) toMonth: string,
    @Args('level', { type: () => KpiLevelEnum, nullable: true }) level?: KpiLevel | null,
  ): Promise<KpiReport> {
    if (!MONTH.test(fromMonth) || !MONTH.test(toMonth)) throw new BadUserInputError('Months are YYYY-MM');
    return this.reads.kpis(principal, { underOrgUnitId: under, fromMonth, toMonth, level: level ?? 'community' });
  }
}
