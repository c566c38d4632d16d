/**
 * Run by the memory scenario in a process of its own, so the RSS it reports is the catch-up's
 * and not what earlier scenarios left in the parent's heap:
 *   node -r @swc-node/register tools/bench/memory-child.ts <events.sqlite> <head position> <expected events>
 * Prints one JSON line: { start, peak, end, eventsPerSecond } (MB, MB, MB, events/s).
 */
import 'reflect-metadata';
import { openSqliteEventStoreReadOnly } from '@gongzhi/event-store-sqlite';
import { catchUp } from './catch-up';

const [file, head, expected] = process.argv.slice(2);
const rssMb = () => process.memoryUsage().rss / 2 ** 20;

const main = async () => {
  const store = openSqliteEventStoreReadOnly({ filename: file });
  try {
    const start = rssMb();
    let peak = start;
    const sample = () => {
      peak = Math.max(peak, rssMb());
    };
    const timer = setInterval(sample, 50);
    const ms = await catchUp(store, BigInt(head), Number(expected), 'sqlite', undefined, sample);
    clearInterval(timer);
    sample();
    process.stdout.write(`${JSON.stringify({ start, peak, end: rssMb(), eventsPerSecond: (Number(expected) / ms) * 1000 })}\n`);
  } finally {
    await store.close();
  }
};

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
