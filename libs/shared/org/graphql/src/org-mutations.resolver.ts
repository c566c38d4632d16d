import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { CommandBus } from '@nestjs/cqrs';
import { correlationIdOf, CurrentUser, Permission, type Principal, RequirePermission } from '@gongzhi/auth';
import type { CommandResult } from '@gongzhi/eventsourcing';
import { commandOptionsOf, MutationResult, toMutationResult } from '@gongzhi/graphql';
import {
  AssignRoleCommand,
  type CommandMeta,
  CreateOrgUnitCommand,
  MoveOrgUnitCommand,
  RegisterStaffCommand,
  RenameOrgUnitCommand,
  RetireOrgUnitCommand,
  RevokeRoleCommand,
} from '@gongzhi/org';
import {
  AssignRoleInput,
  CreateOrgUnitInput,
  MoveOrgUnitInput,
  RegisterStaffInput,
  RenameOrgUnitInput,
  RetireOrgUnitInput,
  RevokeRoleInput,
} from './org.inputs';

const metaOf = (input: { commandId?: string | null; expectedRevision?: number | null }, req: object): CommandMeta => {
  const { commandId, expectedRevision } = commandOptionsOf(input);
  return {
    correlationId: correlationIdOf(req as Record<string, unknown>),
    ...(commandId !== undefined ? { commandId } : {}),
    ...(expectedRevision !== undefined ? { expectedRevision } : {}),
  };
};

/**
 * Org mutations. The permission decorators refuse callers who hold the permission nowhere; the
 * handlers then check it at the target (NOT_FOUND outside the scope, FORBIDDEN inside it).
 */
@Resolver()
export class OrgMutationsResolver {
  constructor(private readonly commandBus: CommandBus) {}

  private async run(command: object): Promise<MutationResult> {
    return toMutationResult(await this.commandBus.execute<never, CommandResult>(command as never));
  }

  @Mutation(() => MutationResult, { description: 'Creates an org unit under a parent in the caller’s scope.' })
  @RequirePermission(Permission.OrgWrite)
  createOrgUnit(@Args('input') input: CreateOrgUnitInput, @CurrentUser() principal: Principal, @Context('req') req: object) {
    const { orgUnitId, name, kind, code, parentId } = input;
    return this.run(
      new CreateOrgUnitCommand({ ...(orgUnitId ? { orgUnitId } : {}), name, kind, code: code ?? null, parentId: parentId ?? null }, principal, metaOf(input, req)),
    );
  }

  @Mutation(() => MutationResult)
  @RequirePermission(Permission.OrgWrite)
  renameOrgUnit(@Args('input') input: RenameOrgUnitInput, @CurrentUser() principal: Principal, @Context('req') req: object) {
    return this.run(new RenameOrgUnitCommand({ orgUnitId: input.orgUnitId, name: input.name }, principal, metaOf(input, req)));
  }

  @Mutation(() => MutationResult, { description: 'Moves a unit and its whole subtree under a new parent.' })
  @RequirePermission(Permission.OrgWrite)
  moveOrgUnit(@Args('input') input: MoveOrgUnitInput, @CurrentUser() principal: Principal, @Context('req') req: object) {
    return this.run(new MoveOrgUnitCommand({ orgUnitId: input.orgUnitId, newParentId: input.newParentId ?? null }, principal, metaOf(input, req)));
  }

  @Mutation(() => MutationResult, { description: 'Retires a unit that has no active children.' })
  @RequirePermission(Permission.OrgWrite)
  retireOrgUnit(@Args('input') input: RetireOrgUnitInput, @CurrentUser() principal: Principal, @Context('req') req: object) {
    return this.run(new RetireOrgUnitCommand({ orgUnitId: input.orgUnitId, reason: input.reason ?? null }, principal, metaOf(input, req)));
  }

  @Mutation(() => MutationResult)
  @RequirePermission(Permission.StaffWrite)
  registerStaff(@Args('input') input: RegisterStaffInput, @CurrentUser() principal: Principal, @Context('req') req: object) {
    const { staffId, displayName, orgUnitId } = input;
    return this.run(new RegisterStaffCommand({ ...(staffId ? { staffId } : {}), displayName, orgUnitId }, principal, metaOf(input, req)));
  }

  @Mutation(() => MutationResult)
  @RequirePermission(Permission.StaffWrite)
  assignRole(@Args('input') input: AssignRoleInput, @CurrentUser() principal: Principal, @Context('req') req: object) {
    const { staffId, assignmentId, role, orgUnitId, scope } = input;
    return this.run(
      new AssignRoleCommand({ staffId, ...(assignmentId ? { assignmentId } : {}), role, orgUnitId, scope: scope ?? 'subtree' }, principal, metaOf(input, req)),
    );
  }

  @Mutation(() => MutationResult)
  @RequirePermission(Permission.StaffWrite)
  revokeRole(@Args('input') input: RevokeRoleInput, @CurrentUser() principal: Principal, @Context('req') req: object) {
    return this.run(new RevokeRoleCommand({ staffId: input.staffId, assignmentId: input.assignmentId }, principal, metaOf(input, req)));
  }
}
