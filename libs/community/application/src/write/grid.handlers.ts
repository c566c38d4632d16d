import { Inject } from '@nestjs/common';
import { CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { OutOfScopeError, Permission } from '@gongzhi/auth';
import { gridDecider, gridStream, InvalidCommunityInput, type CommunitySnapshot, type DefineGrid } from '@gongzhi/community-domain';
import { CommandProcessor, type CommandResult } from '@gongzhi/eventsourcing';
import { isValidOrgId } from '@gongzhi/org-domain';
import { CreateOrgUnitCommand, RetireOrgUnitCommand } from '@gongzhi/org';
import { DataSource } from 'typeorm';
import { IncidentRow } from '../read-model/incident.entities';
import { COMMUNITY_READ_STORE } from '../tokens';
import { DefineGridCommand, ReassignGridWorkerCommand, RetireGridCommand } from './commands';
import { CommunityUnits, contextOf, derivedCommandId, handleOptions, newIdFor, withOrgWriteUnder } from './support';

/** The dry-run decision only validates; its time is never stored. */
const VALIDATION_TIME = '2000-01-01T00:00:00.000Z';

const requireGridId = (gridId: string): string => {
  if (!isValidOrgId(gridId)) throw new InvalidCommunityInput("gridId: lowercase letters, digits, '-' or '_' (at most 64)", { field: 'gridId' });
  return gridId;
};

/**
 * Defines a grid: its org unit of kind `grid` under the community (created through the org
 * context's own command unless it exists already), then the grid's profile on its own stream.
 * Both steps carry command ids derived from the request's, so a retry after a failure between
 * them completes the definition instead of duplicating anything.
 */
@CommandHandler(DefineGridCommand)
export class DefineGridHandler implements ICommandHandler<DefineGridCommand> {
  constructor(
    private readonly commands: CommandProcessor,
    private readonly commandBus: CommandBus,
    private readonly units: CommunityUnits,
  ) {}

  async execute({ input, principal, meta }: DefineGridCommand): Promise<CommandResult> {
    const community = await this.units.visible(principal, input.communityId, Permission.CommunityWrite, 'Community');
    const communitySnapshot: CommunitySnapshot = {
      communityId: input.communityId,
      path: community.path,
      usable: community.state.kind === 'community' && community.state.status === 'Active',
    };
    const gridId = requireGridId(input.gridId ?? newIdFor(meta, 'grid'));
    const gridPath = `${community.path}${gridId}/`;
    const commandId = meta.commandId ?? newIdFor({ ...meta, commandId: undefined }, 'define-grid');
    const data: DefineGrid['data'] = {
      gridId,
      community: communitySnapshot,
      name: input.name,
      area: input.area,
      workerStaffId: input.workerStaffId,
      workerFound: await this.units.staffWithin(input.workerStaffId, community.path),
      supervisionPhone: input.supervisionPhone,
    };
    // Decide once on the current grid state before touching the org tree, so a rejected
    // definition leaves no org unit behind.
    const current = await this.units.gridState(gridId);
    // An existing grid goes straight to the processor: a resend replays, anything else is refused there.
    if (current.status === 'None') {
      gridDecider.decide({ type: 'DefineGrid', data, metadata: { now: meta.now ?? VALIDATION_TIME, commandId, actor: { userId: principal.userId } } }, current);
    }

    const unit = await this.units.unit(gridId);
    if (unit && (unit.state.kind !== 'grid' || unit.state.parentId !== input.communityId || unit.state.status !== 'Active')) {
      throw new InvalidCommunityInput(`Org unit ${gridId} exists and is not an active grid of ${input.communityId}`, { field: 'gridId' });
    }
    if (!unit) {
      await this.commandBus.execute(
        new CreateOrgUnitCommand(
          { orgUnitId: gridId, name: input.name.trim(), kind: 'grid', code: input.code ?? null, parentId: input.communityId },
          withOrgWriteUnder(principal, community.path),
          { correlationId: meta.correlationId, commandId: derivedCommandId(commandId, 'grid-org-unit'), causationId: commandId, ...(meta.now ? { now: meta.now } : {}) },
        ),
      );
    }
    return this.commands.handle(gridDecider, gridStream(gridId), { type: 'DefineGrid', data }, contextOf(principal, { ...meta, commandId }), {
      ...handleOptions(meta),
      orgUnitPath: unit?.path ?? gridPath,
      aggregateId: gridId,
    });
  }
}

@CommandHandler(ReassignGridWorkerCommand)
export class ReassignGridWorkerHandler implements ICommandHandler<ReassignGridWorkerCommand> {
  constructor(
    private readonly commands: CommandProcessor,
    private readonly units: CommunityUnits,
  ) {}

  async execute({ input, principal, meta }: ReassignGridWorkerCommand): Promise<CommandResult> {
    const gridId = requireGridId(input.gridId);
    const grid = await this.units.gridState(gridId);
    if (grid.status === 'None') throw new OutOfScopeError('Grid', gridId);
    const unit = await this.units.visible(principal, gridId, Permission.CommunityWrite, 'Grid');
    const communityPath = unit.path.slice(0, unit.path.length - gridId.length - 1);
    return this.commands.handle(
      gridDecider,
      gridStream(gridId),
      {
        type: 'ReassignGridWorker',
        data: { gridId, toStaffId: input.workerStaffId, workerFound: await this.units.staffWithin(input.workerStaffId, communityPath), reason: input.reason },
      },
      contextOf(principal, meta),
      { ...handleOptions(meta), orgUnitPath: unit.path, aggregateId: gridId },
    );
  }
}

/**
 * Retires a grid once no open incident is left in it, then its org unit (the org context checks
 * it has no active children).
 */
@CommandHandler(RetireGridCommand)
export class RetireGridHandler implements ICommandHandler<RetireGridCommand> {
  constructor(
    private readonly commands: CommandProcessor,
    private readonly commandBus: CommandBus,
    private readonly units: CommunityUnits,
    @Inject(COMMUNITY_READ_STORE) private readonly ds: DataSource,
  ) {}

  async execute({ input, principal, meta }: RetireGridCommand): Promise<CommandResult> {
    const gridId = requireGridId(input.gridId);
    const grid = await this.units.gridState(gridId);
    if (grid.status === 'None') throw new OutOfScopeError('Grid', gridId);
    const unit = await this.units.visible(principal, gridId, Permission.CommunityWrite, 'Grid');
    // Counted in the read model: a report made moments ago may not be there yet.
    const openIncidents = await this.ds.getRepository(IncidentRow).countBy({ gridId, open: true });
    const commandId = meta.commandId ?? newIdFor({ ...meta, commandId: undefined }, 'retire-grid');
    const result = await this.commands.handle(
      gridDecider,
      gridStream(gridId),
      { type: 'RetireGrid', data: { gridId, reason: input.reason, openIncidents } },
      contextOf(principal, { ...meta, commandId }),
      { ...handleOptions(meta), orgUnitPath: unit.path, aggregateId: gridId },
    );
    if (unit.state.status === 'Active') {
      const communityPath = unit.path.slice(0, unit.path.length - gridId.length - 1);
      await this.commandBus.execute(
        new RetireOrgUnitCommand({ orgUnitId: gridId, reason: input.reason }, withOrgWriteUnder(principal, communityPath), {
          correlationId: meta.correlationId,
          commandId: derivedCommandId(commandId, 'grid-org-unit-retired'),
          causationId: commandId,
          ...(meta.now ? { now: meta.now } : {}),
        }),
      );
    }
    return result;
  }
}
