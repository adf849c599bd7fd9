/**
 * The kubelet's memory eviction thresholds as the kubelet reads them (`--eviction-hard
 * memory.available<100Mi`, `evictionHard: {memory.available: "5%"}`): a Kubernetes quantity
 * (`100Mi`, `500M`, `1Gi`, `1.5e9`) or a percentage of the node's capacity (`5%`).
 * Pure: no Grafana imports.
 */

export type EvictionThreshold = { bytes: number; percent?: undefined } | { percent: number; bytes?: undefined };

export type ThresholdParse = { ok: true; threshold: EvictionThreshold } | { ok: false; error: string };

// Kubernetes' quantity suffixes (k8s.io/apimachinery/pkg/api/resource): binary and decimal SI.
const MULTIPLIER: Record<string, number> = {
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

// Valid quantities for CPU, but fractions of a byte for memory: "100m" is almost always a typo for 100Mi or 100M.
const SUB_UNIT = new Set(['m', 'u', 'n']);

const QUANTITY = /^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(?:([eE][+-]?[0-9]+)|([a-zA-Z]*))$/;
const PERCENT = /^([0-9]+(?:\.[0-9]*)?|\.[0-9]+)%$/;

/** Parses one threshold; an error says what is wrong with the text, for a message that names the field. */
export function parseEvictionThreshold(text: string): ThresholdParse {
  const value = text.trim();
  if (value === '') {
    return { ok: false, error: 'is empty; give a quantity such as 100Mi or a percentage such as 5%' };
  }
  const percent = PERCENT.exec(value);
  if (percent) {
    const p = Number(percent[1]);
    // The kubelet ignores 0% and 100%: no threshold at all.
    if (p <= 0 || p >= 100) {
      return { ok: false, error: `"${value}" must be a percentage above 0% and below 100% of the node's capacity` };
    }
    return { ok: true, threshold: { percent: p } };
  }
  const quantity = QUANTITY.exec(value);
  if (!quantity) {
    return {
      ok: false,
      error: `"${value}" is not a Kubernetes quantity (e.g. 100Mi, 500M, 1Gi) or a percentage of capacity (e.g. 5%)`,
    };
  }
  const [, number, exponent, suffix = ''] = quantity;
  if (SUB_UNIT.has(suffix)) {
    return {
      ok: false,
      error: `"${value}" is a fraction of a byte ("${suffix}" is a thousandth or less); did you mean ${number}Mi or ${number}M?`,
    };
  }
  const multiplier = exponent !== undefined ? 10 ** Number(exponent.slice(1)) : MULTIPLIER[suffix];
  if (multiplier === undefined) {
    return {
      ok: false,
      error: `"${value}" has an unknown unit "${suffix}"; use Ki, Mi, Gi, Ti (powers of 1024) or k, M, G, T (powers of 1000)`,
    };
  }
  // The kubelet rounds a memory quantity up to whole bytes.
  const bytes = Math.ceil(Number(number) * multiplier);
  if (!Number.isFinite(bytes) || bytes <= 0) {
    return { ok: false, error: `"${value}" must be more than 0 bytes` };
  }
  return { ok: true, threshold: { bytes } };
}

/**
 * The eviction threshold as a working-set level, where the kubelet starts evicting: it evicts when
 * memory.available = capacity − working set falls below the threshold, i.e. when
 * working set > capacity − threshold (a percentage p: capacity × (1 − p/100)).
 */
export function evictionLine(capacity: number | null, threshold: EvictionThreshold): number | null {
  if (capacity === null) {
    return null;
  }
  return threshold.percent !== undefined ? capacity * (1 - threshold.percent / 100) : capacity - threshold.bytes;
}

/** The threshold as the kubelet's flag would write it, for notices and descriptions. */
export function formatThreshold(threshold: EvictionThreshold): string {
  if (threshold.percent !== undefined) {
    return `${threshold.percent}% of capacity`;
  }
  const mib = threshold.bytes / 2 ** 20;
  return Number.isInteger(mib) ? `${mib}Mi` : `${threshold.bytes} bytes`;
}
