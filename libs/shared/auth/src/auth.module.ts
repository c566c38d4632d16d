import { type DynamicModule, Global, Module, type ModuleMetadata, type Provider } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthGuard } from './auth.guard';
import { AUTH_OPTIONS, type AuthOptions, validateAuthOptions } from './auth-options';
import { Authenticator } from './authenticator';
import { TokenVerifier } from './token-verifier';

export interface AuthModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  useFactory: (...args: any[]) => AuthOptions | Promise<AuthOptions>;
  inject?: any[];
  /** See AuthOptions.globalGuard; needed here because providers are fixed before the factory runs. */
  globalGuard?: boolean;
}

const providersFor = (globalGuard: boolean): Provider[] => [
  TokenVerifier,
  Authenticator,
  AuthGuard,
  ...(globalGuard ? [{ provide: APP_GUARD, useExisting: AuthGuard }] : []),
];

const EXPORTS = [AUTH_OPTIONS, TokenVerifier, Authenticator, AuthGuard];

/**
 * Bearer-token authentication for the whole app. Import once, in the app module:
 *
 *   AuthModule.forRoot({ algorithm: 'HS256', secret })
 *   AuthModule.forRootAsync({ inject: [ConfigService], useFactory: (c) => ({ algorithm: 'RS256', publicKey: c.get(…) }) })
 *
 * The org unit of a token is resolved through the ORG_DIRECTORY provider (OrgModule binds it).
 */
@Global()
@Module({})
export class AuthModule {
  static forRoot(options: AuthOptions): DynamicModule {
    validateAuthOptions(options);
    return {
      module: AuthModule,
      providers: [{ provide: AUTH_OPTIONS, useValue: options }, ...providersFor(options.globalGuard !== false)],
      exports: EXPORTS,
    };
  }

  static forRootAsync(options: AuthModuleAsyncOptions): DynamicModule {
    return {
      module: AuthModule,
      imports: options.imports ?? [],
      providers: [
        {
          provide: AUTH_OPTIONS,
          inject: options.inject ?? [],
          useFactory: async (...args: unknown[]) => validateAuthOptions(await options.useFactory(...args)),
        },
        ...providersFor(options.globalGuard !== false),
      ],
      exports: EXPORTS,
    };
  }
}
