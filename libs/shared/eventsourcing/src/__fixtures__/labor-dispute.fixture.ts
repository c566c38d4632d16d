import { assertNever, DomainError, type Command, type Decider, type Event } from '@gongzhi/kernel';

/** A small labor-dispute decider for the processor's tests (the real one lives in libs/union). */

export type DisputeFiled = Event<'DisputeFiled', { disputeId: string; claim: { amount: number; currency: string } }>;
export type MediationStarted = Event<'MediationStarted', { committeeId: string; startedAt: string; windowEndsAt: string }>;
export type NoteAdded = Event<'NoteAdded', { seq: number; text: string }>;
export type DisputeEvent = DisputeFiled | MediationStarted | NoteAdded;

export type FileDispute = Command<'FileDispute', { disputeId: string; amount: number }>;
export type StartMediation = Command<'StartMediation', { committeeId: string }>;
export type AddNote = Command<'AddNote', { text: string }>;
/** Decides nothing when the dispute exists: exercises the empty-decision path. */
export type CheckDispute = Command<'CheckDispute', Record<string, never>>;
export type DisputeCommand = FileDispute | StartMediation | AddNote | CheckDispute;

export type Dispute =
  | { status: 'None' }
  | { status: 'Filed'; orgUnitPath: string; claim: { amount: number; currency: string }; notes: number; filedBy: string }
  | { status: 'Mediating'; orgUnitPath: string; claim: { amount: number; currency: string }; notes: number; filedBy: string; windowEndsAt: string };

export class DisputeAlreadyFiled extends DomainError {
  readonly code = 'TEST.DISPUTE_ALREADY_FILED';
}
export class DisputeNotFiled extends DomainError {
  readonly code = 'TEST.DISPUTE_NOT_FILED';
}

const MEDIATION_WINDOW_MS = 15 * 24 * 60 * 60 * 1000;

export const disputeDecider: Decider<Dispute, DisputeCommand, DisputeEvent> = {
  initialState: { status: 'None' },
  decide(command, state) {
    switch (command.type) {
      case 'FileDispute':
        if (state.status !== 'None') throw new DisputeAlreadyFiled(undefined, { disputeId: command.data.disputeId });
        return [{ type: 'DisputeFiled', data: { disputeId: command.data.disputeId, claim: { amount: command.data.amount, currency: 'CNY' } } }];
      case 'StartMediation': {
        if (state.status !== 'Filed') throw new DisputeNotFiled();
        const windowEndsAt = new Date(Date.parse(command.metadata.now) + MEDIATION_WINDOW_MS).toISOString();
        return [{ type: 'MediationStarted', data: { committeeId: command.data.committeeId, startedAt: command.metadata.now, windowEndsAt } }];
      }
      case 'AddNote':
        if (state.status === 'None') throw new DisputeNotFiled();
        return [{ type: 'NoteAdded', data: { seq: state.notes + 1, text: command.data.text } }];
      case 'CheckDispute':
        if (state.status === 'None') throw new DisputeNotFiled();
        return [];
      default:
        return assertNever(command);
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'DisputeFiled':
        return { status: 'Filed', orgUnitPath: event.metadata.orgUnitPath, claim: event.data.claim, notes: 0, filedBy: event.metadata.actor.userId };
      case 'MediationStarted':
        return state.status === 'None' ? state : { ...state, status: 'Mediating', windowEndsAt: event.data.windowEndsAt };
      case 'NoteAdded':
        return state.status === 'None' ? state : { ...state, notes: event.data.seq };
      default:
        return assertNever(event);
    }
  },
};

/** DisputeFiled v1 carried a bare amount in yuan; v2 nests it with a currency. */
export const disputeFiledV1ToV2 = {
  type: 'DisputeFiled',
  fromVersion: 1,
  upcast: (data: { disputeId: string; claimAmount: number }) => ({
    disputeId: data.disputeId,
    claim: { amount: data.claimAmount, currency: 'CNY' },
  }),
};
