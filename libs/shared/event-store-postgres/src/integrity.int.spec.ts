import { describeWithPostgres, newEvent, newEvents, postgresTestUrl, testSchema } from '../test/support';

describeWithPostgres()('PostgresEventStore tamper evidence and connection loss', () => {
  const db = testSchema('es_integrity');
  afterAll(() => db.dispose());
  const t = () => `"${db.schema}".events`;

  it('verifyStream names the event whose data, or separately metadata, was edited in SQL, and a deleted row as a broken link', async () => {
    const store = await db.open();
    const cases = [
      ['data', `UPDATE ${t()} SET data = jsonb_set(data, '{i}', '99') WHERE event_id = $1`],
      ['metadata', `UPDATE ${t()} SET metadata = jsonb_set(metadata, '{commandId}', '"forged"') WHERE event_id = $1`],
    ] as const;
    for (const [what, sql] of cases) {
      const stream = `tamper.${what}`;
      const batch = newEvents(4);
      await store.appendToStream(stream, batch);
      expect(await store.verifyStream(stream)).toEqual({ streamId: stream, valid: true, eventsChecked: 4 });
      await db.sql().query(sql, [batch[2].id]);
      expect(await store.verifyStream(stream)).toEqual({
        streamId: stream,
        valid: false,
        eventsChecked: 3,
        firstInvalid: { revision: 2, eventId: batch[2].id, reason: 'hash_mismatch' },
      });
    }

    const stream = 'tamper.delete';
    const batch = newEvents(3);
    await store.appendToStream(stream, batch);
    await db.sql().query(`DELETE FROM ${t()} WHERE event_id = $1`, [batch[1].id]);
    expect((await store.verifyStream(stream)).firstInvalid).toEqual({ revision: 2, eventId: batch[2].id, reason: 'broken_link' });
  });

  it('a subscription keeps delivering after every connection of its store is terminated', async () => {
    const app = `gz_conn_loss_${process.pid}`;
    const url = new URL(postgresTestUrl());
    url.searchParams.set('application_name', app);
    const reader = await db.open({ connectionString: url.toString() });
    const writer = await db.open();
    const subscription = reader.subscribeToAll({ fromPosition: await reader.headPosition() });
    const it = subscription[Symbol.asyncIterator]();
    try {
      const first = newEvent();
      await writer.appendToStream('conn-loss.s', [first]);
      expect((await it.next()).value.id).toBe(first.id);

      const { rows } = await db.sql().query('SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = $1', [app]);
      expect(rows.length).toBeGreaterThan(0);

      const second = newEvent();
      await writer.appendToStream('conn-loss.s', [second]);
      expect((await it.next()).value.id).toBe(second.id);
      // The store itself also works again: the pool replaced the dead connections.
      expect((await reader.readStream('conn-loss.s')).map((e) => e.id)).toEqual([first.id, second.id]);
    } finally {
      await subscription.unsubscribe();
    }
  });
});
