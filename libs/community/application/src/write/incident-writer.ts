import { Injectable } from '@nestjs/common';
import { can, ForbiddenError, inScope, OutOfScopeError, Permission, type Principal } from '@gongzhi/auth';
import { incidentDecider, incidentStream, owningPathOf, type IncidentCommand, type OpenIncident } from '@gongzhi/community-domain';
import { DeadlineRulesProvider } from '@gongzhi/deadlines';
import type { DeadlineRules } from '@gongzhi/deadlines-domain';
import { AggregateReader, CommandProcessor, type CommandResult } from '@gongzhi/eventsourcing';
import { isValidAggregateId, type CommandInput } from '@gongzhi/kernel';
import type { CommandMeta } from './commands';
import { contextOf, handleOptions } from './support';

/**
 * Who may take a step, and where the permission must hold:
 * - the owner (the grid's or community's path): the centre's steps — accept, file, dispatch,
 *   decide extensions, close, evaluate — need community:write there;
 * - the owner or the handling unit: the handler's steps — report handling, return, ask for more
 *   time — need grid:write at either (a department outside the community handles its cases);
 * - field verification by the grid worker: grid:write at the owner.
 */
export interface Access {
  permission: Permission;
  at: 'owner' | 'owner-or-responsible';
}

export const CENTRE: Access = { permission: Permission.CommunityWrite, at: 'owner' };
export const HANDLING_UNIT: Access = { permission: Permission.GridWrite, at: 'owner-or-responsible' };
export const FIELD: Access = { permission: Permission.GridWrite, at: 'owner' };

/** What a step builds its domain command from. */
export interface StepContext {
  state: OpenIncident;
  principal: Principal;
  meta: CommandMeta;
  rules(): Promise<DeadlineRules>;
}

export type StepCommand = { input: { incidentId: string }; principal: Principal; meta: CommandMeta };

/**
 * The common path of every incident step: load the incident from its stream, check the caller
 * against its owner and handling unit (outside both: NOT_FOUND, as a missing incident; visible
 * without the permission: FORBIDDEN), build the domain command, and hand it to the processor,
 * stamping the events with the incident's owning path.
 */
@Injectable()
export class IncidentWriter {
  constructor(
    private readonly commands: CommandProcessor,
    private readonly reader: AggregateReader,
    private readonly rulesProvider: DeadlineRulesProvider,
  ) {}

  rules(): Promise<DeadlineRules> {
    return this.rulesProvider.rules();
  }

  async load(principal: Principal, incidentId: string, access: Access): Promise<OpenIncident> {
    if (!isValidAggregateId(incidentId)) throw new OutOfScopeError('Incident', incidentId);
    const { state } = await this.reader.load(incidentDecider, incidentStream(incidentId));
    if (state.status === 'None') throw new OutOfScopeError('Incident', incidentId);
    const responsible = state.responsible?.path;
    if (!inScope(principal, state.orgUnitPath) && !(responsible && inScope(principal, responsible))) {
      throw new OutOfScopeError('Incident', incidentId);
    }
    const paths = access.at === 'owner' || !responsible ? [state.orgUnitPath] : [state.orgUnitPath, responsible];
    if (!paths.some((p) => can(principal, access.permission, p))) {
      throw new ForbiddenError(`Permission ${access.permission} is required on this incident${access.at === 'owner' ? '’s owning unit' : ''}`);
    }
    return state;
  }

  async run(
    { input, principal, meta }: StepCommand,
    access: Access,
    build: (step: StepContext) => CommandInput<IncidentCommand> | Promise<CommandInput<IncidentCommand>>,
  ): Promise<CommandResult> {
    const state = await this.load(principal, input.incidentId, access);
    const command = await build({ state, principal, meta, rules: () => this.rules() });
    return this.append(input.incidentId, command, principal, meta, state.orgUnitPath);
  }

  /** Appends to an incident whose access the caller already checked (or a trusted caller). */
  append(incidentId: string, command: CommandInput<IncidentCommand>, principal: Principal, meta: CommandMeta, fallbackPath?: string): Promise<CommandResult> {
    return this.commands.handle(incidentDecider, incidentStream(incidentId), command, contextOf(principal, meta), {
      ...handleOptions(meta),
      orgUnitPath: (s) => owningPathOf(s) ?? fallbackPath,
      aggregateId: incidentId,
    });
  }
}

/**
 * A step handler: its access rule and how it builds the domain command. Injectable, so its
 * constructor's parameter types are recorded for the subclasses that declare none.
 */
@Injectable()
export abstract class IncidentStepHandler<C extends StepCommand> {
  protected abstract readonly access: Access;

  constructor(protected readonly writer: IncidentWriter) {}

  protected abstract build(command: C, step: StepContext): CommandInput<IncidentCommand> | Promise<CommandInput<IncidentCommand>>;

  execute(command: C): Promise<CommandResult> {
    return this.writer.run(command, this.access, (step) => this.build(command, step));
  }
}
