import { limitFields, limitNotice } from '../frames/headroomFrames';
import { realVsWorkingSetFrame } from '../frames/memoryFrames';
import { deriveRealVsWorkingSet } from '../memory/derive';
import { FORMULA_EXPLANATION } from '../memory/formula';
import { FetchPlan, planRealVsWorkingSet } from '../memory/plan';
import { pressureFields } from '../frames/pressureFields';
import { ContainerView, containerRunner, formulaNotices } from './containerView';

/** "Show pressure" adds PSI to the first round (absent series cost one empty answer). */
const withPressure = (plan: FetchPlan, show: boolean): FetchPlan => (show ? { ...plan, first: [...plan.first, 'pressure'] } : plan);

/**
 * View "real used vs working set": one frame per group; with "Show limits", dashed limit and request;
 * with "Show pressure", PSI on a right axis.
 */
export const runRealVsWorkingSet = containerRunner({
  plan: (req) => withPressure(planRealVsWorkingSet(req.formula, req.showUsage), req.showPressure),
  wantsLimits: (req) => req.showLimits,
  groupNotices: (req, estimated) => formulaNotices(FORMULA_EXPLANATION[req.formula], estimated),
  frames: (req, { groups, limits }, frameContext) =>
    groups.map((group) => {
      const base = frameContext(group);
      const groupLimits = limits.get(group.key);
      // "Show limits" on a group without a limit says so rather than drawing nothing silently.
      const ctx = req.showLimits ? { ...base, notices: [...base.notices, ...limitNotice(base.legend, groupLimits)] } : base;
      const frame = realVsWorkingSetFrame(ctx, deriveRealVsWorkingSet(group, req.formula), req.formula);
      const limitLines = req.showLimits ? limitFields(ctx, groupLimits) : [];
      const pressure = req.showPressure ? pressureFields(ctx, group.values.pressure) : { fields: [], notices: [] };
      return {
        ...frame,
        fields: [...frame.fields, ...limitLines, ...pressure.fields],
        meta: { ...frame.meta, notices: [...(frame.meta?.notices ?? []), ...pressure.notices] },
      };
    }),
} satisfies ContainerView);
