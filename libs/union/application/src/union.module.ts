import { Inject, Injectable, Module, type DynamicModule, type OnModuleInit } from '@nestjs/common';
import { systemPrincipal } from '@gongzhi/auth';
import { DeadlinePolicyStore, DeadlineScheduler, DeadlinesModule, DeadlineTables, type DueClock } from '@gongzhi/deadlines';
import { CLOCK, type Clock } from '@gongzhi/eventsourcing';
import { LaborClock, laborDisputeStream, NATIONAL_LABOR_DISPUTE_POLICIES, type ChallengeWindow } from '@gongzhi/union-domain';
import { DataSource } from 'typeorm';
import { UnionDeadlinePolicies } from './queries/deadline-policies';
import { LaborDisputeQueries } from './queries/labor-dispute.queries';
import { createLaborDisputeProjection } from './read-model/labor-dispute.projection';
import { LABOR_DISPUTE_PROJECTION, UNION_READ_STORE } from './tokens';
import { FileLaborDisputeHandler, LaborDisputeCommands, LaborDisputeStepHandler, TransferLaborDisputeHandler } from './write/labor-dispute.handlers';

const CHALLENGE_WINDOWS: Record<string, ChallengeWindow> = {
  [LaborClock.suitWindow]: 'suit',
  [LaborClock.setAsideWindow]: 'set-aside',
  [LaborClock.postSetAsideSuitWindow]: 'post-set-aside-suit',
};

/**
 * Seeds the national labor-dispute policies (versions missing from the table) and registers the
 * clocks whose end is a legal event with the scheduler: the mediation window (Art 14) and the
 * windows to sue or to apply for setting an award aside (Arts 48–50).
 */
@Injectable()
export class UnionDeadlines implements OnModuleInit {
  constructor(
    private readonly tables: DeadlineTables,
    private readonly policies: DeadlinePolicyStore,
    private readonly scheduler: DeadlineScheduler,
    private readonly disputes: LaborDisputeCommands,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.tables.ready();
    await this.policies.seed(NATIONAL_LABOR_DISPUTE_POLICIES, this.clock.now().toISOString());
    const principal = systemPrincipal('deadline-scheduler');
    const meta = (commandId: string) => ({ correlationId: commandId, commandId });
    const disputeId = (clock: DueClock) => laborDisputeStream.idOf(clock.streamId) as string;
    this.scheduler.register({
      name: 'union.expire-mediation-window',
      streamPrefix: laborDisputeStream.prefix,
      clockIds: [LaborClock.mediationWindow],
      fire: (clock, commandId) => this.disputes.step({ type: 'ExpireMediationWindow', data: { disputeId: disputeId(clock) } }, principal, meta(commandId)),
    });
    this.scheduler.register({
      name: 'union.lapse-challenge-window',
      streamPrefix: laborDisputeStream.prefix,
      clockIds: Object.keys(CHALLENGE_WINDOWS),
      fire: (clock, commandId) =>
        this.disputes.step(
          { type: 'LapseChallengeWindow', data: { disputeId: disputeId(clock), window: CHALLENGE_WINDOWS[clock.clockId] } },
          principal,
          meta(commandId),
        ),
    });
  }
}

/**
 * The union context's application layer: command handlers (on the app's CommandBus, so the app
 * imports `CqrsModule.forRoot()`), queries, the labor-dispute projection and the deadline
 * triggers. Needs EventSourcingModule, a TypeORM `DataSource` (the read store) and ORG_DIRECTORY
 * (OrgModule) in the app; re-exports DeadlinesModule (OPEN_CLOCKS_PROJECTION, the scheduler).
 */
@Module({
  imports: [DeadlinesModule],
  providers: [
    { provide: UNION_READ_STORE, useExisting: DataSource },
    LaborDisputeCommands,
    FileLaborDisputeHandler,
    TransferLaborDisputeHandler,
    LaborDisputeStepHandler,
    LaborDisputeQueries,
    UnionDeadlinePolicies,
    UnionDeadlines,
    { provide: LABOR_DISPUTE_PROJECTION, useFactory: createLaborDisputeProjection },
  ],
  exports: [DeadlinesModule, UNION_READ_STORE, LaborDisputeCommands, LaborDisputeQueries, UnionDeadlinePolicies, LABOR_DISPUTE_PROJECTION],
})
export class UnionModule {
  /**
   * The form to import it in: the platform's context list and UnionGraphqlModule both import this
   * very object, so whichever way Nest keys modules (by reference or by content) they share one
   * instance: one set of command handlers, one registration with the scheduler.
   */
  static forRoot(): DynamicModule {
    return UNION_MODULE;
  }
}

const UNION_MODULE: DynamicModule = { module: UnionModule };
