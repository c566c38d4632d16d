import { randomUUID } from 'node:crypto';
import { Command, CommanderError } from 'commander';
import { AuditLog, auditVerifyCommand, ErasureService, forgetSubjectCommand } from '@gongzhi/privacy';
import { CliExit, processIo, type Io } from './io';
import { openContext, type CliContext } from './context';
import { CONFIG_VARIABLES, ConfigError, loadConfig, type PlatformConfig } from '@gongzhi/platform-core';
import { tokenCommand } from './commands/token';
import { seedCommand } from './commands/seed';
import { historyCommand } from './commands/history';
import { verifyCommand } from './commands/verify';
import { listProjections, rebuildProjection } from './commands/projections';

const configHelp = `
Configuration (environment, same as the platform):
${CONFIG_VARIABLES.map(([name, meaning]) => `  ${name.padEnd(16)} ${meaning}`).join('\n')}
`;

/**
 * Builds the `gongzhi` program. `env` and `io` are parameters so tests run it in-process
 * against a temporary DATA_DIR.
 */
export const buildProgram = (io: Io = processIo, env: NodeJS.ProcessEnv = process.env): Command => {
  const config = (): PlatformConfig => loadConfig(env);
  const withContext = async <T>(runProjections: boolean, work: (ctx: CliContext) => Promise<T>): Promise<T> => {
    const ctx = await openContext(config(), { runProjections });
    try {
      return await work(ctx);
    } finally {
      await ctx.close();
    }
  };

  const program = new Command('gongzhi')
    .description('Gongzhi (共治) command line: tokens, demo data, stream history, hash-chain checks, projections')
    .addHelpText('after', configHelp)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });

  program
    .command('token')
    .description('mint a development JWT with the secret the platform verifies (JWT_SECRET or DATA_DIR/jwt-secret)')
    .requiredOption('--sub <subject>', 'user id (the token subject)')
    .requiredOption('--roles <roles>', 'comma-separated roles: admin, union-officer, league-officer, community-worker, grid-worker, analyst')
    .requiredOption('--org-unit <id>', "org unit the user acts from ('root' for the whole tree)")
    .option('--ttl <ttl>', 'lifetime: seconds or a duration such as 8h, 30m', '8h')
    .action((o: { sub: string; roles: string; orgUnit: string; ttl: string }) => tokenCommand(config(), o, io));

  program
    .command('seed')
    .description('create demo data through the command path (idempotent: fixed command ids)')
    .option('--demo', 'the demo organisation: 吳江市/松陵辦事處 and 11 communities, 汝城縣總工會, 共青團貴州省委')
    .action((o: { demo?: boolean }) => withContext(true, (ctx) => seedCommand(ctx, o, io)));

  program
    .command('history')
    .description("print a stream's events with their hash-chain check (exit 1 when broken)")
    .argument('<streamId>', 'e.g. org.org-unit-wujiang')
    .option('--json', 'full events as JSON')
    .action((streamId: string, o: { json?: boolean }) => withContext(false, (ctx) => historyCommand(ctx, streamId, o, io)));

  program
    .command('verify')
    .description('verify the hash chain of one stream or of all (exit 1 when any is broken)')
    .argument('[streamId]')
    .option('--all', 'every stream in the store')
    .action((streamId: string | undefined, o: { all?: boolean }) =>
      withContext(false, (ctx) => verifyCommand(ctx.store, { streamId, all: o.all }, io)),
    );

  const projections = program.command('projections').description('read-model projections');
  projections
    .command('list')
    .description('status, checkpoint and lag of every projection')
    .action(() => withContext(false, (ctx) => listProjections(ctx, io)));
  projections
    .command('rebuild')
    .description('rebuild a read model from position 0 (shadow tables, swapped in when caught up)')
    .argument('<name>')
    .action((name: string) => withContext(false, (ctx) => rebuildProjection(ctx, name, io)));

  const exitWith = (code: number): void => {
    if (code !== 0) throw new CliExit(code);
  };
  program
    .command('audit')
    .description('the audit log (unmasked reads, erasures, commands)')
    .command('verify')
    .description("recompute the audit log's hash chain and print its head (exit 1 when broken)")
    .action(() => withContext(false, async (ctx) => exitWith(await auditVerifyCommand(ctx.app.get(AuditLog), io))));

  program
    .command('forget-subject')
    .description('erase a data subject (PIPL Art 47): destroy their keys, blind index and read-model values; audited')
    .argument('<subjectId>', 'the opaque data subject id (a UUID)')
    .requiredOption('--basis <text>', 'legal basis, e.g. "PIPL Art 47(1): request 2024-17" (stored in clear: no personal data)')
    .option('--command-id <uuid>', 'idempotency key: a retry with the same id changes nothing')
    .option('--operator <userId>', 'who asks (recorded in the event and the audit log)', 'cli')
    .action((subjectId: string, o: { basis: string; commandId?: string; operator: string }) =>
      withContext(false, async (ctx) =>
        exitWith(
          await forgetSubjectCommand(
            ctx.app.get(ErasureService),
            subjectId,
            { basis: o.basis, commandId: o.commandId, operator: o.operator, correlationId: randomUUID() },
            io,
          ),
        ),
      ),
    );

  return program;
};

/** Runs the program and returns the exit code instead of exiting (tests); main.ts exits with it. */
export const runCli = async (argv: string[], io: Io = processIo, env: NodeJS.ProcessEnv = process.env): Promise<number> => {
  try {
    await buildProgram(io, env).parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' ? 0 : e.exitCode || 2;
    if (e instanceof CliExit) {
      if (e.message) io.err(e.message);
      return e.exitCode;
    }
    if (e instanceof ConfigError) {
      io.err(e.message);
      return 2;
    }
    io.err(`gongzhi: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
};
