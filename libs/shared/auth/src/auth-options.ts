/**
 * How bearer tokens are verified. There is deliberately no default secret: the embedded platform
 * generates one into its data directory on first start (`loadOrCreateDevelopmentSecret`), a
 * deployment configures one (HS256) or a public key (RS256).
 */
export type JwtVerificationOptions =
  | {
      algorithm: 'HS256';
      /** At least 32 bytes; shorter secrets are refused at start. */
      secret: string;
    }
  | {
      algorithm: 'RS256';
      /** PEM-encoded SPKI public key of the identity provider. */
      publicKey: string;
    };

export type AuthOptions = JwtVerificationOptions & {
  /** When set, tokens must carry this `iss`. */
  issuer?: string;
  /** When set, tokens must carry this `aud`. */
  audience?: string;
  /** Seconds of clock skew tolerated on `exp`/`nbf`. Default 30. */
  clockToleranceSeconds?: number;
  /**
   * Register the guard as a global APP_GUARD (default true). Set false only in an app that
   * registers `AuthGuard` itself.
   */
  globalGuard?: boolean;
};

export const AUTH_OPTIONS = Symbol('AuthOptions');

export const MIN_HS256_SECRET_BYTES = 32;

/** Throws a clear configuration error for options that would make verification unsafe. */
export const validateAuthOptions = (options: AuthOptions): AuthOptions => {
  if (options.algorithm === 'HS256') {
    if (typeof options.secret !== 'string' || Buffer.byteLength(options.secret) < MIN_HS256_SECRET_BYTES) {
      throw new Error(`JWT HS256 secret must be at least ${MIN_HS256_SECRET_BYTES} bytes`);
    }
  } else if (options.algorithm === 'RS256') {
    if (typeof options.publicKey !== 'string' || !options.publicKey.includes('PUBLIC KEY')) {
      throw new Error('JWT RS256 needs a PEM public key (-----BEGIN PUBLIC KEY-----)');
    }
  } else {
    throw new Error(`Unsupported JWT algorithm: ${String((options as { algorithm?: unknown }).algorithm)}`);
  }
  return options;
};
