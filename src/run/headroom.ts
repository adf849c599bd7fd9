import { headroomFrame } from '../frames/headroomFrames';
import { deriveRealVsWorkingSet } from '../memory/derive';
import { FORMULA_EXPLANATION } from '../memory/formula';
import { headroom } from '../memory/headroom';
import { planHeadroom } from '../memory/plan';
import { ContainerView, containerRunner, formulaNotices } from './containerView';

/** View "headroom": room before an OOM kill (limit − real used) beside the kubelet's (limit − working set). */
export const runHeadroom = containerRunner({
  plan: () => planHeadroom(),
  wantsLimits: () => true,
  // Headroom always uses real used, whatever formula the query picked.
  groupNotices: (_req, estimated) => formulaNotices(FORMULA_EXPLANATION.realUsed, estimated),
  frames: (req, { groups, limits }, frameContext) =>
    groups.map((group) => {
      const { real, workingSet } = deriveRealVsWorkingSet(group, 'realUsed');
      return headroomFrame(
        frameContext(group),
        headroom({ limit: limits.get(group.key)?.limit, realUsed: real, workingSet }),
        req.headroomUnit
      );
    }),
} satisfies ContainerView);
