import { Breakdown } from './derive';
import { Sample } from './series';

/**
 * The breakdowns of several groups added into one, band by band, on the union of their times.
 * A group without a sample at a time (it stopped, or started later) adds nothing there; a time
 * where no group has a band's sample stays a gap (null), never 0.
 */
export function sumBreakdowns(items: Array<{ timestamps: number[]; breakdown: Breakdown }>): {
  timestamps: number[];
  breakdown: Breakdown;
} {
  const timestamps = Array.from(new Set(items.flatMap((i) => i.timestamps))).sort((a, b) => a - b);
  const index = new Map(timestamps.map((t, i) => [t, i]));
  const band = (pick: (b: Breakdown) => Sample[] | undefined): Sample[] => {
    const out: Sample[] = new Array(timestamps.length).fill(null);
    for (const { timestamps: own, breakdown } of items) {
      const values = pick(breakdown);
      own.forEach((t, i) => {
        const v = values?.[i];
        if (v !== null && v !== undefined) {
          const at = index.get(t)!;
          out[at] = (out[at] ?? 0) + v;
        }
      });
    }
    return out;
  };
  const swapped = items.some((i) => i.breakdown.swap);
  return {
    timestamps,
    breakdown: {
      anon: band((b) => b.anon),
      other: band((b) => b.other),
      activeFile: band((b) => b.activeFile),
      inactiveFile: band((b) => b.inactiveFile),
      ...(swapped ? { swap: band((b) => b.swap) } : {}),
    },
  };
}
