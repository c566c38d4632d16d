import { defineIntegrationEvents, type ContextIntegrationEvents } from '../outbound/registry';

/**
 * Erasures (PIPL Art 47): downstream systems holding copies keyed by the subject id erase them
 * too. The subject id is an opaque UUID; the legal basis and the requesting admin stay inside.
 */
export const PRIVACY_INTEGRATION_EVENTS: ContextIntegrationEvents = {
  context: 'privacy',
  mappings: defineIntegrationEvents('privacy', 'subject', {
    SubjectErased: { name: 'erased', fields: ['subjectId'], extra: (_data, event) => ({ erasedAt: String(event.metadata.occurredAt ?? event.recordedAt.toISOString()) }) },
  }),
};
