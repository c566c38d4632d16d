/** What a runner reports; wire it to logs, metrics and alerts. Every callback is optional. */
export interface ProjectionObserver {
  onLeaseAcquired?(e: { projection: string; owner: string }): void;
  onLeaseLost?(e: { projection: string; owner: string }): void;
  onBatchApplied?(e: {
    projection: string;
    rebuilding: boolean;
    fromPosition: bigint;
    toPosition: bigint;
    events: number;
    handled: number;
  }): void;
  /** A batch or event failed and will be tried again after `delayMs`. */
  onRetry?(e: { projection: string; position: bigint; attempt: number; delayMs: number; transient: boolean; error: unknown }): void;
  /** The projection stopped at a poison event (SP-5): this is the alert. */
  onFailed?(e: { projection: string; position: bigint; eventId: string; eventType: string; attempts: number; error: unknown }): void;
  onResumed?(e: { projection: string }): void;
  onRebuildStarted?(e: { projection: string; generation: number; targetPosition: bigint }): void;
  onRebuildProgress?(e: RebuildProgress): void;
  onRebuildSwapped?(e: { projection: string; generation: number; position: bigint }): void;
  /** An error the runner survives (database unreachable, …); it backs off and tries again. */
  onError?(e: { projection: string; error: unknown }): void;
}

export interface RebuildProgress {
  projection: string;
  generation: number;
  /** Events applied since the rebuild (re)started; known only in the process doing it. */
  processedEvents?: number;
  /** Position reached by the rebuild. */
  position: bigint;
  /** Head of the log the rebuild is catching up to. */
  targetPosition: bigint;
  /**
   * Share of the position range covered, in [0, 1]: exact where positions are dense (SQLite,
   * memory), an estimate on PostgreSQL, whose positions encode transaction ids.
   */
  fraction: number;
}

/** The subset of Nest's LoggerService (and console) the logging observer needs. */
export interface ProjectionLogger {
  log(message: string, ...rest: unknown[]): void;
  warn(message: string, ...rest: unknown[]): void;
  error(message: string, ...rest: unknown[]): void;
}

const describe = (e: unknown): string => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));

/** Logs lease changes, retries, failures and rebuilds (not every batch). */
export const loggingObserver = (logger: ProjectionLogger): ProjectionObserver => ({
  onLeaseAcquired: ({ projection, owner }) => logger.log(`projection ${projection}: ${owner} holds the lease`),
  onLeaseLost: ({ projection, owner }) => logger.warn(`projection ${projection}: ${owner} lost the lease`),
  onRetry: ({ projection, position, attempt, delayMs, transient, error }) =>
    logger.warn(`projection ${projection}: ${transient ? 'transient error' : 'apply failed'} after position ${position}, attempt ${attempt}, retry in ${delayMs} ms: ${describe(error)}`),
  onFailed: ({ projection, position, eventId, eventType, attempts, error }) =>
    logger.error(`projection ${projection} FAILED at position ${position} (event ${eventId}, ${eventType}) after ${attempts} attempts: ${describe(error)}; fix and resume`),
  onResumed: ({ projection }) => logger.log(`projection ${projection}: resumed`),
  onRebuildStarted: ({ projection, generation, targetPosition }) =>
    logger.log(`projection ${projection}: rebuilding generation ${generation} up to position ${targetPosition}`),
  onRebuildSwapped: ({ projection, generation, position }) =>
    logger.log(`projection ${projection}: generation ${generation} swapped in at position ${position}`),
  onError: ({ projection, error }) => logger.error(`projection ${projection}: ${describe(error)}`),
});

/** Calls every observer, and keeps a throwing observer from breaking the runner. */
export const combineObservers = (...observers: (ProjectionObserver | undefined)[]): ProjectionObserver => {
  const list = observers.filter((o): o is ProjectionObserver => o !== undefined);
  const call = (key: keyof ProjectionObserver) => (e: never) => {
    for (const o of list) {
      try {
        (o[key] as ((e: never) => void) | undefined)?.(e);
      } catch {
        // An observer is a reporting hook; its failure must not change what the runner does.
      }
    }
  };
  const keys: (keyof ProjectionObserver)[] = [
    'onLeaseAcquired', 'onLeaseLost', 'onBatchApplied', 'onRetry', 'onFailed', 'onResumed',
    'onRebuildStarted', 'onRebuildProgress', 'onRebuildSwapped', 'onError',
  ];
  return Object.fromEntries(keys.map((k) => [k, call(k)])) as ProjectionObserver;
};
