import type { DataSource } from 'typeorm';
import { deleteByKeys, findByKeys, upsertRows } from '../bulk';
import { runInTransaction } from '../read-store';
import { ReadModelTables } from '../read-model-tables';
import { CaseBoardRow } from './case-board.projection';
import { caseBoardProjection } from './case-board.projection';
import type { ReadStoreFactory } from './fixtures';

const row = (i: number, extra: Partial<CaseBoardRow> = {}): CaseBoardRow => ({
  caseId: `k-${i}`,
  orgUnitPath: 'cn.js.wj',
  title: `標題 "${i}" 'quoted'`,
  status: 'open',
  amountTotal: i,
  eventCount: 1,
  lastRevision: 0,
  lastPosition: String(i),
  openedAt: '2025-01-01T00:00:00.000Z',
  ...extra,
});

/** The batch helpers projections write with, against one kind of read store. */
export const bulkScenarios = (makeStores: () => ReadStoreFactory) => {
  let stores: ReadStoreFactory;
  let ds: DataSource;
  beforeEach(async () => {
    stores = makeStores();
    ds = await stores.open();
    await new ReadModelTables(ds, caseBoardProjection()).ensureLive();
  });
  afterEach(() => stores.cleanup());

  it('upserts more rows than one statement may bind, then updates them in place', async () => {
    const many = Array.from({ length: 5000 }, (_, i) => row(i));
    await runInTransaction(ds, (em) => upsertRows(em, CaseBoardRow, many, ['caseId']));
    await runInTransaction(ds, (em) => upsertRows(em, CaseBoardRow, many.slice(0, 10).map((r) => ({ ...r, status: 'closed', amountTotal: -1 })), ['caseId']));

    const repo = ds.getRepository(CaseBoardRow);
    expect(await repo.count()).toBe(5000);
    expect(await repo.findOneBy({ caseId: 'k-3' })).toMatchObject({ status: 'closed', amountTotal: -1, title: `標題 "3" 'quoted'` });
    expect(await repo.findOneBy({ caseId: 'k-4999' })).toMatchObject({ status: 'open', amountTotal: 4999 });
  });

  it('keeps the last of two rows with the same key in one upsert', async () => {
    await runInTransaction(ds, (em) => upsertRows(em, CaseBoardRow, [row(1, { status: 'first' }), row(1, { status: 'second' })], ['caseId']));
    expect(await ds.getRepository(CaseBoardRow).findBy({})).toEqual([expect.objectContaining({ caseId: 'k-1', status: 'second' })]);
  });

  it('finds and deletes by many keys, ignoring missing and repeated ones', async () => {
    await runInTransaction(ds, (em) => upsertRows(em, CaseBoardRow, Array.from({ length: 300 }, (_, i) => row(i)), ['caseId']));
    const keys = [...Array.from({ length: 250 }, (_, i) => `k-${i}`), 'k-0', 'missing'];
    const found = await runInTransaction(ds, (em) => findByKeys(em, CaseBoardRow, 'caseId', keys));
    expect(found).toHaveLength(250);
    expect(found.find((r) => r.caseId === 'k-7')).toEqual(row(7));

    await runInTransaction(ds, (em) => deleteByKeys(em, CaseBoardRow, 'caseId', keys));
    expect(await ds.getRepository(CaseBoardRow).count()).toBe(50);
  });
};
