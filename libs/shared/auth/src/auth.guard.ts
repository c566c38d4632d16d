import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Injectable,
  NotFoundException,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Authenticator } from './authenticator';
import { attachPrincipal, IS_PUBLIC, principalOf, requestOf, REQUIRED_PERMISSIONS, REQUIRED_ROLES } from './decorators';
import { ForbiddenError, isAuthError, UnauthenticatedError } from './errors';
import type { Principal } from './principal';
import { can } from './scope';
import type { Permission, Role } from './roles';

/**
 * Registered globally by AuthModule. Every GraphQL operation and HTTP route needs a valid bearer
 * token unless marked `@Public()`; then `@RequireRoles` / `@RequirePermission` are checked.
 * Other contexts (message consumers) are not user requests and pass through.
 *
 * A GraphQL request runs the guard once per root field; the principal is resolved once per
 * request and reused.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly pending = new WeakMap<object, Promise<Principal>>();

  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: Authenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const type = context.getType<string>();
    if (type === 'graphql') return this.check(context);
    if (type !== 'http') return true;
    try {
      return await this.check(context);
    } catch (e) {
      throw toHttpException(e);
    }
  }

  private async check(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const req = requestOf(context);
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) {
      // A public operation still sees the caller when a valid token is sent.
      if (req && req.headers?.authorization) await this.principalFor(req).catch(() => undefined);
      return true;
    }
    if (!req) throw new UnauthenticatedError();
    const principal = await this.principalFor(req);

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets);
    if (roles && roles.length > 0 && !roles.some((r) => principal.roles.includes(r))) {
      throw new ForbiddenError(`One of the roles ${roles.join(', ')} is required`);
    }
    const permissions = this.reflector.getAllAndOverride<Permission[] | undefined>(REQUIRED_PERMISSIONS, targets);
    const missing = (permissions ?? []).filter((p) => !can(principal, p));
    if (missing.length > 0) throw new ForbiddenError(`Permission ${missing.join(', ')} is required`);
    return true;
  }

  private principalFor(req: Record<string, any>): Promise<Principal> {
    const known = principalOf(req);
    if (known) return Promise.resolve(known);
    let pending = this.pending.get(req);
    if (!pending) {
      pending = this.authenticator.authenticate(req.headers?.authorization).then((principal) => {
        attachPrincipal(req, principal);
        return principal;
      });
      this.pending.set(req, pending);
    }
    return pending;
  }
}

/** Plain HTTP routes answer with status codes (Nest's HTTP filter only knows HttpExceptions). */
const toHttpException = (e: unknown): unknown => {
  if (!isAuthError(e)) return e;
  if (e.code === 'UNAUTHENTICATED') return new UnauthorizedException(e.message);
  if (e.code === 'FORBIDDEN') return new ForbiddenException(e.message);
  return new NotFoundException(e.message);
};
