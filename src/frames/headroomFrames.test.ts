import { FieldType, createTheme, formattedValueToString, getDisplayProcessor } from '@grafana/data';

import { headroom } from '../memory/headroom';
import { FIELD_ROOM_KUBELET, FIELD_ROOM_OOM, headroomFrame, limitFields, PERCENT_SUFFIX } from './headroomFrames';

const ctx = {
  refId: 'A',
  timestamps: [1000, 2000],
  labels: { namespace: 'shop', pod: 'api-1', container: 'api' },
  legend: 'shop/api-1/api',
  notices: [],
  executedQueryString: 'q',
};

describe('headroomFrame', () => {
  it('has Time, both rooms in bytes and both percentages', () => {
    const frame = headroomFrame(
      ctx,
      headroom({ limit: [100e6, 100e6], realUsed: [23e6, 30e6], workingSet: [53e6, 60e6] })
    );
    expect(frame.fields.map((f) => f.name)).toEqual([
      'Time',
      FIELD_ROOM_OOM,
      FIELD_ROOM_KUBELET,
      FIELD_ROOM_OOM + PERCENT_SUFFIX,
      FIELD_ROOM_KUBELET + PERCENT_SUFFIX,
    ]);
    const [time, oom, kubelet, oomPct] = frame.fields;
    expect(time.type).toBe(FieldType.time);
    expect(oom.values).toEqual([77e6, 70e6]);
    expect(kubelet.values).toEqual([47e6, 40e6]);
    expect(oom.config.unit).toBe('bytes');
    expect(oomPct.config.unit).toBe('percent');
    expect(oomPct.values).toEqual([77, 70]);
    expect(oom.config.description).toMatch(/room before an OOM kill, after the kernel reclaims cache/);
    expect(kubelet.config.description).toMatch(/room as the kubelet and most alerts see it/);
    expect(oom.config.displayNameFromDS).toBe('room before OOM kill (shop/api-1/api)');
  });

  it('without a limit returns a notice and no values (never zeros)', () => {
    const frame = headroomFrame(ctx, headroom({ limit: [0, 0], realUsed: [1, 1], workingSet: [2, 2] }));
    expect(frame.fields).toHaveLength(0);
    expect(frame.meta?.notices?.[0].text).toMatch(/shop\/api-1\/api: no memory limit set \(unlimited\)/);
  });
});

describe('limitFields', () => {
  it('draws limit and request dashed, and drops an unlimited (0) limit', () => {
    const fields = limitFields(ctx, { limit: [512, 512], request: [256, null], sources: ['kube-state-metrics'] });
    expect(fields.map((f) => f.name)).toEqual(['limit', 'request']);
    expect(fields[0].config.custom.lineStyle.fill).toBe('dash');
    expect(fields[0].config.description).toMatch(/kube-state-metrics/);
    expect(fields[1].values).toEqual([256, null]);
    expect(limitFields(ctx, { limit: [0, 0], sources: ['cAdvisor'] })).toEqual([]);
    expect(limitFields(ctx, undefined)).toEqual([]);
  });

  it('formats as bytes in Grafana', () => {
    const [limit] = limitFields(ctx, { limit: [512 * 1024 * 1024], sources: ['cAdvisor'] });
    const display = getDisplayProcessor({ field: { ...limit, state: {} } as any, theme: createTheme() })(
      limit.values[0]
    );
    expect(formattedValueToString(display)).toBe('512 MiB');
  });
});
