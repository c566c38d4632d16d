import { Inject, Optional, Injectable } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DeadlineRulesProvider } from '@gongzhi/deadlines';
import { policyInEffect } from '@gongzhi/deadlines-domain';
import { can, ForbiddenError, inScope, OutOfScopeError, Permission, type Principal } from '@gongzhi/auth';
import { CLOCK, CommandProcessor, type Clock, type CommandResult } from '@gongzhi/eventsourcing';
import type { CommandInput } from '@gongzhi/kernel';
import { OrgTree } from '@gongzhi/org';
import {
  campaignDecider,
  campaignStream,
  TASK_DEADLINE_POLICY,
  type CampaignCommand,
  type CampaignTask,
  type ExistingCampaign,
} from '@gongzhi/youth-league-domain';
import {
  AdvanceCampaignCommand,
  AdvanceTaskCommand,
  DispatchStaffCommand,
  EvaluateCampaignCommand,
  IssueTaskCommand,
  LaunchCampaignCommand,
  LinkCampaignActivityCommand,
  LinkFoundationProjectCommand,
  MarkOverdueTasksCommand,
  MarkTaskOverdueCommand,
  PlanCampaignCommand,
  RecordCampaignPartnerCommand,
  RecordFoundationFigureCommand,
  ReportTaskProgressCommand,
  type CommandMeta,
} from './commands';
import { authorizeLeague, contextOf, handleOptions, idOr, visibleUnit } from './handler-support';
import { LeagueAggregates } from './league-aggregates';

/**
 * Campaign commands. The campaign belongs to the league committee that planned it; a task
 * belongs to its assignee, who acts on it (acknowledge, report, cascade, dispatch staff) without
 * seeing the rest of the campaign. Every event of the stream carries the owner's path.
 */
// Decorated so the constructor parameter types are emitted for the subclasses Nest instantiates.
@Injectable()
abstract class CampaignHandler {
  constructor(
    protected readonly commands: CommandProcessor,
    protected readonly aggregates: LeagueAggregates,
  ) {}

  protected async campaign(campaignId: string): Promise<ExistingCampaign> {
    const found = await this.aggregates.campaign(campaignId);
    if (!found) throw new OutOfScopeError('Campaign', campaignId);
    return found.state;
  }

  /** The owner's act: league:write at the campaign's org path. */
  protected async owned(principal: Principal, campaignId: string): Promise<ExistingCampaign> {
    const c = await this.campaign(campaignId);
    authorizeLeague(principal, c.owner.path, 'Campaign', campaignId);
    return c;
  }

  /** The assignee's act: the task must lie in the caller's scope (NOT_FOUND otherwise). */
  protected async assigned(principal: Principal, campaignId: string, taskId: string): Promise<{ c: ExistingCampaign; task: CampaignTask }> {
    const c = await this.campaign(campaignId);
    const task = c.tasks[taskId];
    if (!task || !inScope(principal, task.assignee.path)) throw new OutOfScopeError('CampaignTask', taskId);
    authorizeLeague(principal, task.assignee.path, 'CampaignTask', taskId);
    return { c, task };
  }

  protected run(c: ExistingCampaign, command: CommandInput<CampaignCommand>, principal: Principal, meta: CommandMeta): Promise<CommandResult> {
    return this.commands.handle(campaignDecider, campaignStream(c.campaignId), command, contextOf(principal, meta), handleOptions(meta, c.owner.path, c.campaignId));
  }
}

@CommandHandler(PlanCampaignCommand)
export class PlanCampaignHandler implements ICommandHandler<PlanCampaignCommand> {
  constructor(
    private readonly commands: CommandProcessor,
    private readonly tree: OrgTree,
  ) {}

