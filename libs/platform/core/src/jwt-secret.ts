import { join } from 'node:path';
import { loadOrCreateDevelopmentSecret, type AuthOptions } from '@gongzhi/auth';
import type { PlatformConfig } from './config';
import { ensurePrivateDir } from './stores/data-dir';

export const developmentSecretFile = (config: PlatformConfig): string => join(config.dataDir, 'jwt-secret');

/**
 * JWT verification settings: the configured key, or (outside production only: the config
 * refuses production without one) the development secret generated into DATA_DIR on first
 * start, mode 0600. The CLI's `token` command reads the very same file.
 */
export const resolveAuthOptions = (config: PlatformConfig): AuthOptions => {
  if (config.jwt.algorithm === 'RS256') return { algorithm: 'RS256', publicKey: config.jwt.publicKey };
  if (config.jwt.secret) return { algorithm: 'HS256', secret: config.jwt.secret };
  ensurePrivateDir(config.dataDir);
  const secret = loadOrCreateDevelopmentSecret(developmentSecretFile(config));
  return { algorithm: 'HS256', secret };
};

/** The HS256 secret tokens are minted with; undefined under RS256 (tokens come from an IdP). */
export const signingSecret = (config: PlatformConfig): string | undefined => {
  const auth = resolveAuthOptions(config);
  return auth.algorithm === 'HS256' ? auth.secret : undefined;
};
