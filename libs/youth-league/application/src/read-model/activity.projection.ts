import type { RecordedEvent } from '@gongzhi/event-store';
import { defineProjection, type Projection, type ProjectionContext } from '@gongzhi/projections';
import { ACTIVITY_EVENT_TYPES, HOLDS_A_PLACE, type ActivityEvent, type ParticipationStatus } from '@gongzhi/youth-league-domain';
import type { EntityManager } from 'typeorm';
import { ActivityRow, CorrectionRequestRow, HourEntryRow, ParticipationRow } from './league.entities';
import { dataOf, occurredAt, ORG_UNIT_MOVED, rewriteMovedPaths } from './projection-support';

export const ACTIVITY_PROJECTION_NAME = 'league-activities';

type Data<T extends ActivityEvent['type']> = Extract<ActivityEvent, { type: T }>['data'];

const STATUS_BY_EVENT: Partial<Record<ActivityEvent['type'], ParticipationStatus>> = {
  VolunteerInvited: 'Invited',
  InvitationDeclined: 'Declined',
  VolunteerSignedUp: 'SignedUp',
  SignUpWithdrawn: 'Withdrawn',
  SignUpConfirmed: 'Confirmed',
  VolunteerCheckedIn: 'CheckedIn',
  VolunteerCheckedOut: 'CheckedOut',
  VolunteerNoShow: 'NoShow',
};

const holds = (status: string | undefined): boolean => status !== undefined && (HOLDS_A_PLACE as readonly string[]).includes(status);

/**
 * Activities, each volunteer's participation, the hour entries (records and corrections, each a
 * row of its own) and correction requests. All rows belong to the organizer's subtree.
 */
export const activityProjection = (): Projection =>
  defineProjection({
    name: ACTIVITY_PROJECTION_NAME,
    version: 1,
    handles: [...ACTIVITY_EVENT_TYPES, ORG_UNIT_MOVED],
    entities: [ActivityRow, ParticipationRow, HourEntryRow, CorrectionRequestRow],
    async apply(events: RecordedEvent[], em: EntityManager, ctx: ProjectionContext) {
      for (const e of events) await applyOne(e, em, ctx);
    },
  });

