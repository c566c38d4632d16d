import { Injectable, Logger, Optional } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { UnauthenticatedError } from './errors';
import { ORG_DIRECTORY, type OrgDirectory } from './org-directory';
import { buildPrincipal, type Principal, ROOT_ORG_UNIT_ID, ROOT_PATH } from './principal';
import { bearerToken, TokenVerifier } from './token-verifier';

/**
 * Turns an Authorization header into a Principal: verify the token, then resolve the token's org
 * unit to its *current* path through the OrgDirectory (a moved unit keeps its subtree), and add
 * the scopes the subject holds through staff role assignments.
 */
@Injectable()
export class Authenticator {
  private directory: OrgDirectory | undefined;
  private readonly logger = new Logger(Authenticator.name);

  constructor(
    private readonly verifier: TokenVerifier,
    @Optional() private readonly moduleRef?: ModuleRef,
  ) {}

  /** For use without Nest, or to override the directory found in the module graph. */
  useDirectory(directory: OrgDirectory): this {
    this.directory = directory;
    return this;
  }

  async authenticate(authorization: string | string[] | undefined): Promise<Principal> {
    const token = bearerToken(authorization);
    if (!token) throw new UnauthenticatedError('Authentication required: send Authorization: Bearer <token>');
    const claims = await this.verifier.verify(token);
    const directory = this.resolveDirectory();
    const orgUnitPath =
      claims.orgUnit === ROOT_ORG_UNIT_ID ? ROOT_PATH : await directory?.resolvePath(claims.orgUnit);
    if (!orgUnitPath) throw new UnauthenticatedError('The token names an unknown or retired org unit');
    const extraScopes = (await directory?.grantsOf?.(claims.sub)) ?? [];
    return buildPrincipal({ userId: claims.sub, roles: claims.roles, orgUnitId: claims.orgUnit, orgUnitPath, extraScopes });
  }

  private resolveDirectory(): OrgDirectory | undefined {
    if (this.directory || !this.moduleRef) return this.directory;
    try {
      // Looked up lazily and across modules: the org library provides it, and it must not
      // have to import AuthModule for that (AuthModule is global, OrgModule is not).
      this.directory = this.moduleRef.get<OrgDirectory>(ORG_DIRECTORY, { strict: false });
    } catch {
      this.logger.warn('No ORG_DIRECTORY provider: only tokens for the root org unit can authenticate');
    }
    return this.directory;
  }
}