  async execute({ input, principal, meta }: PlanCampaignCommand): Promise<CommandResult> {
    const owner = await visibleUnit(this.tree, principal, input.ownerOrgUnitId ?? principal.orgUnitId);
    authorizeLeague(principal, owner.path, 'OrgUnit', owner.orgUnitId);
    const campaignId = idOr(input.campaignId, meta, 'campaign');
    return this.commands.handle(
      campaignDecider,
      campaignStream(campaignId),
      {
        type: 'PlanCampaign',
        data: { campaignId, name: input.name, brand: input.brand, description: input.description, owner, startsOn: input.startsOn, endsOn: input.endsOn },
      },
      contextOf(principal, meta),
      handleOptions(meta, owner.path, campaignId),
    );
  }
}

@CommandHandler(AdvanceCampaignCommand)
export class AdvanceCampaignHandler extends CampaignHandler implements ICommandHandler<AdvanceCampaignCommand> {
  async execute({ input, principal, meta }: AdvanceCampaignCommand): Promise<CommandResult> {
    const c = await this.owned(principal, input.campaignId);
    const data = { campaignId: c.campaignId };
    const command: CommandInput<CampaignCommand> =
      input.step === 'approve'
        ? { type: 'ApproveCampaign', data }
        : input.step === 'begin-closing'
          ? { type: 'BeginClosingCampaign', data }
          : { type: 'CloseCampaign', data };
    return this.run(c, command, principal, meta);
  }
}

@CommandHandler(LaunchCampaignCommand)
export class LaunchCampaignHandler extends CampaignHandler implements ICommandHandler<LaunchCampaignCommand> {
  async execute({ input, principal, meta }: LaunchCampaignCommand): Promise<CommandResult> {
    const c = await this.owned(principal, input.campaignId);
    return this.run(c, { type: 'LaunchCampaign', data: { campaignId: c.campaignId, channels: input.channels } }, principal, meta);
  }
}

@CommandHandler(EvaluateCampaignCommand)
export class EvaluateCampaignHandler extends CampaignHandler implements ICommandHandler<EvaluateCampaignCommand> {
  async execute({ input, principal, meta }: EvaluateCampaignCommand): Promise<CommandResult> {
    const c = await this.owned(principal, input.campaignId);
    return this.run(c, { type: 'EvaluateCampaign', data: { campaignId: c.campaignId, rating: input.rating, summary: input.summary } }, principal, meta);
  }
}

@CommandHandler(IssueTaskCommand)
export class IssueTaskHandler extends CampaignHandler implements ICommandHandler<IssueTaskCommand> {
  constructor(
    commands: CommandProcessor,
    aggregates: LeagueAggregates,
    private readonly tree: OrgTree,
    @Inject(CLOCK) private readonly clock: Clock,
    @Optional() private readonly rules?: DeadlineRulesProvider,
  ) {
    super(commands, aggregates);
  }

  /** The task-deadline policy version in effect, from the policy table when there is one. */
  private async deadlinePolicy() {
    if (!this.rules) return TASK_DEADLINE_POLICY;
    const { policies } = await this.rules.rules();
    return policyInEffect(policies, TASK_DEADLINE_POLICY.policyId, this.clock.now().toISOString()) ?? TASK_DEADLINE_POLICY;
  }

  async execute({ input, principal, meta }: IssueTaskCommand): Promise<CommandResult> {
    // The owner issues top-level tasks; a task's assignee cascades parts of it further down.
    const c = input.parentTaskId ? (await this.assigned(principal, input.campaignId, input.parentTaskId)).c : await this.owned(principal, input.campaignId);
    const assignee = await visibleUnit(this.tree, principal, input.assigneeOrgUnitId);
    return this.run(
      c,
      {
        type: 'IssueTask',
        data: {
          campaignId: c.campaignId,
          taskId: idOr(input.taskId, meta, 'task'),
          parentTaskId: input.parentTaskId ?? null,
          assignee,
          title: input.title,
          quota: { target: input.quotaTarget, unit: input.quotaUnit },
          deadline: input.deadline,
          deadlinePolicy: await this.deadlinePolicy(),
        },
      },
      principal,
      meta,
    );
  }
}

