/**
 * INTERNAL, for this library's own fault tests only; not exported from index.ts.
 *
 * `beforeCommit` runs inside an append transaction after its events are inserted and before
 * COMMIT, with the backend pid. Awaiting in it holds the transaction open (late-commit race,
 * ES-9/ES-11); throwing from it rolls the transaction back (ES-6, ES-10). With group commit the
 * hook sees the whole group, and its outcome applies to every append in it.
 */
export interface AppendTestHooks {
  beforeCommit?: (info: { streamIds: string[]; backendPid: number }) => Promise<void> | void;
  /** Called with the number of appends each group transaction carries (group commit tests). */
  onGroup?: (appends: number) => void;
}

export const TEST_HOOKS = Symbol('gongzhi.event-store-postgres.test-hooks');
