import { Column, Entity, PrimaryColumn, type DataSource } from 'typeorm';
import {
  assertNever,
  DomainError,
  personalData,
  type Command,
  type Decider,
  type Event,
  type PersonalValue,
} from '@gongzhi/kernel';
import type { EventStore, RecordedEvent } from '@gongzhi/event-store';
import { maskIdNumber, maskName, maskPhone } from '../validation/masking';
import { isErasedPersonalData } from '../personal-value';
import type { PersonalDataTransformer } from '../transformer/personal-data-transformer';
import type { PersonalDataColumns } from '../erasure/personal-data-columns';

/**
 * A tiny context with personal data, as a domain lib would write it: the decider wraps personal
 * values with `personalData(subjectId, value)` and stays pure; the projection keeps a clear name
 * (to prove erasure reaches decrypted columns), masked display values and a reference to the
 * encrypted ID number for on-demand, audited reads.
 */
export type WorkerRegistered = Event<
  'WorkerRegistered',
  { workerId: string; subjectId: string; name: PersonalValue; idNumber: PersonalValue; phone: PersonalValue }
>;
export type PhoneChanged = Event<'PhoneChanged', { workerId: string; phone: PersonalValue }>;
/** Copies the name from state into a new event: after erasure the state holds Erased. */
export type CardIssued = Event<'CardIssued', { workerId: string; cardNo: string; printedName: PersonalValue }>;
export type WorkerEvent = WorkerRegistered | PhoneChanged | CardIssued;

export type RegisterWorker = Command<'RegisterWorker', { workerId: string; subjectId: string; name: string; idNumber: string; phone: string }>;
export type ChangePhone = Command<'ChangePhone', { phone: string }>;
export type IssueCard = Command<'IssueCard', { cardNo: string }>;
export type WorkerCommand = RegisterWorker | ChangePhone | IssueCard;

export type Worker = { status: 'None' } | { status: 'Registered'; workerId: string; subjectId: string; name: PersonalValue; phone: PersonalValue };

export class WorkerAlreadyRegistered extends DomainError {
  readonly code = 'TEST.WORKER_ALREADY_REGISTERED';
}
export class WorkerNotRegistered extends DomainError {
  readonly code = 'TEST.WORKER_NOT_REGISTERED';
}

export const workerStream = (workerId: string): string => `test.worker-${workerId}`;

export const workerDecider: Decider<Worker, WorkerCommand, WorkerEvent> = {
  initialState: { status: 'None' },
  decide: (command, state) => {
    switch (command.type) {
      case 'RegisterWorker': {
        if (state.status !== 'None') throw new WorkerAlreadyRegistered();
        const { workerId, subjectId, name, idNumber, phone } = command.data;
        return [
          {
            type: 'WorkerRegistered',
            data: {
              workerId,
              subjectId,
              name: personalData(subjectId, name),
              idNumber: personalData(subjectId, idNumber),
              phone: personalData(subjectId, phone),
            },
          },
        ];
      }
      case 'ChangePhone':
        if (state.status === 'None') throw new WorkerNotRegistered();
        return [{ type: 'PhoneChanged', data: { workerId: state.workerId, phone: personalData(state.subjectId, command.data.phone) } }];
      case 'IssueCard':
        if (state.status === 'None') throw new WorkerNotRegistered();
        return [{ type: 'CardIssued', data: { workerId: state.workerId, cardNo: command.data.cardNo, printedName: state.name } }];
      default:
        return assertNever(command);
    }
  },
  evolve: (state, event) => {
    switch (event.type) {
      case 'WorkerRegistered':
        return { status: 'Registered', workerId: event.data.workerId, subjectId: event.data.subjectId, name: event.data.name, phone: event.data.phone };
      case 'PhoneChanged':
        return state.status === 'None' ? state : { ...state, phone: event.data.phone };
      case 'CardIssued':
        return state;
      default:
        return assertNever(event);
    }
  },
};

@Entity('test_worker_card')
export class WorkerCardRow {
  @PrimaryColumn({ name: 'worker_id', type: 'varchar', length: 64 })
  workerId!: string;

  @Column({ name: 'subject_id', type: 'varchar', length: 64 })
  subjectId!: string;

  @Column({ name: 'owning_org_path', type: 'varchar', length: 200 })
  owningOrgPath!: string;

  /** Decrypted name: personal data in clear, declared for erasure. */
  @Column({ name: 'name', type: 'varchar', length: 100, nullable: true })
  name!: string | null;

  @Column({ name: 'name_masked', type: 'varchar', length: 100, nullable: true })
  nameMasked!: string | null;

  @Column({ name: 'id_number_masked', type: 'varchar', length: 32, nullable: true })
  idNumberMasked!: string | null;

  @Column({ name: 'phone_masked', type: 'varchar', length: 32, nullable: true })
  phoneMasked!: string | null;

  /** Where the encrypted ID number lives, for on-demand reads through PersonalDataReader. */
  @Column({ name: 'id_number_event_id', type: 'varchar', length: 36 })
  idNumberEventId!: string;

  @Column({ name: 'stream_id', type: 'varchar', length: 200 })
  streamId!: string;

  @Column({ name: 'card_no', type: 'varchar', length: 32, nullable: true })
  cardNo!: string | null;

  @Column({ name: 'printed_name', type: 'varchar', length: 100, nullable: true })
  printedName!: string | null;
}

export const declareWorkerCardColumns = (columns: PersonalDataColumns): PersonalDataColumns =>
  columns.declare({
    table: WorkerCardRow,
    subjectIdColumn: 'subject_id',
    columns: ['name', 'name_masked', 'id_number_masked', 'phone_masked', 'printed_name'],
  });

/** The display a read model keeps: the mask, or the placeholder once erased. */
const display = (v: PersonalValue, mask: (s: string) => string): string => (isErasedPersonalData(v) ? v.value : mask(v.value));

/**
 * A projection as a test sees it: every event from `fromPosition`, decoded by the vault, applied
 * to the read model. Handlers read `.value`, which is the placeholder for an erased value, so
 * nothing here special-cases erasure and nothing throws (P-2).
 */
export const projectWorkers = async (
  store: EventStore,
  ds: DataSource,
  transformer: PersonalDataTransformer,
  columns: PersonalDataColumns,
): Promise<number> => {
  const events: RecordedEvent[] = await store.readAll();
  await ds.transaction(async (m) => {
    for (const recorded of events) {
      const e = await transformer.decodeEvent(recorded);
      const data = e.data as Record<string, any>;
      switch (e.type) {
        case 'WorkerRegistered':
          await m.save(WorkerCardRow, {
            workerId: data.workerId,
            subjectId: data.subjectId,
            owningOrgPath: String(e.metadata.orgUnitPath),
            name: data.name.value,
            nameMasked: display(data.name, maskName),
            idNumberMasked: display(data.idNumber, maskIdNumber),
            phoneMasked: display(data.phone, maskPhone),
            idNumberEventId: e.id,
            streamId: e.streamId,
            cardNo: null,
            printedName: null,
          });
          break;
        case 'PhoneChanged':
          await m.update(WorkerCardRow, { workerId: data.workerId }, { phoneMasked: display(data.phone, maskPhone) });
          break;
        case 'CardIssued':
          await m.update(WorkerCardRow, { workerId: data.workerId }, { cardNo: data.cardNo, printedName: data.printedName.value });
          break;
        case 'SubjectErased':
          await columns.erase(m, data.subjectId);
          break;
      }
    }
  });
  return events.length;
};