@CommandHandler(AdvanceTaskCommand)
export class AdvanceTaskHandler extends CampaignHandler implements ICommandHandler<AdvanceTaskCommand> {
  async execute({ input, principal, meta }: AdvanceTaskCommand): Promise<CommandResult> {
    const { c, task } = await this.assigned(principal, input.campaignId, input.taskId);
    const data = { campaignId: c.campaignId, taskId: task.taskId };
    const command: CommandInput<CampaignCommand> =
      input.step === 'acknowledge' ? { type: 'AcknowledgeTask', data } : { type: 'CompleteTask', data: { ...data, achieved: input.achieved ?? null } };
    return this.run(c, command, principal, meta);
  }
}

@CommandHandler(ReportTaskProgressCommand)
export class ReportTaskProgressHandler extends CampaignHandler implements ICommandHandler<ReportTaskProgressCommand> {
  async execute({ input, principal, meta }: ReportTaskProgressCommand): Promise<CommandResult> {
    const { c, task } = await this.assigned(principal, input.campaignId, input.taskId);
    return this.run(c, { type: 'ReportTaskProgress', data: { campaignId: c.campaignId, taskId: task.taskId, achieved: input.achieved, note: input.note ?? null } }, principal, meta);
  }
}

@CommandHandler(DispatchStaffCommand)
export class DispatchStaffHandler extends CampaignHandler implements ICommandHandler<DispatchStaffCommand> {
  async execute({ input, principal, meta }: DispatchStaffCommand): Promise<CommandResult> {
    const { c, task } = await this.assigned(principal, input.campaignId, input.taskId);
    return this.run(c, { type: 'DispatchStaff', data: { campaignId: c.campaignId, taskId: task.taskId, count: input.count, purpose: input.purpose } }, principal, meta);
  }
}

@CommandHandler(MarkTaskOverdueCommand)
export class MarkTaskOverdueHandler extends CampaignHandler implements ICommandHandler<MarkTaskOverdueCommand> {
  async execute({ input, principal, meta }: MarkTaskOverdueCommand): Promise<CommandResult> {
    const c = await this.campaign(input.campaignId);
    const task = c.tasks[input.taskId];
    if (!task) throw new OutOfScopeError('CampaignTask', input.taskId);
    // The issuer's side (or the scheduler acting for it) marks the task; the decider checks the deadline.
    authorizeLeague(principal, task.issuer.path, 'CampaignTask', task.taskId);
    return this.run(c, { type: 'MarkTaskOverdue', data: { campaignId: c.campaignId, taskId: task.taskId } }, principal, meta);
  }
}

@CommandHandler(MarkOverdueTasksCommand)
export class MarkOverdueTasksHandler extends CampaignHandler implements ICommandHandler<MarkOverdueTasksCommand> {
  async execute({ input, principal, meta }: MarkOverdueTasksCommand): Promise<CommandResult> {
    const c = await this.owned(principal, input.campaignId);
    return this.run(c, { type: 'MarkOverdueTasks', data: { campaignId: c.campaignId } }, principal, meta);
  }
}

@CommandHandler(LinkCampaignActivityCommand)
export class LinkCampaignActivityHandler extends CampaignHandler implements ICommandHandler<LinkCampaignActivityCommand> {
  async execute({ input, principal, meta }: LinkCampaignActivityCommand): Promise<CommandResult> {
    const c = await this.campaign(input.campaignId);
    const activity = await this.aggregates.activity(input.activityId);
    if (!activity) throw new OutOfScopeError('Activity', input.activityId);
    const organizer = activity.state.organizer;
    // The owner links any activity; an assignee links one its own subtree organizes for its task.
    const byOwner = inScope(principal, c.owner.path) && can(principal, Permission.LeagueWrite, c.owner.path);
    const byAssignee =
      can(principal, Permission.LeagueWrite, organizer.path) &&
      Object.values(c.tasks).some((t) => organizer.path.startsWith(t.assignee.path) && inScope(principal, t.assignee.path));
    if (!byOwner && !byAssignee) {
      if (!inScope(principal, c.owner.path) && !Object.values(c.tasks).some((t) => inScope(principal, t.assignee.path))) {
        throw new OutOfScopeError('Campaign', input.campaignId);
      }
      throw new ForbiddenError('Linking an activity needs league:write over the campaign, or over a task whose unit organizes the activity');
    }
    return this.run(c, { type: 'LinkActivity', data: { campaignId: c.campaignId, activityId: activity.state.activityId, organizer } }, principal, meta);
  }
}

