import { randomUUID } from 'node:crypto';
import { AppendNotifier, type AllSubscription, type EventStore, type GlobalPosition, type RecordedEvent } from '@gongzhi/event-store';
import type { DataSource, EntityManager, ObjectLiteral } from 'typeorm';
import { CheckpointStore, type CheckpointRow } from './checkpoint-store';
import { ApplyError, LeaseLostError, ProjectionFailedError, errorMessage, isApplyError, isLeaseLostError } from './errors';
import { combineObservers, loggingObserver, type ProjectionLogger, type ProjectionObserver, type RebuildProgress } from './observer';
import type { EntityClass, Projection, ProjectionContext } from './projection';
import { ReadModelTables } from './read-model-tables';
import { isTransientDatabaseError, runInTransaction } from './read-store';

export interface ProjectionRunnerOptions {
  projection: Projection;
  store: EventStore;
  /** The read store. Must list the projection's entities. SQLite (better-sqlite3, WAL) or PostgreSQL. */
  dataSource: DataSource;
  /** Lease owner id; unique per instance. Default: a random UUID. */
  instanceId?: string;
  /** Events per subscription batch, and per rebuild read. Default 1000. */
  batchSize?: number;
  /** Lease duration: a standby takes over at most this long after the holder stops renewing. Default 30 s. */
  leaseMs?: number;
  /** Renewal period. Default leaseMs / 3. */
  heartbeatMs?: number;
  /** How often a standby tries to take the lease. Default leaseMs / 3. */
  acquireIntervalMs?: number;
  retry?: {
    /** Tries of a whole batch before narrowing it down event by event. Default 3. */
    batchAttempts?: number;
    /** Tries of a single event before the projection fails. Default 3. */
    eventAttempts?: number;
    /** First backoff; doubles per attempt up to maxDelayMs. Defaults 200 ms and 30 s. */
    baseDelayMs?: number;
    maxDelayMs?: number;
  };
  /** Errors retried without counting against the event (database unreachable…). */
  isTransient?: (error: unknown) => boolean;
  observer?: ProjectionObserver;
  /** Shorthand for `observer: loggingObserver(logger)` (both may be given). */
  logger?: ProjectionLogger;
  /** Share one store between runners; default a store over `projection_checkpoints`. */
  checkpoints?: CheckpointStore;
  /** Rebuild when the stored version differs from `projection.version`. Default true. */
  rebuildOnVersionChange?: boolean;
  /** `lag()` counts at most this many events behind. Default 1000. */
  lagCountCap?: number;
}

export type RunnerRole = 'stopped' | 'standby' | 'active';

export interface ProjectionStatus {
  projection: string;
  instanceId: string;
  /** This instance: not running, waiting for the lease, or holding it. */
  role: RunnerRole;
  /** From the checkpoint row (shared by all instances): */
  status: 'running' | 'failed' | 'rebuilding';
  position: GlobalPosition;
  version: number;
  generation: number;
  leaseOwner: string | null;
  leaseExpiresAt: Date | null;
  error?: { message: string; position: GlobalPosition | null; eventId: string | null; attempts: number };
  rebuild?: { generation: number; position: GlobalPosition; targetPosition: GlobalPosition | null };
}

export interface ProjectionLag {
  projection: string;
  headPosition: GlobalPosition;
  checkpoint: GlobalPosition;
  /** head − checkpoint: 0 when caught up. A count of events only where positions are dense. */
  positionsBehind: GlobalPosition;
  /** Events after the checkpoint, counted up to `lagCountCap`. */
  eventsBehind: number;
  eventsBehindCapped: boolean;
}

/** Ends the current attempt without reporting an error: the runner is stopping or was killed. */
class Interrupted extends Error {}

/**
 * Keeps one projection's read model up to date from the global log.
 *
 * - One transaction per batch holds the read-model writes and the checkpoint compare-and-set,
 *   so a crash anywhere leaves either both or neither (SP-1), and the replay starts after the
 *   last committed batch.
 * - One active instance per projection: a lease in the checkpoint row, renewed by a heartbeat.
 *   Others wait and take over when it expires; the lease owner is checked by every checkpoint
 *   write, so an instance that lost its lease cannot commit anything (SP-3).
 * - A batch whose `apply` throws is retried, then narrowed down event by event; the event that
 *   keeps failing stops the projection with status 'failed', its position and the error
 *   (SP-5). Nothing after it is applied until `resume()`.
 * - `rebuild()` refills shadow tables from position 0 and swaps them in (see ReadModelTables).
 */
