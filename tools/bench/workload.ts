import { randomUUID } from 'node:crypto';

/** Scales of a run: the full run of issue 9, `--quick` for CI-like checks, `smoke` for the test suite. */
export interface Sizes {
  events: number;
  streams: number;
  rehydrateEvents: number;
  catchUpEvents: number;
  memoryEvents: number;
  e2eMutations: number;
  repeats: number;
}

export const SIZES: Record<'full' | 'quick' | 'smoke', Sizes> = {
  full: { events: 20_000, streams: 1_000, rehydrateEvents: 1_000, catchUpEvents: 100_000, memoryEvents: 1_000_000, e2eMutations: 400, repeats: 3 },
  quick: { events: 2_000, streams: 200, rehydrateEvents: 1_000, catchUpEvents: 20_000, memoryEvents: 100_000, e2eMutations: 100, repeats: 3 },
  smoke: { events: 60, streams: 8, rehydrateEvents: 50, catchUpEvents: 300, memoryEvents: 500, e2eMutations: 10, repeats: 1 },
};

/** A ~300-byte `VolunteerHoursCredited` payload, the workload of issue 9. */
export const hoursCredited = (i: number) => ({
  volunteerId: randomUUID(),
  activityId: randomUUID(),
  organizerOrgUnitId: 'a3f1c2d4-5b6e-4f70-8a9b-0c1d2e3f4a5b',
  hours: (i % 8) + 0.5,
  serviceDate: '2026-11-24',
  category: 'community-elderly-care',
  recordedBy: 'league-officer-17',
  note: 'Weekly visit to elderly residents in the Shuixiang community',
});

export const PAYLOAD_BYTES = Buffer.byteLength(JSON.stringify(hoursCredited(0)));

export const metadataFor = (commandId: string) => ({
  commandId,
  correlationId: commandId,
  causationId: commandId,
  actor: { userId: 'bench' },
  orgUnitPath: '/bench/',
  occurredAt: '2026-11-25T00:00:00.000Z',
  schemaVersion: 1,
});

/** Runs `total` jobs with `concurrency` workers; each worker takes the next index. */
export async function runConcurrent(total: number, concurrency: number, job: (i: number, worker: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      for (;;) {
        const i = next++;
        if (i >= total) return;
        await job(i, worker);
      }
    }),
  );
}
