import { legendProblem, renderLegend, unknownLegendLabels, fixedLabels } from './legend';

const CONTAINER_LEVEL = ['cluster', 'namespace', 'pod', 'container'];
const NAMESPACE_LEVEL = ['cluster', 'namespace'];
const labels = { namespace: 'shop', pod: 'api-0', container: 'app' };

describe('renderLegend', () => {
  it('fills the template from the group labels; the default joins them', () => {
    expect(renderLegend('{{pod}}/{{ container }}', labels, CONTAINER_LEVEL)).toBe('api-0/app');
    expect(renderLegend(undefined, labels, CONTAINER_LEVEL)).toBe('shop/api-0/app');
    expect(renderLegend('  ', { namespace: 'shop' }, NAMESPACE_LEVEL)).toBe('shop');
  });

  it('a label the level does not have falls back to the default legend, never "()"', () => {
    expect(renderLegend('{{pod}}', { namespace: 'shop' }, NAMESPACE_LEVEL)).toBe('shop');
    expect(unknownLegendLabels('{{pod}} {{pod}} {{node}}', NAMESPACE_LEVEL)).toEqual(['pod', 'node']);
    expect(legendProblem('{{pod}}', NAMESPACE_LEVEL, 'namespace')).toBe(
      'Legend {{pod}}: no such label when grouped by namespace (labels here: cluster, namespace); the default legend is used.'
    );
    expect(legendProblem('{{namespace}}', NAMESPACE_LEVEL, 'namespace')).toBeUndefined();
  });

  it('reads only the group own labels: {{constructor}} and {{__proto__}} are not Object.prototype', () => {
    // As the level's label names they are the group's own labels (or empty), never inherited properties.
    const names = ['constructor', 'toString', '__proto__'];
    expect(renderLegend('{{constructor}}|{{toString}}|{{__proto__}}', {}, names)).toBe('||');
    expect(renderLegend(undefined, {}, names)).toBe('all');
    const own = JSON.parse('{"constructor": "c", "__proto__": "p"}');
    expect(renderLegend('{{constructor}}-{{__proto__}}', own, names)).toBe('c-p');
    // Not a label of the level: the default legend, not "function Object() { [native code] }".
    expect(renderLegend('{{constructor}}', labels, CONTAINER_LEVEL)).toBe('shop/api-0/app');
  });
});

describe('the default legend drops what the selection fixes', () => {
  const labels = { cluster: 'prod', namespace: 'shop', pod: 'web-1', container: 'app' };
  const names = ['cluster', 'namespace', 'pod', 'container'];

  it('namespace="shop" and the extra selector cluster="prod": only pod/container vary', () => {
    const fixed = fixedLabels(['cluster="prod"', 'namespace="shop"', 'container!=""', 'pod=~"web-.*"']);
    expect([...fixed].sort()).toEqual(['cluster', 'namespace']);
    expect(renderLegend(undefined, labels, names, fixed)).toBe('web-1/app');
    // A template says what it says.
    expect(renderLegend('{{namespace}}: {{pod}}', labels, names, fixed)).toBe('shop: web-1');
  });

  it('a fully fixed selection keeps its most specific label; no selection keeps them all', () => {
    const fixed = fixedLabels(['namespace="shop"', 'pod="web-1"', 'container="app"', 'cluster="prod"']);
    expect(renderLegend(undefined, labels, names, fixed)).toBe('app');
    expect(renderLegend(undefined, labels, names)).toBe('prod/shop/web-1/app');
  });
});
