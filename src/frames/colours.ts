/**
 * Colours by meaning, the same in every view, so one colour never means two things: page cache
 * in cool colours, memory the kernel cannot simply drop (real used, anon) in warm ones, the limit
 * red and the request orange. Names are Grafana's named colours, fixed per field
 * (`color.mode: 'fixed'`), so a new panel or Explore shows them without overrides.
 */
export const MEANING_COLOUR = {
  realUsed: 'yellow',
  usageMinusActiveFile: 'light-yellow',
  anon: 'dark-yellow',
  other: 'dark-orange',
  workingSet: 'purple',
  usage: 'text',
  activeFile: 'blue',
  inactiveFile: 'light-blue',
  swap: 'green',
  limit: 'red',
  request: 'orange',
  // Waiting for memory: distress, on its own % axis; dark red, apart from the limit's dashed red.
  pressure: 'dark-red',
} as const;

export type Meaning = keyof typeof MEANING_COLOUR;
