import { Optional } from '@nestjs/common';
import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { can, CurrentUser, Permission, RequirePermission, type Principal } from '@gongzhi/auth';
import { BadUserInputError, DateTimeScalar, decodeCursor, PageArgs, pageSize, toConnection } from '@gongzhi/graphql';
import { maskFor, PersonalDataReader, type PersonalDataKind } from '@gongzhi/privacy';
import { revealPersonalField } from '@gongzhi/privacy-graphql';
import { LaborDisputeQueries, UnionDeadlinePolicies, type DisputeListKey } from '@gongzhi/union';
import { ERASED_PLACEHOLDER, isPersonalData } from '@gongzhi/kernel';
import { LaborDisputeFilter, PublishLaborDisputePolicyInput } from './labor-dispute.inputs';
import { toDetail, toSummary } from './labor-dispute.mappers';
import {
  DeadlinePolicy,
  DisputeWorker,
  LaborDispute,
  LaborDisputeConnection,
  LaborDisputeMonthlyKpis,
  type WorkerSource,
} from './labor-dispute.types';

const isListKey = (k: unknown): k is DisputeListKey =>
  typeof k === 'object' && k !== null && typeof (k as DisputeListKey).filedAt === 'string' && typeof (k as DisputeListKey).disputeId === 'string';

@Resolver(() => LaborDispute)
export class LaborDisputeResolver {
  constructor(
    private readonly queries: LaborDisputeQueries,
    private readonly policies: UnionDeadlinePolicies,
  ) {}

  @Query(() => LaborDisputeConnection, { description: 'Labor disputes in the caller’s scope, newest filing first.' })
  @RequirePermission(Permission.Read)
  async laborDisputes(
    @CurrentUser() principal: Principal,
    @Args() page: PageArgs,
    @Args('filter', { type: () => LaborDisputeFilter, nullable: true }) filter?: LaborDisputeFilter | null,
  ): Promise<LaborDisputeConnection> {
    const size = pageSize(page.first);
    const after = decodeCursor(page.after);
    if (after !== undefined && !isListKey(after)) throw new BadUserInputError('Invalid cursor');
    const rows = await this.queries.list(
      principal,
      {
        status: filter?.status,
        orgUnitId: filter?.orgUnit,
        group: filter?.group,
        overdue: filter?.overdue,
        category: filter?.category,
        filedFrom: filter?.filedBetween?.from,
        filedTo: filter?.filedBetween?.to,
      },
      { limit: size + 1, ...(after ? { after } : {}) },
    );
    const now = this.queries.now();
    return toConnection(
      rows.map((r) => toSummary(r, now)),
      size,
      (s) => ({ filedAt: s.filedAt, disputeId: s.id }),
    );
  }

  @Query(() => LaborDispute, {
    description: 'One dispute folded from its events; with `asOf`, as it stood then, including the union responsible on that date.',
  })
  @RequirePermission(Permission.Read)
  async laborDispute(
    @CurrentUser() principal: Principal,
    @Args('id', { type: () => ID }) id: string,
    @Args('asOf', { type: () => DateTimeScalar, nullable: true }) asOf?: Date | null,
  ): Promise<LaborDispute> {
    return toDetail(await this.queries.get(principal, id, asOf ? asOf.toISOString() : null));
  }

  @Query(() => [LaborDisputeMonthlyKpis], { description: 'Monthly KPIs of an org unit’s subtree (months YYYY-MM, China time).' })
  @RequirePermission(Permission.AnalyticsRead)
  laborDisputeKpis(
    @CurrentUser() principal: Principal,
    @Args('orgUnit', { type: () => ID }) orgUnitId: string,
    @Args('fromMonth') fromMonth: string,
    @Args('toMonth') toMonth: string,
  ) {
    return this.queries.kpis(principal, { orgUnitId, fromMonth, toMonth });
  }

  @Query(() => [DeadlinePolicy], { description: 'Every version of the union’s deadline policies.' })
  @RequirePermission(Permission.Read)
  laborDisputePolicies() {
    return this.policies.list();
  }

  @Mutation(() => DeadlinePolicy, { description: 'Publishes a new version of a union deadline policy (administrators of the whole tree).' })
  @RequirePermission(Permission.Operate)
  publishLaborDisputePolicy(@CurrentUser() principal: Principal, @Args('input') input: PublishLaborDisputePolicyInput) {
    const change = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== null && v !== undefined)) as PublishLaborDisputePolicyInput;
    return this.policies.publish(principal, change as never, this.queries.now());
  }
}

const PURPOSE = 'labor-dispute-handling';

/**
 * Personal fields of a worker: through the privacy reader (masked unless the caller may unmask
 * in the dispute's scope; every unmasked read audited). Without the privacy module in the app
 * they are always masked: no clear read may happen unaudited.
 */
@Resolver(() => DisputeWorker)
export class DisputeWorkerResolver {
  constructor(@Optional() private readonly reader?: PersonalDataReader) {}

  private async reveal(w: WorkerSource, kind: PersonalDataKind, field: 'name' | 'idNumber' | 'phone', principal: Principal, req: object) {
    const value = w[field];
    if (!this.reader) {
      if (value === null || value === undefined) return null;
      return isPersonalData(value) ? maskFor(kind, value.value) : ERASED_PLACEHOLDER;
    }
    const revealed = await revealPersonalField(this.reader, principal, req as Record<string, unknown>, {
      value: value as never,
      kind,
      field,
      orgUnitPath: w.orgUnitPath,
      resourceType: 'labor-dispute',
      resourceId: w.disputeId,
      purpose: PURPOSE,
    });
    return revealed.value;
  }

  @ResolveField(() => String, { nullable: true })
  name(@Parent() w: WorkerSource, @CurrentUser() principal: Principal, @Context('req') req: object) {
    return this.reveal(w, 'name', 'name', principal, req);
  }

  @ResolveField(() => String, { nullable: true })
  idNumber(@Parent() w: WorkerSource, @CurrentUser() principal: Principal, @Context('req') req: object) {
    return this.reveal(w, 'idNumber', 'idNumber', principal, req);
  }

  @ResolveField(() => String, { nullable: true })
  phone(@Parent() w: WorkerSource, @CurrentUser() principal: Principal, @Context('req') req: object) {
    return this.reveal(w, 'phone', 'phone', principal, req);
  }

  @ResolveField(() => Boolean, { description: 'Whether the caller sees this worker’s personal fields in clear.' })
  unmasked(@Parent() w: WorkerSource, @CurrentUser() principal: Principal) {
    return !!this.reader && can(principal, Permission.PersonalDataUnmask, w.orgUnitPath);
  }
}
