import { runEventStoreContract } from '@gongzhi/event-store/testing';
import { describeWithPostgres, testSchema } from '../test/support';

// The port's contract on the real database, once with group commit (the default) and once with
// one transaction per append. Each test gets an empty log: a fresh schema per test.
for (const groupCommit of [true, false]) {
  let db: ReturnType<typeof testSchema> | undefined;
  runEventStoreContract(
    `PostgreSQL (groupCommit: ${groupCommit})`,
    async () => {
      db = testSchema(groupCommit ? 'es_contract_g' : 'es_contract_s');
      const current = db;
      const store = await current.open({ groupCommit });
      return {
        store,
        cleanup: () => current.dispose(),
        tamper: async (eventId, change) => {
          if (change.data !== undefined) {
            await current.sql().query(`UPDATE "${current.schema}".events SET data = $2::jsonb WHERE event_id = $1`, [eventId, JSON.stringify(change.data)]);
          }
          if (change.metadata !== undefined) {
            await current.sql().query(`UPDATE "${current.schema}".events SET metadata = $2::jsonb WHERE event_id = $1`, [eventId, JSON.stringify(change.metadata)]);
          }
        },
      };
    },
    describeWithPostgres(),
  );
}
