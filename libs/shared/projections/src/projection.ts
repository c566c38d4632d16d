import type { RecordedEvent } from '@gongzhi/event-store';
import type { EntityManager, EntityTarget, ObjectLiteral, Repository } from 'typeorm';

/** A TypeORM entity class of a read model (decorated with `@Entity`). */
export type EntityClass<E extends ObjectLiteral = ObjectLiteral> = new (...args: any[]) => E;

/**
 * Where `apply` writes. Outside a rebuild every target is the entity itself (the live table);
 * during a rebuild it is a shadow entity mapped to that generation's table, so the live table
 * keeps answering queries until the swap. Projections must reach their tables only through
 * `target`/`repository`/`tableName`, never through the bare entity class.
 */
export interface ProjectionContext {
  readonly projection: string;
  /** The generation being written: the live one, or the one a rebuild is filling. */
  readonly generation: number;
  readonly rebuilding: boolean;
  target<E extends ObjectLiteral>(entity: EntityClass<E>): EntityTarget<E>;
  repository<E extends ObjectLiteral>(entity: EntityClass<E>): Repository<E>;
  /** The escaped, schema-qualified table name, for raw SQL. */
  tableName(entity: EntityClass): string;
}

export interface Projection {
  /** Stable name: the checkpoint row's key. */
  readonly name: string;
  /**
   * Raise it when `apply` or the tables change meaning: a runner that finds an older version
   * in the checkpoint rebuilds the read model (the old tables serve queries meanwhile).
   */
  readonly version: number;
  /** Event types passed to `apply`; the checkpoint still advances over all the others. */
  readonly handles: readonly string[];
  /** The read-model tables this projection owns (and rebuilds). No relations between them. */
  readonly entities: readonly EntityClass[];
  /**
   * Applies one batch (global order, only handled types, never empty) inside the transaction
   * that also moves the checkpoint, so the writes and the checkpoint commit together (SP-1).
   * Must be deterministic (SP-4): derive every value from the events, never from the clock,
   * random numbers or the database's `now()`. Prefer one read and one bulk write per table per
   * batch (see `findByKeys` / `upsertRows`) over a statement per event.
   */
  apply(events: RecordedEvent[], em: EntityManager, ctx: ProjectionContext): Promise<void>;
}

/** Identity helper that checks a projection literal against the interface. */
export const defineProjection = <P extends Projection>(projection: P): P => projection;
