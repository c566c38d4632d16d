import { Command } from '@nestjs/cqrs';
import type { Principal } from '@gongzhi/auth';
import type { CommandResult } from '@gongzhi/eventsourcing';
import type { AssignmentScope, OrgUnitKind, StaffRole } from '@gongzhi/org-domain';

/** Request-level facts every org command carries besides its input. */
export interface CommandMeta {
  correlationId: string;
  /** Idempotency key; a resend with the same one returns the original result. */
  commandId?: string;
  /** The stream revision the client last saw; a mismatch is a conflict. */
  expectedRevision?: number;
  causationId?: string;
  /** Only for trusted callers (seeding, tests); requests use the processor's clock. */
  now?: string;
}

export interface CreateOrgUnitInput {
  /** Optional: derived from the commandId (or a new UUID) when absent. */
  orgUnitId?: string;
  name: string;
  kind: OrgUnitKind;
  code?: string | null;
  parentId?: string | null;
}

export class CreateOrgUnitCommand extends Command<CommandResult> {
  constructor(readonly input: CreateOrgUnitInput, readonly principal: Principal, readonly meta: CommandMeta) {
    super();
  }
}

export class RenameOrgUnitCommand extends Command<CommandResult> {
  constructor(readonly input: { orgUnitId: string; name: string }, readonly principal: Principal, readonly meta: CommandMeta) {
    super();
  }
}

export class MoveOrgUnitCommand extends Command<CommandResult> {
  constructor(
    readonly input: { orgUnitId: string; newParentId: string | null },
    readonly principal: Principal,
    readonly meta: CommandMeta,
  ) {
    super();
  }
}

export class RetireOrgUnitCommand extends Command<CommandResult> {
  constructor(
    readonly input: { orgUnitId: string; reason?: string | null },
    readonly principal: Principal,
    readonly meta: CommandMeta,
  ) {
    super();
  }
}

export class RegisterStaffCommand extends Command<CommandResult> {
  constructor(
    readonly input: { staffId?: string; displayName: string; orgUnitId: string },
    readonly principal: Principal,
    readonly meta: CommandMeta,
  ) {
    super();
  }
}

export class AssignRoleCommand extends Command<CommandResult> {
  constructor(
    readonly input: { staffId: string; assignmentId?: string; role: StaffRole; orgUnitId: string; scope?: AssignmentScope },
    readonly principal: Principal,
    readonly meta: CommandMeta,
  ) {
    super();
  }
}

export class RevokeRoleCommand extends Command<CommandResult> {
  constructor(readonly input: { staffId: string; assignmentId: string }, readonly principal: Principal, readonly meta: CommandMeta) {
    super();
  }
}