const applyOne = async (e: RecordedEvent, em: EntityManager, ctx: ProjectionContext): Promise<void> => {
  const activities = ctx.repository(ActivityRow);
  const participations = ctx.repository(ParticipationRow);
  const at = occurredAt(e);
  if (e.type === ORG_UNIT_MOVED) {
    await rewriteMovedPaths(em, ctx, e, [
      { entity: ActivityRow, columns: ['owning_org_path'] },
      { entity: ParticipationRow, columns: ['owning_org_path'] },
      { entity: HourEntryRow, columns: ['owning_org_path'] },
      { entity: CorrectionRequestRow, columns: ['owning_org_path'] },
    ]);
    return;
  }
  const type = e.type as ActivityEvent['type'];
  const activityId = dataOf<{ activityId: string }>(e).activityId;
  if (type === 'ActivityPublished') {
    const d = dataOf<Data<'ActivityPublished'>>(e);
    await activities.save({
      id: d.activityId,
      organizerOrgUnitId: d.organizerOrgUnitId,
      owningOrgPath: d.organizerPath,
      title: d.title,
      content: d.content,
      place: d.place,
      startsAt: d.startsAt,
      endsAt: d.endsAt,
      slots: d.slots,
      placesTaken: 0,
      requiredSkills: JSON.stringify(d.requiredSkills),
      risks: JSON.stringify(d.risks),
      safetyMeasures: d.safetyMeasures,
      status: 'Recruiting',
      publishedAt: at,
      updatedAt: at,
      revision: e.revision,
    });
    return;
  }
  const activity = await activities.findOneBy({ id: activityId });
  if (!activity) throw new Error(`${e.type} for an activity never published: ${activityId}`);
  const touch = { updatedAt: at, revision: e.revision };
  const activityStatus: Partial<Record<ActivityEvent['type'], string>> = {
    ActivityEnrolmentClosed: 'EnrolmentClosed',
    ActivityEnded: 'Ended',
    ActivityCancelled: 'Cancelled',
  };
  if (activityStatus[type]) {
    await activities.update({ id: activityId }, { status: activityStatus[type], ...touch });
    return;
  }

  const volunteerId = dataOf<{ volunteerId: string }>(e).volunteerId;
  const key = `${activityId}/${volunteerId}`;
  const current = await participations.findOneBy({ id: key });
  const base: ParticipationRow = current ?? {
    id: key,
    activityId,
    volunteerId,
    owningOrgPath: activity.owningOrgPath,
    status: 'Invited',
    via: null,
    checkedInAt: null,
    checkedOutAt: null,
    minutes: 0,
    pendingRequestId: null,
    updatedAt: at,
  };
  const next: ParticipationRow = { ...base, updatedAt: at };
  const status = STATUS_BY_EVENT[type];
  if (status) next.status = status;
  switch (type) {
    case 'VolunteerSignedUp':
      next.via = dataOf<Data<'VolunteerSignedUp'>>(e).via;
      break;
    case 'VolunteerCheckedIn':
      next.checkedInAt = dataOf<Data<'VolunteerCheckedIn'>>(e).at;
      break;
    case 'VolunteerCheckedOut':
      next.checkedOutAt = dataOf<Data<'VolunteerCheckedOut'>>(e).at;
      break;
    case 'ServiceHoursRecorded': {
      const d = dataOf<Data<'ServiceHoursRecorded'>>(e);
      next.status = 'Completed';
      next.minutes = d.minutes;
      await ctx.repository(HourEntryRow).save({
        id: e.id, volunteerId, activityId, recordId: d.recordId, kind: 'record', minutes: d.minutes,
        organizerOrgUnitId: d.organizerOrgUnitId, owningOrgPath: activity.owningOrgPath, serviceDate: d.serviceDate, requestId: null, occurredAt: at,
      });
      break;
    }
    case 'HoursCorrectionRequested': {
      const d = dataOf<Data<'HoursCorrectionRequested'>>(e);
      next.pendingRequestId = d.requestId;
      await ctx.repository(CorrectionRequestRow).save({
        id: d.requestId, activityId, volunteerId, owningOrgPath: activity.owningOrgPath, currentMinutes: d.currentMinutes,
        requestedMinutes: d.requestedMinutes, reason: d.reason, status: 'pending', correctedMinutes: null, resolutionNote: null,
        requestedAt: at, resolvedAt: null,
      });
      break;
    }
    case 'HoursCorrected': {
      const d = dataOf<Data<'HoursCorrected'>>(e);
      next.status = 'Completed';
      next.minutes = d.correctedMinutes;
      next.pendingRequestId = null;
      await ctx.repository(HourEntryRow).save({
        id: e.id, volunteerId, activityId, recordId: d.recordId, kind: 'correction', minutes: d.deltaMinutes,
        organizerOrgUnitId: d.organizerOrgUnitId, owningOrgPath: activity.owningOrgPath,
        serviceDate: (base.checkedInAt ?? activity.startsAt).slice(0, 10), requestId: d.requestId, occurredAt: at,
      });
      await ctx.repository(CorrectionRequestRow).update(
        { id: d.requestId },
        { status: 'accepted', correctedMinutes: d.correctedMinutes, resolutionNote: d.note, resolvedAt: at },
      );
      break;
    }
    case 'HoursCorrectionRejected': {
      const d = dataOf<Data<'HoursCorrectionRejected'>>(e);
      next.pendingRequestId = null;
      await ctx.repository(CorrectionRequestRow).update({ id: d.requestId }, { status: 'rejected', resolutionNote: d.note, resolvedAt: at });
      break;
    }
  }
  await participations.save(next);
  const delta = (holds(next.status) ? 1 : 0) - (current && holds(current.status) ? 1 : 0);
  await activities.update({ id: activityId }, { placesTaken: activity.placesTaken + delta, ...touch });
};
