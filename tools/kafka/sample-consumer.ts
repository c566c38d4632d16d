// Prints Gongzhi's integration events as they arrive, once per CloudEvents id (the relay may
// resend after a crash: consumers deduplicate by id).
//   node -r ./tools/bin/register.js tools/kafka/sample-consumer.ts [topic …]
// Default topics: every gongzhi.<context>.events.v1. KAFKA_BROKERS defaults to 127.0.0.1:19092.
import { randomUUID } from 'node:crypto';
import { parseCloudEvent } from '@gongzhi/messaging';
import { KafkaMessaging } from '@gongzhi/messaging-kafkajs';

const topics = process.argv.slice(2);
const kafka = new KafkaMessaging({ brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(','), clientId: 'sample-consumer' });
const seen = new Set<string>();

void kafka.consumer
  .run({
    topics: topics.length ? topics : ['community', 'union', 'youth-league', 'privacy'].map((c) => `gongzhi.${c}.events.v1`),
    groupId: process.env.GROUP_ID ?? `sample-consumer-${randomUUID()}`,
    handler: async (message) => {
      const event = parseCloudEvent(message.value);
      if (seen.has(event.id)) return; // a resend: already handled
      seen.add(event.id);
      console.log(`${event.time} ${event.type} subject=${event.subject} id=${event.id}\n  ${JSON.stringify(event.data)}`);
    },
  })
  .then((running) => {
    console.log('listening (Ctrl-C to stop)');
    process.once('SIGINT', () => void running.stop().then(() => kafka.close()));
  });
