import type { Scenario } from './harness';
import type { Sizes } from './workload';

/** Gongzhi's own scenarios (stores, command path, projections, platform), each with its baseline. */
export function gongzhiScenarios(_sizes: Sizes, _env: { pgUrl?: string }): Scenario[] {
  return [];
}
