import { computeEventHash, type RecordedEvent } from '@gongzhi/event-store';

export interface CheckedEvent {
  event: RecordedEvent;
  /** This event's link to its predecessor and its own hash both check out. */
  chainValid: boolean;
}

/**
 * Checks each event on its own, so a tampered event is pinpointed: the altered one fails its
 * hash; an event whose stored hash was recomputed to hide the change breaks its successor's link.
 */
export const checkChain = (events: RecordedEvent[]): CheckedEvent[] => {
  let prevHash: string | null = null;
  return events.map((event) => {
    const linked = event.prevHash === prevHash;
    const hashed = computeEventHash(event, event.prevHash) === event.hash;
    prevHash = event.hash;
    return { event, chainValid: linked && hashed };
  });
};

const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);

export const actorOf = (event: RecordedEvent): { userId: string; orgUnitId: string | null } | null => {
  const actor = event.metadata?.actor as { userId?: unknown; orgUnitId?: unknown } | undefined;
  const userId = str(actor?.userId);
  return userId ? { userId, orgUnitId: str(actor?.orgUnitId) } : null;
};

/**
 * The scope a stream is read under: the orgUnitPath of its latest event, so a moved or
 * transferred aggregate is visible where it is now, not where it started.
 */
export const streamOrgUnitPath = (events: RecordedEvent[]): string | undefined => {
  for (let i = events.length - 1; i >= 0; i--) {
    const p = str(events[i].metadata?.orgUnitPath);
    if (p) return p;
  }
  return undefined;
};

export const metaString = (event: RecordedEvent, key: string): string | null => str(event.metadata?.[key]);
