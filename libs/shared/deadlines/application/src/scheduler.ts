import { Inject, Injectable, Logger, Optional, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { CLOCK, type Clock } from '@gongzhi/eventsourcing';
import { isDomainError } from '@gongzhi/kernel';
import { escapeLikePattern } from './sql';
import { Brackets, type DataSource } from 'typeorm';
import { v5 as uuidv5 } from 'uuid';
import { OpenClockRow } from './entities';
import { DEADLINES_OPTIONS, DEADLINES_READ_STORE, type DeadlinesOptions } from './tokens';

/** Fixed forever: command ids derived from a clock must come out the same after a restart. */
const SCHEDULER_NAMESPACE = 'b0d6f3f1-6c0e-4c55-9a43-2f6c8a0f4e17';

export interface DueClock {
  streamId: string;
  clockId: string;
  policyId: string;
  version: number;
  startedAt: string;
  dueAt: string;
}

/**
 * What a context registers: for clocks named `clockIds` on streams starting with `streamPrefix`,
 * `fire` issues the command that records the expiry. `commandId` is derived from the clock and
 * its due date, so a clock fired twice (a crash before the projection caught up, two scheduler
 * instances) is an idempotent replay, not a second event.
 */
export interface DeadlineTrigger {
  name: string;
  streamPrefix: string;
  clockIds: readonly string[];
  fire(clock: DueClock, commandId: string): Promise<unknown>;
}

export interface TickReport {
  fired: { trigger: string; streamId: string; clockId: string; dueAt: string }[];
  failed: { trigger: string; streamId: string; clockId: string; error: string }[];
}

export const schedulerCommandId = (clock: Pick<DueClock, 'streamId' | 'clockId' | 'dueAt'>): string =>
  uuidv5(`${clock.streamId}#${clock.clockId}@${clock.dueAt}`, SCHEDULER_NAMESPACE);

const BATCH = 100;
const REFIRE_AFTER_MS = 60_000;
const MAX_BACKOFF_MS = 60 * 60_000;

/**
 * The deadline ticker (DESIGN.md "Write side": time-driven transitions). Every tick it reads the
 * clocks that are due from the open-clocks projection and issues the registered commands. Time
 * comes from the injected CLOCK, so tests move it with a FakeClock and call `tick()`.
 * A command that fails is retried with exponential backoff (a domain rule refusing it, e.g.
 * because the projection lagged behind a change, is logged, not thrown).
 */
@Injectable()
export class DeadlineScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('DeadlineScheduler');
  private readonly triggers: DeadlineTrigger[] = [];
  private readonly fired = new Map<string, number>();
  private readonly backoff = new Map<string, { attempts: number; nextAt: number }>();
  private timer?: NodeJS.Timeout;
  private running?: Promise<TickReport>;
  private readonly intervalMs: number;
  private readonly autostart: boolean;

  constructor(
    @Inject(DEADLINES_READ_STORE) private readonly ds: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Optional() @Inject(DEADLINES_OPTIONS) options: DeadlinesOptions = {},
  ) {
    this.intervalMs = options.tickIntervalMs ?? 30_000;
    this.autostart = options.autostart ?? true;
  }

  register(trigger: DeadlineTrigger): () => void {
    if (!trigger.streamPrefix || trigger.clockIds.length === 0) throw new Error(`Trigger ${trigger.name} needs a stream prefix and clock ids`);
    this.triggers.push(trigger);
    return () => {
      const i = this.triggers.indexOf(trigger);
      if (i >= 0) this.triggers.splice(i, 1);
    };
  }

  /** Names of the registered triggers (one per context and kind of expiry). */
  registered(): string[] {
    return this.triggers.map((t) => t.name);
  }

  onApplicationBootstrap(): void {
    if (this.autostart) this.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.stop();
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick().catch((e) => this.logger.error(e)), this.intervalMs);
    this.timer.unref?.();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  /** One pass over the due clocks; concurrent calls share the pass in flight. */
  tick(): Promise<TickReport> {
    this.running ??= this.pass().finally(() => (this.running = undefined));
    return this.running;
  }

  /** The due clocks a trigger covers, oldest first (also for read-side "what is due" views). */
  async dueClocks(now: string, limit = BATCH): Promise<(DueClock & { trigger: DeadlineTrigger })[]> {
    if (this.triggers.length === 0) return [];
    const qb = this.ds
      .getRepository(OpenClockRow)
      .createQueryBuilder('c')
      .where('c.status = :running', { running: 'running' })
      .andWhere('c.due_at <= :now', { now })
      .andWhere(
        new Brackets((or) => {
          this.triggers.forEach((t, i) => {
            or.orWhere(
              new Brackets((and) =>
                and
                  .where(`c.stream_id LIKE :p${i} ESCAPE '\\'`, { [`p${i}`]: `${escapeLikePattern(t.streamPrefix)}%` })
                  .andWhere(`c.clock_id IN (:...c${i})`, { [`c${i}`]: [...t.clockIds] }),
              ),
            );
          });
        }),
      )
      .orderBy('c.due_at', 'ASC')
      .take(limit);
    const rows = await qb.getMany();
    return rows.flatMap((r) => {
      const trigger = this.triggers.find((t) => r.streamId.startsWith(t.streamPrefix) && t.clockIds.includes(r.clockId));
      return trigger
        ? [{ trigger, streamId: r.streamId, clockId: r.clockId, policyId: r.policyId, version: r.version, startedAt: r.startedAt, dueAt: r.dueAt }]
        : [];
    });
  }

  private async pass(): Promise<TickReport> {
    const nowMs = this.clock.now().getTime();
    const now = new Date(nowMs).toISOString();
    const report: TickReport = { fired: [], failed: [] };
    for (const due of await this.dueClocks(now)) {
      const key = `${due.streamId}#${due.clockId}@${due.dueAt}`;
      const firedAt = this.fired.get(key);
      // Fired already and the projection has not caught up with the resulting stop yet.
      if (firedAt !== undefined && nowMs - firedAt < REFIRE_AFTER_MS) continue;
      const wait = this.backoff.get(key);
      if (wait && wait.nextAt > nowMs) continue;
      const { trigger, ...clock } = due;
      try {
        await trigger.fire(clock, schedulerCommandId(clock));
        this.fired.set(key, nowMs);
        this.backoff.delete(key);
        report.fired.push({ trigger: trigger.name, streamId: due.streamId, clockId: due.clockId, dueAt: due.dueAt });
      } catch (error) {
        const attempts = (wait?.attempts ?? 0) + 1;
        this.backoff.set(key, { attempts, nextAt: nowMs + Math.min(MAX_BACKOFF_MS, 1_000 * 2 ** attempts) });
        const message = error instanceof Error ? error.message : String(error);
        report.failed.push({ trigger: trigger.name, streamId: due.streamId, clockId: due.clockId, error: message });
        const log = { trigger: trigger.name, streamId: due.streamId, clockId: due.clockId, attempts, code: (error as { code?: unknown })?.code };
        if (isDomainError(error)) this.logger.warn({ ...log, msg: 'A due clock’s command was refused' });
        else this.logger.error({ ...log, err: error, msg: 'A due clock’s command failed' });
      }
    }
    // Forget fired clocks long past; their rows are gone once the projection applied the stop.
    for (const [key, at] of this.fired) if (nowMs - at > 10 * REFIRE_AFTER_MS) this.fired.delete(key);
    return report;
  }
}
