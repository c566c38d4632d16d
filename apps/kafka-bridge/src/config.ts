import { isAbsolute, resolve } from 'node:path';
import { KafkaBridgeConfigError, kafkaBridgeSettingsFromEnv, type KafkaBridgeSettings } from '@gongzhi/integration';

/**
 * The bridge process's configuration. Stores are named with the platform's variables
 * (EVENT_STORE, READ_STORE, DATA_DIR, …: apps/platform/README.md), so one environment file
 * serves both; the KAFKA_* variables are the bridge's (KAFKA_BRIDGE_VARIABLES).
 */
export interface BridgeConfig {
  port: number;
  host: string;
  production: boolean;
  dataDir: string;
  eventStore: { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string } | { kind: 'esdb'; url: string };
  readStore: { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };
  kafka: KafkaBridgeSettings;
}

export class BridgeConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'BridgeConfigError';
  }
}

export const loadBridgeConfig = (env: Record<string, string | undefined> = process.env, cwd = process.cwd()): BridgeConfig => {
  const problems: string[] = [];
  let kafka: KafkaBridgeSettings | undefined;
  try {
    kafka = kafkaBridgeSettingsFromEnv(env);
    if (!kafka) problems.push('KAFKA_BROKERS is required (e.g. 127.0.0.1:19092)');
  } catch (e) {
    if (e instanceof KafkaBridgeConfigError) problems.push(...e.problems);
    else throw e;
  }

  const port = Number(env.BRIDGE_PORT?.trim() || 4100);
  if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push('BRIDGE_PORT must be an integer 0–65535');
  const prod = env.PRODUCTION?.trim().toLowerCase();
  const production = prod === 'true' || prod === '1';
  const dataDirRaw = env.DATA_DIR?.trim() || './data';
  const dataDir = isAbsolute(dataDirRaw) ? dataDirRaw : resolve(cwd, dataDirRaw);

  const pgUrl = (specific: string) => {
    const url = env[specific]?.trim() || env.DATABASE_URL?.trim() || '';
    if (!/^postgres(ql)?:\/\//.test(url)) problems.push(`${specific} or DATABASE_URL must be a postgres:// URL`);
    return url;
  };
  const esKind = (env.EVENT_STORE?.trim().toLowerCase() || 'sqlite') as string;
  let eventStore: BridgeConfig['eventStore'];
  if (esKind === 'postgres') eventStore = { kind: 'postgres', url: pgUrl('EVENT_STORE_URL') };
  else if (esKind === 'esdb') {
    const url = env.EVENTSTORE_URL?.trim() || '';
    if (!url) problems.push('EVENT_STORE=esdb needs EVENTSTORE_URL');
    eventStore = { kind: 'esdb', url };
  } else {
    if (esKind !== 'sqlite') problems.push('EVENT_STORE must be one of sqlite, postgres, esdb');
    eventStore = { kind: 'sqlite', file: resolve(dataDir, 'events.sqlite') };
  }
  const rsKind = env.READ_STORE?.trim().toLowerCase() || 'sqlite';
  if (rsKind !== 'sqlite' && rsKind !== 'postgres') problems.push('READ_STORE must be one of sqlite, postgres');
  const readStore: BridgeConfig['readStore'] =
    rsKind === 'postgres' ? { kind: 'postgres', url: pgUrl('READ_STORE_URL') } : { kind: 'sqlite', file: resolve(dataDir, 'read.sqlite') };

  if (problems.length > 0 || !kafka) throw new BridgeConfigError(problems);
  return { port, host: env.HOST?.trim() || '127.0.0.1', production, dataDir, eventStore, readStore, kafka };
};
