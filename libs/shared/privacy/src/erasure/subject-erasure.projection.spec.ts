import { InMemoryEventStore } from '@gongzhi/event-store/testing';
import { ProjectionRunner } from '@gongzhi/projections';
import { newSubjectId } from '../keys/subject-id';
import { sqliteStore, type TestStore } from '../test-support/stores';
import { declareWorkerCardColumns, WorkerCardRow } from '../test-support/worker.fixture';
import { PersonalDataColumns } from './personal-data-columns';
import { dataSubjectStream } from './data-subject.decider';
import { subjectErasureProjection } from './subject-erasure.projection';

describe('subjectErasureProjection', () => {
  let store: TestStore;
  let events: InMemoryEventStore;
  let runner: ProjectionRunner | undefined;

  beforeEach(async () => {
    store = await sqliteStore([WorkerCardRow]);
    events = new InMemoryEventStore();
  });
  afterEach(async () => {
    await runner?.stop();
    await events.close();
    await store.cleanup();
  });

  const card = (workerId: string, subjectId: string): WorkerCardRow => ({
    workerId,
    subjectId,
    owningOrgPath: '/cn/county-a/',
    name: '張三明',
    nameMasked: '張*明',
    idNumberMasked: '1101**********002X',
    phoneMasked: '138****5678',
    idNumberEventId: '0190b3f4-7c1e-7a2b-9f00-000000000001',
    streamId: `test.worker-${workerId}`,
    cardNo: null,
    printedName: null,
  });

  it("clears the subject's declared columns in a read store that did not run the erasure itself", async () => {
    const erased = newSubjectId();
    const kept = newSubjectId();
    await store.ds.manager.save(WorkerCardRow, [card('w1', erased), card('w2', kept)]);
    const columns = declareWorkerCardColumns(new PersonalDataColumns());
    const [position] = (
      await events.appendToStream(dataSubjectStream(erased), [
        { id: '0190b3f4-7c1e-7a2b-9f00-0000000000e1', type: 'SubjectErased', data: { subjectId: erased, basis: 'PIPL Art 47(1)', requestedBy: 'u-admin' } },
      ])
    ).positions;

    runner = new ProjectionRunner({ projection: subjectErasureProjection(columns), store: events, dataSource: store.ds });
    await runner.start();
    await runner.waitForPosition(position, { timeoutMs: 10_000 });

    expect(await store.ds.manager.findOneByOrFail(WorkerCardRow, { workerId: 'w1' })).toMatchObject({
      subjectId: erased,
      name: null,
      nameMasked: null,
      idNumberMasked: null,
      phoneMasked: null,
    });
    expect(await store.ds.manager.findOneByOrFail(WorkerCardRow, { workerId: 'w2' })).toMatchObject({ name: '張三明' });
  });
});
