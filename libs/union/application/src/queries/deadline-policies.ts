import { Injectable } from '@nestjs/common';
import { can, ForbiddenError, Permission, ROOT_PATH, type Principal } from '@gongzhi/auth';
import { DeadlinePolicyStore, type PublishedPolicy } from '@gongzhi/deadlines';
import type { DeadlinePolicy } from '@gongzhi/deadlines-domain';
import { InvalidCommandInput } from '@gongzhi/kernel';

export const UNION_POLICY_PREFIX = 'union.';

/**
 * The union's deadline policies: readable by anyone who reads disputes, published (a new version,
 * no code change) only by an administrator of the whole tree, since they apply to every union.
 */
@Injectable()
export class UnionDeadlinePolicies {
  constructor(private readonly store: DeadlinePolicyStore) {}

  list(): Promise<PublishedPolicy[]> {
    return this.store.all(UNION_POLICY_PREFIX);
  }

  publish(principal: Principal, change: Partial<Omit<DeadlinePolicy, 'version'>> & { policyId: string }, now: string): Promise<PublishedPolicy> {
    if (!can(principal, Permission.Operate, ROOT_PATH)) throw new ForbiddenError('Only an administrator of the whole tree publishes deadline policies');
    if (!change.policyId?.startsWith(UNION_POLICY_PREFIX)) throw new InvalidCommandInput(`Union policies start with ${UNION_POLICY_PREFIX}`);
    return this.store.publish(change, principal.userId, now);
  }
}
