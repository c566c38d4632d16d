// An InboundWorkOrderHandler over the real command path (CommandProcessor, a real event store),
// standing in for the community context's command in this library's tests: durable before it
// resolves, idempotent by command id, and refusing orders for an unknown community with a
// DomainError, as the real one does.
import { v5 as uuidv5 } from 'uuid';
import { CommandProcessor } from '@gongzhi/eventsourcing';
import type { EventStore } from '@gongzhi/event-store';
import { DomainError, streamIdFor, type Command, type Decider, type Event } from '@gongzhi/kernel';
import type { InboundWorkOrderContext, InboundWorkOrderHandler, InboundWorkOrderResult } from '../inbound/inbound-consumer';
import type { InboundWorkOrder } from '../inbound/work-order-message';

export const testIncidentStream = streamIdFor('testcommunity', 'incident');
const NAMESPACE = 'f5b1a4de-52c1-4a4c-8d0b-6f9d6d0b8e21';

type Received = Event<'TestWorkOrderReceived', { incidentId: string; ticketNumber: string; communityCode: string }>;
type Receive = Command<'ReceiveTestWorkOrder', { incidentId: string; ticketNumber: string; communityCode: string }>;

class UnknownCommunity extends DomainError {
  readonly code = 'COMMUNITY.COMMUNITY_NOT_FOUND';
}

const decider: Decider<{ received: boolean }, Receive, Received> = {
  initialState: { received: false },
  decide: (command, state) => (state.received ? [] : [{ type: 'TestWorkOrderReceived', data: command.data }]),
  evolve: () => ({ received: true }),
};

export class EventSourcedTestHandler implements InboundWorkOrderHandler {
  private readonly processor: CommandProcessor;
  /** Runs inside `handle` after the command is durable and before it returns (K-4). */
  afterCommand?: (order: InboundWorkOrder) => Promise<void>;
  /** Runs inside `handle` before the command (K-5). */
  beforeCommand?: (order: InboundWorkOrder) => Promise<void>;

  constructor(
    readonly store: EventStore,
    private readonly knownCommunities: readonly string[] = ['test-community'],
  ) {
    this.processor = new CommandProcessor(store);
  }

  /** The incident id a ticket gets: derived, so a resent ticket is the same incident. */
  static incidentIdOf(order: Pick<InboundWorkOrder, 'source' | 'ticketNumber'>): string {
    return uuidv5(`${order.source}|${order.ticketNumber}`, NAMESPACE);
  }

  async handle(order: InboundWorkOrder, context: InboundWorkOrderContext): Promise<InboundWorkOrderResult> {
    await this.beforeCommand?.(order);
    const communityCode = order.communityCode ?? '';
    if (!this.knownCommunities.includes(communityCode)) throw new UnknownCommunity(`No community ${communityCode}`);
    const incidentId = EventSourcedTestHandler.incidentIdOf(order);
    const result = await this.processor.handle(
      decider,
      testIncidentStream(incidentId),
      { type: 'ReceiveTestWorkOrder', data: { incidentId, ticketNumber: order.ticketNumber, communityCode } },
      {
        actor: { userId: 'system:kafka-bridge', roles: ['system'], orgUnitPath: 'root' },
        correlationId: context.correlationId,
        commandId: context.commandId,
        causationId: context.commandId,
      },
      { aggregateId: incidentId },
    );
    await this.afterCommand?.(order);
    return { incidentId, idempotentReplay: result.idempotentReplay };
  }
}
