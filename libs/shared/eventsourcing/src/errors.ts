/**
 * Errors of the command path that are not business rules. Like the port's errors they carry a
 * stable `code`, and the API maps them (a conflict becomes `CONFLICT`); domain errors pass
 * through the processor unchanged.
 */
export abstract class EventSourcingError extends Error {
  abstract readonly code: string;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * The stream kept moving under the command: either the caller's expected revision is stale, or
 * every retry lost a race. Re-reading and resubmitting may succeed.
 */
export class CommandConflictError extends EventSourcingError {
  readonly code = 'EVENTSOURCING.CONFLICT';
  readonly retriable = true;
  constructor(
    readonly streamId: string,
    /** The revision the command was decided on (-1: no stream). */
    readonly expected: number,
    /** The stream's revision when the conflict was seen (-1: no stream). */
    readonly actual: number,
    readonly attempts: number,
    options?: { cause?: unknown },
  ) {
    super(`Stream ${streamId}: expected revision ${expected}, actual ${actual} (after ${attempts} attempt(s))`, options);
  }
}

export const isCommandConflictError = (e: unknown): e is CommandConflictError =>
  typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 'EVENTSOURCING.CONFLICT';

/** The request context is unusable (no actor, an unparsable `now`): a bug in the caller. */
export class InvalidRequestContextError extends EventSourcingError {
  readonly code = 'EVENTSOURCING.INVALID_CONTEXT';
}

/** No org unit path for new events: the handler must pass one or the actor must have one. */
export class MissingOrgUnitPathError extends EventSourcingError {
  readonly code = 'EVENTSOURCING.MISSING_ORG_UNIT_PATH';
  constructor(readonly streamId: string, readonly commandType: string) {
    super(`No orgUnitPath for ${commandType} on ${streamId}: pass options.orgUnitPath or an actor with one`);
  }
}

/** A stored event is newer than this code knows, or an upcaster in its chain is missing. */
export class SchemaVersionError extends EventSourcingError {
  readonly code = 'EVENTSOURCING.SCHEMA_VERSION';
  constructor(
    readonly eventType: string,
    readonly storedVersion: number,
    readonly currentVersion: number,
    reason: string,
  ) {
    super(`${eventType} v${storedVersion} (current v${currentVersion}): ${reason}`);
  }
}
