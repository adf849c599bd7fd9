import { limitFields, limitNotice } from '../../frames/headroomFrames';
import { realVsWorkingSetFrame } from '../../frames/memoryFrames';
import { pressureFields } from '../../frames/pressureFields';
import { deriveRealVsWorkingSet } from '../../memory/derive';
import { FORMULA_EXPLANATION, FORMULA_FIELD_NAME, FORMULA_HELP, FORMULA_LABEL } from '../../memory/formula';
import { ALERT_TITLE } from '../../prometheus/copyable';
import { FetchPlan } from '../../memory/plan';
import { MetricKey } from '../../memory/series';
import { containerRunner } from '../../run/containerRunner';
import { formulaNotices } from '../../run/notices';
import { RunRequest } from '../../run/request';
import { DEFAULT_FORMULA } from '../../types';
import { ViewDefinition } from '../view';
import { FormulaField } from './FormulaField';
import { LinesOptions } from './LinesOptions';

/**
 * Working set and active file (real used = ws − active file); usage for the variant or "Show usage";
 * PSI with "Show pressure" (absent series cost one empty answer).
 */
function plan(req: RunRequest): FetchPlan {
  const first: MetricKey[] = ['workingSet', 'activeFile'];
  if (req.formula === 'usageMinusActiveFile' || req.showUsage) {
    first.push('usage');
  }
  const fallback = (['usage', 'cache'] as const).filter((m) => !first.includes(m));
  return { first: req.showPressure ? [...first, 'pressure'] : first, fallback };
}

/**
 * View "real used vs working set": one frame per group; with "Show limits", dashed limit and request;
 * with "Show pressure", PSI on a right axis.
 */
const run = containerRunner({
  plan,
  wantsLimits: (req) => req.showLimits,
  legend: true,
  groupNotices: (req, estimated, group) => formulaNotices(FORMULA_EXPLANATION[req.formula], estimated, group),
  copyable: (req, f) => [
    { title: 'working set', expr: f.workingSet },
    { title: FORMULA_FIELD_NAME[req.formula], expr: req.formula === 'realUsed' ? f.realUsed : f.usageMinusActiveFile },
    ...(req.showUsage ? [{ title: 'usage', expr: f.usage }] : []),
    ...(req.showLimits
      ? [
          { title: 'limit', expr: f.limit },
          { title: 'request', expr: f.request },
        ]
      : []),
    { title: ALERT_TITLE, expr: f.alert },
  ],
  frames: (req, { groups, limits }, frameContext) =>
    groups.map((group) => {
      const base = frameContext(group);
      const groupLimits = limits.get(group.key);
      // "Show limits" on a group without a limit says so rather than drawing nothing silently.
      const ctx = req.showLimits
        ? { ...base, notices: [...base.notices, ...limitNotice(base.legend, groupLimits)] }
        : base;
      const derived = deriveRealVsWorkingSet(group, req.formula);
      // Usage is fetched for the formula variant and as the fallback's input too: drawn only when asked.
      const shownSeries = req.showUsage ? derived : { ...derived, usage: undefined };
      const frame = realVsWorkingSetFrame(ctx, shownSeries, req.formula);
      const limitLines = req.showLimits ? limitFields(ctx, groupLimits) : [];
      const pressure = req.showPressure ? pressureFields(ctx, group.values.pressure) : { fields: [], notices: [] };
      return {
        ...frame,
        fields: [...frame.fields, ...limitLines, ...pressure.fields],
        meta: { ...frame.meta, notices: [...(frame.meta?.notices ?? []), ...pressure.notices] },
      };
    }),
});

const shown = (on: boolean | undefined) => (on ? 'shown' : 'off');

export const realVsWorkingSet: ViewDefinition = {
  label: 'Real used vs working set',
  description: 'working set (thin) beside real used (thick): is it memory or page cache?',
  kind: 'containers',
  run,
  legend: true,
  limits: { shown: (query) => Boolean(query.showLimits), without: 'no limit line for them' },
  editor: {
    Choice: FormulaField,
    Options: LinesOptions,
    help: (formula) => FORMULA_HELP[formula],
    helpTestId: 'formula-help',
    summary: (query) => [
      `Usage: ${shown(query.showUsage)}`,
      `Limits: ${shown(query.showLimits)}`,
      `Pressure: ${shown(query.showPressure)}`,
    ],
  },
  displayText: {
    titleSuffix: (_query, formula) => (formula !== DEFAULT_FORMULA ? ` (${FORMULA_LABEL[formula]})` : ''),
  },
};
