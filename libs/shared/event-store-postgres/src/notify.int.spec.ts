import type { RecordedEvent } from '@gongzhi/event-store';
import { describeWithPostgres, eventually, newEvent, testSchema } from '../test/support';

// Another process's subscriber is woken by NOTIFY, which the appender sends at most once per few
// milliseconds under load. The subscriber here polls only once a minute, so it can only see an
// append in time through NOTIFY: an append that came too soon after the last NOTIFY must still be
// announced by a later one.
describeWithPostgres()('PostgreSQL: cross-process wake-up (LISTEN/NOTIFY)', () => {
  const db = testSchema('es_notify');
  afterAll(() => db.dispose());

  it('wakes a subscriber of another store instance for an append that follows the previous NOTIFY closely', async () => {
    const writer = await db.open();
    const reader = await db.open({ pollIntervalMs: 60_000 });
    const seen: RecordedEvent[] = [];
    const waiting = new Map<string, () => void>();
    const subscription = reader.subscribeToAll();
    const consuming = (async () => {
      for await (const batch of subscription.batches()) {
        seen.push(...batch);
        for (const e of batch) waiting.get(e.id)?.();
      }
    })();
    // Resolves as soon as the reader delivers the event (no polling delay of our own).
    const delivered = (id: string, what: string) =>
      new Promise<void>((resolve, reject) => {
        if (seen.some((e) => e.id === id)) return resolve();
        const timer = setTimeout(() => reject(new Error(`Timed out waiting for: ${what}`)), 20_000);
        waiting.set(id, () => {
          clearTimeout(timer);
          resolve();
        });
      });
    // The reader's LISTEN connection starts in the background; an append before it is listening
    // would only be seen at the next poll, so begin once it reads an event announced after it.
    await writer.appendToStream('notify-warmup', [newEvent()]);
    await eventually(async () => {
      if (seen.length > 0) return true;
      await writer.appendToStream('notify-warmup', [newEvent()]);
      return false;
    }, 'the reader listening', 20_000);

    // Each round: an append, seen by the reader (woken by its NOTIFY), then at once a second
    // append, which falls within the minimum spacing of NOTIFYs: only the trailing NOTIFY, sent
    // when the spacing has passed, can announce it.
    for (let round = 0; round < 10; round++) {
      const first = newEvent({ round, n: 1 });
      const second = newEvent({ round, n: 2 });
      const firstSeen = delivered(first.id, `round ${round}: the first append delivered`);
      await writer.appendToStream(`notify-${round}`, [first]);
      await firstSeen;
      const secondSeen = delivered(second.id, `round ${round}: the second append delivered`);
      await writer.appendToStream(`notify-${round}`, [second]);
      await secondSeen;
    }
    expect(new Set(seen.map((e) => e.id)).size).toBe(seen.length);

    await subscription.unsubscribe();
    await consuming;
  });
});
