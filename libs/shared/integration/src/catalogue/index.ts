import type { ContextIntegrationEvents } from '../outbound/registry';
import { COMMUNITY_INTEGRATION_EVENTS } from './community';
import { PRIVACY_INTEGRATION_EVENTS } from './privacy';
import { UNION_INTEGRATION_EVENTS } from './union';
import { YOUTH_LEAGUE_INTEGRATION_EVENTS } from './youth-league';

export { COMMUNITY_INTEGRATION_EVENTS, PRIVACY_INTEGRATION_EVENTS, UNION_INTEGRATION_EVENTS, YOUTH_LEAGUE_INTEGRATION_EVENTS };

/**
 * The published language: every integration event Gongzhi emits, by context. A composition root
 * registers the contexts it runs (`new IntegrationEventRegistry(INTEGRATION_CATALOGUE)`), or a
 * subset; a context may also contribute its own `ContextIntegrationEvents`.
 */
export const INTEGRATION_CATALOGUE: readonly ContextIntegrationEvents[] = [
  COMMUNITY_INTEGRATION_EVENTS,
  UNION_INTEGRATION_EVENTS,
  YOUTH_LEAGUE_INTEGRATION_EVENTS,
  PRIVACY_INTEGRATION_EVENTS,
];