export class ProjectionRunner {
  readonly name: string;
  readonly instanceId: string;
  readonly checkpoints: CheckpointStore;
  private readonly projection: Projection;
  private readonly store: EventStore;
  private readonly dataSource: DataSource;
  private readonly tables: ReadModelTables;
  private readonly handles: Set<string>;
  private readonly observer: ProjectionObserver;
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private readonly heartbeatMs: number;
  private readonly acquireIntervalMs: number;
  private readonly batchAttempts: number;
  private readonly eventAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly isTransient: (error: unknown) => boolean;
  private readonly rebuildOnVersionChange: boolean;
  private readonly lagCountCap: number;

  private role: RunnerRole = 'stopped';
  private starting?: Promise<void>;
  private loop?: Promise<void>;
  private stopPromise?: Promise<void>;
  private stopping = false;
  private killed = false;
  private leaseHeld = false;
  private lastRenewal = 0;
  private heartbeat?: NodeJS.Timeout;
  private beatInFlight = false;
  private subscription?: AllSubscription;
  private interruptRequested = false;
  private rebuilding = false;
  private idleFailed = false;
  private lastProgress?: RebuildProgress;
  private readonly wake = new AppendNotifier();

  constructor(options: ProjectionRunnerOptions) {
    this.projection = options.projection;
    this.name = options.projection.name;
    this.store = options.store;
    this.dataSource = options.dataSource;
    this.instanceId = options.instanceId ?? randomUUID();
    this.checkpoints = options.checkpoints ?? new CheckpointStore(options.dataSource);
    this.tables = new ReadModelTables(options.dataSource, options.projection);
    this.handles = new Set(options.projection.handles);
    this.observer = combineObservers(options.observer, options.logger ? loggingObserver(options.logger) : undefined);
    this.batchSize = options.batchSize ?? 1000;
    this.leaseMs = options.leaseMs ?? 30_000;
    this.heartbeatMs = options.heartbeatMs ?? Math.max(10, Math.floor(this.leaseMs / 3));
    this.acquireIntervalMs = options.acquireIntervalMs ?? Math.max(10, Math.floor(this.leaseMs / 3));
    this.batchAttempts = Math.max(1, options.retry?.batchAttempts ?? 3);
    this.eventAttempts = Math.max(1, options.retry?.eventAttempts ?? 3);
    this.baseDelayMs = options.retry?.baseDelayMs ?? 200;
    this.maxDelayMs = options.retry?.maxDelayMs ?? 30_000;
    this.isTransient = options.isTransient ?? isTransientDatabaseError;
    this.rebuildOnVersionChange = options.rebuildOnVersionChange ?? true;
    this.lagCountCap = options.lagCountCap ?? 1000;
    if (this.heartbeatMs >= this.leaseMs) throw new Error(`Projection ${this.name}: heartbeatMs must be shorter than leaseMs`);
  }

  /** Prepares the tables and starts competing for the lease in the background. */
  start(): Promise<void> {
    this.starting ??= this.doStart().catch((e) => {
      this.starting = undefined;
      throw e;
    });
    return this.starting;
  }

  private async doStart(): Promise<void> {
    this.stopping = false;
    this.killed = false;
    this.tables.validate();
    await this.prepare();
    if (this.stopping) return;
    this.role = 'standby';
    this.loop = this.run();
  }

  /** Creates the checkpoint table, the row and missing live tables (idempotent). */
  async prepare(): Promise<void> {
    await this.checkpoints.ensureSchema();
    await this.tables.ensureLive();
    await this.checkpoints.ensureRow(this.name);
  }

  /** Finishes the batch in flight, releases the lease and stops. */
  stop(): Promise<void> {
    // Flags first, synchronously: the loop must not take another turn while we wait.
    this.stopping = true;
    this.interrupt();
    this.wake.notify();
    this.stopPromise ??= this.finishStop().finally(() => (this.stopPromise = undefined));
    return this.stopPromise;
  }

