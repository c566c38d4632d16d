import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { JwtService } from '@nestjs/jwt';
import { MIN_HS256_SECRET_BYTES } from './auth-options';
import type { TokenClaims } from './token-verifier';
import { isRole } from './roles';

export interface MintOptions {
  issuer?: string;
  audience?: string;
}

/**
 * Signs an HS256 token for development and tests (`gongzhi token`). `ttl` is seconds or a
 * duration string such as '8h'. Production tokens come from an identity provider, not from here.
 */
export const mintDevelopmentToken = (
  claims: { sub: string; roles: readonly string[]; orgUnit: string },
  secret: string,
  ttl: number | string = '8h',
  options: MintOptions = {},
): string => {
  if (Buffer.byteLength(secret) < MIN_HS256_SECRET_BYTES) {
    throw new Error(`JWT HS256 secret must be at least ${MIN_HS256_SECRET_BYTES} bytes`);
  }
  const unknown = claims.roles.filter((r) => !isRole(r));
  if (unknown.length > 0) throw new Error(`Unknown role(s): ${unknown.join(', ')}`);
  const payload: TokenClaims = { sub: claims.sub, roles: [...claims.roles] as TokenClaims['roles'], orgUnit: claims.orgUnit };
  return new JwtService({}).sign(payload, {
    secret,
    algorithm: 'HS256',
    expiresIn: ttl as never,
    ...(options.issuer ? { issuer: options.issuer } : {}),
    ...(options.audience ? { audience: options.audience } : {}),
  });
};

/**
 * The embedded platform's HS256 secret: read from `file`, or generated (32 random bytes, hex) and
 * written with mode 0600 on first start, so no installation shares a secret and none is in the code.
 */
export const loadOrCreateDevelopmentSecret = (file: string): string => {
  if (existsSync(file)) {
    const secret = readFileSync(file, 'utf8').trim();
    if (Buffer.byteLength(secret) < MIN_HS256_SECRET_BYTES) {
      throw new Error(`${file} holds a JWT secret shorter than ${MIN_HS256_SECRET_BYTES} bytes`);
    }
    return secret;
  }
  mkdirSync(dirname(file), { recursive: true });
  const secret = randomBytes(32).toString('hex');
  // 'wx' fails if another process created the file meanwhile; then its secret wins.
  try {
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return loadOrCreateDevelopmentSecret(file);
    throw e;
  }
  return secret;
};
