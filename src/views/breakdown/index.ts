import type { QueryResultMetaNotice } from '@grafana/data';

import { breakdownFrame } from '../../frames/memoryFrames';
import { groupNoun } from '../../frames/noticesPerCause';
import { FEW_GROUPS } from '../../frames/shades';
import { sumBreakdowns } from '../../memory/sumBreakdowns';
import { deriveBreakdown } from '../../memory/derive';
import { BREAKDOWN_EXPLANATION } from '../../memory/formula';
import { containerRunner } from '../../run/containerRunner';
import { ALERT_TITLE } from '../../prometheus/copyable';
import { formulaNotices } from '../../run/notices';
import { fixedChoice } from '../FixedChoice';
import { ViewDefinition } from '../view';

/** View "breakdown": anon, active file, inactive file and other stacked up to usage; swap beside. */
const run = containerRunner({
  // swap costs one cheap instant probe unless some group swapped (run/groups.ts, fetchSwap).
  plan: () => ({ first: ['usage', 'rss', 'activeFile', 'inactiveFile', 'swap'], fallback: ['workingSet', 'cache'] }),
  wantsLimits: () => false,
  legend: true,
  groupNotices: (_req, estimated, group) => formulaNotices(BREAKDOWN_EXPLANATION, estimated, group),
  copyable: (_req, f) => [
    { title: 'anon', expr: f.anon },
    { title: 'other', expr: f.other },
    { title: 'active file', expr: f.activeFile },
    { title: 'inactive file', expr: f.inactiveFile },
    { title: 'real used (the top of other)', expr: f.realUsed },
    { title: ALERT_TITLE, expr: f.alert },
  ],
  frames: (req, { groups }, frameContext) => {
    if (groups.length <= FEW_GROUPS) {
      return groups.map((group) => breakdownFrame(frameContext(group), deriveBreakdown(group)));
    }
    // Sixty stacks drawn over each other cannot be read: one stack, the groups' sum, and how to get one each.
    const contexts = groups.map(frameContext);
    const summed = sumBreakdowns(groups.map((g) => ({ timestamps: g.timestamps, breakdown: deriveBreakdown(g) })));
    const common = commonLabels(contexts.map((c) => c.labels));
    const noun = groupNoun(req.groupBy);
    const legend = `${groups.length} ${noun}`;
    const notice: QueryResultMetaNotice = {
      severity: 'info',
      text:
        `Breakdown of the ${groups.length} ${noun} shown, summed into one stack: ${groups.length} stacks cannot be ` +
        `read on one graph. For a stack each, narrow the selection to ${FEW_GROUPS} or fewer (a filter, or Top ` +
        `${FEW_GROUPS}), or repeat this panel by a pod variable.`,
    };
    const ctx = {
      ...contexts[0],
      timestamps: summed.timestamps,
      labels: common,
      legend,
      notices: [...contexts.flatMap((c) => c.notices), notice],
    };
    return [breakdownFrame(ctx, summed.breakdown)];
  },
});

export const breakdown: ViewDefinition = {
  label: 'Breakdown',
  description: 'anon, other, active file and inactive file, stacked to usage',
  kind: 'containers',
  run,
  legend: true,
  editor: {
    Choice: fixedChoice('Stacked to usage', 'anon, other, active, inactive file'),
    help: () =>
      'The band edges read real used (anon + other), working set (+ active file) and usage (+ inactive file).',
  },
};

/** The labels every group has with the same value (e.g. the namespace of a namespace's containers). */
function commonLabels(all: Array<Record<string, string>>): Record<string, string> {
  const [first, ...rest] = all;
  return Object.fromEntries(Object.entries(first ?? {}).filter(([k, v]) => rest.every((l) => l[k] === v)));
}
