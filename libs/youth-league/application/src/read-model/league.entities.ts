import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Read models of the Youth League context. Every row carries `owning_org_path`, the path of the
 * org unit whose scope it belongs to, which is what scope predicates filter on. No personal data:
 * names and phones stay in the (encrypted) events and are revealed on demand, with audit.
 * Instants are ISO strings (UTC, `…Z`), so they sort as text on SQLite and PostgreSQL alike.
 */
const path = () => Column({ name: 'owning_org_path', type: 'varchar', length: 1100 });
const instant = (name: string, nullable = false) => Column({ name, type: 'varchar', length: 40, nullable });
const json = (name: string) => Column({ name, type: 'text' });

@Entity({ name: 'league_volunteers' })
@Index('ix_league_volunteers_path', ['owningOrgPath'])
@Index('ix_league_volunteers_account', ['accountUserId'])
export class VolunteerRow {
  @PrimaryColumn({ type: 'varchar', length: 64 }) id!: string;
  @Column({ name: 'subject_id', type: 'varchar', length: 64 }) subjectId!: string;
  @Column({ name: 'home_org_unit_id', type: 'varchar', length: 64 }) homeOrgUnitId!: string;
  @path() owningOrgPath!: string;
  @Column({ name: 'account_user_id', type: 'varchar', length: 128, nullable: true }) accountUserId!: string | null;
  @Column({ type: 'varchar', length: 20 }) status!: string;
  @Column({ type: 'boolean' }) verified!: boolean;
  /** JSON array of skill labels. */
  @json('skills') skills!: string;
  @Column({ name: 'registered_via', type: 'varchar', length: 20 }) registeredVia!: string;
  @instant('registered_at') registeredAt!: string;
  @instant('updated_at') updatedAt!: string;
  @Column({ type: 'integer' }) revision!: number;
}

@Entity({ name: 'league_activities' })
@Index('ix_league_activities_path', ['owningOrgPath'])
@Index('ix_league_activities_status', ['status', 'startsAt'])
export class ActivityRow {
  @PrimaryColumn({ type: 'varchar', length: 64 }) id!: string;
  @Column({ name: 'organizer_org_unit_id', type: 'varchar', length: 64 }) organizerOrgUnitId!: string;
  /** The organizer's path: 誰組織誰記錄, so the organizer's subtree sees the activity and its records. */
  @path() owningOrgPath!: string;
  @Column({ type: 'varchar', length: 100 }) title!: string;
  @Column({ type: 'text' }) content!: string;
  @Column({ type: 'varchar', length: 200 }) place!: string;
  @instant('starts_at') startsAt!: string;
  @instant('ends_at') endsAt!: string;
  @Column({ type: 'integer' }) slots!: number;
  /** Volunteers holding a place (signed up, confirmed, checked in or out, completed). */
  @Column({ name: 'places_taken', type: 'integer' }) placesTaken!: number;
  @json('required_skills') requiredSkills!: string;
  @json('risks') risks!: string;
  @Column({ name: 'safety_measures', type: 'text', nullable: true }) safetyMeasures!: string | null;
  @Column({ type: 'varchar', length: 20 }) status!: string;
  @instant('published_at') publishedAt!: string;
  @instant('updated_at') updatedAt!: string;
  @Column({ type: 'integer' }) revision!: number;
}

@Entity({ name: 'league_participations' })
@Index('ix_league_participations_activity', ['activityId'])
@Index('ix_league_participations_volunteer', ['volunteerId'])
export class ParticipationRow {
  /** `<activityId>/<volunteerId>` */
  @PrimaryColumn({ type: 'varchar', length: 140 }) id!: string;
  @Column({ name: 'activity_id', type: 'varchar', length: 64 }) activityId!: string;
  @Column({ name: 'volunteer_id', type: 'varchar', length: 64 }) volunteerId!: string;
  @path() owningOrgPath!: string;
  @Column({ type: 'varchar', length: 20 }) status!: string;
  @Column({ type: 'varchar', length: 20, nullable: true }) via!: string | null;
  @instant('checked_in_at', true) checkedInAt!: string | null;
  @instant('checked_out_at', true) checkedOutAt!: string | null;
  /** Net recorded minutes: the record plus every correction. */
  @Column({ type: 'integer' }) minutes!: number;
  @Column({ name: 'pending_request_id', type: 'varchar', length: 64, nullable: true }) pendingRequestId!: string | null;
  @instant('updated_at') updatedAt!: string;
}

