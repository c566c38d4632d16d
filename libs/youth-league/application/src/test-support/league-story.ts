import { buildPrincipal, Role, type Principal } from '@gongzhi/auth';
import { principalAt } from '@gongzhi/auth/testing';
import { createScopeTree, type ScopeTree } from '@gongzhi/org/testing';
import type { LeagueTestApp } from '../testing';

/** Officers at each level of the scope tree, and a volunteer whose own login sits in community A. */
export interface LeagueCast {
  tree: ScopeTree;
  province: Principal;
  city: Principal;
  countyA: Principal;
  countyB: Principal;
  communityA: Principal;
  volunteer: Principal;
  /** A second volunteer login (for the time bank's other member). */
  neighbour: Principal;
}

export const createLeagueCast = async (t: LeagueTestApp, prefix = ''): Promise<LeagueCast> => {
  const tree = await createScopeTree(t.commandBus, { prefix });
  await t.settle();
  const officer = (level: keyof ScopeTree['paths'], role = Role.LeagueOfficer) => principalAt(tree.paths[level], [role], `officer@${tree.ids[level]}`);
  // No volunteer role exists in auth yet: a volunteer's login is any token whose subject is the
  // account the volunteer registered with; the least-privileged role stands in for now.
  const volunteerAt = (userId: string) =>
    buildPrincipal({ userId, roles: [Role.Analyst], orgUnitId: tree.ids.communityA, orgUnitPath: tree.paths.communityA });
  return {
    tree,
    province: officer('province'),
    city: officer('city'),
    countyA: officer('countyA'),
    countyB: officer('countyB'),
    communityA: officer('communityA', Role.CommunityWorker),
    volunteer: volunteerAt(`${prefix}vol-li`),
    neighbour: volunteerAt(`${prefix}vol-wang`),
  };
};
