import { streamIdFor } from '@gongzhi/kernel';

/** `community.grid-<grid org unit id>`: the grid's public profile beside its org unit. */
export const gridStream = streamIdFor('community', 'grid');

/** `community.incident-<uuid>`: one grid case or hotline work order. */
export const incidentStream = streamIdFor('community', 'incident');
