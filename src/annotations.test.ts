import { isEventsQuery, memoryAnnotationSupport } from './annotations';

describe('annotation support', () => {
  it('marks the prepared query as an events query and keeps the filters', () => {
    const support = memoryAnnotationSupport();
    const anno = support.prepareAnnotation!({
      name: 'OOM',
      enable: true,
      iconColor: 'red',
      target: { refId: 'X', namespace: 'shop' },
    });
    const q = support.prepareQuery!(anno)!;
    expect(isEventsQuery(q)).toBe(true);
    expect(q.namespace).toBe('shop');
    expect(isEventsQuery({ refId: 'A' })).toBe(false);
    expect(support.prepareAnnotation!({ name: 'new' }).target).toEqual({ refId: 'Anno' });
  });
});
