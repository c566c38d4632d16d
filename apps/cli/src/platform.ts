/*
 * The CLI is the platform's second entry point: it must open exactly the stores, contexts and
 * projections the platform would, from the same configuration, so it reuses the platform's
 * composition root instead of a copy of it. This file is the one crossing between the two apps.
 */
/* eslint-disable @nx/enforce-module-boundaries */
export { ConfigError, loadConfig, CONFIG_VARIABLES, type PlatformConfig } from '../../platform/src/config';
export { PlatformCoreModule } from '../../platform/src/platform-core.module';
export { ProjectionsHost } from '../../platform/src/projections/projections.host';
export { signingSecret, developmentSecretFile } from '../../platform/src/jwt-secret';
export { checkChain, actorOf, metaString } from '../../platform/src/history/stream-history';
/* eslint-enable @nx/enforce-module-boundaries */
