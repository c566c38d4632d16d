import 'reflect-metadata';
import { Logger } from 'nestjs-pino';
import { ConfigError, describeConfig, loadConfig, type PlatformConfig } from '@gongzhi/platform-core';
import { createPlatformApp } from './app.factory';

const main = async (): Promise<void> => {
  let config: PlatformConfig;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n\nSee apps/platform/README.md "Configuration".\n`);
      process.exit(2);
    }
    throw e;
  }
  const app = await createPlatformApp(config, { kafkaEnv: process.env });
  await app.listen(config.port, config.host);
  const logger = app.get(Logger);
  const base = `http://${config.host === '0.0.0.0' || config.host === '127.0.0.1' ? 'localhost' : config.host}:${config.port}`;
  logger.log({ msg: 'configuration', config: describeConfig(config) });
  logger.log(`GraphQL at ${base}/graphql${config.production ? '' : `; GraphiQL at ${base}/graphiql`}`);
  if (!config.production) {
    logger.log('Get a token: npx gongzhi token --sub me --roles admin --org-unit root');
  }
};

main().catch((e) => {
  process.stderr.write(`The platform failed to start: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exit(1);
});
