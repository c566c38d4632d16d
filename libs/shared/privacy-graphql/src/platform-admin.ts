import { ROOT_PATH, Role, type Principal } from '@gongzhi/auth';

/**
 * Erasure and the audit log concern everyone in the tree, so they belong to admins of the whole
 * tree: an admin of one county neither forgets people nor reads who looked at whom elsewhere.
 */
export const isPlatformAdmin = (principal: Principal): boolean =>
  principal.scopes.some((s) => s.path === ROOT_PATH && s.includeDescendants && s.roles.includes(Role.Admin));
