import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import type { EventToAppend, ExpectedRevision } from '@gongzhi/event-store';
import { CommandProcessor, eventIdFor, loadAggregate, type RequestContext } from '@gongzhi/eventsourcing';
import { catchUp } from './catch-up';
import { elapsedMs, percentile, type Measurement, type Scenario } from './harness';
import { ledgerDecider } from './model';
import { platformScenarios } from './platform';
import { benchName, fillStore, freshStore, streamName, workloadEvent, type OpenedStore, type StoreKind } from './stores';
import { hoursCredited, runConcurrent, type Sizes } from './workload';

const LABEL: Record<StoreKind, string> = { sqlite: 'SQLite', pg: 'PostgreSQL' };
const RAW: Record<StoreKind, string> = { sqlite: 'raw-sqlite', pg: 'raw-pg' };

const contextFor = (commandId: string): RequestContext => ({
  actor: { userId: 'bench', roles: ['admin'], orgUnitPath: '/bench/' },
  correlationId: commandId,
  commandId,
});

const execFileAsync = promisify(execFile);
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Single-event commands through the real CommandProcessor: read the stream, fold it, decide,
 * append with the revision read, idempotency by commandId, hash chain — on a fresh store per run.
 */
function commandScenario(kind: StoreKind, writers: number, sizes: Sizes, pgUrl?: string): Scenario {
  let opened: OpenedStore | undefined;
  const targets: Record<string, Scenario['target']> = {
    'sqlite-1': { ratio: 0.5 },
    'pg-1': { ratio: 0.6 },
    'pg-8': { ratio: 1.0, note: 'group commit' },
  };
  return {
    id: `${kind}-command-1${writers > 1 ? `x${writers}` : ''}`,
    title: `${LABEL[kind]}: single-event commands through CommandProcessor, ${writers} writer${writers > 1 ? 's' : ''}, ${sizes.streams} streams`,
    unit: 'events/s',
    better: 'higher',
    // SQLite has one writer at a time whatever the client does: its 8-writer figure is set
    // against the same one-row-per-transaction baseline.
    baseline: kind === 'pg' && writers > 1 ? 'raw-pg-insert-1x8' : `${RAW[kind]}-insert-1`,
    target: targets[`${kind}-${writers}`],
    run: async () => {
      opened = await freshStore(kind, pgUrl);
      const processor = new CommandProcessor(opened.store);
      const n = sizes.events;
      const streams = Array.from({ length: sizes.streams }, () => `volunteer-${randomUUID()}`);
      const data = Array.from({ length: n }, (_, i) => hoursCredited(i));
      const ids = Array.from({ length: n }, () => randomUUID());
      // Writer w owns the streams s with s % writers === w: like the baseline, no two writers
      // race for one stream (a lost race would be retried, and measured as such).
      const own = Array.from({ length: writers }, (_, w) => streams.filter((_s, s) => s % writers === w));
      const turns = new Array<number>(writers).fill(0);
      const t = process.hrtime.bigint();
      await runConcurrent(n, writers, async (i, w) => {
        const stream = own[w][turns[w]++ % own[w].length];
        await processor.handle(ledgerDecider, stream, { type: 'CreditHours', data: data[i] }, contextFor(ids[i]));
      });
      const ms = elapsedMs(t);
      await opened.close();
      opened = undefined;
      return { value: (n / ms) * 1000 };
    },
    teardown: async () => opened?.close(),
  };
}

/** appendToStream with 100 events per call and the expected revision, one caller. */
function batchScenario(kind: StoreKind, sizes: Sizes, pgUrl?: string): Scenario {
  let opened: OpenedStore | undefined;
  return {
    id: `${kind}-append-100`,
    title: `${LABEL[kind]}: appendToStream, 100 events per call, 1 writer`,
    unit: 'events/s',
    better: 'higher',
    baseline: `${RAW[kind]}-insert-100`,
    target: { ratio: 0.5 },
    run: async () => {
      opened = await freshStore(kind, pgUrl);
      const store = opened.store;
      const run = benchName('batch');
      const calls = Math.ceil(sizes.events / 100);
      const batches: { stream: string; events: EventToAppend[] }[] = [];
      for (let c = 0; c < calls; c++) {
        const events: EventToAppend[] = [];
        for (let i = c * 100; i < Math.min(sizes.events, (c + 1) * 100); i++) events.push(workloadEvent(i, run));
        batches.push({ stream: `${streamName(c % sizes.streams)}-${run}`, events });
      }
      const revisions = new Map<string, number>();
      const t = process.hrtime.bigint();
      for (const b of batches) {
        const expected: ExpectedRevision = revisions.get(b.stream) ?? 'no_stream';
        const r = await store.appendToStream(b.stream, b.events, { expectedRevision: expected });
        revisions.set(b.stream, r.nextExpectedRevision);
      }
      const ms = elapsedMs(t);
      await opened.close();
      opened = undefined;
      return { value: (sizes.events / ms) * 1000 };
    },
    teardown: async () => opened?.close(),
  };
}

