import { Inject, Injectable, Optional } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { authorize, ORG_DIRECTORY, OutOfScopeError, Permission, toRequestContext, type OrgDirectory, type Principal } from '@gongzhi/auth';
import { DeadlineRulesProvider } from '@gongzhi/deadlines';
import { AggregateReader, CommandProcessor, type CommandResult, type HandleOptions } from '@gongzhi/eventsourcing';
import { isValidAggregateId } from '@gongzhi/kernel';
import { BlindIndex } from '@gongzhi/privacy';
import {
  createLaborDisputeDecider,
  laborDisputeDecider,
  laborDisputeStream,
  type DisputeCase,
  type LaborDispute,
  type LaborDisputeCommand,
} from '@gongzhi/union-domain';
import { v5 as uuidv5, v7 as uuidv7 } from 'uuid';
import {
  FileLaborDisputeCommand,
  LaborDisputeStepCommand,
  TransferLaborDisputeCommand,
  type CommandMeta,
  type FileLaborDisputeInput,
  type LaborDisputeStepInput,
} from './commands';

/** Fixed forever: ids derived from a commandId must come out the same on a resend. */
const UNION_ID_NAMESPACE = '6a3f0c55-2b1d-4f0e-8c7a-3d9e5b1a7c42';

const WHAT = 'LaborDispute';

/** A dispute as a handler sees it before deciding: its state and where it belongs now. */
export interface LoadedDispute {
  state: DisputeCase;
  revision: number;
  /** The handling union's current path (its unit may have moved since the dispute was filed). */
  path: string;
}

/**
 * The write side of the labor-dispute context: authorization (outside the caller's scope is
 * NOT_FOUND, inside without union:write is FORBIDDEN), the deadline rules for the decider, and
 * the command processor. Everything else is the decider's.
 */
@Injectable()
export class LaborDisputeCommands {
  constructor(
    private readonly commands: CommandProcessor,
    private readonly reader: AggregateReader,
    private readonly rules: DeadlineRulesProvider,
    @Inject(ORG_DIRECTORY) private readonly directory: OrgDirectory,
    @Optional() private readonly blindIndex?: BlindIndex,
  ) {}

  /** The current dispute, visible to the principal, or NOT_FOUND. */
  async load(principal: Principal, disputeId: string): Promise<LoadedDispute> {
    if (!isValidAggregateId(disputeId)) throw new OutOfScopeError(WHAT, disputeId);
    const loaded = await this.reader.load<LaborDispute, any>(laborDisputeDecider, laborDisputeStream(disputeId));
    if (loaded.state.status === 'None') throw new OutOfScopeError(WHAT, disputeId);
    const path = (await this.directory.resolvePath(loaded.state.orgUnitId)) ?? loaded.state.orgUnitPath;
    authorize(principal, Permission.Read, { orgUnitPath: path, what: WHAT, id: disputeId });
    return { state: loaded.state, revision: loaded.revision, path };
  }

  async file(input: FileLaborDisputeInput, principal: Principal, meta: CommandMeta): Promise<CommandResult> {
    const path = await this.unitPath(principal, input.orgUnitId);
    authorize(principal, Permission.UnionWrite, { orgUnitPath: path, what: 'OrgUnit', id: input.orgUnitId });
    const disputeId = input.disputeId ?? this.newId(meta, 'labor-dispute');
    const workers = await Promise.all(
      (input.workers ?? []).map(async (w, i) => ({ ...w, subjectId: await this.subjectFor(w, meta, disputeId, i) })),
    );
    return this.handle(
      { type: 'FileDispute', data: { ...input, disputeId, workers } },
      principal,
      meta,
      { orgUnitPath: path, aggregateId: disputeId },
      disputeId,
    );
  }

