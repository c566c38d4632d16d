/** Who issued a command and, through its metadata, caused an event. */
export interface Actor {
  userId: string;
  orgUnitId?: string;
}

/**
 * Stamped by the command processor on every stored event. Domain code reads it (evolve may take
 * `orgUnitPath` or `occurredAt` from it) but never writes it: decide returns events without it.
 */
export interface EventMetadata {
  /** Derived from `commandId` and the event's index in its batch, so a resent command reuses it. */
  eventId?: string;
  commandId: string;
  correlationId: string;
  /** The message that caused this event: the command (default) or an upstream event. */
  causationId: string;
  actor: Actor;
  /** Scope of the data (materialized path of the owning org unit); authorization filters on it. */
  orgUnitPath: string;
  /** ISO-8601 instant taken from the command's `now`: domain time, not the store's clock. */
  occurredAt: string;
  /** Version of the `data` shape; older versions are upcast on read, never rewritten. */
  schemaVersion: number;
}

/** A domain event: `type` is a past-tense name equal to the TypeScript type's name. */
export interface Event<Type extends string = string, Data = Record<string, unknown>> {
  readonly type: Type;
  readonly data: Data;
  readonly metadata: EventMetadata;
}

/** Any event type, for code that handles events generically. */
export type AnyEvent = Event<string, unknown>;

/**
 * What `decide` returns: the event without metadata. Distributes over a union, so
 * `NewEvent<DisputeFiled | MediationStarted>` keeps each member's type/data pairing.
 */
export type NewEvent<E extends AnyEvent = AnyEvent> = E extends AnyEvent ? { readonly type: E['type']; readonly data: E['data'] } : never;

/** The member of an event (or command) union with the given `type`. */
export type OfType<U extends { type: string }, T extends U['type']> = Extract<U, { type: T }>;

/** The event type names of an event union. */
export type EventType<E extends AnyEvent> = E['type'];
