import { v5 as uuidv5 } from 'uuid';
import { systemPrincipal } from '@gongzhi/auth';
import type { CommandResult } from '@gongzhi/eventsourcing';
import { AssignRoleCommand, CreateOrgUnitCommand, RegisterStaffCommand } from '@gongzhi/org';
import { seedLaborDisputeDemo } from '@gongzhi/union';
import { seedYouthLeagueDemo } from '@gongzhi/youth-league';
import { seedCommunityDemo } from '@gongzhi/community';
import { CliExit, type Io } from '../io';
import type { CliContext } from '../context';
import { DEMO_UNITS } from '../demo-data';

/** Namespace of the demo's command ids: the same step always carries the same commandId. */
const DEMO_NAMESPACE = '6f0c2b52-4f7e-5a8e-9c1d-3b2a1e0d9c8b';
const commandIdFor = (step: string): string => uuidv5(`gongzhi-demo:${step}`, DEMO_NAMESPACE);

/**
 * Builds the demo organisation through the command path (the same handlers the GraphQL
 * mutations use), so every event is attributable and validated. Each step has a fixed
 * commandId: a second run replays every command and appends nothing.
 */
export const seedCommand = async (ctx: CliContext, o: { demo?: boolean }, io: Io): Promise<void> => {
  if (!o.demo) throw new CliExit(2, 'seed needs --demo (the only dataset so far)');
  const principal = systemPrincipal('gongzhi-cli-seed');
  const meta = (step: string) => ({ correlationId: 'seed-demo', commandId: commandIdFor(step) });
  let appended = 0;
  let replayed = 0;
  const count = (r: CommandResult) => (r.idempotentReplay ? replayed++ : (appended += r.events.length));

  for (const unit of DEMO_UNITS) {
    count(
      await ctx.commandBus.execute(
        new CreateOrgUnitCommand(
          { orgUnitId: unit.id, name: unit.name, kind: unit.kind, parentId: unit.parent },
          principal,
          meta(`unit:${unit.id}`),
        ),
      ),
    );
  }
  let staffCount = 0;
  for (const unit of DEMO_UNITS) {
    for (const s of unit.staff ?? []) {
      staffCount++;
      count(
        await ctx.commandBus.execute(
          new RegisterStaffCommand({ staffId: s.id, displayName: s.displayName, orgUnitId: unit.id }, principal, meta(`staff:${s.id}`)),
        ),
      );
      count(
        await ctx.commandBus.execute(
          new AssignRoleCommand(
            { staffId: s.id, role: s.role, orgUnitId: unit.id, scope: s.scope },
            principal,
            meta(`role:${s.id}:${s.role}`),
          ),
        ),
      );
    }
  }
  await ctx.projections.settle(30_000);
  // Labor disputes in every state under 汝城縣總工會 and the 吳江 unions, backdated from today.
  const disputes = await seedLaborDisputeDemo(ctx.app, { now: new Date() });
  await ctx.projections.settle(30_000);
  io.out(
    `Demo organisation: ${DEMO_UNITS.length} org units, ${staffCount} staff members. ` +
      `${appended} event(s) appended, ${replayed} command(s) already done.`,
  );
  // 共青團貴州省委's 春暉行動 and 綠絲帶, volunteers, and 二村社區's 愛心時間銀行.
  const league = await seedYouthLeagueDemo(ctx.app, { now: new Date(), settle: () => ctx.projections.settle(30_000) });
  await ctx.projections.settle(30_000);
  io.out(`Labor disputes: ${disputes.disputes} (${disputes.appended} event(s) appended, ${disputes.replayed} command(s) already done).`);
  io.out(
    `Youth League: ${league.campaigns} campaigns, ${league.activities} volunteer activities, ${league.volunteers} volunteers ` +
      `(${league.appended} event(s) appended, ${league.replayed} command(s) already done).`,
  );
  // Grids in 松陵辦事處's 11 communities, grid cases and 12345 orders in every state, backdated from today.
  const communities = DEMO_UNITS.filter((u) => u.kind === 'community' && u.parent === 'songling');
  const community = await seedCommunityDemo(ctx.app, { now: new Date(), communities });
  await ctx.projections.settle(30_000);
  io.out(
    `Community: ${community.grids} grids, ${community.incidents} incidents ` +
      `(${community.appended} event(s) appended, ${community.replayed} command(s) already done).`,
  );
  io.out('Try: npx gongzhi token --sub wujiang-admin --roles admin --org-unit wujiang');
};
