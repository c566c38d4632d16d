import { Args, Context, ID, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Inject } from '@nestjs/common';
import { CurrentUser, OutOfScopeError, type Principal } from '@gongzhi/auth';
import { CLOCK, type Clock } from '@gongzhi/eventsourcing';
import { DateTimeScalar, PageArgs } from '@gongzhi/graphql';
import { LeagueAggregates, LeagueReadModel, type TimeBankAccountRow, type TimeBankPostingRow, type TimeBankRow } from '@gongzhi/youth-league';
import { TimeBank, TimeBankAccount, TimeBankAccountConnection, TimeBankConnection, TimeBankPostingConnection } from './league.types';
import { connectionOf, pageOf, PersonalFields, toIso } from './support';

const toBank = (row: TimeBankRow) => ({ ...row });
const toAccount = (row: TimeBankAccountRow) => ({ ...row });
const toPosting = (row: TimeBankPostingRow) => ({ ...row });

/** 愛心時間銀行: banks the caller oversees, accounts of members in scope, balances as of any instant. */
@Resolver(() => TimeBank)
export class TimeBankResolver {
  constructor(
    private readonly read: LeagueReadModel,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Query(() => TimeBankConnection)
  async timeBanks(@CurrentUser() principal: Principal, @Args() args: PageArgs) {
    const { page, size } = pageOf(args);
    return connectionOf(await this.read.timeBanks(principal, page), size, (r) => r.id, toBank);
  }

  @Query(() => TimeBank)
  async timeBank(@CurrentUser() principal: Principal, @Args('id', { type: () => ID }) id: string) {
    const row = await this.read.timeBank(principal, id);
    if (!row) throw new OutOfScopeError('TimeBank', id);
    return toBank(row);
  }

  @ResolveField(() => TimeBankAccountConnection)
  async accounts(@Parent() bank: TimeBankRow, @CurrentUser() principal: Principal, @Args() args: PageArgs) {
    const { page, size } = pageOf(args);
    return connectionOf(await this.read.timeBankAccounts(principal, { bankId: bank.id }, page), size, (r) => r.id, toAccount);
  }

  @ResolveField(() => Int, { description: 'Sum of all balances as of the instant: always 0 (double entry).' })
  totalMinutes(@Parent() bank: TimeBankRow, @Args('asOf', { type: () => DateTimeScalar, nullable: true }) asOf?: Date | null) {
    return this.read.bankTotalAsOf(bank.id, toIso(asOf, () => this.clock.now().toISOString()));
  }
}

@Resolver(() => TimeBankAccount)
export class TimeBankAccountResolver {
  constructor(
    private readonly read: LeagueReadModel,
    private readonly aggregates: LeagueAggregates,
    private readonly personal: PersonalFields,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Query(() => TimeBankAccount, { description: 'An account of a bank you oversee, or of a member in your scope.' })
  async timeBankAccount(@CurrentUser() principal: Principal, @Args('bankId', { type: () => ID }) bankId: string, @Args('accountId', { type: () => ID }) accountId: string) {
    const row = await this.read.timeBankAccount(principal, bankId, accountId);
    if (!row) throw new OutOfScopeError('TimeBankAccount', `${bankId}/${accountId}`);
    return toAccount(row);
  }

  @Query(() => TimeBankAccountConnection)
  async timeBankAccounts(
    @CurrentUser() principal: Principal,
    @Args() args: PageArgs,
    @Args('bankId', { type: () => ID, nullable: true }) bankId?: string | null,
    @Args('volunteerId', { type: () => ID, nullable: true }) volunteerId?: string | null,
  ) {
    const { page, size } = pageOf(args);
    return connectionOf(await this.read.timeBankAccounts(principal, { bankId, volunteerId }, page), size, (r) => r.id, toAccount);
  }

  @ResolveField(() => Int, { description: 'Balance in minutes as of the instant (default now): the sum of the postings up to it.' })
  balance(@Parent() a: TimeBankAccountRow, @Args('asOf', { type: () => DateTimeScalar, nullable: true }) asOf?: Date | null) {
    return this.read.balanceAsOf(a.bankId, a.accountId, toIso(asOf, () => this.clock.now().toISOString()));
  }

  @ResolveField(() => TimeBankPostingConnection)
  async postings(@Parent() a: TimeBankAccountRow, @Args() args: PageArgs) {
    const { page, size } = pageOf(args);
    const rows = await this.read.postings(a.bankId, a.accountId, page);
    return connectionOf(rows, size, (r) => `${r.occurredAt}|${r.position}`, toPosting);
  }

  @ResolveField(() => String, { nullable: true, description: 'A member who is not a volunteer: their name, masked unless you may unmask here (audited).' })
  async holderName(@Parent() a: TimeBankAccountRow, @CurrentUser() principal: Principal, @Context('req') req: Record<string, any>) {
    if (a.kind !== 'member' || a.volunteerId) return null;
    const bank = await this.aggregates.timeBank(a.bankId);
    return this.personal.reveal(principal, req, {
      value: bank?.state.accounts[a.accountId]?.name, kind: 'name', field: 'holderName', orgUnitPath: a.owningOrgPath, resourceType: 'time-bank-account', resourceId: a.id, purpose: 'time-bank',
    });
  }
}