/** Load a long stream and fold it, as CommandProcessor does before every decision. */
function rehydrateScenario(kind: StoreKind, sizes: Sizes, pgUrl?: string): Scenario {
  let opened: OpenedStore | undefined;
  const stream = 'volunteer-long';
  return {
    id: `${kind}-rehydrate`,
    title: `${LABEL[kind]}: read and fold one ${sizes.rehydrateEvents}-event stream (p50; ratio = raw time / ours)`,
    unit: 'ms',
    better: 'lower',
    baseline: `${RAW[kind]}-read-stream`,
    target: { ratio: 0.5, note: 'at most 2× the raw read time' },
    setup: async () => {
      opened = await freshStore(kind, pgUrl);
      const run = benchName('long');
      for (let i = 0; i < sizes.rehydrateEvents; i += 100) {
        const events: EventToAppend[] = [];
        for (let k = i; k < Math.min(i + 100, sizes.rehydrateEvents); k++) events.push(workloadEvent(k, run));
        await opened.store.appendToStream(stream, events);
      }
    },
    run: async () => {
      const store = (opened as OpenedStore).store;
      const times: number[] = [];
      for (let k = 0; k < 30; k++) {
        const t = process.hrtime.bigint();
        const loaded = await loadAggregate(store, ledgerDecider, stream);
        times.push(elapsedMs(t));
        if (loaded.state.entries !== sizes.rehydrateEvents) throw new Error(`folded ${loaded.state.entries} events`);
      }
      return { value: percentile(times, 50), extra: { p95: percentile(times, 95) } };
    },
    teardown: async () => opened?.close(),
  };
}

function catchUpScenario(kind: StoreKind, sizes: Sizes, pgUrl?: string): Scenario {
  let opened: OpenedStore | undefined;
  let head = 0n;
  return {
    id: `${kind}-catchup`,
    title: `${LABEL[kind]} event store → ${LABEL[kind]} read store: ProjectionRunner catch-up of ${sizes.catchUpEvents.toLocaleString('en-US')} events (batching TypeORM projection)`,
    unit: 'events/s',
    better: 'higher',
    target: { absolute: kind === 'sqlite' ? 50_000 : 20_000 },
    setup: async () => {
      opened = await freshStore(kind, pgUrl, { inMemoryFs: true });
      await fillStore(opened.store, sizes.catchUpEvents, sizes.streams, 1, kind === 'sqlite' ? 1 : 32);
      head = await opened.store.headPosition();
    },
    run: async () => {
      const ms = await catchUp((opened as OpenedStore).store, head, sizes.catchUpEvents, kind, pgUrl);
      return { value: (sizes.catchUpEvents / ms) * 1000 };
    },
    teardown: async () => opened?.close(),
  };
}

/**
 * RSS of a process that does nothing but catch a projection up over a large log (memory-child.ts):
 * in this process the figure would mostly be what earlier scenarios left in the heap.
 */
function memoryScenario(sizes: Sizes): Scenario {
  let opened: OpenedStore | undefined;
  let head = 0n;
  return {
    id: 'sqlite-catchup-memory',
    title: `SQLite: RSS of a process whose ProjectionRunner catches up ${sizes.memoryEvents.toLocaleString('en-US')} events (peak; start and end beside)`,
    unit: 'MB',
    better: 'lower',
    setup: async () => {
      opened = await freshStore('sqlite', undefined, { inMemoryFs: true });
      await fillStore(opened.store, sizes.memoryEvents, sizes.streams, 100, 1);
      head = await opened.store.headPosition();
    },
    run: async (): Promise<Measurement> => {
      const file = (opened as OpenedStore).file as string;
      const child = resolve(__dirname, 'memory-child.ts');
      const { stdout } = await execFileAsync(process.execPath, ['-r', '@swc-node/register', child, file, head.toString(), String(sizes.memoryEvents)], {
        cwd: resolve(__dirname, '..', '..'),
        maxBuffer: 16 * 1024 * 1024,
      });
      const r = JSON.parse(stdout.trim().split('\n').pop() as string) as { start: number; peak: number; end: number; eventsPerSecond: number };
      return { value: r.peak, extra: { start: r.start, end: r.end, 'events/s': r.eventsPerSecond } };
    },
    teardown: async () => opened?.close(),
  };
}