/** One row per hour record and per correction: a volunteer's hours are the sum, never an edited figure. */
@Entity({ name: 'league_hour_entries' })
@Index('ix_league_hour_entries_volunteer', ['volunteerId', 'occurredAt'])
export class HourEntryRow {
  /** The event id. */
  @PrimaryColumn({ type: 'varchar', length: 64 }) id!: string;
  @Column({ name: 'volunteer_id', type: 'varchar', length: 64 }) volunteerId!: string;
  @Column({ name: 'activity_id', type: 'varchar', length: 64 }) activityId!: string;
  @Column({ name: 'record_id', type: 'varchar', length: 64 }) recordId!: string;
  /** 'record' | 'correction' */
  @Column({ type: 'varchar', length: 20 }) kind!: string;
  @Column({ type: 'integer' }) minutes!: number;
  @Column({ name: 'organizer_org_unit_id', type: 'varchar', length: 64 }) organizerOrgUnitId!: string;
  @path() owningOrgPath!: string;
  @Column({ name: 'service_date', type: 'varchar', length: 10 }) serviceDate!: string;
  @Column({ name: 'request_id', type: 'varchar', length: 64, nullable: true }) requestId!: string | null;
  @instant('occurred_at') occurredAt!: string;
}

@Entity({ name: 'league_correction_requests' })
@Index('ix_league_corrections_path', ['owningOrgPath', 'status'])
export class CorrectionRequestRow {
  @PrimaryColumn({ type: 'varchar', length: 64 }) id!: string;
  @Column({ name: 'activity_id', type: 'varchar', length: 64 }) activityId!: string;
  @Column({ name: 'volunteer_id', type: 'varchar', length: 64 }) volunteerId!: string;
  @path() owningOrgPath!: string;
  @Column({ name: 'current_minutes', type: 'integer' }) currentMinutes!: number;
  @Column({ name: 'requested_minutes', type: 'integer' }) requestedMinutes!: number;
  @Column({ type: 'text' }) reason!: string;
  /** 'pending' | 'accepted' | 'rejected' */
  @Column({ type: 'varchar', length: 20 }) status!: string;
  @Column({ name: 'corrected_minutes', type: 'integer', nullable: true }) correctedMinutes!: number | null;
  @Column({ name: 'resolution_note', type: 'text', nullable: true }) resolutionNote!: string | null;
  @instant('requested_at') requestedAt!: string;
  @instant('resolved_at', true) resolvedAt!: string | null;
}

@Entity({ name: 'league_time_banks' })
@Index('ix_league_time_banks_path', ['owningOrgPath'])
export class TimeBankRow {
  @PrimaryColumn({ type: 'varchar', length: 64 }) id!: string;
  @Column({ type: 'varchar', length: 100 }) name!: string;
  @Column({ name: 'owner_org_unit_id', type: 'varchar', length: 64 }) ownerOrgUnitId!: string;
  @path() owningOrgPath!: string;
  @Column({ name: 'issuer_account_id', type: 'varchar', length: 64 }) issuerAccountId!: string;
  @instant('opened_at') openedAt!: string;
  @Column({ type: 'integer' }) revision!: number;
}

