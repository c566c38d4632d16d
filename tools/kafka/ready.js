#!/usr/bin/env node
// Waits until a Kafka broker answers a client's metadata request (kafkajs admin.describeCluster),
// the way the tests will talk to it. An open TCP port alone can precede a usable broker.
//   node tools/kafka/ready.js --broker 127.0.0.1:19092 --timeout 90 [--pid 1234]
// Exit 0 when ready, 1 on timeout or when the broker process (--pid) has died.
const { Kafka, logLevel } = require('kafkajs');

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const broker = arg('broker', '127.0.0.1:19092');
const timeoutMs = Number(arg('timeout', '90')) * 1000;
const pid = arg('pid') ? Number(arg('pid')) : undefined;

const alive = () => {
  if (pid === undefined) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

(async () => {
  const deadline = Date.now() + timeoutMs;
  let lastError = 'no attempt';
  while (Date.now() < deadline) {
    if (!alive()) {
      console.error(`[kafka] broker process ${pid} exited`);
      process.exit(1);
    }
    const kafka = new Kafka({
      clientId: 'gongzhi-kafka-ready',
      brokers: [broker],
      logLevel: logLevel.NOTHING,
      connectionTimeout: 2000,
      requestTimeout: 5000,
      retry: { retries: 0 },
    });
    const admin = kafka.admin();
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      if (cluster.brokers.length > 0 && cluster.controller !== null && cluster.controller !== undefined) {
        await admin.disconnect();
        process.exit(0);
      }
      lastError = 'no controller yet';
    } catch (e) {
      lastError = e && e.message ? e.message : String(e);
    }
    await admin.disconnect().catch(() => undefined);
    await sleep(500);
  }
  console.error(`[kafka] ${broker} not ready after ${timeoutMs / 1000}s: ${lastError}`);
  process.exit(1);
})();
