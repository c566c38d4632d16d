/** Who is asking, on whose behalf, and under which correlation: built by the API layer per request. */
export interface RequestContext {
  actor: {
    userId: string;
    roles: string[];
    orgUnitId?: string;
    /** The actor's own org unit path: the default scope of the events they cause. */
    orgUnitPath?: string;
  };
  correlationId: string;
  /** Client-supplied idempotency key. When absent the processor generates one (no idempotency). */
  commandId?: string;
  /** The message that caused this command (an upstream event id, a Kafka message id). */
  causationId?: string;
  /** ISO-8601 instant to use as the command's `now`; defaults to the processor's clock. */
  now?: string;
}

export interface CommandResultEvent {
  id: string;
  type: string;
  revision: number;
  position: bigint;
}

export interface CommandResult {
  aggregateId: string;
  streamId: string;
  /** The stream's revision after the command (-1 when the stream still does not exist). */
  revision: number;
  /** True when the command had already been processed and its original result is returned. */
  idempotentReplay: boolean;
  events: CommandResultEvent[];
}

export interface HandleOptions<State> {
  /**
   * The revision the caller last saw (-1: the stream must not exist). When given, a stream that
   * has moved on is a conflict reported at once, without retry: the caller decided on that
   * revision. When absent the processor reads the revision itself and retries on a race.
   */
  expectedRevision?: number;
  /**
   * Scope stamped on the new events. A function gets the current state, e.g.
   * `(s) => s.status === 'None' ? undefined : s.orgUnitPath`; undefined falls back to the actor's path.
   */
  orgUnitPath?: string | ((state: State) => string | undefined);
  /** Reported in the result; defaults to the UUID at the end of the stream id. */
  aggregateId?: string;
}
