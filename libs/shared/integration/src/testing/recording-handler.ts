import { v5 as uuidv5 } from 'uuid';
import type { InboundWorkOrderContext, InboundWorkOrderHandler, InboundWorkOrderResult } from '../inbound/inbound-consumer';
import type { InboundWorkOrder } from '../inbound/work-order-message';

const NAMESPACE = '6c0f6a4e-2f7e-4d0e-9a57-2b0b8f1f4d11';

/**
 * An in-memory InboundWorkOrderHandler for unit tests, idempotent by command id like the real
 * command: `applied` holds each command once, `calls` every call (redeliveries included).
 * `failWith(ticket, error)` makes orders with that ticket number fail with `error`.
 */
export class RecordingWorkOrderHandler implements InboundWorkOrderHandler {
  readonly applied = new Map<string, { order: InboundWorkOrder; incidentId: string }>();
  readonly calls: { order: InboundWorkOrder; context: InboundWorkOrderContext }[] = [];
  private readonly failures = new Map<string, (attempt: number) => unknown>();

  failWith(ticketNumber: string, error: unknown | ((attempt: number) => unknown)): this {
    this.failures.set(ticketNumber, typeof error === 'function' ? (error as (attempt: number) => unknown) : () => error);
    return this;
  }

  async handle(order: InboundWorkOrder, context: InboundWorkOrderContext): Promise<InboundWorkOrderResult> {
    this.calls.push({ order, context });
    const failure = this.failures.get(order.ticketNumber)?.(context.attempt);
    if (failure !== undefined) throw failure;
    const existing = this.applied.get(context.commandId);
    if (existing) return { incidentId: existing.incidentId, idempotentReplay: true };
    const incidentId = uuidv5(context.commandId, NAMESPACE);
    this.applied.set(context.commandId, { order, incidentId });
    return { incidentId, idempotentReplay: false };
  }
}