  private async finishStop(): Promise<void> {
    if (this.starting) await this.starting.catch(() => undefined);
    if (this.loop) await this.loop;
    this.loop = undefined;
    this.starting = undefined;
    this.role = 'stopped';
  }

  /**
   * Stops as a crashed process would: the batch in flight does not commit, the lease is not
   * released, so another instance takes over only when it expires (fault-injection tests).
   */
  kill(): Promise<void> {
    this.killed = true;
    return this.stop();
  }

  /** Clears a 'failed' status (after the projection was fixed): the failed event is tried again. */
  async resume(): Promise<boolean> {
    const resumed = await this.checkpoints.resume(this.name);
    if (resumed) this.observer.onResumed?.({ projection: this.name });
    this.wake.notify();
    return resumed;
  }

  /**
   * Rebuilds the read model from position 0 into shadow tables and swaps them in when caught
   * up; queries see the old tables until then. The lease holder does the work, whichever
   * process it is in; this call asks for it and waits (so some runner must be started).
   */
  async rebuild(options: { onProgress?: (p: RebuildProgress) => void; pollMs?: number; timeoutMs?: number } = {}): Promise<void> {
    await this.prepare();
    const before = await this.mustGet();
    const awaited = before.rebuildGeneration ?? before.generation + 1;
    await this.checkpoints.requestRebuild(this.name);
    this.interrupt();
    this.wake.notify();
    const deadline = options.timeoutMs === undefined ? Infinity : Date.now() + options.timeoutMs;
    for (;;) {
      const row = await this.mustGet();
      if (row.generation >= awaited) return;
      if (row.status === 'failed') throw new ProjectionFailedError(this.name, row.errorPosition, row.error ?? 'failed');
      if (options.onProgress && row.rebuildGeneration !== null) {
        const local = this.lastProgress?.generation === row.rebuildGeneration ? this.lastProgress : undefined;
        options.onProgress(local ?? progressOf(this.name, row.rebuildGeneration, undefined, row.rebuildPosition ?? 0n, row.rebuildTarget ?? 0n));
      }
      if (Date.now() > deadline) throw new Error(`Projection ${this.name}: rebuild not finished within ${options.timeoutMs} ms`);
      await sleep(options.pollMs ?? 100);
    }
  }

  async status(): Promise<ProjectionStatus> {
    const row = await this.mustGet();
    return {
      projection: this.name,
      instanceId: this.instanceId,
      role: this.role,
      status: row.status === 'failed' ? 'failed' : row.rebuildGeneration !== null ? 'rebuilding' : 'running',
      position: row.position,
      version: row.version,
      generation: row.generation,
      leaseOwner: row.leaseOwner,
      leaseExpiresAt: row.leaseExpiresAt === null ? null : new Date(row.leaseExpiresAt),
      error:
        row.status === 'failed'
          ? { message: row.error ?? '', position: row.errorPosition, eventId: row.errorEventId, attempts: row.attempts }
          : undefined,
      rebuild:
        row.rebuildGeneration !== null
          ? { generation: row.rebuildGeneration, position: row.rebuildPosition ?? 0n, targetPosition: row.rebuildTarget }
          : undefined,
    };
  }

  async lag(): Promise<ProjectionLag> {
    const [head, row] = await Promise.all([this.store.headPosition(), this.mustGet()]);
    const positionsBehind = head > row.position ? head - row.position : 0n;
    let eventsBehind = 0;
    let eventsBehindCapped = false;
    if (positionsBehind > 0n) {
      const behind = await this.store.readAll({ fromPosition: row.position, maxCount: this.lagCountCap + 1 });
      eventsBehind = Math.min(behind.length, this.lagCountCap);
      eventsBehindCapped = behind.length > this.lagCountCap;
    }
    return { projection: this.name, headPosition: head, checkpoint: row.position, positionsBehind, eventsBehind, eventsBehindCapped };
  }

