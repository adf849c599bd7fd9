/** The "real" figures a user can pick; explained in README and under the editor's picker. */
export type Formula = 'realUsed' | 'usageMinusActiveFile';

export const FORMULA_FIELD_NAME: Record<Formula, string> = {
  realUsed: 'real used',
  usageMinusActiveFile: 'usage − active file',
};

export const FORMULA_EXPLANATION: Record<Formula, string> = {
  realUsed: 'real used = usage − active file − inactive file (= working set − active file)',
  usageMinusActiveFile: 'usage − active file: the variant from the original analysis of log-heavy pods; keeps inactive cache',
};
