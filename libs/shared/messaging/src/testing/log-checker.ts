/**
 * A Jepsen-style checker for Kafka histories (after jepsen-io/jepsen jepsen/tests/kafka.clj, as
 * listed in RELIABILITY.md §2.3). A test records every acknowledged send and every consumed
 * record, then asks which anomalies the history shows:
 * - lost write: acknowledged, never consumed, although a higher offset of its partition was;
 * - unseen: acknowledged, never consumed, and nothing above it consumed (not polled yet, or lost);
 * - duplicate: one message id stored at more than one offset;
 * - inconsistent offsets: one offset holding different message ids;
 * - order violation: for one key, the log order (or the first-consumption order) disagrees with
 *   the send order;
 * - non-monotonic poll / poll skip: within one consumer session (no rebalance in between) a
 *   partition went backwards, or jumped over offsets known to hold messages.
 * Redeliveries (the same offset consumed again, e.g. after a restart) are at-least-once delivery,
 * not an anomaly; they are counted and can be forbidden.
 */

export interface AckedRecord {
  /** The message's own id (e.g. CloudEvents id), unique per logical message. */
  id: string;
  key: string | null;
  topic?: string;
  partition: number;
  offset: string | bigint;
}

export interface ConsumedRecord extends AckedRecord {
  /**
   * A consumer session: the same label for records polled without a rebalance in between (e.g.
   * `${consumerName}:${generation}`). Omitted: no within-session checks for the record.
   */
  session?: string;
}

export interface CheckLogOptions {
  /** Default false: the same message id at two offsets is an anomaly. */
  allowDuplicates?: boolean;
  /** Default true: consuming an offset twice (after a restart or rebalance) is fine. */
  allowRedelivery?: boolean;
  /** Default true: every acknowledged message must have been consumed. */
  requireAllSeen?: boolean;
}

export interface LogCheckResult {
  valid: boolean;
  lostWrites: AckedRecord[];
  unseen: AckedRecord[];
  duplicates: { id: string; placements: string[] }[];
  inconsistentOffsets: { placement: string; ids: string[] }[];
  orderViolations: { key: string; where: 'log' | 'consumed'; earlier: string; later: string; detail: string }[];
  nonMonotonicPolls: { session: string; partition: string; previous: string; offset: string }[];
  pollSkips: { session: string; partition: string; from: string; to: string; skipped: string[] }[];
  redeliveries: { placement: string; count: number }[];
  /** One line per anomaly kind with counts, for assertion messages. */
  summary: string;
}

const partitionOf = (r: AckedRecord) => `${r.topic ?? ''}/${r.partition}`;
const placementOf = (r: AckedRecord) => `${partitionOf(r)}@${BigInt(r.offset).toString()}`;

