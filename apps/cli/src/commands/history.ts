import { isStreamNotFoundError } from '@gongzhi/event-store';
import { CliExit, table, type Io } from '../io';
import type { CliContext } from '../context';
import { actorOf, checkChain, metaString } from '@gongzhi/platform-core';

/** The audit trail of one stream, as `history(streamId)` shows it over GraphQL (no scope: operators only). */
export const historyCommand = async (ctx: CliContext, streamId: string, o: { json?: boolean }, io: Io): Promise<void> => {
  let events;
  try {
    events = await ctx.store.readStream(streamId);
  } catch (e) {
    if (isStreamNotFoundError(e)) throw new CliExit(1, `No stream ${streamId}`);
    throw e;
  }
  const rows = checkChain(events).map(({ event, chainValid }) => ({
    revision: event.revision,
    position: event.position.toString(),
    type: event.type,
    occurredAt: metaString(event, 'occurredAt'),
    actor: actorOf(event)?.userId ?? null,
    chainValid,
    ...(o.json ? { data: event.data, metadata: event.metadata } : {}),
  }));
  io.out(o.json ? JSON.stringify(rows, null, 2) : table(rows));
  if (rows.some((r) => !r.chainValid)) throw new CliExit(1, `Stream ${streamId}: hash chain broken`);
};
