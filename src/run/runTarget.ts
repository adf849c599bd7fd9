import { MemoryView } from '../types';
import { runBreakdown } from './breakdown';
import { runHeadroom } from './headroom';
import { runLeakCheck } from './leakCheck';
import { runNodes } from './nodes';
import { runRealVsWorkingSet } from './realVsWorkingSet';
import { Runner } from './request';

/**
 * One runner per view. Adding a view: a runner here, a frame builder in frames/, an entry in the
 * query editor's view list (and in queryModel.ts' allowed values, which derive from MemoryView).
 */
export const RUNNERS: Record<MemoryView, Runner> = {
  realVsWorkingSet: runRealVsWorkingSet,
  breakdown: runBreakdown,
  headroom: runHeadroom,
  leakCheck: runLeakCheck,
  nodes: runNodes,
};

export { runEvents } from './events';