@CommandHandler(RecordCampaignPartnerCommand)
export class RecordCampaignPartnerHandler extends CampaignHandler implements ICommandHandler<RecordCampaignPartnerCommand> {
  constructor(
    commands: CommandProcessor,
    aggregates: LeagueAggregates,
    private readonly tree: OrgTree,
  ) {
    super(commands, aggregates);
  }

  async execute({ input, principal, meta }: RecordCampaignPartnerCommand): Promise<CommandResult> {
    const c = await this.campaign(input.campaignId);
    const via = input.viaOrgUnitId ? await visibleUnit(this.tree, principal, input.viaOrgUnitId) : c.owner;
    authorizeLeague(principal, via.path, 'Campaign', c.campaignId);
    return this.run(
      c,
      {
        type: 'RecordPartnerJoined',
        data: {
          campaignId: c.campaignId,
          partnerId: idOr(input.partnerId, meta, 'partner'),
          kind: input.kind,
          name: input.name,
          partnerOrgUnitId: input.partnerOrgUnitId ?? null,
          via,
          contribution: input.contribution ?? null,
        },
      },
      principal,
      meta,
    );
  }
}

@CommandHandler(LinkFoundationProjectCommand)
export class LinkFoundationProjectHandler extends CampaignHandler implements ICommandHandler<LinkFoundationProjectCommand> {
  constructor(
    commands: CommandProcessor,
    aggregates: LeagueAggregates,
    private readonly tree: OrgTree,
  ) {
    super(commands, aggregates);
  }

  async execute({ input, principal, meta }: LinkFoundationProjectCommand): Promise<CommandResult> {
    const c = await this.campaign(input.campaignId);
    const via = input.viaOrgUnitId ? await visibleUnit(this.tree, principal, input.viaOrgUnitId) : c.owner;
    authorizeLeague(principal, via.path, 'Campaign', c.campaignId);
    return this.run(
      c,
      {
        type: 'LinkFoundationProject',
        data: {
          campaignId: c.campaignId,
          projectId: idOr(input.projectId, meta, 'foundation-project'),
          foundationName: input.foundationName,
          projectRef: input.projectRef,
          title: input.title,
          pledgedFen: input.pledgedFen,
          via,
        },
      },
      principal,
      meta,
    );
  }
}

@CommandHandler(RecordFoundationFigureCommand)
export class RecordFoundationFigureHandler extends CampaignHandler implements ICommandHandler<RecordFoundationFigureCommand> {
  async execute({ input, principal, meta }: RecordFoundationFigureCommand): Promise<CommandResult> {
    const c = await this.campaign(input.campaignId);
    const project = c.projects[input.projectId];
    authorizeLeague(principal, project?.viaPath ?? c.owner.path, 'Campaign', c.campaignId);
    const base = { campaignId: c.campaignId, projectId: input.projectId };
    const command: CommandInput<CampaignCommand> =
      input.figure === 'pledge'
        ? { type: 'RecordFoundationPledge', data: { ...base, amountFen: input.amountFen ?? 0 } }
        : input.figure === 'receipt'
          ? { type: 'RecordFoundationReceipt', data: { ...base, amountFen: input.amountFen ?? 0, receiptRef: input.receiptRef ?? '' } }
          : { type: 'ReportBeneficiaries', data: { ...base, count: input.count ?? 0, note: input.note ?? null } };
    return this.run(c, command, principal, meta);
  }
}
