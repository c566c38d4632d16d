import { Injectable } from '@nestjs/common';
import { AggregateReader } from '@gongzhi/eventsourcing';
import { isValidAggregateId } from '@gongzhi/kernel';
import {
  activityDecider,
  activityStream,
  campaignDecider,
  campaignStream,
  timeBankDecider,
  timeBankStream,
  volunteerDecider,
  volunteerStream,
  type Activity,
  type Campaign,
  type TimeBank,
  type Volunteer,
} from '@gongzhi/youth-league-domain';

type Existing<S> = Exclude<S, { status: 'None' }>;

/**
 * Current state of league aggregates, read from the event store (through the privacy
 * transformer, so personal fields come back decoded). Handlers use it to authorize against the
 * target's own org path and to pass snapshots of one aggregate into another's decision.
 */
@Injectable()
export class LeagueAggregates {
  constructor(private readonly reader: AggregateReader) {}

  private async load<S extends { status: string }>(decider: { evolve: any; initialState: S }, stream: (id: string) => string, id: string) {
    if (!isValidAggregateId(id)) return undefined;
    const loaded = await this.reader.load<S, any>(decider, stream(id));
    return loaded.state.status === 'None' ? undefined : { state: loaded.state as Existing<S>, revision: loaded.revision };
  }

  volunteer(id: string) {
    return this.load<Volunteer>(volunteerDecider, volunteerStream, id);
  }

  activity(id: string) {
    return this.load<Activity>(activityDecider, activityStream, id);
  }

  timeBank(id: string) {
    return this.load<TimeBank>(timeBankDecider, timeBankStream, id);
  }

  campaign(id: string) {
    return this.load<Campaign>(campaignDecider, campaignStream, id);
  }

  volunteerAsOf(id: string, asOf: string) {
    return this.reader.aggregateAsOf(volunteerDecider, volunteerStream(id), asOf);
  }

  timeBankAsOf(id: string, asOf: string) {
    return this.reader.aggregateAsOf(timeBankDecider, timeBankStream(id), asOf);
  }
}
