import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Connection, DateTimeScalar } from '@gongzhi/graphql';

@ObjectType({ description: 'Who caused an event.' })
export class EventActor {
  @Field()
  userId!: string;

  @Field(() => String, { nullable: true })
  orgUnitId!: string | null;
}

@ObjectType({ description: 'One event of a stream, as the audit trail shows it.' })
export class HistoryEvent {
  @Field(() => ID)
  id!: string;

  @Field()
  type!: string;

  @Field(() => Int)
  revision!: number;

  @Field({ description: 'Global position (a 64-bit integer, as a string).' })
  position!: string;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Domain time of the command (metadata.occurredAt).' })
  occurredAt!: string | null;

  @Field(() => DateTimeScalar, { description: 'When the store recorded the event.' })
  recordedAt!: Date;

  @Field(() => EventActor, { nullable: true })
  actor!: EventActor | null;

  @Field(() => String, { nullable: true })
  commandId!: string | null;

  @Field(() => String, { nullable: true })
  correlationId!: string | null;

  @Field({ description: "True when the event's stored hash matches its content and links to the previous event's hash." })
  chainValid!: boolean;
}

@ObjectType()
export class HistoryConnection extends Connection(HistoryEvent) {
  @Field()
  streamId!: string;

  @Field({ description: 'True when the whole stream verifies against its hash chain.' })
  chainValid!: boolean;

  @Field(() => Int)
  totalCount!: number;
}
