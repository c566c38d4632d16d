import { runEventStoreContract } from './contract';
import { InMemoryEventStore } from './memory-store';

runEventStoreContract('memory', async () => {
  const store = new InMemoryEventStore();
  return {
    store,
    tamper: async (eventId, change) => store.tamperWithEvent(eventId, change),
  };
});
