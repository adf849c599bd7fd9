import { RawSeries } from '../memory/series';

/** Prometheus' JSON envelope: https://prometheus.io/docs/prometheus/latest/querying/api/ */
interface PromEnvelope {
  status?: string;
  errorType?: string;
  error?: string;
  data?: { resultType?: string; result?: unknown };
  warnings?: string[];
}

export class PrometheusResponseError extends Error {}

/** Parses a range query's matrix into series with millisecond timestamps. NaN/Inf survive as numbers. */
export function parseMatrix(body: unknown): RawSeries[] {
  const data = successData(body);
  if (data.resultType !== 'matrix' || !Array.isArray(data.result)) {
    throw new PrometheusResponseError(
      `Prometheus returned a ${data.resultType ?? 'malformed'} result where a matrix was expected`
    );
  }
  const result: any[] = data.result;
  let total = 0;
  for (const item of result) {
    if (!item || typeof item.metric !== 'object' || !Array.isArray(item.values)) {
      throw new PrometheusResponseError('Prometheus returned a malformed matrix series');
    }
    total += item.values.length;
  }
  // Two buffers for the whole answer, each series a view on its part: allocating two small
  // arrays per series was most of the time a refresh's short answers took to read.
  const allTimes = new Float64Array(total);
  const allValues = new Float64Array(total);
  let at = 0;
  return result.map((item) => {
    // A plain loop into two columns: this runs once per sample (millions for a large panel).
    const samples: Array<[number, string]> = item.values;
    const n = samples.length;
    const times = allTimes.subarray(at, at + n);
    const values = allValues.subarray(at, at + n);
    at += n;
    // Limits, requests, capacity, an idle container: a value often repeats the previous one, and
    // comparing the texts costs a quarter of reading the number again.
    let previousText: string | undefined;
    let previous = 0;
    for (let i = 0; i < n; i++) {
      const sample = samples[i];
      times[i] = Math.round(sample[0] * 1000);
      const text = sample[1];
      if (text !== previousText) {
        const value = digitsValue(text);
        previous = value === value ? value : parseSampleValue(text);
        previousText = text;
      }
      values[i] = previous;
    }
    return { labels: item.metric, times, values };
  });
}

/**
 * The value of a string of at most 15 decimal digits, else NaN. Memory figures are whole bytes,
 * and this loop reads them ~25% faster than Number() (bench: the plugin's own work is mostly
 * reading sample strings); ≤ 15 digits stay below 2^53, so every step is exact and the result
 * is Number()'s. Anything else ("0.25", "NaN", "+Inf", "1e+21") goes to parseSampleValue.
 */
function digitsValue(text: string): number {
  const n = typeof text === 'string' ? text.length : 0;
  if (n === 0 || n > 15) {
    return NaN;
  }
  let value = 0;
  for (let i = 0; i < n; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) {
      return NaN;
    }
    value = value * 10 + digit;
  }
  return value;
}

/** Parses an instant query's vector into label sets and values. */
/** One sample of an instant query's vector. */
export interface InstantSample {
  labels: Record<string, string>;
  value: number;
}

export function parseVector(body: unknown): InstantSample[] {
  const data = successData(body);
  if (data.resultType !== 'vector' || !Array.isArray(data.result)) {
    throw new PrometheusResponseError(
      `Prometheus returned a ${data.resultType ?? 'malformed'} result where a vector was expected`
    );
  }
  return data.result.map((item: any) => ({ labels: item.metric ?? {}, value: parseSampleValue(item.value?.[1]) }));
}

/** Parses a list answer (label values, label names). */
export function parseStringList(body: unknown): string[] {
  const envelope = body as PromEnvelope;
  if (envelope?.status !== 'success' || !Array.isArray(envelope.data)) {
    throw new PrometheusResponseError(describeFailure(envelope));
  }
  return envelope.data as string[];
}

function successData(body: unknown): NonNullable<PromEnvelope['data']> {
  const envelope = body as PromEnvelope;
  if (envelope?.status !== 'success' || !envelope.data) {
    throw new PrometheusResponseError(describeFailure(envelope));
  }
  return envelope.data;
}

function describeFailure(envelope: PromEnvelope | undefined): string {
  if (envelope && typeof envelope === 'object' && envelope.error) {
    return `Prometheus error (${envelope.errorType ?? 'unknown'}): ${envelope.error}`;
  }
  // Grafana hands over the raw text when the body is not JSON.
  if (typeof envelope === 'string') {
    const text: string = envelope;
    if (text.trim() === '') {
      return 'Prometheus sent an empty answer (no body); a proxy between Grafana and Prometheus may have dropped it.';
    }
    if (/^\s*[{[]/.test(text)) {
      return (
        `Prometheus' answer was cut off: ${text.length} characters of incomplete JSON. Try again; if it keeps happening, ` +
        'look for a proxy between Grafana and Prometheus that limits response size or time.'
      );
    }
  }
  return 'The answer did not look like a Prometheus API response; is the URL a Prometheus server?';
}

/** Prometheus writes special values as "NaN", "+Inf" and "-Inf", which parseFloat does not read. */
export function parseSampleValue(text: string): number {
  const n = Number(text);
  if (!Number.isNaN(n) || text === 'NaN') {
    return n;
  }
  if (text === '+Inf' || text === 'Inf') {
    return Infinity;
  }
  if (text === '-Inf') {
    return -Infinity;
  }
  return parseFloat(text);
}
