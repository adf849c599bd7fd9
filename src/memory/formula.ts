/** The "real" figures a user can pick. Every text about them is here: notices, editor help, field descriptions. */
export const FORMULAS = ['realUsed', 'usageMinusActiveFile'] as const;
export type Formula = (typeof FORMULAS)[number];

export const FORMULA_FIELD_NAME: Record<Formula, string> = {
  realUsed: 'real used',
  usageMinusActiveFile: 'usage − active file',
};

export const FORMULA_LABEL: Record<Formula, string> = {
  realUsed: 'Real used',
  usageMinusActiveFile: 'Usage − active file',
};

/** The equation of each figure. */
export const FORMULA_EQUATION: Record<Formula, string> = {
  realUsed: 'usage − active file − inactive file (= working set − active file)',
  usageMinusActiveFile: 'usage − active file',
};

/** What each figure means to a user. */
export const FORMULA_MEANING: Record<Formula, string> = {
  realUsed: 'memory the kernel cannot simply drop; what the OOM killer weighs',
  usageMinusActiveFile: 'the variant from the original analysis of log-heavy pods: keeps inactive cache, drops active',
};

/** "real used = usage − …": the formula a frame was computed with. */
export const FORMULA_EXPLANATION: Record<Formula, string> = {
  realUsed: `${FORMULA_FIELD_NAME.realUsed} = ${FORMULA_EQUATION.realUsed}`,
  usageMinusActiveFile: `${FORMULA_FIELD_NAME.usageMinusActiveFile}: ${FORMULA_MEANING.usageMinusActiveFile}`,
};

/** The one-line explanation shown under every formula picker. */
export const FORMULA_HELP: Record<Formula, string> = {
  realUsed: `${FORMULA_EQUATION.realUsed}: ${FORMULA_MEANING.realUsed}.`,
  usageMinusActiveFile: `${FORMULA_EQUATION.usageMinusActiveFile}: ${FORMULA_MEANING.usageMinusActiveFile}.`,
};

export const BREAKDOWN_EXPLANATION = 'breakdown: anon + other + active file + inactive file = usage';
