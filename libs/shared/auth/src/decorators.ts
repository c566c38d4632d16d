import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { UnauthenticatedError } from './errors';
import type { Principal } from './principal';
import type { Permission, Role } from './roles';

export const IS_PUBLIC = 'gongzhi:auth:public';
export const REQUIRED_ROLES = 'gongzhi:auth:roles';
export const REQUIRED_PERMISSIONS = 'gongzhi:auth:permissions';

/** The operation (or every operation of the class) needs no token. Use sparingly. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);

/** FORBIDDEN unless the principal holds at least one of these roles (in any scope). */
export const RequireRoles = (...roles: Role[]): MethodDecorator & ClassDecorator => SetMetadata(REQUIRED_ROLES, roles);

/**
 * FORBIDDEN unless the principal holds every listed permission somewhere. The target-specific
 * check (permission *at* the target's org path) is `authorize()` in the handler.
 */
export const RequirePermission = (...permissions: Permission[]): MethodDecorator & ClassDecorator =>
  SetMetadata(REQUIRED_PERMISSIONS, permissions);

const principals = new WeakMap<object, Principal>();

/** The request object of an HTTP or GraphQL execution context (undefined for others). */
export const requestOf = (context: ExecutionContext): Record<string, any> | undefined => {
  const type = context.getType<string>();
  if (type === 'graphql') return GqlExecutionContext.create(context).getContext<{ req?: Record<string, any> }>()?.req;
  if (type === 'http') return context.switchToHttp().getRequest();
  return undefined;
};

export const attachPrincipal = (req: object, principal: Principal): void => {
  principals.set(req, principal);
};

/** The principal the guard authenticated for this request, if any. */
export const principalOf = (req: object | undefined | null): Principal | undefined =>
  req ? principals.get(req) : undefined;

/**
 * The authenticated Principal. Works in query/mutation resolvers, field resolvers and HTTP
 * handlers; throws UNAUTHENTICATED when the guard did not authenticate the request (a public
 * operation without a token).
 */
export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  const principal = principalOf(requestOf(context));
  if (!principal) throw new UnauthenticatedError();
  return principal;
});
