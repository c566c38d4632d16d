// Test support for the Kafka integration: a work-order message builder and an in-memory
// InboundWorkOrderHandler with the idempotency of the real command.
export { workOrderMessage, type WorkOrderMessageInput } from './testing/work-order-fixtures';
export { RecordingWorkOrderHandler } from './testing/recording-handler';
