import { Module } from '@nestjs/common';
import { PrivacyResolver } from './privacy.resolver';

/**
 * The privacy API: `auditLog`, `auditChain`, `forgetSubject`. Needs PrivacyModule (global) and
 * the auth guard. Add `personalDataRedactionPlugin()` to the Apollo plugins as well.
 */
@Module({ providers: [PrivacyResolver] })
export class PrivacyGraphqlModule {}
