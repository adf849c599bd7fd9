/**
 * A namespace's or cluster's total of right-sizing: the sums over its groups of the page cache that
 * sizing by working set reserves, and of memory requests as they are and as recommended by real
 * used (sizeGroup.ts). Groups without peaks (noData) are counted but not summed; a group without a
 * current request counts 0 towards the current total and is counted in withoutRequest, so a
 * "saving" that is really a missing request can be told apart. tooShort and leaking groups are
 * summed (their figures are real) and counted, for the view to qualify the total.
 *
 * Pure: no Grafana imports.
 */
import { Sizing } from './sizeGroup';

export interface SizingTotal {
  /** Groups given, sized or not. */
  groups: number;
  /** Groups with figures (not noData): the ones summed. */
  sized: number;
  /** Bytes. */
  reservedForPageCache: number;
  /** Sum of current requests, bytes; a missing one counts 0. */
  currentRequests: number;
  /** Sum of recommended requests, bytes. */
  recommendedRequests: number;
  /** Sized groups without a current request. */
  withoutRequest: number;
  tooShort: number;
  leaking: number;
}

export function sizingTotal(sizings: readonly Sizing[]): SizingTotal {
  const total: SizingTotal = {
    groups: sizings.length,
    sized: 0,
    reservedForPageCache: 0,
    currentRequests: 0,
    recommendedRequests: 0,
    withoutRequest: 0,
    tooShort: 0,
    leaking: 0,
  };
  for (const s of sizings) {
    if (s.status === 'noData') {
      continue;
    }
    total.sized++;
    total.reservedForPageCache += s.reservedForPageCache ?? 0;
    total.recommendedRequests += s.recommended.request;
    const req = s.current.request;
    if (req !== undefined && Number.isFinite(req)) {
      total.currentRequests += req;
    } else {
      total.withoutRequest++;
    }
    total.tooShort += s.status === 'tooShort' ? 1 : 0;
    total.leaking += s.status === 'leaking' ? 1 : 0;
  }
  return total;
}
