/**
 * Global positions and the safe read bound: why a subscriber can never skip an event (ES-9).
 *
 * A position is one bigint:   ((writer's top-level xid8 + xid_offset) << 20) | index-in-transaction
 *
 * `xid_offset` is 0 unless the log was restored into another cluster (see below); the low 20 bits
 * number the rows of the one multi-row INSERT each append transaction makes, in batch order.
 * readAll returns rows in position order, which is (transaction id, index) order.
 *
 * Skip-freedom. An append transaction takes its per-stream advisory locks *before* it has a
 * transaction id: advisory locks need none, and append_group_v4 (sql.ts), the only writer of the
 * events table, assigns the id with pg_current_xact_id() after taking them. A reader runs one
 * statement whose snapshot S yields
 *   X = pg_snapshot_xip(S)         transactions in progress when S was taken,
 * and, read once and consistently from pg_locks after S was taken, which of X are still running
 * (every transaction holds an ExclusiveLock on its own id until it ends; pg_locks shows 32-bit
 * ids, matched against the low 32 bits of X, unambiguous within the running window) and which of
 * those hold one of this schema's append locks (two-key advisory locks whose first key is
 * appendLockClass(schema), sql.ts). The bound is
 *   B = min{ x in X : x is no longer running, or x holds an append lock },  else pg_snapshot_xmax(S).
 * The reader returns only rows with position < (B + offset) << 20. Every transaction with an id
 * below B either had ended when S was taken (so its rows are in S, final), or is still running
 * without an append lock, and since appenders lock before their id exists it never will write
 * events; transactions that get an id later get one >= xmax(S) >= B. So any row committed after
 * the read has a position above everything returned: a late commit stalls readers, it never makes
 * them skip. A transaction that ends between S and the pg_locks read must count as possibly
 * appending (its rows, if any, are not in S); when such a transaction sets B, the reader runs the
 * statement again with a new snapshot (at most three times) rather than lag a poll behind.
 * B >= pg_snapshot_xmin(S) always, so this never returns less than the plain
 * `xid < xmin` rule (Emmett's); it returns more, because an unrelated long transaction elsewhere
 * in the cluster, which holds xmin back, does not hold back this log. Only this log's own
 * appenders do (ES-11): a write transaction held open stalls readers until it ends.
 *
 * Per-stream order. Appends to one stream are serialised by its advisory lock, and each takes its
 * transaction id after acquiring the lock and commits before releasing it, so successive appends
 * to a stream get increasing ids: global order agrees with revision order.
 *
 * Rollbacks (ES-10). An aborted transaction leaves a gap in the position space; once it has ended
 * it no longer holds the bound back, and there is nothing of it to read. Gaps are normal: the
 * port only promises strictly increasing positions, not dense ones.
 *
 * Limits.
 * - 2^20 - 1 = 1,048,575 events per transaction; group commit caps a group well below that.
 * - 43 bits for xid8 + offset: 8.8e12 transactions, about 2,000 xid epochs.
 * - Every writer of the events table must take the append lock first, i.e. go through this
 *   adapter; a hand-written INSERT could be skipped by a reader that is running at that moment.
 * - Readers must run on the primary: pg_locks on a hot standby does not show the primary's locks.
 * - pg_upgrade and physical replicas keep xids, so positions survive them. A logical dump/restore
 *   into another cluster does not: the new cluster's xids are lower than the restored positions.
 *   `ensureSchema()` detects that (max stored position >= current xid) and raises `xid_offset`
 *   under an EXCLUSIVE table lock, so new positions sort after the restored ones.
 */
export const INDEX_BITS = 20;
export const MAX_EVENTS_PER_TRANSACTION = (1 << INDEX_BITS) - 1;
