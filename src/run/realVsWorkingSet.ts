import { limitFields, limitNotice } from '../frames/headroomFrames';
import { realVsWorkingSetFrame } from '../frames/memoryFrames';
import { deriveRealVsWorkingSet } from '../memory/derive';
import { FORMULA_EXPLANATION } from '../memory/formula';
import { planRealVsWorkingSet } from '../memory/plan';
import { ContainerView, containerRunner, formulaNotices } from './containerView';

/** View "real used vs working set": one frame per group; with "Show limits", dashed limit and request. */
export const runRealVsWorkingSet = containerRunner({
  plan: (req) => planRealVsWorkingSet(req.formula, req.showUsage),
  wantsLimits: (req) => req.showLimits,
  groupNotices: (req, estimated) => formulaNotices(FORMULA_EXPLANATION[req.formula], estimated),
  frames: (req, { groups, limits }, frameContext) =>
    groups.map((group) => {
      const base = frameContext(group);
      const groupLimits = limits.get(group.key);
      // "Show limits" on a group without a limit says so rather than drawing nothing silently.
      const ctx = req.showLimits ? { ...base, notices: [...base.notices, ...limitNotice(base.legend, groupLimits)] } : base;
      const frame = realVsWorkingSetFrame(ctx, deriveRealVsWorkingSet(group, req.formula), req.formula);
      return req.showLimits ? { ...frame, fields: [...frame.fields, ...limitFields(ctx, groupLimits)] } : frame;
    }),
} satisfies ContainerView);
