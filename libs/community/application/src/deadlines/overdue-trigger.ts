import { Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { systemPrincipal } from '@gongzhi/auth';
import { COMMUNITY_INCIDENT_POLICIES, HANDLING_CLOCK, incidentStream } from '@gongzhi/community-domain';
import { DeadlinePolicyStore, DeadlineScheduler, DeadlineTables, type DueClock } from '@gongzhi/deadlines';
import { CLOCK, type Clock } from '@gongzhi/eventsourcing';
import { Inject } from '@nestjs/common';
import { CategoryCatalogue } from '../catalogue/category-catalogue';
import { MarkIncidentOverdueCommand } from '../write/commands';

export const OVERDUE_TRIGGER_NAME = 'community.incident-overdue';

/**
 * Wires the community context into the shared deadline machinery: seeds the incident policies
 * into the policy table (new versions there override them without code), prepares the category
 * catalogue, and registers the trigger that turns a due handling limit into `IncidentOverdue`
 * through the scheduler (the open-clocks projection finds it, the derived command id makes a
 * second firing a replay).
 */
@Injectable()
export class CommunityDeadlines implements OnApplicationBootstrap, OnModuleDestroy {
  private unregister?: () => void;

  constructor(
    private readonly scheduler: DeadlineScheduler,
    private readonly tables: DeadlineTables,
    private readonly policies: DeadlinePolicyStore,
    private readonly catalogue: CategoryCatalogue,
    private readonly commandBus: CommandBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.tables.ready();
    await this.policies.seed(COMMUNITY_INCIDENT_POLICIES, this.clock.now().toISOString());
    await this.catalogue.ready();
    this.unregister ??= this.scheduler.register({
      name: OVERDUE_TRIGGER_NAME,
      streamPrefix: incidentStream.prefix,
      clockIds: [HANDLING_CLOCK],
      fire: (clock, commandId) => this.fire(clock, commandId),
    });
  }

  onModuleDestroy(): void {
    this.unregister?.();
    this.unregister = undefined;
  }

  fire(clock: DueClock, commandId: string): Promise<unknown> {
    const incidentId = incidentStream.idOf(clock.streamId);
    if (!incidentId) return Promise.resolve();
    return this.commandBus.execute(
      new MarkIncidentOverdueCommand({ incidentId, clockId: clock.clockId, dueAt: clock.dueAt }, systemPrincipal('deadline-scheduler'), {
        correlationId: commandId,
        commandId,
        causationId: `${clock.streamId}#${clock.clockId}@${clock.dueAt}`,
      }),
    );
  }
}
