/**
 * Integration tests talk to real services. `tools/jest/global-setup.js` probes them once per run:
 * locally an absent service makes its suites skip with a printed reason; with CI=true an absent
 * service fails the run instead (a skip must not hide a broken CI machine).
 */
export const isCi = (): boolean => process.env.CI === 'true' || process.env.CI === '1';

export const postgresTestUrl = (): string =>
  process.env.GONGZHI_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/gongzhi_test';

export const kafkaTestBrokers = (): string[] => (process.env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(',');

type ServiceName = 'postgres' | 'kafka' | 'esdb';
const skipVar: Record<ServiceName, string> = {
  postgres: 'GONGZHI_SKIP_POSTGRES',
  kafka: 'GONGZHI_SKIP_KAFKA',
  esdb: 'GONGZHI_SKIP_ESDB',
};

/** Why a service's tests are skipped, or undefined when it is available. */
export const serviceSkipReason = (service: ServiceName): string | undefined => process.env[skipVar[service]];

/**
 * `describe` when the service is up, `describe.skip` (with the reason printed) when it is not.
 * Under CI=true a missing PostgreSQL or Kafka has already failed the run in global setup.
 */
export const describeWith = (service: ServiceName): jest.Describe => {
  const reason = serviceSkipReason(service);
  if (!reason) return describe;
  if (isCi() && service !== 'esdb') {
    throw new Error(`CI=true and ${service} is absent: ${reason}`);
  }
  // eslint-disable-next-line no-console
  console.warn(`SKIPPED ${service} integration tests: ${reason}`);
  return describe.skip;
};

export const describeWithPostgres = (): jest.Describe => describeWith('postgres');
export const describeWithKafka = (): jest.Describe => describeWith('kafka');

let schemaCounter = 0;
/** A unique PostgreSQL schema name for one test suite (suites run in parallel workers). */
export const freshSchemaName = (prefix: string): string =>
  `${prefix}_${process.pid}_${Date.now().toString(36)}_${(schemaCounter++).toString(36)}`
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_');