@Entity({ name: 'league_tb_accounts' })
@Index('ix_league_tb_accounts_bank', ['bankId'])
@Index('ix_league_tb_accounts_volunteer', ['volunteerId'])
export class TimeBankAccountRow {
  /** `<bankId>/<accountId>` */
  @PrimaryColumn({ type: 'varchar', length: 140 }) id!: string;
  @Column({ name: 'bank_id', type: 'varchar', length: 64 }) bankId!: string;
  @Column({ name: 'account_id', type: 'varchar', length: 64 }) accountId!: string;
  /** 'issuer' | 'member' | 'org-unit' */
  @Column({ type: 'varchar', length: 20 }) kind!: string;
  @Column({ name: 'volunteer_id', type: 'varchar', length: 64, nullable: true }) volunteerId!: string | null;
  @Column({ name: 'subject_id', type: 'varchar', length: 64, nullable: true }) subjectId!: string | null;
  @Column({ name: 'holder_org_unit_id', type: 'varchar', length: 64 }) holderOrgUnitId!: string;
  /** The holder's unit: members of 二村 are seen by 二村's subtree, and by the bank owner's. */
  @path() owningOrgPath!: string;
  @Column({ name: 'bank_path', type: 'varchar', length: 1100 }) bankPath!: string;
  @Column({ name: 'balance_minutes', type: 'integer' }) balanceMinutes!: number;
  @instant('opened_at') openedAt!: string;
}

/** Two rows per transfer (double entry); balances as of T are sums of rows up to T. */
@Entity({ name: 'league_tb_postings' })
@Index('ix_league_tb_postings_account', ['bankId', 'accountId', 'occurredAt'])
export class TimeBankPostingRow {
  /** `<bankId>/<transferId>/<index>` */
  @PrimaryColumn({ type: 'varchar', length: 200 }) id!: string;
  @Column({ name: 'bank_id', type: 'varchar', length: 64 }) bankId!: string;
  @Column({ name: 'transfer_id', type: 'varchar', length: 64 }) transferId!: string;
  @Column({ name: 'account_id', type: 'varchar', length: 64 }) accountId!: string;
  @Column({ name: 'counterparty_account_id', type: 'varchar', length: 64 }) counterpartyAccountId!: string;
  @Column({ name: 'delta_minutes', type: 'integer' }) deltaMinutes!: number;
  @Column({ type: 'varchar', length: 30 }) kind!: string;
  @Column({ type: 'text', nullable: true }) memo!: string | null;
  @Column({ type: 'varchar', length: 64, nullable: true }) reverses!: string | null;
  @Column({ name: 'bank_path', type: 'varchar', length: 1100 }) bankPath!: string;
  @instant('occurred_at') occurredAt!: string;
  /** Global position of the event, for a stable order among equal instants. */
  @Column({ type: 'varchar', length: 40 }) position!: string;
}

@Entity({ name: 'league_campaigns' })
@Index('ix_league_campaigns_path', ['owningOrgPath'])
export class CampaignRow {
  @PrimaryColumn({ type: 'varchar', length: 64 }) id!: string;
  @Column({ type: 'varchar', length: 100 }) name!: string;
  @Column({ type: 'varchar', length: 30 }) brand!: string;
  @Column({ type: 'text' }) description!: string;
  @Column({ name: 'owner_org_unit_id', type: 'varchar', length: 64 }) ownerOrgUnitId!: string;
  @path() owningOrgPath!: string;
  @Column({ type: 'varchar', length: 20 }) status!: string;
  @json('channels') channels!: string;
  @Column({ name: 'starts_on', type: 'varchar', length: 10 }) startsOn!: string;
  @Column({ name: 'ends_on', type: 'varchar', length: 10 }) endsOn!: string;
  @Column({ type: 'integer', nullable: true }) rating!: number | null;
  @Column({ name: 'evaluation_summary', type: 'text', nullable: true }) evaluationSummary!: string | null;
  @instant('planned_at') plannedAt!: string;
  @instant('updated_at') updatedAt!: string;
  @Column({ type: 'integer' }) revision!: number;
}

