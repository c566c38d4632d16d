import { isStreamNotFoundError, type EventStore, type GlobalPosition, type VerifyResult } from '@gongzhi/event-store';
import { CliExit, type Io } from '../io';

/** Every stream id in the log, in order of first appearance (read in pages of `batch`). */
export const allStreamIds = async (store: EventStore, batch = 1000): Promise<string[]> => {
  const seen = new Set<string>();
  let from: GlobalPosition | undefined;
  for (;;) {
    const events = await store.readAll({ fromPosition: from, maxCount: batch });
    for (const e of events) seen.add(e.streamId);
    if (events.length < batch) return [...seen];
    from = events[events.length - 1].position;
  }
};

/** Re-computes hash chains; exits 1 when any stream is broken (for cron jobs and CI). */
export const verifyCommand = async (
  store: EventStore,
  target: { streamId?: string; all?: boolean },
  io: Io,
): Promise<void> => {
  if (!target.all && !target.streamId) throw new CliExit(2, 'verify needs a stream id or --all');
  const ids = target.all ? await allStreamIds(store) : [target.streamId as string];
  const broken: VerifyResult[] = [];
  let events = 0;
  for (const id of ids) {
    let result: VerifyResult;
    try {
      result = await store.verifyStream(id);
    } catch (e) {
      if (isStreamNotFoundError(e)) throw new CliExit(1, `No stream ${id}`);
      throw e;
    }
    events += result.eventsChecked;
    if (!result.valid) {
      broken.push(result);
      const f = result.firstInvalid;
      io.out(`BROKEN ${id}: ${f ? `revision ${f.revision} (event ${f.eventId}): ${f.reason}` : 'invalid'}`);
    }
  }
  if (!target.all && ids.length === 1 && events === 0) throw new CliExit(1, `No stream ${ids[0]}`);
  io.out(`${ids.length} stream(s), ${events} event(s) checked: ${broken.length === 0 ? 'hash chains intact' : `${broken.length} broken`}`);
  if (broken.length > 0) throw new CliExit(1);
};
