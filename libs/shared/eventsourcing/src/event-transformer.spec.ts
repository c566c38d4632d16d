import { Global, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { InMemoryEventStore } from '@gongzhi/event-store/testing';
import { disputeDecider } from './__fixtures__/labor-dispute.fixture';
import { AggregateReader } from './aggregate-reader';
import { CommandProcessor } from './command-processor';
import { EventSourcingModule } from './event-sourcing.module';
import { EVENT_TRANSFORMER, type EventTransformer } from './event-transformer';
import type { RequestContext } from './request-context';

const DISPUTE_ID = '0b6f6c1e-5d0e-4a8e-9d55-3f1f7c2a9b10';
const STREAM = `union.labor-dispute-${DISPUTE_ID}`;
const ctx: RequestContext = {
  actor: { userId: 'staff-1', roles: ['union-staff'], orgUnitPath: '/a/' },
  correlationId: 'corr-1',
  now: '2024-03-01T08:00:00.000Z',
};

/** Stores note texts reversed and tagged with the event id and stream they were written for. */
const reversing = (): EventTransformer & { encoded: string[] } => {
  const encoded: string[] = [];
  return {
    encoded,
    encode: ({ id, streamId, type, data }) => {
      encoded.push(`${type}@${id}@${streamId}`);
      const d = data as { text?: string };
      return (d.text === undefined ? data : { ...d, text: [...d.text].reverse().join('') }) as never;
    },
    decode: (e) => {
      const d = e.data as { text?: string };
      return d.text === undefined ? e.data : { ...d, text: [...d.text].reverse().join('') };
    },
  };
};

describe('EventTransformer hook', () => {
  it('encodes new events with their derived id before the append and decodes stored ones before folding', async () => {
    const store = new InMemoryEventStore();
    const transformer = reversing();
    const processor = new CommandProcessor(store, { transformer });
    const filed = await processor.handle(disputeDecider, STREAM, { type: 'FileDispute', data: { disputeId: DISPUTE_ID, amount: 1 } }, ctx);
    const noted = await processor.handle(disputeDecider, STREAM, { type: 'AddNote', data: { text: 'abc' } }, ctx);

    const stored = await store.readStream(STREAM);
    expect(stored[1].data).toEqual({ seq: 1, text: 'cba' });
    expect(transformer.encoded).toEqual([`DisputeFiled@${filed.events[0].id}@${STREAM}`, `NoteAdded@${noted.events[0].id}@${STREAM}`]);

    const seen: string[] = [];
    const spy = { ...disputeDecider, evolve: (s: never, e: never) => (seen.push(JSON.stringify((e as { data: unknown }).data)), disputeDecider.evolve(s, e)) };
    await processor.handle(spy as typeof disputeDecider, STREAM, { type: 'AddNote', data: { text: 'x' } }, ctx);
    expect(seen[1]).toBe(JSON.stringify({ seq: 1, text: 'abc' }));
  });

  it('is picked up from a global EVENT_TRANSFORMER provider by CommandProcessor and AggregateReader', async () => {
    const transformer = reversing();
    // How a privacy module binds it: a global module of its own, next to EventSourcingModule.
    @Global()
    @Module({ providers: [{ provide: EVENT_TRANSFORMER, useValue: transformer }], exports: [EVENT_TRANSFORMER] })
    class TransformerModule {}
    const store = new InMemoryEventStore();
    @Module({ imports: [EventSourcingModule.forRoot({ store }), TransformerModule] })
    class AppModule {}
    const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
    const processor = app.get(CommandProcessor);
    await processor.handle(disputeDecider, STREAM, { type: 'FileDispute', data: { disputeId: DISPUTE_ID, amount: 1 } }, ctx);
    await processor.handle(disputeDecider, STREAM, { type: 'AddNote', data: { text: 'abc' } }, ctx);
    expect((await store.readStream(STREAM))[1].data).toEqual({ seq: 1, text: 'cba' });
    expect(transformer.encoded).toHaveLength(2);
    const loaded = await app.get(AggregateReader).load(disputeDecider, STREAM);
    expect(loaded.state).toMatchObject({ status: 'Filed', notes: 1 });
    await app.close();
  });

  it('leaves data as decided when no transformer is bound', async () => {
    const store = new InMemoryEventStore();
    @Module({ imports: [EventSourcingModule.forRoot({ store })] })
    class AppModule {}
    const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
    await app.get(CommandProcessor).handle(disputeDecider, STREAM, { type: 'FileDispute', data: { disputeId: DISPUTE_ID, amount: 1 } }, ctx);
    await app.get(CommandProcessor).handle(disputeDecider, STREAM, { type: 'AddNote', data: { text: 'abc' } }, ctx);
    expect((await store.readStream(STREAM))[1].data).toEqual({ seq: 1, text: 'abc' });
    await app.close();
  });
});
