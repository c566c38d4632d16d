import { streamIdFor } from '@gongzhi/kernel';

/** `union.labor-dispute-<id>` */
export const laborDisputeStream = streamIdFor('union', 'labor-dispute');
