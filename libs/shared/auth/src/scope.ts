import { Brackets, type WhereExpressionBuilder } from 'typeorm';
import { OutOfScopeError, ForbiddenError } from './errors';
import type { OrgScope, Principal } from './principal';
import { Permission, rolesGrant } from './roles';

const covers = (scope: OrgScope, orgUnitPath: string): boolean =>
  scope.includeDescendants ? orgUnitPath.startsWith(scope.path) : orgUnitPath === scope.path;

/**
 * Whether data owned by `orgUnitPath` lies in the principal's scope. Paths end with a slash, so a
 * prefix test cannot confuse `/a/b1/` with `/a/b10/`.
 */
export const inScope = (principal: Principal, orgUnitPath: string | null | undefined): boolean =>
  typeof orgUnitPath === 'string' && orgUnitPath.length > 0 && principal.scopes.some((s) => covers(s, orgUnitPath));

/**
 * Whether the principal holds `permission` at `orgUnitPath` (in a scope covering it), or anywhere
 * when no path is given. Roles count only where they were granted: an admin of county A is no
 * admin of county B.
 */
export const can = (principal: Principal, permission: Permission, orgUnitPath?: string): boolean =>
  principal.scopes.some(
    (s) => (orgUnitPath === undefined || covers(s, orgUnitPath)) && rolesGrant(s.roles, permission),
  );

/**
 * The check every command handler makes on its target: outside the scope answers NOT_FOUND (as a
 * missing object does), inside it without the permission answers FORBIDDEN.
 */
export const authorize = (
  principal: Principal,
  permission: Permission,
  target: { orgUnitPath: string | null | undefined; what: string; id?: string },
): void => {
  if (!inScope(principal, target.orgUnitPath)) throw new OutOfScopeError(target.what, target.id);
  if (!can(principal, permission, target.orgUnitPath ?? undefined)) {
    throw new ForbiddenError(`Permission ${permission} is required on this ${target.what}`);
  }
};

/** Escapes LIKE wildcards so a path is matched literally (pair with `ESCAPE '\'`). */
export const escapeLike = (value: string): string => value.replace(/[\\%_]/g, (c) => `\\${c}`);

export interface ScopePredicate {
  /** A parenthesised SQL condition with named parameters (TypeORM `:name` syntax). */
  sql: string;
  params: Record<string, string>;
}

/**
 * The read-model condition for a principal's scope: `column LIKE '<path>%'` per subtree scope,
 * `column = '<path>'` per single-unit scope, OR-ed. A principal with no scope matches nothing.
 * Works on PostgreSQL and SQLite (paths are lowercase ids, so SQLite's case-insensitive LIKE
 * changes nothing).
 *
 *   const { sql, params } = scopePredicate(principal, 'u.owning_org_path');
 *   qb.andWhere(sql, params);
 */
export const scopePredicate = (
  principal: Principal,
  column = 'owning_org_path',
  paramPrefix = 'scope',
): ScopePredicate => {
  if (!/^[A-Za-z_][A-Za-z0-9_."]*$/.test(column)) throw new Error(`Invalid column for a scope predicate: ${column}`);
  const params: Record<string, string> = {};
  const terms = principal.scopes.map((scope, i) => {
    const name = `${paramPrefix}_${i}`;
    if (scope.includeDescendants) {
      params[name] = `${escapeLike(scope.path)}%`;
      return `${column} LIKE :${name} ESCAPE '\\'`;
    }
    params[name] = scope.path;
    return `${column} = :${name}`;
  });
  return { sql: terms.length === 0 ? '(1 = 0)' : `(${terms.join(' OR ')})`, params };
};

/** `qb.andWhere(...)` with the principal's scope, for TypeORM query builders. */
export const andWhereInScope = <Q extends WhereExpressionBuilder>(
  qb: Q,
  principal: Principal,
  column = 'owning_org_path',
  paramPrefix = 'scope',
): Q => {
  const { sql, params } = scopePredicate(principal, column, paramPrefix);
  qb.andWhere(new Brackets((inner) => inner.where(sql, params)));
  return qb;
};
