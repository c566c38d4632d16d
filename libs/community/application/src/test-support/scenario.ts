import type { CommandBus } from '@nestjs/cqrs';
import { buildPrincipal, Role, systemPrincipal, type Principal } from '@gongzhi/auth';
import type { CommandResult } from '@gongzhi/eventsourcing';
import { DefineGridCommand, type CommandMeta } from '../write/commands';
import type { COMMUNITY_TEST_TREE } from '../testing';

export type Tree = ReturnType<typeof COMMUNITY_TEST_TREE>;

/** A principal acting from a unit of the test tree with the given roles (token scope: its subtree). */
export const actor = (tree: Tree, unit: string, roles: Role[], userId = `${roles[0]}@${unit}`): Principal =>
  buildPrincipal({ userId, roles, orgUnitId: tree.id(unit), orgUnitPath: tree.paths[tree.id(unit)] });

export const system = (): Principal => systemPrincipal('test');

let counter = 0;
/** Fresh request metadata (a new correlation id each time; pass a commandId to test idempotency). */
export const meta = (over: Partial<CommandMeta> = {}): CommandMeta => ({ correlationId: `test-${++counter}`, ...over });

export const run = (bus: CommandBus, command: object): Promise<CommandResult> => bus.execute(command as never);

/** Defines grid `sancun-grid-01` in 三村 with the test tree's grid worker. */
export const defineSancunGrid = (bus: CommandBus, tree: Tree, principal: Principal = actor(tree, 'sancun', [Role.CommunityWorker]), gridId = 'sancun-grid-01') =>
  run(
    bus,
    new DefineGridCommand(
      {
        gridId: tree.id(gridId),
        communityId: tree.id('sancun'),
        name: '三村一號網格',
        area: '三村小區1–12幢及鱸鄉南路沿街商鋪',
        workerStaffId: tree.id('sancun-grid-worker'),
        supervisionPhone: '0512-63012345',
      },
      principal,
      meta(),
    ),
  );

export const LOCATION = { address: '三村小區12幢東側綠化帶', latitude: 31.16, longitude: 120.64 };