export const checkLog = (
  acked: readonly AckedRecord[],
  consumed: readonly ConsumedRecord[],
  options: CheckLogOptions = {},
): LogCheckResult => {
  const allowDuplicates = options.allowDuplicates ?? false;
  const allowRedelivery = options.allowRedelivery ?? true;
  const requireAllSeen = options.requireAllSeen ?? true;

  // Where each id lives and what each offset holds, from both sides of the history.
  const placementsById = new Map<string, Set<string>>();
  const idsByPlacement = new Map<string, Set<string>>();
  const knownOffsets = new Map<string, Set<bigint>>();
  const addTo = <K, V>(map: Map<K, Set<V>>, key: K, value: V) => {
    const set = map.get(key) ?? new Set<V>();
    set.add(value);
    map.set(key, set);
  };
  for (const r of [...acked, ...consumed]) {
    addTo(placementsById, r.id, placementOf(r));
    addTo(idsByPlacement, placementOf(r), r.id);
    addTo(knownOffsets, partitionOf(r), BigInt(r.offset));
  }

  const duplicates = [...placementsById]
    .filter(([, placements]) => placements.size > 1)
    .map(([id, placements]) => ({ id, placements: [...placements].sort() }));
  const inconsistentOffsets = [...idsByPlacement]
    .filter(([, ids]) => ids.size > 1)
    .map(([placement, ids]) => ({ placement, ids: [...ids].sort() }));

  // Lost vs unseen: was anything above the missing offset consumed in its partition?
  const consumedIds = new Set(consumed.map((r) => r.id));
  const highestConsumed = new Map<string, bigint>();
  for (const r of consumed) {
    const o = BigInt(r.offset);
    const p = partitionOf(r);
    const top = highestConsumed.get(p);
    if (top === undefined || top < o) highestConsumed.set(p, o);
  }
  const lostWrites: AckedRecord[] = [];
  const unseen: AckedRecord[] = [];
  for (const r of acked) {
    if (consumedIds.has(r.id)) continue;
    const top = highestConsumed.get(partitionOf(r));
    if (top !== undefined && top > BigInt(r.offset)) lostWrites.push(r);
    else unseen.push(r);
  }

  const orderViolations: LogCheckResult['orderViolations'] = [];
  // Log order per key must follow send order (the order of `acked`).
  const lastAckedByKey = new Map<string, AckedRecord>();
  for (const r of acked) {
    if (r.key === null) continue;
    const prev = lastAckedByKey.get(r.key);
    if (prev) {
      if (partitionOf(prev) !== partitionOf(r)) {
        orderViolations.push({ key: r.key, where: 'log', earlier: prev.id, later: r.id, detail: `key spans partitions ${partitionOf(prev)} and ${partitionOf(r)}` });
      } else if (BigInt(r.offset) <= BigInt(prev.offset)) {
        orderViolations.push({ key: r.key, where: 'log', earlier: prev.id, later: r.id, detail: `sent later but stored at ${placementOf(r)} ≤ ${placementOf(prev)}` });
      }
    }
    lastAckedByKey.set(r.key, r);
  }
  // First consumption per key must follow log order (redeliveries of older ones are skipped).
  const seen = new Set<string>();
  const lastFirstByKey = new Map<string, ConsumedRecord>();
  for (const r of consumed) {
    if (seen.has(r.id)) continue;
    seen.add(r.id);
    if (r.key === null) continue;
    const prev = lastFirstByKey.get(r.key);
    if (prev && partitionOf(prev) === partitionOf(r) && BigInt(r.offset) < BigInt(prev.offset)) {
      orderViolations.push({ key: r.key, where: 'consumed', earlier: prev.id, later: r.id, detail: `consumed ${placementOf(r)} after ${placementOf(prev)}` });
    }
    if (!prev || partitionOf(prev) !== partitionOf(r) || BigInt(r.offset) > BigInt(prev.offset)) lastFirstByKey.set(r.key, r);
  }

  // Within a session a partition advances one known offset at a time.
  const nonMonotonicPolls: LogCheckResult['nonMonotonicPolls'] = [];
  const pollSkips: LogCheckResult['pollSkips'] = [];
  const lastInSession = new Map<string, bigint>();
  for (const r of consumed) {
    if (r.session === undefined) continue;
    const partition = partitionOf(r);
    const slot = `${r.session}\u0000${partition}`;
    const offset = BigInt(r.offset);
    const previous = lastInSession.get(slot);
    lastInSession.set(slot, offset);
    if (previous === undefined) continue;
    if (offset <= previous) {
      nonMonotonicPolls.push({ session: r.session, partition, previous: previous.toString(), offset: offset.toString() });
      continue;
    }
    const skipped = [...(knownOffsets.get(partition) ?? [])].filter((o) => o > previous && o < offset).sort((a, b) => (a < b ? -1 : 1));
    if (skipped.length > 0) {
      pollSkips.push({ session: r.session, partition, from: previous.toString(), to: offset.toString(), skipped: skipped.map(String) });
    }
  }

  const consumedCount = new Map<string, number>();
  for (const r of consumed) consumedCount.set(placementOf(r), (consumedCount.get(placementOf(r)) ?? 0) + 1);
  const redeliveries = [...consumedCount].filter(([, n]) => n > 1).map(([placement, count]) => ({ placement, count }));

  const valid =
    lostWrites.length === 0 &&
    (!requireAllSeen || unseen.length === 0) &&
    (allowDuplicates || duplicates.length === 0) &&
    inconsistentOffsets.length === 0 &&
    orderViolations.length === 0 &&
    nonMonotonicPolls.length === 0 &&
    pollSkips.length === 0 &&
    (allowRedelivery || redeliveries.length === 0);

  const summary = [
    `acked=${acked.length} consumed=${consumed.length} valid=${valid}`,
    `lost-write=${lostWrites.length} unseen=${unseen.length} duplicate=${duplicates.length} inconsistent-offsets=${inconsistentOffsets.length}`,
    `order-violation=${orderViolations.length} int-nonmonotonic-poll=${nonMonotonicPolls.length} int-poll-skip=${pollSkips.length} redelivered-offsets=${redeliveries.length}`,
    ...lostWrites.slice(0, 5).map((r) => `  lost ${r.id} at ${placementOf(r)}`),
    ...unseen.slice(0, 5).map((r) => `  unseen ${r.id} at ${placementOf(r)}`),
    ...duplicates.slice(0, 5).map((d) => `  duplicate ${d.id} at ${d.placements.join(', ')}`),
    ...orderViolations.slice(0, 5).map((v) => `  order ${v.key} (${v.where}): ${v.detail}`),
  ].join('\n');

  return { valid, lostWrites, unseen, duplicates, inconsistentOffsets, orderViolations, nonMonotonicPolls, pollSkips, redeliveries, summary };
};
