/**
 * PromQL injection, as a property: whatever a filter, a dashboard variable (multi-value) or an
 * ad-hoc filter holds — quotes, backslashes, braces, commas, newlines, pipes, `.*`, unicode — the
 * PromQL that reaches the proxy has the same structure (its selectors, their matchers and their
 * count), and Prometheus accepts it. The PromQL is parsed with Prometheus' own grammar (lezer).
 */
import '../support/polyfills';

import { parser } from '@prometheus-io/lezer-promql';
import fc from 'fast-check';

import { installTemplateSrv } from '../support/templateSrv';
import { NS } from './faultData';
import { faultSuite, panelRequest, runQuery } from './harness';

const suite = faultSuite();
const { end: END, timestamps: TS } = suite;

interface Matcher {
  label: string;
  op: string;
  value: string;
}

/** Every vector selector in the expression, as its list of matchers (values decoded). */
function selectors(expr: string): Matcher[][] {
  const tree = parser.parse(expr);
  const result: Matcher[][] = [];
  const cursor = tree.cursor();
  let errors = 0;
  do {
    if (cursor.type.isError) {
      errors++;
    }
    if (cursor.name === 'LabelMatchers') {
      const list: Matcher[] = [];
      const node = cursor.node;
      for (let m = node.firstChild; m; m = m.nextSibling) {
        if (m.name !== 'UnquotedLabelMatcher' && m.name !== 'QuotedLabelMatcher') {
          continue;
        }
        const label = m.getChild('LabelName');
        const op = m.getChild('MatchOp');
        const str = m.getChild('StringLiteral');
        list.push({
          label: expr.slice(label!.from, label!.to),
          op: expr.slice(op!.from, op!.to),
          // Go escapes as written by quotePromString (\\ \" \n \r \t) are JSON escapes too.
          value: JSON.parse(expr.slice(str!.from, str!.to)),
        });
      }
      result.push(list);
    }
  } while (cursor.next());
  if (errors > 0) {
    throw new Error(`PromQL did not parse: ${expr}`);
  }
  return result;
}

/**
 * A namespace typed as a plain value: not empty, not `/regex/`, no variable syntax, no leading `!`
 * (those change the matcher on purpose; the property adds the `!` itself).
 */
const isPlain = (v: string) => {
  const t = v.trim();
  return (
    t !== '' &&
    !t.startsWith('!') &&
    !/\$\w|\[\[|\$\{/.test(t) &&
    !(t.length >= 2 && t.startsWith('/') && t.endsWith('/'))
  );
};

const shape = (sels: Matcher[][]) => sels.map((s) => s.map((m) => `${m.label}${m.op}`));

const nasty = fc
  .array(
    fc.constantFrom(
      '"',
      '\\',
      '}',
      '{',
      ',',
      '\n',
      '\r',
      '\t',
      '|',
      '.*',
      '=~',
      '!=',
      ')',
      '(',
      "'",
      '`',
      ' ',
      'é',
      '日本',
      '🙂',
      'a',
      'Z',
      '9',
      '-',
      '/',
      '$',
      'x="y"'
    ),
    {
      minLength: 1,
      maxLength: 12,
    }
  )
  .map((parts) => parts.join(''));

async function sentQueries(
  target: Record<string, unknown>,
  variables: Array<{ name: string; value: string | string[] }>,
  filters: Array<{ key: string; operator: string; value: string }>
) {
  installTemplateSrv(variables);
  suite.rig.proxy.requests.length = 0;
  const res = await runQuery(suite.rig.ds, panelRequest([target], TS[0], END, { filters } as any));
  return { res, queries: suite.rig.proxy.requests.filter((r) => r.path.endsWith('/query_range')).map((r) => r.query!) };
}

it('the structure check catches an injected matcher (the check itself can fail)', () => {
  const value = 'a", job!="x';
  expect(shape(selectors(`m{namespace="${value}"}`))).toEqual([['namespace=', 'job!=']]);
  expect(shape(selectors(`m{namespace=${JSON.stringify(value)}}`))).toEqual([['namespace=']]);
  expect(() => selectors('m{namespace="a" job="b"}')).toThrow(/did not parse/);
});

it('filters, multi-value variables and ad-hoc filters never change the structure of the query', async () => {
  const baseline = await sentQueries(
    { namespace: NS, pod: '$pod', container: 'c-$c' },
    [
      { name: 'pod', value: ['p1', 'p2'] },
      { name: 'c', value: 'x' },
    ],
    [{ key: 'job', operator: '=', value: 'kubelet' }]
  );
  const expected = shape(baseline.queries.flatMap(selectors));
  // Two range queries (working set, active file), each with namespace, pod, container, job and the
  // exclusions the filters do not imply: container=~ of non-empty values leaves out container!=""
  // (promql.ts, withoutImpliedExclusions); container!="POD". Plain selectors leave pod!="" and
  // image!="" to the plugin (promql.ts, plainSelector).
  expect(expected).toHaveLength(2);
  expect(expected[0]).toEqual(['namespace=', 'pod=~', 'container=~', 'job=', 'container!=']);
  // Excluded pods (pod!~) change only their own matcher.
  const excluded = ['namespace!=', 'pod!~', 'container=~', 'job=', 'container!='];

  await fc.assert(
    fc.asyncProperty(
      nasty.filter(isPlain),
      fc.array(nasty, { minLength: 1, maxLength: 3 }),
      nasty,
      nasty,
      fc.boolean(),
      async (ns, pods, c, job, exclude) => {
        // A leading "!" excludes: the namespace matcher turns into != and the pods' into !~, nothing else changes.
        const { res, queries } = await sentQueries(
          { namespace: (exclude ? '!' : '') + ns, pod: (exclude ? '!' : '') + '$pod', container: 'c-$c' },
          [
            { name: 'pod', value: pods },
            { name: 'c', value: c },
          ],
          [{ key: 'job', operator: '=', value: job }]
        );
        expect(res.errors).toEqual([]);
        const sels = queries.flatMap(selectors);
        const negated = exclude ? expected.map(() => excluded) : expected;
        expect(shape(sels)).toEqual(negated);
        for (const sel of sels) {
          // The ad-hoc value arrives exactly as typed; so does a plain namespace value.
          expect(sel[3].value).toBe(job);
          expect(sel[0].value).toBe(ns.trim());
          // Variable values are matched literally: the regex accepts each value and nothing longer.
          const podRe = new RegExp(`^(?:${sel[1].value})$`, 'u');
          for (const p of pods) {
            expect(podRe.test(p)).toBe(true);
            expect(podRe.test(p + 'x')).toBe(false);
          }
          expect(new RegExp(`^(?:${sel[2].value})$`, 'u').test(`c-${c}`)).toBe(true);
        }
      }
    ),
    { numRuns: 150 }
  );
});
