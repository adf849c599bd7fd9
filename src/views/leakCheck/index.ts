import type { QueryResultMetaNotice } from '@grafana/data';

import { LeakRow, leakFrame, worstFirst } from '../../frames/leakFrames';
import { groupNotice } from '../../frames/noticesPerCause';
import { NOTE_NO_PSI } from '../../memory/pressure';
import { deriveRealVsWorkingSet } from '../../memory/derive';
import { fileCache } from '../../memory/figures';
import { FORMULA_EXPLANATION } from '../../memory/formula';
import { leakVerdict } from '../../memory/leakVerdict';
import { containerRunner } from '../../run/containerRunner';
import { formulaNotices } from '../../run/notices';
import { ALERT_TITLE } from '../../prometheus/copyable';
import { fixedChoice } from '../FixedChoice';
import { ViewDefinition } from '../view';

/** View "leak check": one table, one row and verdict per group. */
const run = containerRunner({
  // Real used and file cache → working set, active and inactive file; anon (rss) to say what grew;
  // PSI pressure (absent on cgroup v1 and older kubelets: then unknown, never 0).
  plan: () => ({
    first: ['workingSet', 'activeFile', 'inactiveFile', 'rss', 'pressure'],
    fallback: ['usage', 'cache'],
  }),
  wantsLimits: () => true,
  // A table with label columns: no legend to warn about.
  legend: false,
  // "Which containers leak?": the fastest growing real used.
  rankBy: () => 'growth',
  copyable: (_req, f) => [
    { title: 'real used', expr: f.realUsed },
    { title: ALERT_TITLE, expr: f.alert },
  ],
  groupNotices: (_req, estimated, group) => formulaNotices(FORMULA_EXPLANATION.realUsed, estimated, group),
  frames: (req, { groups, limits, groupLabelNames, executed }, frameContext) => {
    // The table is one frame; its notices are said once per cause by the runner.
    const notices: QueryResultMetaNotice[] = [];
    const rows: LeakRow[] = groups.map((group) => {
      const ctx = frameContext(group);
      notices.push(...ctx.notices);
      const { activeFile, inactiveFile, rss, pressure } = group.values;
      const { real, workingSet } = deriveRealVsWorkingSet(group, 'realUsed');
      const result = leakVerdict({
        times: group.timestamps,
        realUsed: real,
        fileCache: group.timestamps.map((_, i) => fileCache(activeFile?.[i] ?? null, inactiveFile?.[i] ?? null)),
        anon: rss ?? null,
        workingSet,
        limit: limits.get(group.key)?.limit,
        // No PSI series for the group: pressure unknown (cgroup v1, kubelet < 1.34), never 0.
        pressure: pressure ?? null,
      });
      // No PSI: said once for the table (one notice per cause), not on every row.
      if (result.notes.includes(NOTE_NO_PSI)) {
        notices.push(groupNotice('info', `Memory pressure unknown: ${NOTE_NO_PSI}`, ctx.legend));
      }
      return { labels: ctx.labels, result: { ...result, notes: result.notes.filter((n) => n !== NOTE_NO_PSI) } };
    });
    return [leakFrame(req.refId, groupLabelNames, worstFirst(rows), notices, executed.join('\n'))];
  },
});

export const leakCheck: ViewDefinition = {
  label: 'Leak check',
  description: 'growth of real used and of page cache over the range, one row per group',
  kind: 'containers',
  run,
  legend: false,
  editor: {
    Choice: fixedChoice('Panel', 'Table'),
    help: () =>
      'One row per group with slopes and a verdict: show it in a Table panel (a time series panel draws nothing).',
    helpIcon: 'table',
  },
};
