import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { authorize, can, ForbiddenError, inScope, OutOfScopeError, Permission, type Principal } from '@gongzhi/auth';
import { CommandProcessor, type CommandResult } from '@gongzhi/eventsourcing';
import { staffDecider, staffStream } from '@gongzhi/org-domain';
import { AssignRoleCommand, RegisterStaffCommand, RevokeRoleCommand } from './commands';
import { contextOf, handleOptions, newIdFor, referencedUnit, requireValidId } from './handler-support';
import { OrgTree } from './org-tree';

const requireStaffWrite = (principal: Principal): void => {
  if (!can(principal, Permission.StaffWrite)) throw new ForbiddenError(`Permission ${Permission.StaffWrite} is required`);
};

/** A staff member is visible where their home unit is; elsewhere they answer NOT_FOUND. */
const visibleStaff = async (tree: OrgTree, principal: Principal, staffId: string) => {
  requireValidId(staffId, 'staff id');
  const staff = await tree.staff(staffId);
  const home = staff ? await tree.snapshot(staff.state.orgUnitId) : null;
  if (!staff || !home || !inScope(principal, home.path)) throw new OutOfScopeError('StaffMember', staffId);
  return { ...staff, homePath: home.path };
};

@CommandHandler(RegisterStaffCommand)
export class RegisterStaffHandler implements ICommandHandler<RegisterStaffCommand> {
  constructor(
    private readonly commands: CommandProcessor,
    private readonly tree: OrgTree,
  ) {}

  async execute({ input, principal, meta }: RegisterStaffCommand): Promise<CommandResult> {
    requireStaffWrite(principal);
    const staffId = requireValidId(input.staffId ?? newIdFor(meta, 'staff'), 'staff id');
    requireValidId(input.orgUnitId, 'org unit id');
    const orgUnit = await referencedUnit(this.tree, principal, input.orgUnitId, Permission.StaffWrite);
    return this.commands.handle(
      staffDecider,
      staffStream(staffId),
      { type: 'RegisterStaff', data: { staffId, displayName: input.displayName, orgUnitId: input.orgUnitId, orgUnit } },
      contextOf(principal, meta),
      { ...handleOptions(meta), ...(orgUnit ? { orgUnitPath: orgUnit.path } : {}), aggregateId: staffId },
    );
  }
}

@CommandHandler(AssignRoleCommand)
export class AssignRoleHandler implements ICommandHandler<AssignRoleCommand> {
  constructor(
    private readonly commands: CommandProcessor,
    private readonly tree: OrgTree,
  ) {}

  async execute({ input, principal, meta }: AssignRoleCommand): Promise<CommandResult> {
    requireStaffWrite(principal);
    const staff = await visibleStaff(this.tree, principal, input.staffId);
    requireValidId(input.orgUnitId, 'org unit id');
    // Power is granted where the role is held: the assigner needs staff:write over that unit.
    const orgUnit = await referencedUnit(this.tree, principal, input.orgUnitId, Permission.StaffWrite);
    const assignmentId = requireValidId(input.assignmentId ?? newIdFor(meta, 'assignment'), 'assignment id');
    return this.commands.handle(
      staffDecider,
      staffStream(input.staffId),
      {
        type: 'AssignRole',
        data: { staffId: input.staffId, assignmentId, role: input.role, orgUnitId: input.orgUnitId, scope: input.scope ?? 'subtree', orgUnit },
      },
      contextOf(principal, meta),
      { ...handleOptions(meta), orgUnitPath: staff.homePath, aggregateId: input.staffId },
    );
  }
}

@CommandHandler(RevokeRoleCommand)
export class RevokeRoleHandler implements ICommandHandler<RevokeRoleCommand> {
  constructor(
    private readonly commands: CommandProcessor,
    private readonly tree: OrgTree,
  ) {}

  async execute({ input, principal, meta }: RevokeRoleCommand): Promise<CommandResult> {
    requireStaffWrite(principal);
    const staff = await visibleStaff(this.tree, principal, input.staffId);
    const assignment = staff.state.assignments[input.assignmentId];
    if (assignment) {
      const unit = await this.tree.snapshot(assignment.orgUnitId);
      authorize(principal, Permission.StaffWrite, { orgUnitPath: unit?.path, what: 'RoleAssignment', id: input.assignmentId });
    }
    return this.commands.handle(
      staffDecider,
      staffStream(input.staffId),
      { type: 'RevokeRole', data: { staffId: input.staffId, assignmentId: input.assignmentId } },
      contextOf(principal, meta),
      { ...handleOptions(meta), orgUnitPath: staff.homePath, aggregateId: input.staffId },
    );
  }
}
