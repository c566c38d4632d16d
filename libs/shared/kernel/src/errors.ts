/** Context the error handler may show the user. Ids only: never personal data (PIPL). */
export type DomainErrorDetails = Readonly<Record<string, unknown>>;

const DOMAIN_ERROR_BRAND = 'gongzhi.DomainError';

/**
 * A broken business rule. Subclasses fix a stable `code` (`<CONTEXT>.<RULE>`, e.g.
 * 'UNION.DISPUTE_NOT_FILED') that the GraphQL error formatter exposes as the rule's code;
 * messages may change, codes may not.
 *
 *   class DisputeNotFiled extends DomainError { readonly code = 'UNION.DISPUTE_NOT_FILED' }
 *   throw new DisputeNotFiled('The dispute has not been filed', { disputeId });
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  readonly details?: DomainErrorDetails;
  /** Lets `isDomainError` recognise errors from another copy of this module. */
  readonly brand = DOMAIN_ERROR_BRAND;

  constructor(message?: string, details?: DomainErrorDetails, options?: { cause?: unknown }) {
    super(message ?? new.target.name, options);
    this.name = new.target.name;
    if (details !== undefined) this.details = details;
  }

  toJSON(): { name: string; code: string; message: string; details?: DomainErrorDetails } {
    return { name: this.name, code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) };
  }
}

export const isDomainError = (e: unknown): e is DomainError =>
  e instanceof DomainError ||
  (e instanceof Error && (e as { brand?: unknown }).brand === DOMAIN_ERROR_BRAND && typeof (e as { code?: unknown }).code === 'string');

/** The command targets an aggregate that has no events yet. */
export class AggregateNotFound extends DomainError {
  readonly code: string = 'COMMON.AGGREGATE_NOT_FOUND';
  constructor(aggregate: string, id: string) {
    super(`${aggregate} ${id} not found`, { aggregate, id });
  }
}

/** A creation command targets an aggregate that already exists. */
export class AggregateAlreadyExists extends DomainError {
  readonly code: string = 'COMMON.AGGREGATE_ALREADY_EXISTS';
  constructor(aggregate: string, id: string) {
    super(`${aggregate} ${id} already exists`, { aggregate, id });
  }
}

/** A command's input breaks a rule that needs no state (a negative amount, an end before a start). */
export class InvalidCommandInput extends DomainError {
  readonly code: string = 'COMMON.INVALID_INPUT';
}

/** An identifier that cannot be used in a stream id (see `streamId`). */
export class InvalidIdentifier extends DomainError {
  readonly code: string = 'COMMON.INVALID_IDENTIFIER';
}
