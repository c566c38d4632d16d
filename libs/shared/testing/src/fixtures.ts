import type { RequestContext } from '@gongzhi/eventsourcing';
import type { CommandMetadata, EventMetadata } from '@gongzhi/kernel';

/** Fixed instants, so a test's expected events can spell out every timestamp. */
export const TEST_NOW = '2024-03-01T08:00:00.000Z';
export const TEST_ORG_UNIT_PATH = 'cn.32.3205.320509.songling';
export const TEST_USER_ID = 'test-staff-1';
export const TEST_ORG_UNIT_ID = 'ou-test-songling';

/** A request context for a staff member of one org unit; override any part. */
export const aRequestContext = (
  overrides: Partial<Omit<RequestContext, 'actor'>> & { actor?: Partial<RequestContext['actor']> } = {},
): RequestContext => {
  const { actor, ...rest } = overrides;
  return {
    correlationId: 'test-correlation-1',
    ...rest,
    actor: {
      userId: TEST_USER_ID,
      roles: ['staff'],
      orgUnitId: TEST_ORG_UNIT_ID,
      orgUnitPath: TEST_ORG_UNIT_PATH,
      ...actor,
    },
  };
};

/** Command metadata as the processor would build it, at TEST_NOW unless overridden. */
export const aCommandMetadata = (overrides: Partial<CommandMetadata> = {}): CommandMetadata => ({
  now: TEST_NOW,
  commandId: 'test-command-1',
  actor: { userId: TEST_USER_ID, orgUnitId: TEST_ORG_UNIT_ID, roles: ['staff'] },
  orgUnitPath: TEST_ORG_UNIT_PATH,
  ...overrides,
});

/** Event metadata as the processor would stamp it, at TEST_NOW unless overridden. */
export const anEventMetadata = (overrides: Partial<EventMetadata> = {}): EventMetadata => ({
  commandId: 'test-command-0',
  correlationId: 'test-correlation-0',
  causationId: 'test-command-0',
  actor: { userId: TEST_USER_ID, orgUnitId: TEST_ORG_UNIT_ID },
  orgUnitPath: TEST_ORG_UNIT_PATH,
  occurredAt: TEST_NOW,
  schemaVersion: 1,
  ...overrides,
});
