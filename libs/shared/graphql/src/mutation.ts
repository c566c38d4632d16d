import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { IsInt, IsOptional, IsUUID, Min } from 'class-validator';

@ObjectType({ description: 'An event appended by a mutation.' })
export class AppendedEvent {
  @Field(() => ID)
  id!: string;

  @Field()
  type!: string;

  @Field(() => Int, { description: "The event's 0-based revision in its stream." })
  revision!: number;

  @Field({ description: 'Global position in the event log (a 64-bit integer, as a string).' })
  position!: string;
}

@ObjectType({ description: 'What a mutation did: the aggregate, its new revision and the events appended.' })
export class MutationResult {
  @Field(() => ID)
  aggregateId!: string;

  @Field()
  streamId!: string;

  @Field(() => Int, { description: 'Revision of the stream after the command; send it as expectedRevision next time.' })
  revision!: number;

  @Field(() => [AppendedEvent])
  events!: AppendedEvent[];
}

/** The shape of @gongzhi/eventsourcing's CommandResult that a mutation returns. */
export interface CommandResultLike {
  aggregateId: string;
  streamId: string;
  revision: number;
  events: ReadonlyArray<{ id: string; type: string; revision: number; position: bigint }>;
}

/**
 * A replayed command (same commandId) maps to the very same result as the first call, so a
 * client retrying after a lost response cannot tell the difference.
 */
export const toMutationResult = (result: CommandResultLike): MutationResult => ({
  aggregateId: result.aggregateId,
  streamId: result.streamId,
  revision: result.revision,
  events: result.events.map((e) => ({ id: e.id, type: e.type, revision: e.revision, position: e.position.toString() })),
});

/** Every mutation input extends this: `@InputType() class RenameOrgUnitInput extends MutationInput { … }`. */
@InputType({ isAbstract: true })
export abstract class MutationInput {
  @Field(() => ID, {
    nullable: true,
    description: 'Client-chosen UUID; a retry with the same commandId returns the original result and appends nothing.',
  })
  @IsOptional()
  @IsUUID()
  commandId?: string;

  @Field(() => Int, {
    nullable: true,
    description: 'Optimistic concurrency: the stream revision the client last saw; a mismatch is a CONFLICT.',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  expectedRevision?: number;
}

/** Options for CommandProcessor.handle / RequestContext taken from a mutation input. */
export const commandOptionsOf = (input: { commandId?: string | null; expectedRevision?: number | null }) => ({
  commandId: input.commandId ?? undefined,
  expectedRevision: input.expectedRevision ?? undefined,
});
