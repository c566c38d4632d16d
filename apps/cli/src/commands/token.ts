import { ALL_ROLES, isRole, mintDevelopmentToken } from '@gongzhi/auth';
import { CliExit, type Io } from '../io';
import { signingSecret, type PlatformConfig } from '@gongzhi/platform-core';

export interface TokenOptions {
  sub: string;
  roles: string;
  orgUnit: string;
  ttl?: string;
}

/**
 * Mints a development token with the secret the platform verifies with: JWT_SECRET when set,
 * otherwise the generated DATA_DIR/jwt-secret (created here too if the platform never ran).
 */
export const tokenCommand = (config: PlatformConfig, o: TokenOptions, io: Io): void => {
  const roles = o.roles.split(',').map((r) => r.trim()).filter(Boolean);
  const unknown = roles.filter((r) => !isRole(r));
  if (roles.length === 0 || unknown.length > 0) {
    throw new CliExit(2, `--roles takes a comma-separated list of: ${ALL_ROLES.join(', ')}${unknown.length ? ` (unknown: ${unknown.join(', ')})` : ''}`);
  }
  const secret = signingSecret(config);
  if (!secret) throw new CliExit(2, 'JWT_ALG=RS256: tokens come from your identity provider, not from this command');
  const ttl = o.ttl === undefined ? '8h' : /^\d+$/.test(o.ttl) ? Number(o.ttl) : o.ttl;
  try {
    io.out(mintDevelopmentToken({ sub: o.sub, roles, orgUnit: o.orgUnit }, secret, ttl));
  } catch (e) {
    throw new CliExit(2, (e as Error).message);
  }
};
