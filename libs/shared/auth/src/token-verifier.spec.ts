import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as jwt from 'jsonwebtoken';
import { validateAuthOptions } from './auth-options';
import { loadOrCreateDevelopmentSecret, mintDevelopmentToken } from './mint-token';
import { Role } from './roles';
import { bearerToken, TokenVerifier } from './token-verifier';

const SECRET = 'a-test-secret-that-is-long-enough-0123456789';
const claims = { sub: 'u-1', roles: [Role.Admin], orgUnit: 'county-a' };

const rejection = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    return { code: (e as { extensions?: { code?: string } }).extensions?.code, message: (e as Error).message };
  }
  throw new Error('expected a rejection');
};

describe('TokenVerifier, HS256', () => {
  const verifier = new TokenVerifier({ algorithm: 'HS256', secret: SECRET });

  it('accepts a minted development token and returns its claims', async () => {
    const token = mintDevelopmentToken(claims, SECRET, '1h');
    await expect(verifier.verify(token)).resolves.toEqual({ sub: 'u-1', roles: ['admin'], orgUnit: 'county-a' });
  });

  it('refuses an expired token as UNAUTHENTICATED', async () => {
    const token = jwt.sign({ ...claims, exp: Math.floor(Date.now() / 1000) - 3600 }, SECRET, { algorithm: 'HS256' });
    expect(await rejection(verifier.verify(token))).toEqual({ code: 'UNAUTHENTICATED', message: 'Token expired' });
  });

  it('refuses a token signed with another secret', async () => {
    const token = mintDevelopmentToken(claims, 'another-secret-also-long-enough-0123456789', '1h');
    expect(await rejection(verifier.verify(token))).toEqual({ code: 'UNAUTHENTICATED', message: 'Invalid token' });
  });

  it('refuses an unsigned (alg none) token', async () => {
    const token = jwt.sign(claims, '', { algorithm: 'none' });
    expect((await rejection(verifier.verify(token))).code).toBe('UNAUTHENTICATED');
  });

  it('refuses garbage and a tampered payload', async () => {
    expect((await rejection(verifier.verify('not-a-jwt'))).code).toBe('UNAUTHENTICATED');
    const [h, , s] = mintDevelopmentToken(claims, SECRET, '1h').split('.');
    const forged = Buffer.from(JSON.stringify({ ...claims, roles: ['admin'], orgUnit: 'root' })).toString('base64url');
    expect((await rejection(verifier.verify(`${h}.${forged}.${s}`))).code).toBe('UNAUTHENTICATED');
  });

  it('refuses tokens whose claims are missing or carry an unknown role', async () => {
    const sign = (payload: object) => jwt.sign(payload, SECRET, { algorithm: 'HS256', expiresIn: 60 });
    for (const payload of [
      { roles: ['admin'], orgUnit: 'x' },
      { sub: 'u', orgUnit: 'x', roles: [] },
      { sub: 'u', roles: ['admin'] },
      { sub: 'u', roles: ['superuser'], orgUnit: 'x' },
      { sub: 'u', roles: 'admin', orgUnit: 'x' },
    ]) {
      expect((await rejection(verifier.verify(sign(payload)))).code).toBe('UNAUTHENTICATED');
    }
  });

  it('checks issuer and audience when configured', async () => {
    const strict = new TokenVerifier({ algorithm: 'HS256', secret: SECRET, issuer: 'gongzhi', audience: 'api' });
    const good = mintDevelopmentToken(claims, SECRET, 60, { issuer: 'gongzhi', audience: 'api' });
    await expect(strict.verify(good)).resolves.toMatchObject({ sub: 'u-1' });
    const other = mintDevelopmentToken(claims, SECRET, 60, { issuer: 'someone-else', audience: 'api' });
    expect((await rejection(strict.verify(other))).code).toBe('UNAUTHENTICATED');
  });
});

describe('TokenVerifier, RS256', () => {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const verifier = new TokenVerifier({ algorithm: 'RS256', publicKey: publicPem });

  it('accepts a token signed with the private key', async () => {
    const token = jwt.sign(claims, privateKey, { algorithm: 'RS256', expiresIn: 60 });
    await expect(verifier.verify(token)).resolves.toEqual({ sub: 'u-1', roles: ['admin'], orgUnit: 'county-a' });
  });

  it('refuses a token signed by another key', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const token = jwt.sign(claims, other, { algorithm: 'RS256', expiresIn: 60 });
    expect((await rejection(verifier.verify(token))).code).toBe('UNAUTHENTICATED');
  });

  it('refuses an HS256 token keyed with the public key (algorithm confusion)', async () => {
    const forged = [
      Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url'),
      Buffer.from(JSON.stringify({ ...claims, exp: Math.floor(Date.now() / 1000) + 60 })).toString('base64url'),
    ].join('.');
    const { createHmac } = await import('node:crypto');
    const sig = createHmac('sha256', publicPem).update(forged).digest('base64url');
    expect((await rejection(verifier.verify(`${forged}.${sig}`))).code).toBe('UNAUTHENTICATED');
  });

  it('refuses an expired RS256 token', async () => {
    const token = jwt.sign({ ...claims, exp: Math.floor(Date.now() / 1000) - 120 }, privateKey, { algorithm: 'RS256' });
    expect(await rejection(verifier.verify(token))).toEqual({ code: 'UNAUTHENTICATED', message: 'Token expired' });
  });
});

describe('auth options and secrets', () => {
  it('refuses a short HS256 secret and a non-PEM public key at start', () => {
    expect(() => validateAuthOptions({ algorithm: 'HS256', secret: 'short' })).toThrow(/at least 32 bytes/);
    expect(() => validateAuthOptions({ algorithm: 'RS256', publicKey: 'abc' })).toThrow(/PEM public key/);
    expect(() => mintDevelopmentToken(claims, 'short', 60)).toThrow(/at least 32 bytes/);
  });

  it('refuses to mint a token with an unknown role', () => {
    expect(() => mintDevelopmentToken({ ...claims, roles: ['root'] }, SECRET, 60)).toThrow(/Unknown role/);
  });

  it('generates a development secret once, private to the owner, and reuses it', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'gongzhi-auth-')), 'data', 'jwt-secret');
    const first = loadOrCreateDevelopmentSecret(file);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadOrCreateDevelopmentSecret(file)).toBe(first);
    expect(readFileSync(file, 'utf8').trim()).toBe(first);
    const other = join(mkdtempSync(join(tmpdir(), 'gongzhi-auth-')), 'jwt-secret');
    expect(loadOrCreateDevelopmentSecret(other)).not.toBe(first);
    writeFileSync(other, 'tiny');
    expect(() => loadOrCreateDevelopmentSecret(other)).toThrow(/shorter than 32 bytes/);
  });

  it('extracts bearer tokens only from the Bearer scheme', () => {
    expect(bearerToken('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(bearerToken('bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(bearerToken('Basic dXNlcjpwYXNz')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
    expect(bearerToken('Bearer ')).toBeUndefined();
  });
});
