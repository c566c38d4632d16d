import { assertNever, InvalidCommandInput, streamIdFor, type Command, type Decider, type Event } from '@gongzhi/kernel';
import { assertSubjectId } from '../keys/subject-id';
import { containsPersonalPattern } from '../validation/personal-patterns';

/** `privacy.subject-<subject id>`: the erasure record of one person. */
export const dataSubjectStream = streamIdFor('privacy', 'subject');

/**
 * PII-free by construction: the opaque subject id, the legal basis as given by the admin (checked
 * for ID-number and phone patterns) and who asked. Kafka relays publish it so downstream systems
 * erase too.
 */
export type SubjectErased = Event<'SubjectErased', { subjectId: string; basis: string; requestedBy: string }>;
export type DataSubjectEvent = SubjectErased;

export type ForgetSubject = Command<'ForgetSubject', { subjectId: string; basis: string }>;
export type DataSubjectCommand = ForgetSubject;

export type DataSubject = { status: 'Known' } | { status: 'Erased'; erasedAt: string };

export const MAX_BASIS_LENGTH = 500;

export class InvalidErasureBasis extends InvalidCommandInput {
  override readonly code = 'PRIVACY.INVALID_ERASURE_BASIS';
}

/**
 * A subject is erased once; a second request is a no-op (no new event), so an operator can
 * repeat `forget-subject` safely. The key destruction itself is idempotent too.
 */
export const dataSubjectDecider: Decider<DataSubject, DataSubjectCommand, DataSubjectEvent> = {
  initialState: { status: 'Known' },
  decide: (command, state) => {
    const { subjectId, basis } = command.data;
    assertSubjectId(subjectId);
    const trimmed = typeof basis === 'string' ? basis.trim() : '';
    if (trimmed.length === 0 || trimmed.length > MAX_BASIS_LENGTH) {
      throw new InvalidErasureBasis(`An erasure needs a legal basis of 1 to ${MAX_BASIS_LENGTH} characters (e.g. "PIPL Art 47(1)")`);
    }
    // The basis is stored in clear, forever: it must not itself carry the person's data.
    if (containsPersonalPattern(trimmed)) throw new InvalidErasureBasis('The erasure basis must not contain ID numbers or phone numbers');
    if (state.status === 'Erased') return [];
    return [{ type: 'SubjectErased', data: { subjectId, basis: trimmed, requestedBy: command.metadata.actor.userId } }];
  },
  evolve: (_state, event) => {
    switch (event.type) {
      case 'SubjectErased':
        return { status: 'Erased', erasedAt: event.metadata.occurredAt };
      default:
        return assertNever(event.type);
    }
  },
};
