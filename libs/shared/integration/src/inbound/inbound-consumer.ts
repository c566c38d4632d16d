import { isDomainError } from '@gongzhi/kernel';
import { isTransientDatabaseError } from '@gongzhi/projections';
import {
  DEFAULT_RETRY_POLICY,
  isRetriableError,
  type ConsumedMessage,
  type ConsumerEvent,
  type MessageConsumer,
  type MessageContext,
  type RetryPolicy,
  type RunningConsumer,
} from '@gongzhi/messaging';
import { INBOUND_DLQ_TOPIC, INBOUND_WORK_ORDERS_TOPIC } from '../topics';
import { parseWorkOrderMessage, type InboundWorkOrder } from './work-order-message';

/** Where a work order came from and under which ids its command runs. */
export interface InboundWorkOrderContext {
  /** The message's CloudEvents id: pass it as the command id (idempotency). */
  commandId: string;
  /** Correlates the command's events with the message (the message id). */
  correlationId: string;
  topic: string;
  partition: number;
  offset: string;
  /** 1 on first delivery to the handler, more on retries. */
  attempt: number;
}

export interface InboundWorkOrderResult {
  /** The incident the order became (or already was). */
  incidentId: string;
  /** True when this command id had already been processed: nothing was appended. */
  idempotentReplay: boolean;
}

/**
 * The port the app binds to the community context's hotline work-order command (through the
 * CommandBus). It must resolve only once the command's events are durable, and be idempotent by
 * `context.commandId`: a redelivered message then changes nothing.
 * Reject with a DomainError (or any error with `retriable: false`) for an order the domain
 * refuses (unknown community, closed grid): it is dead-lettered. Any error with
 * `retriable: true` (database down, a lost race) is retried with backoff for as long as it
 * takes, and the offset stays uncommitted meanwhile.
 */
export interface InboundWorkOrderHandler {
  handle(order: InboundWorkOrder, context: InboundWorkOrderContext): Promise<InboundWorkOrderResult>;
}

export const INBOUND_WORK_ORDER_HANDLER = Symbol('INBOUND_WORK_ORDER_HANDLER');

/** The domain refused the order: dead-lettered with the rule's own code. */
export class WorkOrderRejectedError extends Error {
  readonly retriable = false;
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'WorkOrderRejectedError';
  }
}

/** The infrastructure failed, not the message: retried until it passes. */
export class TransientInboundError extends Error {
  readonly code = 'INTEGRATION.TRANSIENT';
  readonly retriable = true;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TransientInboundError';
  }
}

export type InboundEvent =
  | { type: 'processed'; messageId: string; incidentId: string; idempotentReplay: boolean; topic: string; partition: number; offset: string }
  | ConsumerEvent;

export interface InboundWorkOrderConsumerOptions {
  consumer: MessageConsumer;
  handler: InboundWorkOrderHandler;
  topic?: string;
  deadLetterTopic?: string;
  /** Default 'gongzhi-inbound-work-orders': every bridge instance shares the partitions. */
  groupId?: string;
  /** Unknown errors (neither retriable nor a rule): retried this often, then dead-lettered. */
  retry?: RetryPolicy;
  partitionsConsumedConcurrently?: number;
  onEvent?: (event: InboundEvent) => void;
}

export const DEFAULT_INBOUND_GROUP = 'gongzhi-inbound-work-orders';

/**
 * Classifies what the handler threw for the consume policy: rules and invalid input are final
 * (dead letter now), infrastructure is retried without limit, anything else a few times.
 */
export const classifyInboundError = (error: unknown): unknown => {
  if (isDomainError(error)) return new WorkOrderRejectedError(error.code, error.message, { cause: error });
  if (isRetriableError(error)) return error;
  if (isTransientDatabaseError(error)) return new TransientInboundError(`Database unavailable: ${(error as Error)?.message ?? String(error)}`, { cause: error });
  return error;
};

/**
 * The inbound side: a consumer group on `gongzhi.inbound.work-orders.v1`. Each message is parsed
 * and validated, then handed to the InboundWorkOrderHandler with the message id as command id;
 * the offset is committed only after the handler resolved (the command is durable) or the
 * message was dead-lettered to `gongzhi.inbound.dlq.v1` (with `dlq-*` headers: original topic,
 * partition, offset, error code and message). Consumption goes on after a dead letter. A crash
 * anywhere before the commit redelivers the message, and the idempotent command makes the
 * second delivery a no-op (RELIABILITY.md K-4, K-5, K-9).
 */
export class InboundWorkOrderConsumer {
  readonly topic: string;
  readonly deadLetterTopic: string;
  readonly groupId: string;
  private running?: RunningConsumer;

  constructor(private readonly options: InboundWorkOrderConsumerOptions) {
    this.topic = options.topic ?? INBOUND_WORK_ORDERS_TOPIC;
    this.deadLetterTopic = options.deadLetterTopic ?? INBOUND_DLQ_TOPIC;
    this.groupId = options.groupId ?? DEFAULT_INBOUND_GROUP;
  }

  /** Joins the group; resolves once the member has joined. */
  async start(): Promise<RunningConsumer> {
    if (this.running) return this.running;
    this.running = await this.options.consumer.run({
      topic: this.topic,
      groupId: this.groupId,
      fromBeginning: true,
      deadLetterTopic: this.deadLetterTopic,
      retry: { ...DEFAULT_RETRY_POLICY, ...this.options.retry, retriableForever: true },
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently,
      onEvent: (event) => this.emit(event),
      handler: (message, ctx) => this.handle(message, ctx),
    });
    return this.running;
  }

  /** Leaves the group; an order in progress is not committed and will be delivered again. */
  async stop(): Promise<void> {
    const running = this.running;
    this.running = undefined;
    await running?.stop();
  }

  get done(): Promise<void> {
    return this.running?.done ?? Promise.resolve();
  }

  private emit(event: InboundEvent) {
    try {
      this.options.onEvent?.(event);
    } catch {
      // An observer must not change delivery.
    }
  }

  private async handle(message: ConsumedMessage, ctx: MessageContext): Promise<void> {
    const order = parseWorkOrderMessage(message.value);
    let result: InboundWorkOrderResult;
    try {
      result = await this.options.handler.handle(order, {
        commandId: order.messageId,
        correlationId: order.messageId,
        topic: message.topic,
        partition: message.partition,
        offset: message.offset,
        attempt: ctx.attempt,
      });
    } catch (error) {
      throw classifyInboundError(error);
    }
    this.emit({
      type: 'processed',
      messageId: order.messageId,
      incidentId: result.incidentId,
      idempotentReplay: result.idempotentReplay,
      topic: message.topic,
      partition: message.partition,
      offset: message.offset,
    });
  }
}