/**
 * A subscriber (subscribeToAll) under a steady command load: at every acknowledged command, how
 * many acknowledged events it has not delivered yet. Events, not raw positions: PostgreSQL
 * positions encode transaction ids and are not dense.
 */
function lagScenario(kind: StoreKind, sizes: Sizes, pgUrl?: string): Scenario {
  let opened: OpenedStore | undefined;
  const rate = 500;
  const total = Math.max(20, Math.min(1_500, Math.floor(sizes.events / 2)));
  return {
    id: `${kind}-subscription-lag`,
    title: `${LABEL[kind]}: subscription lag under ${rate} commands/s for ${total / rate} s (events behind at each ack, p99)`,
    unit: 'positions',
    better: 'lower',
    run: async () => {
      opened = await freshStore(kind, pgUrl);
      const store = opened.store;
      const processor = new CommandProcessor(store);
      const streams = Array.from({ length: sizes.streams }, () => `volunteer-${randomUUID()}`);
      const sentAt = new Map<string, bigint>();
      const latencies: number[] = [];
      let delivered = 0;
      const subscription = store.subscribeToAll({ fromPosition: await store.headPosition() });
      const consumer = (async () => {
        for await (const batch of subscription.batches()) {
          const now = process.hrtime.bigint();
          for (const e of batch) {
            const sent = sentAt.get(e.id);
            if (sent !== undefined) latencies.push(Number(now - sent) / 1e6);
          }
          delivered += batch.length;
          if (delivered >= total) return;
        }
      })();
      const behind: number[] = [];
      const t0 = process.hrtime.bigint();
      for (let k = 0; k < total; k++) {
        const wait = (k * 1000) / rate - elapsedMs(t0);
        if (wait > 0) await sleep(wait);
        const commandId = randomUUID();
        sentAt.set(eventIdFor(commandId, 0), process.hrtime.bigint());
        await processor.handle(ledgerDecider, streams[k % streams.length], { type: 'CreditHours', data: hoursCredited(k) }, contextFor(commandId));
        behind.push(k + 1 - delivered);
      }
      const achieved = (total / elapsedMs(t0)) * 1000;
      const deadline = Date.now() + 30_000;
      while (delivered < total && Date.now() < deadline) await sleep(5);
      await subscription.unsubscribe();
      await consumer;
      if (delivered < total) throw new Error(`the subscriber delivered ${delivered} of ${total} events`);
      await opened.close();
      opened = undefined;
      return {
        value: percentile(behind, 99),
        extra: { p50: percentile(behind, 50), max: Math.max(...behind), 'p99 ms': percentile(latencies, 99), 'commands/s': achieved },
      };
    },
    teardown: async () => opened?.close(),
  };
}

/** Gongzhi's own scenarios (stores, command path, projections, platform), each with its baseline. */
export function gongzhiScenarios(sizes: Sizes, env: { pgUrl?: string }): Scenario[] {
  const kinds: StoreKind[] = env.pgUrl ? ['sqlite', 'pg'] : ['sqlite'];
  const perStore = (make: (kind: StoreKind) => Scenario[]) => kinds.flatMap(make);
  return [
    ...perStore((k) => [commandScenario(k, 1, sizes, env.pgUrl), commandScenario(k, 8, sizes, env.pgUrl)]),
    ...perStore((k) => [batchScenario(k, sizes, env.pgUrl)]),
    ...perStore((k) => [rehydrateScenario(k, sizes, env.pgUrl)]),
    ...perStore((k) => [catchUpScenario(k, sizes, env.pgUrl)]),
    ...perStore((k) => [lagScenario(k, sizes, env.pgUrl)]),
    ...perStore((k) => platformScenarios(sizes, k, env.pgUrl)),
    memoryScenario(sizes),
  ];
}
