// Probes the real services integration tests need, once per jest run, and tells the workers
// through environment variables. Locally an absent service makes its suites skip with a printed
// reason; with CI=true it fails the run before any test starts.
const { Client } = require('pg');
const net = require('node:net');

const ci = process.env.CI === 'true' || process.env.CI === '1';
const pgUrl = process.env.GONGZHI_TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/gongzhi_test';

async function probePostgres() {
  const url = new URL(pgUrl);
  const dbName = decodeURIComponent(url.pathname.replace(/^\//, '')) || 'postgres';
  const admin = new URL(pgUrl);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString(), connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [dbName]);
    if (exists.rowCount === 0) {
      await client.query(`CREATE DATABASE "${dbName.replace(/"/g, '')}"`).catch((e) => {
        if (!String(e.message).includes('already exists')) throw e;
      });
    }
    return undefined;
  } catch (e) {
    return `PostgreSQL not reachable at ${url.host} (${e.message})`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function probeTcp(hostPort) {
  const [host, port] = hostPort.split(':');
  return new Promise((resolve) => {
    const socket = net.connect({ host, port: Number(port), timeout: 2000 });
    socket.once('connect', () => { socket.destroy(); resolve(undefined); });
    socket.once('timeout', () => { socket.destroy(); resolve(`nothing answers at ${hostPort}`); });
    socket.once('error', (e) => resolve(`nothing answers at ${hostPort} (${e.code || e.message})`));
  });
}

module.exports = async () => {
  process.env.GONGZHI_TEST_DATABASE_URL = pgUrl;
  const pgReason = await probePostgres();
  const kafkaBrokers = process.env.KAFKA_BROKERS || '127.0.0.1:19092';
  process.env.KAFKA_BROKERS = kafkaBrokers;
  const kafkaReason = await probeTcp(kafkaBrokers.split(',')[0]);
  const reasons = [];
  if (pgReason) {
    process.env.GONGZHI_SKIP_POSTGRES = pgReason;
    reasons.push(pgReason);
  } else delete process.env.GONGZHI_SKIP_POSTGRES;
  if (kafkaReason) {
    process.env.GONGZHI_SKIP_KAFKA = `Kafka broker: ${kafkaReason} (start it with tools/kafka/kafka.sh start)`;
    if (process.env.GONGZHI_REQUIRE_KAFKA !== '0') reasons.push(process.env.GONGZHI_SKIP_KAFKA);
  } else delete process.env.GONGZHI_SKIP_KAFKA;
  if (!process.env.EVENTSTORE_URL) {
    process.env.GONGZHI_SKIP_ESDB = 'EVENTSTORE_URL is not set (EventStoreDB/KurrentDB cannot run on this machine)';
  }
  if (ci && pgReason) throw new Error(`CI=true and a required service is absent: ${pgReason}`);
  if (ci && kafkaReason && process.env.GONGZHI_REQUIRE_KAFKA === '1') {
    throw new Error(`CI=true and a required service is absent: ${process.env.GONGZHI_SKIP_KAFKA}`);
  }
  for (const r of reasons) console.warn(`\n[integration] will skip: ${r}`);
};
