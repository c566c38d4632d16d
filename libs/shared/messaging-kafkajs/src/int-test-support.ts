// Support for tests against a real broker (*.int.spec.ts): unique names, bounded waits, and driving
// tools/kafka/kafka.sh. Other libraries import it through the `testing` entry.
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { KafkaMessaging, type KafkaMessagingOptions, type MessagingLogEntry } from './kafka-messaging';

let counter = 0;
/** A topic or group name no other test (or earlier run) uses. */
export const uniqueName = (prefix: string): string =>
  `gz-test.${prefix}.${process.pid}.${Date.now().toString(36)}.${(counter++).toString(36)}`;

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `condition` every 50 ms; throws with `what` when it is still false after `timeoutMs`. */
export const waitUntil = async (condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string | (() => string)) => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what()}`);
    await sleep(50);
  }
};

/** A client whose logs are kept (for failure messages) instead of printed. */
export const testMessaging = (brokers: string[], overrides: Partial<KafkaMessagingOptions> = {}) => {
  const logs: MessagingLogEntry[] = [];
  const messaging = new KafkaMessaging({
    brokers,
    clientId: 'gongzhi-messaging-test',
    logLevel: 'error',
    log: (entry) => logs.push(entry),
    consume: { sessionTimeoutMs: 6000, heartbeatIntervalMs: 500, maxWaitTimeMs: 100 },
    ...overrides,
  });
  return { messaging, logs };
};

const KAFKA_SH = path.resolve(__dirname, '../../../../tools/kafka/kafka.sh');

/** Runs `tools/kafka/kafka.sh <command>` without blocking the event loop (producers keep going). */
export const kafkaSh = (command: string, env: Record<string, string>, timeoutMs = 120_000): Promise<string> =>
  new Promise((resolve, reject) => {
    execFile('bash', [KAFKA_SH, command], { env: { ...process.env, ...env }, timeout: timeoutMs }, (error, stdout, stderr) => {
      if (error) reject(new Error(`kafka.sh ${command} failed: ${error.message}\n${stderr}`));
      else resolve(`${stdout}${stderr}`);
    });
  });
