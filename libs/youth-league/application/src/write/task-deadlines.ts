import { Injectable, Logger, Optional, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { systemPrincipal } from '@gongzhi/auth';
import { DeadlinePolicyStore, DeadlineScheduler, DeadlineTables, type DueClock } from '@gongzhi/deadlines';
import { campaignStream, TASK_CLOCK_ID, TASK_DEADLINE_POLICY } from '@gongzhi/youth-league-domain';
import { MarkOverdueTasksCommand } from './commands';

export const TASK_OVERDUE_TRIGGER = 'league.campaign-task-overdue';
export const DEADLINE_SCHEDULER_USER = 'system:deadline-scheduler';

/**
 * Wires campaign tasks to the shared deadline scheduler: each campaign stream runs one clock
 * (`next-task-deadline`) due at its earliest open task deadline; when it runs out the scheduler
 * issues MarkOverdueTasks with a command id derived from the clock, so a second firing is an
 * idempotent replay. Also seeds the task-deadline policy into the policy table. Both are
 * optional: without DeadlinesModule tasks are only marked overdue on request.
 */
@Injectable()
export class TaskDeadlines implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('TaskDeadlines');
  private unregister?: () => void;

  constructor(
    private readonly commandBus: CommandBus,
    @Optional() private readonly scheduler?: DeadlineScheduler,
    @Optional() private readonly policies?: DeadlinePolicyStore,
    @Optional() private readonly tables?: DeadlineTables,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.policies && this.tables) {
      await this.tables.ready();
      await this.policies.seed([TASK_DEADLINE_POLICY], TASK_DEADLINE_POLICY.effectiveFrom);
    }
    this.unregister = this.scheduler?.register({
      name: TASK_OVERDUE_TRIGGER,
      streamPrefix: campaignStream.prefix,
      clockIds: [TASK_CLOCK_ID],
      fire: (clock, commandId) => this.fire(clock, commandId),
    });
    if (!this.scheduler) this.logger.warn('No DeadlineScheduler: campaign tasks are not marked overdue automatically');
  }

  onModuleDestroy(): void {
    this.unregister?.();
  }

  fire(clock: DueClock, commandId: string): Promise<unknown> {
    const campaignId = campaignStream.idOf(clock.streamId);
    if (!campaignId) return Promise.resolve(undefined);
    return this.commandBus.execute(
      new MarkOverdueTasksCommand({ campaignId }, systemPrincipal(DEADLINE_SCHEDULER_USER), { correlationId: commandId, commandId }),
    );
  }
}
