import { Command } from '@nestjs/cqrs';
import type { Principal } from '@gongzhi/auth';
import type { CommandResult } from '@gongzhi/eventsourcing';
import type { FileDispute, LaborDisputeCommand, TransferDispute } from '@gongzhi/union-domain';

/** Request-level facts every union command carries besides its input. */
export interface CommandMeta {
  correlationId: string;
  /** Idempotency key; a resend with the same one returns the original result. */
  commandId?: string;
  /** The stream revision the client last saw; a mismatch is a conflict. */
  expectedRevision?: number;
  causationId?: string;
  /** Only for trusted callers (the seed, the scheduler, tests); requests use the processor's clock. */
  now?: string;
}

/** A worker as the API receives them: the handler chooses the subject id. */
export interface WorkerFiling {
  name: string;
  idNumber?: string | null;
  phone?: string | null;
}

export type FileLaborDisputeInput = Omit<FileDispute['data'], 'disputeId' | 'workers'> & {
  /** Optional: derived from the commandId (or a new UUID) when absent. */
  disputeId?: string;
  workers: WorkerFiling[];
};

export class FileLaborDisputeCommand extends Command<CommandResult> {
  constructor(readonly input: FileLaborDisputeInput, readonly principal: Principal, readonly meta: CommandMeta) {
    super();
  }
}

export class TransferLaborDisputeCommand extends Command<CommandResult> {
  constructor(readonly input: TransferDispute['data'], readonly principal: Principal, readonly meta: CommandMeta) {
    super();
  }
}

/** Every other command on an existing dispute: the union's lifecycle steps. */
export type LaborDisputeStep = Exclude<LaborDisputeCommand, { type: 'FileDispute' | 'TransferDispute' }>;
export type LaborDisputeStepInput = LaborDisputeStep extends infer C ? (C extends LaborDisputeStep ? { type: C['type']; data: C['data'] } : never) : never;

export class LaborDisputeStepCommand extends Command<CommandResult> {
  constructor(readonly step: LaborDisputeStepInput, readonly principal: Principal, readonly meta: CommandMeta) {
    super();
  }
}
