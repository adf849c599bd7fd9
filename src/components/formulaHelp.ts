import { Formula } from '../types';

/** The one-line explanation shown under every formula picker. */
export const FORMULA_HELP: Record<Formula, string> = {
  realUsed:
    'usage − active file − inactive file (= working set − active file): memory the kernel cannot simply drop; what the OOM killer weighs.',
  usageMinusActiveFile:
    'usage − active file: the variant from the original analysis of log-heavy pods: keeps inactive cache, drops active.',
};

export const FORMULA_LABEL: Record<Formula, string> = {
  realUsed: 'Real used',
  usageMinusActiveFile: 'Usage − active file',
};
