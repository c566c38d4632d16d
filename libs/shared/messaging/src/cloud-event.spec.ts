import { HTTP, Kafka, type CloudEventV1, type KafkaMessage } from 'cloudevents';
import { CLOUDEVENTS_CONTENT_TYPE, cloudEventMessage, parseCloudEvent, toCloudEvent } from './cloud-event';
import { isInvalidCloudEventError } from './errors';

const input = {
  id: '0b7c3f5e-8f7a-5c57-9a53-2f4f3f0e9d11',
  source: '/gongzhi/union',
  type: 'gongzhi.union.labor-dispute.filed.v1',
  subject: 'dispute-42',
  time: '2026-03-01T08:30:00.000Z',
  data: { disputeId: 'dispute-42', category: 'wages' },
};

describe('toCloudEvent', () => {
  it('builds a CloudEvents 1.0 envelope with JSON data', () => {
    expect(toCloudEvent(input)).toEqual({
      specversion: '1.0',
      datacontenttype: 'application/json',
      ...input,
    });
  });

  it('turns a Date into an RFC 3339 time', () => {
    expect(toCloudEvent({ ...input, time: new Date('2026-03-01T08:30:00Z') }).time).toBe('2026-03-01T08:30:00.000Z');
  });

  it.each([
    [{ ...input, id: '' }, 'id'],
    [{ ...input, source: '' }, 'source'],
    [{ ...input, type: '' }, 'type'],
    [{ ...input, time: '1 March 2026' }, 'time'],
    [{ ...input, extensions: { Bad_Name: 'x' } }, 'extension'],
    [{ ...input, extensions: { data: 'x' } }, 'extension'],
  ])('rejects invalid input (%#: %s)', (bad, attribute) => {
    let error: unknown;
    try {
      toCloudEvent(bad as never);
    } catch (e) {
      error = e;
    }
    expect(isInvalidCloudEventError(error)).toBe(true);
    expect((error as Error).message).toContain(attribute);
    expect((error as { retriable: boolean }).retriable).toBe(false);
  });

  it('is accepted by the CloudEvents SDK in structured mode (HTTP and Kafka bindings)', () => {
    const event = toCloudEvent({ ...input, extensions: { orgunit: 'cn-sh-pd' } });
    const viaHttp = HTTP.toEvent({
      headers: { 'content-type': CLOUDEVENTS_CONTENT_TYPE },
      body: JSON.stringify(event),
    }) as CloudEventV1<unknown>;
    expect(viaHttp.id).toBe(input.id);
    expect(viaHttp.type).toBe(input.type);
    expect(viaHttp.subject).toBe('dispute-42');
    expect(viaHttp.data).toEqual(input.data);
    expect(viaHttp.orgunit).toBe('cn-sh-pd');

    const message = cloudEventMessage(event, 'union.labor-dispute-42');
    const kafkaMessage: KafkaMessage<string> = {
      key: message.key as string,
      value: message.value as string,
      headers: message.headers as Record<string, string>,
      body: message.value as string,
    };
    const viaKafka = Kafka.toEvent(kafkaMessage) as CloudEventV1<unknown>;
    expect(viaKafka.id).toBe(input.id);
    expect(viaKafka.data).toEqual(input.data);
  });
});

describe('parseCloudEvent', () => {
  it('round-trips what toCloudEvent produced', () => {
    const event = toCloudEvent(input);
    expect(parseCloudEvent(Buffer.from(JSON.stringify(event)))).toEqual(event);
  });

  it.each([
    ['not json', '{nope', 'JSON'],
    ['an array', '[1,2]', 'object'],
    ['a tombstone', null, 'tombstone'],
    ['specversion 0.3', JSON.stringify({ ...toCloudEvent(input), specversion: '0.3' }), 'specversion'],
    ['no id', JSON.stringify({ ...toCloudEvent(input), id: undefined }), 'id'],
    ['a bad time', JSON.stringify({ ...toCloudEvent(input), time: 'yesterday' }), 'time'],
    ['xml data', JSON.stringify({ ...toCloudEvent(input), datacontenttype: 'application/xml' }), 'datacontenttype'],
  ])('rejects %s with a non-retriable InvalidCloudEventError', (_label, value, fragment) => {
    expect(() => parseCloudEvent(value)).toThrow(expect.objectContaining({ code: 'MESSAGING.INVALID_CLOUD_EVENT', retriable: false }));
    expect(() => parseCloudEvent(value)).toThrow(fragment);
  });
});
