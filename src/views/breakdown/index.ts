import { breakdownFrame } from '../../frames/memoryFrames';
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
  frames: (_req, { groups }, frameContext) =>
    groups.map((group) => breakdownFrame(frameContext(group), deriveBreakdown(group))),
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
