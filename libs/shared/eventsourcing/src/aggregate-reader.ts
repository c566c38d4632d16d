import { Inject, Injectable, Optional } from '@nestjs/common';
import { EVENT_STORE, isStreamNotFoundError, type EventStore, type RecordedEvent } from '@gongzhi/event-store';
import type { AnyEvent, Decider, EventMetadata } from '@gongzhi/kernel';
import { decodeRecorded, EVENT_TRANSFORMER, type EventTransformer } from './event-transformer';
import { UpcasterRegistry } from './upcasting';

/** Reads a whole stream in revision order; a missing stream is an empty one. */
export const readWholeStream = async (store: EventStore, streamId: string): Promise<RecordedEvent[]> => {
  try {
    return await store.readStream(streamId, { direction: 'forward' });
  } catch (e) {
    if (isStreamNotFoundError(e)) return [];
    throw e;
  }
};

/** A stored event as a decider's `evolve` expects it, upcast to the current schema. */
export const toDomainEvent = <E extends AnyEvent>(recorded: RecordedEvent, upcasters: UpcasterRegistry): E => {
  const upcast = upcasters.upcast({ type: recorded.type, data: recorded.data as unknown, metadata: recorded.metadata as Record<string, unknown> });
  return {
    type: upcast.type,
    data: upcast.data,
    metadata: { ...(upcast.metadata as unknown as EventMetadata), eventId: recorded.id },
  } as unknown as E;
};

export interface LoadedAggregate<S> {
  state: S;
  /** Revision of the last event folded, -1 when none. */
  revision: number;
  /** Whether any event was folded. */
  exists: boolean;
}

const foldRecorded = <S, E extends AnyEvent>(
  decider: Pick<Decider<S, any, E>, 'evolve' | 'initialState'>,
  events: RecordedEvent[],
  upcasters: UpcasterRegistry,
): LoadedAggregate<S> => {
  let state = decider.initialState;
  for (const recorded of events) state = decider.evolve(state, toDomainEvent<E>(recorded, upcasters));
  const last = events[events.length - 1];
  return { state, revision: last ? last.revision : -1, exists: events.length > 0 };
};

const instantMs = (value: Date | string): number => {
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  if (Number.isNaN(ms)) throw new RangeError(`Invalid as-of instant: ${String(value)}`);
  return ms;
};

/** Domain time of a stored event; the store's record time only for events without one. */
const occurredMs = (e: RecordedEvent): number => {
  const occurredAt = e.metadata?.occurredAt;
  const ms = typeof occurredAt === 'string' ? Date.parse(occurredAt) : Number.NaN;
  return Number.isNaN(ms) ? e.recordedAt.getTime() : ms;
};

/**
 * The aggregate as it stood at `asOf` (DESIGN.md "As-of queries": who was responsible on date T).
 * Folds the longest prefix of the stream whose events occurred at or before `asOf`. A prefix, not
 * a filter: an event stamped with an earlier time but appended later (a backdated `now`) is not
 * folded without the events before it, because `evolve` assumes stream order.
 */
export const aggregateAsOf = async <S, E extends AnyEvent>(
  store: EventStore,
  decider: Pick<Decider<S, any, E>, 'evolve' | 'initialState'>,
  streamId: string,
  asOf: Date | string,
  options: { upcasters?: UpcasterRegistry; transformer?: EventTransformer } = {},
): Promise<LoadedAggregate<S>> => {
  const limit = instantMs(asOf);
  const events = await decodeRecorded(await readWholeStream(store, streamId), options.transformer);
  const cut = events.findIndex((e) => occurredMs(e) > limit);
  return foldRecorded(decider, cut === -1 ? events : events.slice(0, cut), options.upcasters ?? new UpcasterRegistry());
};

/** Loads the current state of an aggregate (folds its whole stream). */
export const loadAggregate = async <S, E extends AnyEvent>(
  store: EventStore,
  decider: Pick<Decider<S, any, E>, 'evolve' | 'initialState'>,
  streamId: string,
  options: { upcasters?: UpcasterRegistry; transformer?: EventTransformer } = {},
): Promise<LoadedAggregate<S>> =>
  foldRecorded(
    decider,
    await decodeRecorded(await readWholeStream(store, streamId), options.transformer),
    options.upcasters ?? new UpcasterRegistry(),
  );

/** Read-side access to aggregate state for query handlers (current or as of an instant). */
@Injectable()
export class AggregateReader {
  private readonly upcasters: UpcasterRegistry;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Optional() @Inject(UpcasterRegistry) upcasters?: UpcasterRegistry,
    @Optional() @Inject(EVENT_TRANSFORMER) private readonly transformer?: EventTransformer,
  ) {
    this.upcasters = upcasters ?? new UpcasterRegistry();
  }

  load<S, E extends AnyEvent>(decider: Pick<Decider<S, any, E>, 'evolve' | 'initialState'>, streamId: string) {
    return loadAggregate(this.store, decider, streamId, { upcasters: this.upcasters, transformer: this.transformer });
  }

  aggregateAsOf<S, E extends AnyEvent>(
    decider: Pick<Decider<S, any, E>, 'evolve' | 'initialState'>,
    streamId: string,
    asOf: Date | string,
  ) {
    return aggregateAsOf(this.store, decider, streamId, asOf, { upcasters: this.upcasters, transformer: this.transformer });
  }
}