  /** Resolves once the live checkpoint reaches `position` (read-your-writes, tests). */
  async waitForPosition(position: GlobalPosition, options: { timeoutMs?: number; pollMs?: number } = {}): Promise<void> {
    const deadline = Date.now() + (options.timeoutMs ?? 30_000);
    for (;;) {
      const row = await this.mustGet();
      if (row.position >= position && row.rebuildGeneration === null) return;
      if (row.status === 'failed') throw new ProjectionFailedError(this.name, row.errorPosition, row.error ?? 'failed');
      if (Date.now() > deadline) throw new Error(`Projection ${this.name}: position ${position} not reached (at ${row.position})`);
      await sleep(options.pollMs ?? 20);
    }
  }

  // ---------------------------------------------------------------------------------------

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      let row: CheckpointRow | undefined;
      try {
        row = await this.checkpoints.tryAcquireLease(this.name, this.instanceId, this.leaseMs);
      } catch (error) {
        this.observer.onError?.({ projection: this.name, error });
        await this.pause(this.backoff(++failures));
        continue;
      }
      if (!row) {
        this.role = 'standby';
        await this.pause(this.acquireIntervalMs);
        continue;
      }
      this.gainLease();
      try {
        await this.whileLeader();
        failures = 0;
      } catch (error) {
        if (!(error instanceof Interrupted) && !isLeaseLostError(error) && !this.stopping) {
          this.observer.onError?.({ projection: this.name, error });
          await this.pause(this.backoff(++failures));
        }
      } finally {
        await this.dropLease();
      }
    }
  }

  private async whileLeader(): Promise<void> {
    while (!this.stopping && this.leaseHeld) {
      this.interruptRequested = false;
      const row = await this.mustGet();
      if (row.leaseOwner !== this.instanceId) throw this.leaseLost();
      if (row.status === 'failed') {
        // Parked (SP-5): keep the lease so no other instance retries the poison event, and
        // wait for resume() here or in another process (the heartbeat notices that).
        this.idleFailed = true;
        await this.pause(this.heartbeatMs);
        continue;
      }
      this.idleFailed = false;
      if (row.rebuildGeneration !== null || row.rebuildRequested) {
        await this.rebuildPhase(row);
        continue;
      }
      if (row.version !== this.projection.version) {
        if (row.position === 0n) {
          if (!(await this.checkpoints.setVersion(this.name, this.instanceId, this.projection.version))) throw this.leaseLost();
          continue;
        }
        if (this.rebuildOnVersionChange) {
          await this.checkpoints.requestRebuild(this.name);
          continue;
        }
      }
      await this.livePhase(row.position);
    }
  }

  private async livePhase(from: GlobalPosition): Promise<void> {
    const subscription = this.store.subscribeToAll({ fromPosition: from, maxBatchSize: this.batchSize });
    this.subscription = subscription;
    let position = from;
    try {
      if (this.interruptRequested || this.stopping) return;
      for await (const batch of subscription.batches()) {
        if (batch.length === 0) continue;
        const next = await this.process(batch, position, null);
        if (next === undefined || this.interruptRequested) return;
        position = next;
      }
    } finally {
      this.subscription = undefined;
      await subscription.unsubscribe();
    }
  }

  private async rebuildPhase(row: CheckpointRow): Promise<void> {
    this.rebuilding = true;
    try {
      let generation = row.rebuildGeneration;
      let position = row.rebuildPosition ?? 0n;
      let target: GlobalPosition;
      if (generation === null) {
        generation = row.generation + 1;
        target = await this.store.headPosition();
        await this.tables.prepareShadow(generation, true);
        if (!(await this.checkpoints.beginRebuild(this.name, this.instanceId, generation, target))) throw this.leaseLost();
        position = 0n;
        this.observer.onRebuildStarted?.({ projection: this.name, generation, targetPosition: target });
      } else {
        target = row.rebuildTarget ?? (await this.store.headPosition());
        const created = await this.tables.prepareShadow(generation, false);
        if (created && position !== 0n) {
          if (!(await this.checkpoints.resetRebuild(this.name, this.instanceId, generation))) throw this.leaseLost();
          position = 0n;
        }
      }
      let processed = 0;
      // Positions need not start near 0 (PostgreSQL's encode transaction ids), so progress is
      // measured from the first position this process sees.
      let base: GlobalPosition | undefined;
      for (;;) {
        this.assertLeader();
        const batch = await this.store.readAll({ fromPosition: position, maxCount: this.batchSize });
        if (batch.length > 0) {
          base ??= position === 0n ? batch[0].position - 1n : position;
          const next = await this.process(batch, position, generation);
          if (next === undefined) return;
          position = next;
          processed += batch.length;
          if (position > target) target = position;
          this.lastProgress = progressOf(this.name, generation, processed, position, target, base);
          this.observer.onRebuildProgress?.(this.lastProgress);
        }
        // A short read means the rebuild has seen everything visible now; what comes later the
        // live phase picks up from the swapped checkpoint.
        if (batch.length < this.batchSize) break;
      }
      this.assertLeader();
      await this.tables.swap(
        generation,
        this.checkpoints.completeRebuildStatement({
          name: this.name,
          owner: this.instanceId,
          generation,
          position,
          version: this.projection.version,
        }),
      );
      this.tables.unregister(generation);
      this.observer.onRebuildSwapped?.({ projection: this.name, generation, position });
    } finally {
      this.rebuilding = false;
    }
  }

  /**
   * Applies a batch with retries. Returns the new position, or undefined when the projection
   * has just been parked as failed. `narrow` false: the batch holds one handled event.
   */
  private async process(
    batch: RecordedEvent[],
    from: GlobalPosition,
    generation: number | null,
    narrow = true,
    priorAttempts = 0,
  ): Promise<GlobalPosition | undefined> {
    const handled = batch.filter((e) => this.handles.has(e.type));
    const to = batch[batch.length - 1].position;
    const maxAttempts = narrow ? this.batchAttempts : this.eventAttempts;
    let attempts = 0;
    let transient = 0;
    for (;;) {
      this.assertLeader();
      try {
        await this.commit(handled, from, to, generation);
        this.observer.onBatchApplied?.({
          projection: this.name,
          rebuilding: generation !== null,
          fromPosition: from,
          toPosition: to,
          events: batch.length,
          handled: handled.length,
        });
        return to;
      } catch (error) {
        if (error instanceof Interrupted || isLeaseLostError(error)) throw error;
        if (this.isTransient(error)) {
          const delayMs = this.backoff(++transient);
          this.observer.onRetry?.({ projection: this.name, position: from, attempt: transient, delayMs, transient: true, error });
          await this.pause(delayMs);
          continue;
        }
        if (!isApplyError(error)) throw error;
        attempts++;
        if (attempts < maxAttempts) {
          const delayMs = this.backoff(attempts);
          this.observer.onRetry?.({ projection: this.name, position: from, attempt: attempts, delayMs, transient: false, error: error.cause });
          await this.pause(delayMs);
          continue;
        }
        if (narrow && handled.length > 1) return this.narrowDown(batch, from, generation, attempts);
        return this.fail(handled[0], error.cause, priorAttempts + attempts);
      }
    }
  }

  /** Re-applies a failing batch one handled event at a time, to find the poison event. */
  private async narrowDown(
    batch: RecordedEvent[],
    from: GlobalPosition,
    generation: number | null,
    batchAttempts: number,
  ): Promise<GlobalPosition | undefined> {
    let position = from;
    let segment: RecordedEvent[] = [];
    for (const event of batch) {
      segment.push(event);
      if (!this.handles.has(event.type)) continue;
      const next = await this.process(segment, position, generation, false, batchAttempts);
      if (next === undefined) return undefined;
      position = next;
      segment = [];
    }
    return segment.length > 0 ? this.process(segment, position, generation, false) : position;
  }

  private async commit(handled: RecordedEvent[], from: GlobalPosition, to: GlobalPosition, generation: number | null): Promise<void> {
    await runInTransaction(this.dataSource, async (em) => {
      if (handled.length > 0) {
        try {
          await this.projection.apply(handled, em, this.context(em, generation));
        } catch (e) {
          throw new ApplyError(this.name, e);
        }
      }
      if (this.killed) throw new Interrupted('killed');
      const advanced = await this.checkpoints.advance(em, {
        name: this.name,
        owner: this.instanceId,
        from,
        to,
        column: generation === null ? 'position' : 'rebuild_position',
      });
      if (!advanced) throw this.leaseLost();
    });
  }

  private async fail(event: RecordedEvent, error: unknown, attempts: number): Promise<undefined> {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : errorMessage(error);
    const marked = await this.checkpoints.markFailed(this.name, this.instanceId, {
      error: message,
      position: event.position,
      eventId: event.id,
      attempts,
    });
    if (!marked) throw this.leaseLost();
    this.observer.onFailed?.({ projection: this.name, position: event.position, eventId: event.id, eventType: event.type, attempts, error });
    return undefined;
  }

  private context(em: EntityManager, generation: number | null): ProjectionContext {
    const tables = this.tables;
    return {
      projection: this.name,
      generation: generation ?? 0,
      rebuilding: generation !== null,
      target: <E extends ObjectLiteral>(entity: EntityClass<E>) => tables.target(entity, generation),
      repository: <E extends ObjectLiteral>(entity: EntityClass<E>) => em.getRepository(tables.target(entity, generation)),
      tableName: (entity: EntityClass) => tables.tableName(entity, generation),
    };
  }

  // --- lease -----------------------------------------------------------------------------

  private gainLease(): void {
    this.leaseHeld = true;
    this.role = 'active';
    this.lastRenewal = Date.now();
    this.observer.onLeaseAcquired?.({ projection: this.name, owner: this.instanceId });
    this.heartbeat = setInterval(() => void this.beat(), this.heartbeatMs);
  }

  private async beat(): Promise<void> {
    if (this.beatInFlight || !this.leaseHeld || this.killed) return;
    this.beatInFlight = true;
    try {
      const row = await this.checkpoints.renewLease(this.name, this.instanceId, this.leaseMs);
      if (!this.leaseHeld) return;
      if (!row) {
        this.leaseLost();
        return;
      }
      this.lastRenewal = Date.now();
      if (row.rebuildRequested && !this.rebuilding) this.interrupt();
      if (row.status === 'running' && this.idleFailed) this.wake.notify();
    } catch (error) {
      this.observer.onError?.({ projection: this.name, error });
      // Past our own lease we must assume another instance has taken over.
      if (Date.now() - this.lastRenewal > this.leaseMs) this.leaseLost();
    } finally {
      this.beatInFlight = false;
    }
  }

  private leaseLost(): LeaseLostError {
    if (this.leaseHeld) {
      this.leaseHeld = false;
      this.role = 'standby';
      this.observer.onLeaseLost?.({ projection: this.name, owner: this.instanceId });
      this.interrupt();
    }
    return new LeaseLostError(this.name, this.instanceId);
  }

  private async dropLease(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    const held = this.leaseHeld;
    this.leaseHeld = false;
    this.role = this.stopping ? 'stopped' : 'standby';
    if (held && this.stopping && !this.killed) {
      await this.checkpoints.releaseLease(this.name, this.instanceId).catch((error) => this.observer.onError?.({ projection: this.name, error }));
    }
  }

  private assertLeader(): void {
    if (this.stopping || this.killed) throw new Interrupted('stopping');
    if (!this.leaseHeld) throw new LeaseLostError(this.name, this.instanceId);
  }

  /** Ends the live subscription so the loop re-reads the checkpoint row. */
  private interrupt(): void {
    this.interruptRequested = true;
    void this.subscription?.unsubscribe();
  }

  private pause(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return this.wake.wait(ms);
  }

  private backoff(attempt: number): number {
    return Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  }

  private async mustGet(): Promise<CheckpointRow> {
    const row = await this.checkpoints.get(this.name);
    if (!row) throw new Error(`Projection ${this.name} has no checkpoint row; call start() or prepare() first`);
    return row;
  }
}

const progressOf = (
  projection: string,
  generation: number,
  processedEvents: number | undefined,
  position: GlobalPosition,
  target: GlobalPosition,
  base: GlobalPosition = 0n,
): RebuildProgress => ({
  projection,
  generation,
  processedEvents,
  position,
  targetPosition: target,
  fraction: target <= base ? 1 : Math.max(0, Math.min(1, Number(((position - base) * 10_000n) / (target - base)) / 10_000)),
});

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
