import { defineIntegrationEvents, type ContextIntegrationEvents } from '../outbound/registry';

/**
 * Youth League (共青團) integration events: activities and campaigns as public notices, for
 * partner platforms (volunteer service platforms, foundations). Nothing about individual
 * volunteers: sign-ups, attendance and hours stay inside.
 */
export const YOUTH_LEAGUE_INTEGRATION_EVENTS: ContextIntegrationEvents = {
  context: 'youth-league',
  mappings: [
    ...defineIntegrationEvents('youth-league', 'activity', {
      ActivityPublished: { name: 'published', fields: ['activityId', 'organizerOrgUnitId', 'startsAt', 'endsAt', 'slots', 'publishedAt'] },
      ActivityEnrolmentClosed: { name: 'enrolment-closed', fields: ['activityId', 'at'], rename: { at: 'closedAt' } },
      ActivityEnded: { name: 'ended', fields: ['activityId', 'at'], rename: { at: 'endedAt' } },
      ActivityCancelled: { name: 'cancelled', fields: ['activityId', 'at'], rename: { at: 'cancelledAt' } },
    }),
    ...defineIntegrationEvents('youth-league', 'campaign', {
      CampaignLaunched: { name: 'launched', fields: ['campaignId', 'channels', 'at'], rename: { at: 'launchedAt' } },
      CampaignClosed: { name: 'closed', fields: ['campaignId', 'at'], rename: { at: 'closedAt' } },
    }),
  ],
};
