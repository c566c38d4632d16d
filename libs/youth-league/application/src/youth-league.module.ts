import { Module, type DynamicModule, type InjectionToken } from '@nestjs/common';
import { DeadlinesModule } from '@gongzhi/deadlines';
import { CommandProcessor } from '@gongzhi/eventsourcing';
import { OrgTree } from '@gongzhi/org';
import { DataSource } from 'typeorm';
import { LeagueReadModel } from './queries/league-read-model';
import { TIME_BANK_CREDIT_ENTITIES, timeBankCreditReactor } from './reactors/time-bank-credit.reactor';
import { activityProjection } from './read-model/activity.projection';
import { campaignProjection } from './read-model/campaign.projection';
import { ACTIVITY_ENTITIES, CAMPAIGN_ENTITIES, TIME_BANK_ENTITIES, VOLUNTEER_ENTITIES } from './read-model/league.entities';
import { timeBankProjection } from './read-model/time-bank.projection';
import { volunteerProjection } from './read-model/volunteer.projection';
import { LEAGUE_READ_STORE } from './read-store.token';
import {
  ChangeActivityStatusHandler,
  DeclineInvitationHandler,
  InviteVolunteerHandler,
  PublishActivityHandler,
  RecordAttendanceHandler,
  RecordServiceHoursHandler,
  RequestHoursCorrectionHandler,
  ResolveHoursCorrectionHandler,
  SignUpForActivityHandler,
  WithdrawSignUpHandler,
} from './write/activity.handlers';
import {
  AdvanceCampaignHandler,
  AdvanceTaskHandler,
  DispatchStaffHandler,
  EvaluateCampaignHandler,
  IssueTaskHandler,
  LaunchCampaignHandler,
  LinkCampaignActivityHandler,
  LinkFoundationProjectHandler,
  MarkOverdueTasksHandler,
  MarkTaskOverdueHandler,
  PlanCampaignHandler,
  RecordCampaignPartnerHandler,
  RecordFoundationFigureHandler,
  ReportTaskProgressHandler,
} from './write/campaign.handlers';
import { LeagueAggregates } from './write/league-aggregates';
import { TaskDeadlines } from './write/task-deadlines';
import { ExchangeHoursHandler, OpenTimeBankAccountHandler, OpenTimeBankHandler, ReverseTransferHandler } from './write/time-bank.handlers';
import { RegisterVolunteerHandler, SetVolunteerActiveHandler, UpdateVolunteerSkillsHandler, VerifyVolunteerHandler } from './write/volunteer.handlers';

/** Projection instances; the app registers each with a ProjectionRunner (see LEAGUE_PROJECTION_TOKENS). */
export const LEAGUE_VOLUNTEER_PROJECTION = Symbol('LEAGUE_VOLUNTEER_PROJECTION');
export const LEAGUE_ACTIVITY_PROJECTION = Symbol('LEAGUE_ACTIVITY_PROJECTION');
export const LEAGUE_TIME_BANK_PROJECTION = Symbol('LEAGUE_TIME_BANK_PROJECTION');
export const LEAGUE_CAMPAIGN_PROJECTION = Symbol('LEAGUE_CAMPAIGN_PROJECTION');
export const LEAGUE_TIME_BANK_CREDIT_REACTOR = Symbol('LEAGUE_TIME_BANK_CREDIT_REACTOR');

export const LEAGUE_PROJECTION_TOKENS: readonly symbol[] = [
  LEAGUE_VOLUNTEER_PROJECTION,
  LEAGUE_ACTIVITY_PROJECTION,
  LEAGUE_TIME_BANK_PROJECTION,
  LEAGUE_CAMPAIGN_PROJECTION,
  LEAGUE_TIME_BANK_CREDIT_REACTOR,
];

/** Every table of the context (the read store must list them). */
export const LEAGUE_READ_MODEL_ENTITIES = [
  ...VOLUNTEER_ENTITIES,
  ...ACTIVITY_ENTITIES,
  ...TIME_BANK_ENTITIES,
  ...CAMPAIGN_ENTITIES,
  ...TIME_BANK_CREDIT_ENTITIES,
];

const COMMAND_HANDLERS = [
  RegisterVolunteerHandler,
  VerifyVolunteerHandler,
  UpdateVolunteerSkillsHandler,
  SetVolunteerActiveHandler,
  PublishActivityHandler,
  ChangeActivityStatusHandler,
  InviteVolunteerHandler,
  SignUpForActivityHandler,
  DeclineInvitationHandler,
  WithdrawSignUpHandler,
  RecordAttendanceHandler,
  RecordServiceHoursHandler,
  RequestHoursCorrectionHandler,
  ResolveHoursCorrectionHandler,
  OpenTimeBankHandler,
  OpenTimeBankAccountHandler,
  ExchangeHoursHandler,
  ReverseTransferHandler,
  PlanCampaignHandler,
  AdvanceCampaignHandler,
  LaunchCampaignHandler,
  EvaluateCampaignHandler,
  IssueTaskHandler,
  AdvanceTaskHandler,
  ReportTaskProgressHandler,
  DispatchStaffHandler,
  MarkTaskOverdueHandler,
  MarkOverdueTasksHandler,
  LinkCampaignActivityHandler,
  RecordCampaignPartnerHandler,
  LinkFoundationProjectHandler,
  RecordFoundationFigureHandler,
];

export interface YouthLeagueModuleOptions {
  /** Token of the read-store DataSource holding LEAGUE_READ_MODEL_ENTITIES. Default: TypeORM's `DataSource`. */
  readStore?: InjectionToken;
}

/**
 * The Youth League context: command handlers (on the app's CommandBus, so the app imports
 * `CqrsModule.forRoot()`), the scoped read model, the projections and the time-bank reactor.
 * Needs EventSourcingModule (global) and a TypeORM DataSource in the app; imports DeadlinesModule
 * (one shared scheduler) for the campaign task clocks, whose open-clocks projection the app runs.
 */
@Module({})
export class YouthLeagueModule {
  static forRoot(options: YouthLeagueModuleOptions = {}): DynamicModule {
    return {
      module: YouthLeagueModule,
      imports: [DeadlinesModule],
      providers: [
        { provide: LEAGUE_READ_STORE, useExisting: options.readStore ?? DataSource },
        { provide: OrgTree, useClass: OrgTree },
        LeagueAggregates,
        LeagueReadModel,
        TaskDeadlines,
        { provide: LEAGUE_VOLUNTEER_PROJECTION, useFactory: volunteerProjection },
        { provide: LEAGUE_ACTIVITY_PROJECTION, useFactory: activityProjection },
        { provide: LEAGUE_TIME_BANK_PROJECTION, useFactory: timeBankProjection },
        { provide: LEAGUE_CAMPAIGN_PROJECTION, useFactory: campaignProjection },
        { provide: LEAGUE_TIME_BANK_CREDIT_REACTOR, inject: [CommandProcessor], useFactory: timeBankCreditReactor },
        ...COMMAND_HANDLERS,
      ],
      exports: [LEAGUE_READ_STORE, LeagueReadModel, LeagueAggregates, TaskDeadlines, ...LEAGUE_PROJECTION_TOKENS],
    };
  }
}
