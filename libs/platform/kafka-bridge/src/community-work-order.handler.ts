import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { systemPrincipal } from '@gongzhi/auth';
import { ReceiveHotlineWorkOrderCommand } from '@gongzhi/community';
import type { CommandResult } from '@gongzhi/eventsourcing';
import type { InboundWorkOrder, InboundWorkOrderContext, InboundWorkOrderHandler, InboundWorkOrderResult } from '@gongzhi/integration';

/** The actor of commands that arrive through Kafka (the hotline centre's system, not a person). */
export const KAFKA_BRIDGE_ACTOR = 'system:kafka-bridge';

/**
 * Binds the inbound port to the community context: a validated work order becomes the
 * ReceiveHotlineWorkOrder command on the CommandBus, with the message id as command id (a
 * redelivery returns the original result and appends nothing) and as correlation and causation
 * id (the incident's events point back at the message). The command resolves once its events
 * are appended, so the consumer commits the offset only after that. Domain refusals (an unknown
 * grid or community) come back as DomainErrors and are dead-lettered by the consumer.
 */
@Injectable()
export class CommunityWorkOrderHandler implements InboundWorkOrderHandler {
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
        systemPrincipal(KAFKA_BRIDGE_ACTOR),
        { correlationId: context.correlationId, commandId: context.commandId, causationId: context.commandId },
      ),
    );
    return { incidentId: result.aggregateId, idempotentReplay: result.idempotentReplay };
  }
}
