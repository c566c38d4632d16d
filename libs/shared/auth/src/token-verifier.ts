import { createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AUTH_OPTIONS, type AuthOptions, validateAuthOptions } from './auth-options';
import { UnauthenticatedError } from './errors';
import { isRole, type Role } from './roles';

/** The claims Gongzhi reads from a bearer token. */
export interface TokenClaims {
  sub: string;
  roles: Role[];
  /** Id of the org unit the token's subject acts from. */
  orgUnit: string;
}

const MAX_CLAIM_LENGTH = 200;

const isShortString = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= MAX_CLAIM_LENGTH;

/** Validates the payload's shape; any doubt is UNAUTHENTICATED rather than a partial principal. */
export const parseClaims = (payload: unknown): TokenClaims => {
  if (typeof payload !== 'object' || payload === null) throw new UnauthenticatedError('Invalid token');
  const { sub, roles, orgUnit } = payload as Record<string, unknown>;
  if (!isShortString(sub)) throw new UnauthenticatedError('Invalid token: sub claim missing');
  if (!isShortString(orgUnit)) throw new UnauthenticatedError('Invalid token: orgUnit claim missing');
  if (!Array.isArray(roles) || roles.length === 0) throw new UnauthenticatedError('Invalid token: roles claim missing');
  const unknown = roles.filter((r) => !isRole(r));
  if (unknown.length > 0) throw new UnauthenticatedError('Invalid token: unknown role');
  return { sub, orgUnit, roles: [...new Set(roles as Role[])] };
};

/**
 * Verifies bearer tokens with a pinned algorithm: a token signed with another algorithm (`none`,
 * or HS256 keyed with the RS256 public key) is refused rather than trusted.
 */
@Injectable()
export class TokenVerifier {
  private readonly jwt: JwtService;
  private readonly options: AuthOptions;
  /**
   * Built once: given a string, jsonwebtoken builds a key object on every verify, and for an
   * HS256 secret it first tries (and fails) to parse it as a PEM public key — about half a
   * millisecond of CPU per request.
   */
  private readonly key: KeyObject;

  constructor(@Inject(AUTH_OPTIONS) options: AuthOptions) {
    this.options = validateAuthOptions(options);
    this.jwt = new JwtService({});
    this.key = this.options.algorithm === 'HS256' ? createSecretKey(Buffer.from(this.options.secret)) : createPublicKey(this.options.publicKey);
  }

  async verify(token: string): Promise<TokenClaims> {
    const o = this.options;
    let payload: unknown;
    try {
      // @nestjs/jwt types its keys as strings; jsonwebtoken takes a KeyObject as it is.
      const key = this.key as unknown as string;
      payload = await this.jwt.verifyAsync(token, {
        ...(o.algorithm === 'HS256' ? { secret: key } : { publicKey: key }),
        algorithms: [o.algorithm],
        clockTolerance: o.clockToleranceSeconds ?? 30,
        ...(o.issuer ? { issuer: o.issuer } : {}),
        ...(o.audience ? { audience: o.audience } : {}),
      });
    } catch (e) {
      const name = (e as { name?: string }).name;
      if (name === 'TokenExpiredError') throw new UnauthenticatedError('Token expired');
      if (name === 'NotBeforeError') throw new UnauthenticatedError('Token not yet valid');
      throw new UnauthenticatedError('Invalid token');
    }
    return parseClaims(payload);
  }
}

/** `Authorization: Bearer <token>` → the token; undefined when absent or another scheme. */
export const bearerToken = (authorization: string | string[] | undefined): string | undefined => {
  const header = Array.isArray(authorization) ? authorization[0] : authorization;
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer\s+([A-Za-z0-9\-_.]+)\s*$/i.exec(header);
  return match?.[1];
};
