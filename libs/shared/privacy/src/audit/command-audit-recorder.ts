import { Column, Entity, PrimaryColumn, type DataSource } from 'typeorm';
import type { AllSubscription, EventStore, RecordedEvent } from '@gongzhi/event-store';
import { contextOf } from '@gongzhi/kernel';
import { withWriteLock } from '../write-lock';
import type { AuditEntry, AuditLog } from './audit-log';

/** How far the command audit has read the event log (one row). */
@Entity('audit_command_checkpoint')
export class AuditCommandCheckpointRow {
  @PrimaryColumn({ name: 'id', type: 'varchar', length: 32 })
  id!: string;

  /** Global position (bigint) as text: portable across SQLite and PostgreSQL. */
  @Column({ name: 'position', type: 'varchar', length: 40 })
  position!: string;
}

const CHECKPOINT_ID = 'commands';

const meta = (e: RecordedEvent, key: string): string | undefined => {
  const v = (e.metadata as Record<string, unknown>)[key];
  return typeof v === 'string' ? v : undefined;
};

/**
 * One audit row per command that appended events (DESIGN.md: every command is attributable),
 * derived from the event log: who (actor), what (event types, command id), where (stream, org
 * path), correlation. Reading the log instead of hooking the command path covers every entry
 * point (GraphQL, CLI, Kafka, deadlines) and never slows a command down; the checkpoint commits
 * with the audit rows, so each command is recorded exactly once even across restarts.
 */
export class CommandAuditRecorder {
  private subscription?: AllSubscription;
  private running?: Promise<void>;

  constructor(
    private readonly store: EventStore,
    private readonly ds: DataSource,
    private readonly audit: AuditLog,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  private async checkpoint(): Promise<bigint | undefined> {
    const row = await this.ds.manager.findOneBy(AuditCommandCheckpointRow, { id: CHECKPOINT_ID });
    return row ? BigInt(row.position) : undefined;
  }

  /** Records one batch of events (grouped by command) and moves the checkpoint, atomically. */
  async record(batch: RecordedEvent[]): Promise<number> {
    if (batch.length === 0) return 0;
    const commands = new Map<string, RecordedEvent[]>();
    for (const e of batch) {
      const key = `${e.streamId}\n${meta(e, 'commandId') ?? e.id}`;
      commands.set(key, [...(commands.get(key) ?? []), e]);
    }
    const last = batch[batch.length - 1].position;
    await withWriteLock(this.ds, () =>
      this.ds.transaction(async (m) => {
        const stored = await m.findOneBy(AuditCommandCheckpointRow, { id: CHECKPOINT_ID });
        // Another process (or a replayed batch) already recorded these: skip, never write twice.
        if (stored && BigInt(stored.position) >= last) return;
        const from = stored ? BigInt(stored.position) : -1n;
        for (const events of commands.values()) {
          const fresh = events.filter((e) => e.position > from);
          if (fresh.length === 0) continue;
          const first = fresh[0];
          const actor = (first.metadata as { actor?: { userId?: string; orgUnitId?: string } }).actor ?? {};
          const entry: AuditEntry = {
            action: 'command',
            actor: { userId: actor.userId ?? 'unknown', orgUnitId: actor.orgUnitId ?? null },
            resourceType: contextOf(first.streamId) ?? 'stream',
            resourceId: first.streamId,
            correlationId: meta(first, 'correlationId'),
            result: 'allowed',
            details: {
              commandId: meta(first, 'commandId') ?? null,
              orgUnitPath: meta(first, 'orgUnitPath') ?? null,
              eventTypes: fresh.map((e) => e.type),
              eventIds: fresh.map((e) => e.id),
              firstPosition: first.position.toString(),
            },
          };
          await this.audit.appendIn(m, entry);
        }
        await m.save(AuditCommandCheckpointRow, { id: CHECKPOINT_ID, position: last.toString() });
      }),
    );
    return commands.size;
  }

  /** Catches up from the checkpoint, then follows the log live until `stop()`. */
  async start(): Promise<void> {
    if (this.running) return;
    const from = await this.checkpoint();
    this.subscription = this.store.subscribeToAll({ fromPosition: from, maxBatchSize: 500 });
    const subscription = this.subscription;
    this.running = (async () => {
      try {
        for await (const batch of subscription.batches()) await this.record(batch);
      } catch (e) {
        this.onError(e);
      }
    })();
  }

  async stop(): Promise<void> {
    await this.subscription?.unsubscribe();
    await this.running;
    this.running = undefined;
  }

  /** Records everything up to the log's head once (CLI, tests). */
  async catchUp(batchSize = 500): Promise<number> {
    let recorded = 0;
    for (;;) {
      const events = await this.store.readAll({ fromPosition: await this.checkpoint(), maxCount: batchSize });
      if (events.length === 0) return recorded;
      recorded += await this.record(events);
    }
  }
}
