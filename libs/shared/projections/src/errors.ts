/** This instance no longer holds the projection's lease (it expired, or another took it over). */
export class LeaseLostError extends Error {
  readonly code = 'PROJECTION.LEASE_LOST';
  constructor(readonly projection: string, readonly owner: string) {
    super(`Projection ${projection}: instance ${owner} does not hold the lease`);
    this.name = 'LeaseLostError';
  }
}

/** The projection's `apply` threw; the cause is the projection's own error. */
export class ApplyError extends Error {
  readonly code = 'PROJECTION.APPLY_FAILED';
  constructor(readonly projection: string, cause: unknown) {
    super(`Projection ${projection}: apply failed: ${errorMessage(cause)}`, { cause });
    this.name = 'ApplyError';
  }
}

/** The projection stopped at a poison event and waits for `resume()`. */
export class ProjectionFailedError extends Error {
  readonly code = 'PROJECTION.FAILED';
  constructor(readonly projection: string, readonly position: bigint | null, readonly reason: string) {
    super(`Projection ${projection} failed at position ${String(position)}: ${reason}`);
    this.name = 'ProjectionFailedError';
  }
}

export const isLeaseLostError = (e: unknown): e is LeaseLostError =>
  typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 'PROJECTION.LEASE_LOST';
export const isApplyError = (e: unknown): e is ApplyError =>
  typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 'PROJECTION.APPLY_FAILED';

export const errorMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e));