  async transfer(input: { disputeId: string; toOrgUnitId: string; reason: string }, principal: Principal, meta: CommandMeta): Promise<CommandResult> {
    const { path } = await this.load(principal, input.disputeId);
    authorize(principal, Permission.UnionWrite, { orgUnitPath: path, what: WHAT, id: input.disputeId });
    // The receiving union must exist and lie in the caller's scope too.
    const toPath = await this.unitPath(principal, input.toOrgUnitId);
    authorize(principal, Permission.UnionWrite, { orgUnitPath: toPath, what: 'OrgUnit', id: input.toOrgUnitId });
    return this.handle({ type: 'TransferDispute', data: input }, principal, meta, { orgUnitPath: toPath, aggregateId: input.disputeId }, input.disputeId);
  }

  async step(step: LaborDisputeStepInput, principal: Principal, meta: CommandMeta): Promise<CommandResult> {
    const disputeId = step.data.disputeId;
    const { path } = await this.load(principal, disputeId);
    authorize(principal, Permission.UnionWrite, { orgUnitPath: path, what: WHAT, id: disputeId });
    return this.handle(step, principal, meta, { orgUnitPath: path, aggregateId: disputeId }, disputeId);
  }

  private async handle(
    command: { type: LaborDisputeCommand['type']; data: unknown },
    principal: Principal,
    meta: CommandMeta,
    options: HandleOptions<LaborDispute>,
    disputeId: string,
  ): Promise<CommandResult> {
    const decider = createLaborDisputeDecider(await this.rules.rules());
    return this.commands.handle(
      decider,
      laborDisputeStream(disputeId),
      command as never,
      toRequestContext(principal, meta),
      { ...options, ...(meta.expectedRevision !== undefined ? { expectedRevision: meta.expectedRevision } : {}) },
    );
  }

  /** An active org unit in the caller's scope (missing, retired and outside all answer NOT_FOUND). */
  private async unitPath(principal: Principal, orgUnitId: string): Promise<string> {
    const path = typeof orgUnitId === 'string' && orgUnitId ? await this.directory.resolvePath(orgUnitId) : undefined;
    if (!path) throw new OutOfScopeError('OrgUnit', orgUnitId);
    return path;
  }

  private newId(meta: CommandMeta, purpose: string): string {
    return meta.commandId ? uuidv5(`${purpose}/${meta.commandId}`, UNION_ID_NAMESPACE) : uuidv7();
  }

  /**
   * The same person keeps one subject id across disputes when an ID number identifies them
   * (the privacy vault's blind index); otherwise a fresh id per filing, derived from the commandId
   * so a resent filing reuses it.
   */
  private async subjectFor(worker: { idNumber?: string | null }, meta: CommandMeta, disputeId: string, index: number): Promise<string> {
    if (this.blindIndex && worker.idNumber && worker.idNumber.trim()) {
      return (await this.blindIndex.subjectFor('id-number', worker.idNumber)).subjectId;
    }
    return uuidv5(`worker/${meta.commandId ?? disputeId}/${index}`, UNION_ID_NAMESPACE);
  }
}

@CommandHandler(FileLaborDisputeCommand)
export class FileLaborDisputeHandler implements ICommandHandler<FileLaborDisputeCommand> {
  constructor(private readonly disputes: LaborDisputeCommands) {}
  execute({ input, principal, meta }: FileLaborDisputeCommand): Promise<CommandResult> {
    return this.disputes.file(input, principal, meta);
  }
}

@CommandHandler(TransferLaborDisputeCommand)
export class TransferLaborDisputeHandler implements ICommandHandler<TransferLaborDisputeCommand> {
  constructor(private readonly disputes: LaborDisputeCommands) {}
  execute({ input, principal, meta }: TransferLaborDisputeCommand): Promise<CommandResult> {
    return this.disputes.transfer(input, principal, meta);
  }
}

@CommandHandler(LaborDisputeStepCommand)
export class LaborDisputeStepHandler implements ICommandHandler<LaborDisputeStepCommand> {
  constructor(private readonly disputes: LaborDisputeCommands) {}
  execute({ step, principal, meta }: LaborDisputeStepCommand): Promise<CommandResult> {
    return this.disputes.step(step, principal, meta);
  }
}
