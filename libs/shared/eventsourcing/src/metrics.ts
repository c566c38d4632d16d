/**
 * How a command ended:
 * - appended: new events were written;
 * - no_op: decide returned no events;
 * - replayed: the commandId had already been processed and its original result was returned;
 * - rejected: a DomainError (a business rule said no);
 * - conflict: CommandConflictError (stale expected revision or retries exhausted);
 * - failed: anything else (store unavailable, a bug).
 */
export type CommandOutcome = 'appended' | 'no_op' | 'replayed' | 'rejected' | 'conflict' | 'failed';

export interface CommandObservation {
  commandType: string;
  streamId: string;
  outcome: CommandOutcome;
  /** Wall time of the whole handle() call, from a monotonic timer. */
  durationMs: number;
  /** Read-decide-append rounds, 1 when no retry was needed. */
  attempts: number;
  eventCount: number;
  /** The error's `code` for rejected/conflict/failed outcomes, when it has one. */
  errorCode?: string;
}

/**
 * Metrics hook. The platform implements it with prom-client (a counter by type and outcome and
 * a latency histogram); this lib stays free of any metrics library. It must not throw: a thrown
 * error is swallowed so observation can never change a command's result.
 */
export interface CommandObserver {
  onCommand(observation: CommandObservation): void;
}

export const COMMAND_OBSERVER = Symbol('COMMAND_OBSERVER');

export const noopObserver: CommandObserver = { onCommand: () => undefined };
