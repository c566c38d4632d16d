import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { can, ForbiddenError, Permission, type Principal, ROOT_PATH } from '@gongzhi/auth';
import { CommandProcessor, type CommandResult } from '@gongzhi/eventsourcing';
import { childPath, orgUnitDecider, orgUnitStream, type UnitSnapshot } from '@gongzhi/org-domain';
import { DataSource } from 'typeorm';
import { OrgUnitRow } from '../read-model/org.entities';
import { ORG_READ_STORE } from '../read-store.token';
import { CreateOrgUnitCommand, MoveOrgUnitCommand, RenameOrgUnitCommand, RetireOrgUnitCommand } from './commands';
import { contextOf, handleOptions, newIdFor, referencedUnit, requireValidId, visibleUnit } from './handler-support';
import { OrgStructureLock, OrgTree } from './org-tree';

const requireSomewhere = (principal: Principal, permission: Permission): void => {
  if (!can(principal, permission)) throw new ForbiddenError(`Permission ${permission} is required`);
};

/** Top-level units hang from the root: only an administrator of the whole tree places them. */
const requireRootWrite = (principal: Principal): void => {
  if (!can(principal, Permission.OrgWrite, ROOT_PATH)) {
    throw new ForbiddenError('Only an administrator of the whole tree manages top-level org units');
  }
};

@CommandHandler(CreateOrgUnitCommand)
export class CreateOrgUnitHandler implements ICommandHandler<CreateOrgUnitCommand> {
  constructor(
    private readonly commands: CommandProcessor,
    private readonly tree: OrgTree,
    private readonly lock: OrgStructureLock,
  ) {}

  execute({ input, principal, meta }: CreateOrgUnitCommand): Promise<CommandResult> {
    requireSomewhere(principal, Permission.OrgWrite);
    const orgUnitId = requireValidId(input.orgUnitId ?? newIdFor(meta, 'org-unit'), 'org unit id');
    const parentId = input.parentId ?? null;
    return this.lock.run(async () => {
      let parent: UnitSnapshot | null = null;
      if (parentId === null) requireRootWrite(principal);
      else parent = await referencedUnit(this.tree, principal, parentId, Permission.OrgWrite);
      return this.commands.handle(
        orgUnitDecider,
        orgUnitStream(orgUnitId),
        {
          type: 'CreateOrgUnit',
          data: { orgUnitId, name: input.name, kind: input.kind, code: input.code ?? null, parentId, parent },
        },
        contextOf(principal, meta),
        { ...handleOptions(meta), orgUnitPath: childPath(parent?.path ?? null, orgUnitId), aggregateId: orgUnitId },
      );
    });
  }
}

@CommandHandler(RenameOrgUnitCommand)
export class RenameOrgUnitHandler implements ICommandHandler<RenameOrgUnitCommand> {
  constructor(
    private readonly commands: CommandProcessor,
    private readonly tree: OrgTree,
  ) {}

  async execute({ input, principal, meta }: RenameOrgUnitCommand): Promise<CommandResult> {
    const unit = await visibleUnit(this.tree, principal, input.orgUnitId, Permission.OrgWrite);
    return this.commands.handle(
      orgUnitDecider,
      orgUnitStream(input.orgUnitId),
      { type: 'RenameOrgUnit', data: { orgUnitId: input.orgUnitId, name: input.name } },
      contextOf(principal, meta),
      { ...handleOptions(meta), orgUnitPath: unit.path, aggregateId: input.orgUnitId },
    );
  }
}

@CommandHandler(MoveOrgUnitCommand)
export class MoveOrgUnitHandler implements ICommandHandler<MoveOrgUnitCommand> {
  constructor(
    private readonly commands: CommandProcessor,
    private readonly tree: OrgTree,
    private readonly lock: OrgStructureLock,
  ) {}

  execute({ input, principal, meta }: MoveOrgUnitCommand): Promise<CommandResult> {
    return this.lock.run(async () => {
      const unit = await visibleUnit(this.tree, principal, input.orgUnitId, Permission.OrgWrite);
      const newParentId = input.newParentId ?? null;
      let newParent: UnitSnapshot | null = null;
      if (newParentId === null) requireRootWrite(principal);
      else newParent = await referencedUnit(this.tree, principal, newParentId, Permission.OrgWrite);
      return this.commands.handle(
        orgUnitDecider,
        orgUnitStream(input.orgUnitId),
        { type: 'MoveOrgUnit', data: { orgUnitId: input.orgUnitId, newParentId, newParent, currentPath: unit.path } },
        contextOf(principal, meta),
        {
          ...handleOptions(meta),
          orgUnitPath: newParentId === null || newParent ? childPath(newParent?.path ?? null, input.orgUnitId) : unit.path,
          aggregateId: input.orgUnitId,
        },
      );
    });
  }
}

@CommandHandler(RetireOrgUnitCommand)
export class RetireOrgUnitHandler implements ICommandHandler<RetireOrgUnitCommand> {
  constructor(
    private readonly commands: CommandProcessor,
    private readonly tree: OrgTree,
    private readonly lock: OrgStructureLock,
    @Inject(ORG_READ_STORE) private readonly readStore: DataSource,
  ) {}

  execute({ input, principal, meta }: RetireOrgUnitCommand): Promise<CommandResult> {
    return this.lock.run(async () => {
      const unit = await visibleUnit(this.tree, principal, input.orgUnitId, Permission.OrgWrite);
      // Children are counted in the read model (streams have no child index); a child created
      // moments ago may not be there yet, which the projection then shows under a retired parent.
      const activeChildren = await this.readStore
        .getRepository(OrgUnitRow)
        .countBy({ parentId: input.orgUnitId, retired: false });
      return this.commands.handle(
        orgUnitDecider,
        orgUnitStream(input.orgUnitId),
        {
          type: 'RetireOrgUnit',
          data: { orgUnitId: input.orgUnitId, reason: input.reason ?? null, currentPath: unit.path, activeChildren },
        },
        contextOf(principal, meta),
        { ...handleOptions(meta), orgUnitPath: unit.path, aggregateId: input.orgUnitId },
      );
    });
  }
}
