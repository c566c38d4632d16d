import { SingleBar, Presets } from 'cli-progress';
import { CliExit, table, type Io } from '../io';
import type { CliContext } from '../context';

export const listProjections = async (ctx: CliContext, io: Io): Promise<void> => {
  await ctx.projections.prepare();
  const reports = await ctx.projections.reports();
  io.out(
    table(
      reports.map((r) => ({
        name: r.projection,
        status: r.status,
        version: r.version,
        generation: r.generation,
        checkpoint: r.position.toString(),
        head: r.lag.headPosition.toString(),
        behind: `${r.lag.eventsBehind}${r.lag.eventsBehindCapped ? '+' : ''}`,
        leaseOwner: r.leaseOwner ?? '',
        error: r.error?.message ?? '',
      })),
    ),
  );
};

/**
 * Rebuilds a read model from position 0 into shadow tables and swaps them in. This process
 * competes for the projection's lease; when a running platform holds it, the platform does the
 * work and this command follows its progress.
 */
export const rebuildProjection = async (ctx: CliContext, name: string, io: Io): Promise<void> => {
  const runner = ctx.projections.runners.get(name);
  if (!runner) throw new CliExit(2, `No projection named ${name} (known: ${[...ctx.projections.runners.keys()].join(', ')})`);
  // A bar on a terminal; a log file or a pipe gets one line instead of redraw sequences.
  const bar = io.isTty
    ? new SingleBar({ format: `rebuild ${name} [{bar}] {percentage}% | position {position}/{target}`, hideCursor: true, stream: process.stderr }, Presets.shades_classic)
    : undefined;
  if (bar) bar.start(100, 0, { position: '0', target: '?' });
  else io.err(`Rebuilding projection ${name}…`);
  await runner.start();
  try {
    await runner.rebuild({
      onProgress: (p) => bar?.update(Math.floor(p.fraction * 100), { position: p.position.toString(), target: p.targetPosition.toString() }),
    });
    bar?.update(100);
  } finally {
    bar?.stop();
    await runner.stop();
  }
  const status = await runner.status();
  io.out(`Projection ${name} rebuilt: generation ${status.generation}, checkpoint ${status.position}`);
};
