import { Inject, Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { authorize, Permission, type Principal } from '@gongzhi/auth';
import { CONCENTRATED_COMPLAINTS, InvalidCommunityInput, type UnitRef } from '@gongzhi/community-domain';
import { CLOCK, type Clock, type CommandResult } from '@gongzhi/eventsourcing';
import { DataSource, MoreThanOrEqual, Not } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { CategoryCatalogue } from '../catalogue/category-catalogue';
import { IncidentRow } from '../read-model/incident.entities';
import { parentPath } from '../read-model/org-moves';
import { COMMUNITY_READ_STORE } from '../tokens';
import {
  NotifyExtensionCommand,
  ObjectToDispatchCommand,
  ReceiveHotlineWorkOrderCommand,
  RecordCallbackCommand,
  ReplyToCallerCommand,
  ResolveDispatchObjectionCommand,
  ReturnWorkOrderCommand,
  type CommandMeta,
} from './commands';
import { CENTRE, HANDLING_UNIT, IncidentStepHandler, IncidentWriter, type StepContext } from './incident-writer';
import { ReporterSubjects } from './reporter-subjects';
import { CommunityUnits, derivedCommandId, hotlineIncidentId } from './support';

const DAY_MS = 86_400_000;

/**
 * A 12345 work order arriving (from GraphQL, or from the Kafka inbound consumer with the
 * message id as commandId). One stream per ticket number, so a redelivered or re-sent order is
 * recognised whatever its message id. After a new order: a repeated complaint puts the earlier
 * order under supervision, and enough open orders about one category in one community put the
 * new one under supervision (集中投訴).
 */
@CommandHandler(ReceiveHotlineWorkOrderCommand)
export class ReceiveHotlineWorkOrderHandler implements ICommandHandler<ReceiveHotlineWorkOrderCommand> {
  private readonly logger = new Logger('HotlineWorkOrders');

  constructor(
    private readonly writer: IncidentWriter,
    private readonly units: CommunityUnits,
    private readonly reporters: ReporterSubjects,
    private readonly catalogue: CategoryCatalogue,
    @Inject(COMMUNITY_READ_STORE) private readonly ds: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(command: ReceiveHotlineWorkOrderCommand): Promise<CommandResult> {
    const { input, principal } = command;
    const meta: CommandMeta = { ...command.meta, commandId: command.meta.commandId ?? uuidv7() };
    if (typeof input.ticketNumber !== 'string' || input.ticketNumber.trim() === '') {
      throw new InvalidCommunityInput('ticketNumber is required', { field: 'ticketNumber' });
    }
    const { community, grid } = await this.receivingUnits(input.unitCode);
    const owner = grid?.path ?? community.path;
    authorize(principal, Permission.CommunityWrite, { orgUnitPath: owner, what: grid ? 'Grid' : 'Community', id: grid?.orgUnitId ?? community.orgUnitId });
    const incidentId = hotlineIncidentId(input.ticketNumber);
    const result = await this.writer.append(
      incidentId,
      {
        type: 'ReceiveHotlineWorkOrder',
        data: {
          incidentId,
          ticketNumber: input.ticketNumber.trim(),
          matterType: input.matterType ?? null,
          hotlineCategory: input.category,
          category: typeof input.category === 'string' ? await this.catalogue.find(input.category.trim()) : null,
          community,
          grid,
          location: input.location,
          description: input.description,
          callerRef: input.callerRef,
          caller: await this.reporters.reporter(input.caller),
          timeLimitWorkingDays: input.timeLimitWorkingDays ?? null,
          dispatchedAt: input.dispatchedAt ?? null,
          rules: await this.writer.rules(),
        },
      },
      principal,
      meta,
      owner,
    );
    if (result.events.length > 0 && !result.idempotentReplay && result.events[0].type === 'HotlineWorkOrderReceived') {
      await this.superviseRepeated(input.repeatOfTicket, incidentId, principal, meta);
      await this.superviseConcentrated(incidentId, community.orgUnitId, input.category, principal, meta);
    }
    return result;
  }

  private async receivingUnits(unitCode: string): Promise<{ community: UnitRef; grid: UnitRef | null }> {
    const id = typeof unitCode === 'string' && unitCode.trim() ? await this.units.idForCode(unitCode.trim()) : undefined;
    const unit = id ? await this.units.unit(id) : undefined;
    if (!id || !unit || unit.state.status !== 'Active' || (unit.state.kind !== 'grid' && unit.state.kind !== 'community')) {
      // A message naming no unit of ours cannot succeed on retry: the consumer dead-letters it.
      throw new InvalidCommunityInput('unitCode names no active community or grid', { field: 'unitCode' });
    }
    if (unit.state.kind === 'community') return { community: { orgUnitId: id, path: unit.path }, grid: null };
    const communityId = unit.state.parentId ?? '';
    return { community: { orgUnitId: communityId, path: parentPath(unit.path) }, grid: { orgUnitId: id, path: unit.path } };
  }

  private async superviseRepeated(repeatOfTicket: string | null | undefined, incidentId: string, principal: Principal, meta: CommandMeta): Promise<void> {
    if (!repeatOfTicket?.trim()) return;
    const originalId = hotlineIncidentId(repeatOfTicket);
    if (originalId === incidentId) return;
    try {
      const original = await this.writer.load(principal, originalId, CENTRE);
      if (original.status === 'Closed' || original.status === 'Evaluated' || original.status === 'Voided' || original.status === 'ReturnedToCenter') return;
      await this.writer.append(
        originalId,
        { type: 'RaiseSupervision', data: { incidentId: originalId, reason: 'repeated', level: 'notice', note: '', relatedIncidentId: incidentId } },
        principal,
        this.followUp(meta, 'repeated-complaint'),
      );
    } catch (error) {
      // The order itself is stored; a missing or foreign earlier ticket only loses the signal.
      this.logger.warn({ msg: 'Repeated complaint not linked', code: (error as { code?: unknown })?.code });
    }
  }

  private async superviseConcentrated(incidentId: string, communityId: string, category: string, principal: Principal, meta: CommandMeta): Promise<void> {
    const now = meta.now ? Date.parse(meta.now) : this.clock.now().getTime();
    const since = new Date(now - CONCENTRATED_COMPLAINTS.withinDays * DAY_MS).toISOString();
    // Counted in the read model, which may lag by a moment: a signal for supervisors, not a rule.
    const others = await this.ds.getRepository(IncidentRow).countBy({
      communityId,
      channel: 'hotline',
      hotlineCategory: category,
      open: true,
      reportedAt: MoreThanOrEqual(since),
      incidentId: Not(incidentId),
    });
    if (others + 1 < CONCENTRATED_COMPLAINTS.minOrders) return;
    await this.writer.append(
      incidentId,
      {
        type: 'RaiseSupervision',
        data: { incidentId, reason: 'concentrated', level: 'listed', note: `${others + 1} open orders of this category within ${CONCENTRATED_COMPLAINTS.withinDays} days`, relatedIncidentId: null },
      },
      principal,
      this.followUp(meta, 'concentrated-complaints'),
    );
  }

  private followUp(meta: CommandMeta, step: string): CommandMeta {
    const commandId = meta.commandId as string;
    return { correlationId: meta.correlationId, commandId: derivedCommandId(commandId, step), causationId: commandId, ...(meta.now ? { now: meta.now } : {}) };
  }
}

@CommandHandler(ObjectToDispatchCommand)
export class ObjectToDispatchHandler extends IncidentStepHandler<ObjectToDispatchCommand> {
  protected readonly access = HANDLING_UNIT;
  protected build({ input }: ObjectToDispatchCommand) {
    return { type: 'ObjectToDispatch' as const, data: { incidentId: input.incidentId, reason: input.reason } };
  }
}

/** Records the hotline centre's answer to an objection (entered by the office that receives it). */
@CommandHandler(ResolveDispatchObjectionCommand)
export class ResolveDispatchObjectionHandler extends IncidentStepHandler<ResolveDispatchObjectionCommand> {
  protected readonly access = CENTRE;
  protected build({ input }: ResolveDispatchObjectionCommand) {
    return { type: 'ResolveDispatchObjection' as const, data: { incidentId: input.incidentId, outcome: input.outcome, note: input.note ?? null } };
  }
}

@CommandHandler(ReturnWorkOrderCommand)
export class ReturnWorkOrderHandler extends IncidentStepHandler<ReturnWorkOrderCommand> {
  protected readonly access = HANDLING_UNIT;
  protected build({ input }: ReturnWorkOrderCommand) {
    return { type: 'ReturnWorkOrder' as const, data: { incidentId: input.incidentId, reason: input.reason } };
  }
}

@CommandHandler(NotifyExtensionCommand)
export class NotifyExtensionHandler extends IncidentStepHandler<NotifyExtensionCommand> {
  protected readonly access = HANDLING_UNIT;
  protected async build({ input }: NotifyExtensionCommand, { rules }: StepContext) {
    return {
      type: 'NotifyExtension' as const,
      data: { incidentId: input.incidentId, length: input.length, unit: input.unit ?? null, reason: input.reason, rules: await rules() },
    };
  }
}

@CommandHandler(ReplyToCallerCommand)
export class ReplyToCallerHandler extends IncidentStepHandler<ReplyToCallerCommand> {
  protected readonly access = HANDLING_UNIT;
  protected build({ input }: ReplyToCallerCommand) {
    return { type: 'ReplyToCaller' as const, data: { incidentId: input.incidentId, outcome: input.outcome, summary: input.summary } };
  }
}

/** Records the callback (回訪) the hotline centre or the office made to the caller. */
@CommandHandler(RecordCallbackCommand)
export class RecordCallbackHandler extends IncidentStepHandler<RecordCallbackCommand> {
  protected readonly access = CENTRE;
  protected async build({ input }: RecordCallbackCommand, { rules }: StepContext) {
    return {
      type: 'RecordCallback' as const,
      data: { incidentId: input.incidentId, satisfaction: input.satisfaction, resolved: input.resolved, note: input.note ?? null, rules: await rules() },
    };
  }
}

export const HOTLINE_COMMAND_HANDLERS = [
  ReceiveHotlineWorkOrderHandler,
  ObjectToDispatchHandler,
  ResolveDispatchObjectionHandler,
  ReturnWorkOrderHandler,
  NotifyExtensionHandler,
  ReplyToCallerHandler,
  RecordCallbackHandler,
];

