import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { systemPrincipal } from '@gongzhi/auth';
import type { CommandResult } from '@gongzhi/eventsourcing';
import type { InboundWorkOrder, InboundWorkOrderContext, InboundWorkOrderHandler, InboundWorkOrderResult } from '@gongzhi/integration';
import { ReceiveHotlineWorkOrderCommand } from './commands';

/** The principal inbound 12345 orders act as: a trusted system caller over the whole tree. */
export const HOTLINE_INBOUND_USER = 'hotline-12345';

/**
 * The Kafka inbound consumer's handler for 12345 work orders: the message id is the command id
 * (a redelivery replays), the ticket number the stream (a resend under a new message id changes
 * nothing). Domain refusals (no such community, a bad field) propagate as DomainErrors, which
 * the consumer dead-letters; anything else is retried there.
 */
@Injectable()
export class HotlineWorkOrderInboundHandler implements InboundWorkOrderHandler {
  constructor(private readonly commandBus: CommandBus) {}

  async handle(order: InboundWorkOrder, context: InboundWorkOrderContext): Promise<InboundWorkOrderResult> {
    const result = await this.commandBus.execute<ReceiveHotlineWorkOrderCommand, CommandResult>(
      new ReceiveHotlineWorkOrderCommand(
        {
          ticketNumber: order.ticketNumber,
          category: order.category,
          matterType: order.matterType,
          description: order.description,
          location: order.location,
          unitCode: order.gridCode ?? order.communityCode ?? '',
          callerRef: order.callerRef,
          caller: order.caller,
          timeLimitWorkingDays: order.timeLimitWorkingDays,
          dispatchedAt: order.dispatchedAt,
        },
        systemPrincipal(HOTLINE_INBOUND_USER),
        { correlationId: context.correlationId, commandId: context.commandId, causationId: order.messageId },
      ),
    );
    // Nothing appended: this message, or another copy of the same ticket, was processed before.
    return { incidentId: result.aggregateId, idempotentReplay: result.idempotentReplay || result.events.length === 0 };
  }
}