@Entity({ name: 'league_campaign_tasks' })
@Index('ix_league_campaign_tasks_campaign', ['campaignId'])
@Index('ix_league_campaign_tasks_path', ['owningOrgPath'])
export class CampaignTaskRow {
  /** `<campaignId>/<taskId>` */
  @PrimaryColumn({ type: 'varchar', length: 140 }) id!: string;
  @Column({ name: 'campaign_id', type: 'varchar', length: 64 }) campaignId!: string;
  @Column({ name: 'task_id', type: 'varchar', length: 64 }) taskId!: string;
  @Column({ name: 'parent_task_id', type: 'varchar', length: 64, nullable: true }) parentTaskId!: string | null;
  @Column({ name: 'campaign_name', type: 'varchar', length: 100 }) campaignName!: string;
  @Column({ name: 'issuer_org_unit_id', type: 'varchar', length: 64 }) issuerOrgUnitId!: string;
  @Column({ name: 'issuer_path', type: 'varchar', length: 1100 }) issuerPath!: string;
  @Column({ name: 'assignee_org_unit_id', type: 'varchar', length: 64 }) assigneeOrgUnitId!: string;
  /** The assignee's path: the unit that owes the work sees its task, and so does every unit above it. */
  @path() owningOrgPath!: string;
  @Column({ type: 'varchar', length: 200 }) title!: string;
  @Column({ name: 'quota_target', type: 'integer' }) quotaTarget!: number;
  @Column({ name: 'quota_unit', type: 'varchar', length: 20 }) quotaUnit!: string;
  @Column({ type: 'integer' }) achieved!: number;
  @instant('deadline') deadline!: string;
  /** 'Issued' | 'Acknowledged' | 'Completed' */
  @Column({ type: 'varchar', length: 20 }) status!: string;
  @Column({ type: 'boolean' }) overdue!: boolean;
  @Column({ type: 'boolean' }) late!: boolean;
  @Column({ name: 'staff_dispatched', type: 'integer' }) staffDispatched!: number;
  @instant('issued_at') issuedAt!: string;
  @instant('acknowledged_at', true) acknowledgedAt!: string | null;
  @instant('completed_at', true) completedAt!: string | null;
  @instant('updated_at') updatedAt!: string;
}

/** The social channel's references: linked activities, partners, foundation projects. */
@Entity({ name: 'league_campaign_links' })
@Index('ix_league_campaign_links_campaign', ['campaignId', 'kind'])
export class CampaignLinkRow {
  /** `<campaignId>/<kind>/<refId>` */
  @PrimaryColumn({ type: 'varchar', length: 200 }) id!: string;
  @Column({ name: 'campaign_id', type: 'varchar', length: 64 }) campaignId!: string;
  /** 'activity' | 'partner' | 'foundation-project' */
  @Column({ type: 'varchar', length: 20 }) kind!: string;
  @Column({ name: 'ref_id', type: 'varchar', length: 64 }) refId!: string;
  @Column({ type: 'varchar', length: 200, nullable: true }) name!: string | null;
  @Column({ name: 'partner_kind', type: 'varchar', length: 30, nullable: true }) partnerKind!: string | null;
  @Column({ name: 'foundation_name', type: 'varchar', length: 200, nullable: true }) foundationName!: string | null;
  @Column({ name: 'project_ref', type: 'varchar', length: 100, nullable: true }) projectRef!: string | null;
  @Column({ type: 'text', nullable: true }) contribution!: string | null;
  /** Where the reference is counted: the activity's organizer, the unit that brought the partner in. */
  @path() owningOrgPath!: string;
  @Column({ name: 'org_unit_id', type: 'varchar', length: 64 }) orgUnitId!: string;
  /** Fen (1/100 yuan); JS numbers are exact up to 9·10^15 fen. */
  @Column({ name: 'pledged_fen', type: 'bigint', transformer: { to: (v: number) => v, from: (v: string | number) => Number(v) } }) pledgedFen!: number;
  @Column({ name: 'received_fen', type: 'bigint', transformer: { to: (v: number) => v, from: (v: string | number) => Number(v) } }) receivedFen!: number;
  @Column({ type: 'integer' }) beneficiaries!: number;
  @instant('linked_at') linkedAt!: string;
}

export const VOLUNTEER_ENTITIES = [VolunteerRow];
export const ACTIVITY_ENTITIES = [ActivityRow, ParticipationRow, HourEntryRow, CorrectionRequestRow];
export const TIME_BANK_ENTITIES = [TimeBankRow, TimeBankAccountRow, TimeBankPostingRow];
export const CAMPAIGN_ENTITIES = [CampaignRow, CampaignTaskRow, CampaignLinkRow];
