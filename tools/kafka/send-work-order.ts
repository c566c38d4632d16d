// Sends one hotline work order to gongzhi.inbound.work-orders.v1 (the schema is in README.md).
//   node -r ./tools/bin/register.js tools/kafka/send-work-order.ts [file.json]
// Without a file: a sample order for the demo's 城中社區 (unit `songling-chengzhong` of `gongzhi seed --demo`; override with
// UNIT_CODE). Prints the message id, which becomes the command id.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { INBOUND_WORK_ORDERS_TOPIC, WORK_ORDER_EVENT_TYPE } from '@gongzhi/integration';
import { KafkaMessaging } from '@gongzhi/messaging-kafkajs';

const file = process.argv[2];
const now = new Date().toISOString();
const event = file
  ? JSON.parse(readFileSync(file, 'utf8'))
  : {
      specversion: '1.0',
      id: randomUUID(),
      source: '/hotline/12345/wujiang',
      type: WORK_ORDER_EVENT_TYPE,
      time: now,
      datacontenttype: 'application/json',
      data: {
        ticketNumber: `WJ${now.slice(0, 10).replace(/-/g, '')}${String(Date.now() % 100000).padStart(5, '0')}`,
        category: 'component.public-facilities.manhole-cover',
        matterType: 'report',
        description: '中山路與仲英大道路口人行道井蓋缺失，夜間行人易絆倒',
        location: { address: '松陵鎮中山路與仲英大道路口東北角人行道', latitude: 31.1613, longitude: 120.6452 },
        communityCode: process.env.UNIT_CODE ?? 'songling-chengzhong',
        callerRef: `12345-caller-${randomUUID().slice(0, 8)}`,
        caller: { name: '王女士', phone: '13912345678', wantsReply: true },
        timeLimitWorkingDays: 3,
        dispatchedAt: now,
      },
    };

const kafka = new KafkaMessaging({ brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(','), clientId: 'send-work-order' });
void kafka.publisher
  .publish(process.env.TOPIC ?? INBOUND_WORK_ORDERS_TOPIC, [{ key: event.data?.ticketNumber ?? event.id, value: JSON.stringify(event) }])
  .then(([placed]) => console.log(`sent work order ${event.data?.ticketNumber} as message ${event.id} → ${placed.topic}/${placed.partition}@${placed.offset}`))
  .finally(() => kafka.close());
