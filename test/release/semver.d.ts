// The two functions of semver (already a dev dependency, without its types package) that the
// release checks use, as npm's semver documents them.
declare module 'semver' {
  /** The normalised range, or null when `range` is not a valid range. */
  export function validRange(range: string): string | null;
  /** Whether `version` is inside `range`. */
  export function satisfies(version: string, range: string): boolean;
}
