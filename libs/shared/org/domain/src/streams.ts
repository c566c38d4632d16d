import { streamIdFor } from '@gongzhi/kernel';

/** `org.org-unit-<id>` */
export const orgUnitStream = streamIdFor('org', 'org-unit');
/** `org.staff-<id>` */
export const staffStream = streamIdFor('org', 'staff');
