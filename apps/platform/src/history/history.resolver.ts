import { Inject } from '@nestjs/common';
import { Args, Query, Resolver } from '@nestjs/graphql';
import { EVENT_STORE, isStreamNotFoundError, type EventStore, type RecordedEvent } from '@gongzhi/event-store';
import { authorize, CurrentUser, Permission, type Principal } from '@gongzhi/auth';
import { BadUserInputError, NotFoundError, PageArgs, paginateArray } from '@gongzhi/graphql';
import { HistoryConnection, HistoryEvent } from './history.types';
import { actorOf, checkChain, metaString, streamOrgUnitPath } from '@gongzhi/platform-core';

const toHistoryEvent = (event: RecordedEvent, chainValid: boolean): HistoryEvent => ({
  id: event.id,
  type: event.type,
  revision: event.revision,
  position: event.position.toString(),
  occurredAt: metaString(event, 'occurredAt'),
  recordedAt: event.recordedAt,
  actor: actorOf(event),
  commandId: metaString(event, 'commandId'),
  correlationId: metaString(event, 'correlationId'),
  chainValid,
});

@Resolver()
export class HistoryResolver {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Query(() => HistoryConnection, {
    description:
      "The audit trail of one aggregate's stream (e.g. org.org-unit-…), oldest first, with a hash-chain check per event. " +
      'A stream outside your org scope answers NOT_FOUND, like a missing one.',
  })
  async history(
    @CurrentUser() principal: Principal,
    @Args('streamId') streamId: string,
    @Args() page: PageArgs,
  ): Promise<HistoryConnection> {
    if (streamId.length === 0 || streamId.length > 512 || streamId.startsWith('$')) {
      throw new BadUserInputError('streamId must be a stream id such as org.org-unit-<uuid>');
    }
    let events: RecordedEvent[];
    try {
      events = await this.store.readStream(streamId);
    } catch (e) {
      if (isStreamNotFoundError(e)) throw new NotFoundError('Stream', streamId);
      throw e;
    }
    authorize(principal, Permission.Read, { orgUnitPath: streamOrgUnitPath(events), what: 'Stream', id: streamId });
    const checked = checkChain(events);
    const connection = paginateArray(
      checked.map((c) => toHistoryEvent(c.event, c.chainValid)),
      page,
      (e) => e.revision,
    );
    return {
      ...connection,
      streamId,
      chainValid: checked.every((c) => c.chainValid),
      totalCount: events.length,
    };
  }
}
