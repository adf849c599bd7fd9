import { breakdownFrame } from '../frames/memoryFrames';
import { deriveBreakdown } from '../memory/derive';
import { BREAKDOWN_EXPLANATION } from '../memory/formula';
import { planBreakdown } from '../memory/plan';
import { ContainerView, containerRunner, formulaNotices } from './containerView';

/** View "breakdown": anon, active file, inactive file and other stacked up to usage; swap beside. */
export const runBreakdown = containerRunner({
  plan: () => planBreakdown(),
  wantsLimits: () => false,
  groupNotices: (_req, estimated) => formulaNotices(BREAKDOWN_EXPLANATION, estimated),
  frames: (_req, { groups }, frameContext) =>
    groups.map((group) => breakdownFrame(frameContext(group), deriveBreakdown(group))),
} satisfies ContainerView);
