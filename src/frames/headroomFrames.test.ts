// @grafana/ui (Grafana's own axis-key function) needs the browser APIs jsdom lacks.
import '../../test/support/polyfills';
import { FieldType, createTheme, formattedValueToString, getDisplayProcessor } from '@grafana/data';
import { buildScaleKey } from '@grafana/ui';

import { headroom, REASON_UNLIMITED } from '../memory/headroom';
import { MEANING_COLOUR } from './colours';
import {
  FIELD_ROOM_KUBELET,
  FIELD_ROOM_OOM,
  NO_LIMIT_NOTICE_PREFIX,
  headroomFrame,
  limitFields,
  limitNotice,
  PERCENT_SUFFIX,
} from './headroomFrames';

const ctx = {
  refId: 'A',
  timestamps: [1000, 2000],
  labels: { namespace: 'shop', pod: 'api-1', container: 'api' },
  legend: 'shop/api-1/api',
  notices: [],
  executedQueryString: 'q',
};
const limited = () => headroom({ limit: [100e6, 100e6], realUsed: [23e6, 30e6], workingSet: [53e6, 60e6] });

describe('headroomFrame', () => {
  it('in bytes: Time and both rooms, one axis with a soft minimum of 0, coloured like real used and working set', () => {
    const frame = headroomFrame(ctx, limited(), 'bytes');
    expect(frame.fields.map((f) => f.name)).toEqual(['Time', FIELD_ROOM_OOM, FIELD_ROOM_KUBELET]);
    const [time, oom, kubelet] = frame.fields;
    expect(time.type).toBe(FieldType.time);
    expect(oom.values).toEqual([77e6, 70e6]);
    expect(kubelet.values).toEqual([47e6, 40e6]);
    for (const f of [oom, kubelet]) {
      expect(f.config.unit).toBe('bytes');
      // Soft, not hard: headroom goes negative when working set sits above the limit.
      expect(f.config.custom.axisSoftMin).toBe(0);
      expect(f.config.min).toBeUndefined();
    }
    expect(buildScaleKey(oom.config, FieldType.number)).toBe(buildScaleKey(kubelet.config, FieldType.number));
    expect(oom.config.color).toEqual({ mode: 'fixed', fixedColor: MEANING_COLOUR.realUsed });
    expect(kubelet.config.color).toEqual({ mode: 'fixed', fixedColor: MEANING_COLOUR.workingSet });
    expect(oom.config.description).toMatch(
      /room before an OOM kill, after the kernel reclaims cache: limit − real used/
    );
    expect(kubelet.config.description).toMatch(/room as the kubelet and most alerts see it: limit − working set/);
    expect(oom.config.displayNameFromDS).toBe('room before OOM kill (shop/api-1/api)');
    expect(frame.meta?.notices).toEqual([]);
  });

  it('in % of the limit: the same two lines, same colours, nothing in bytes', () => {
    const frame = headroomFrame(ctx, limited(), 'percent');
    expect(frame.fields.map((f) => f.name)).toEqual([
      'Time',
      FIELD_ROOM_OOM + PERCENT_SUFFIX,
      FIELD_ROOM_KUBELET + PERCENT_SUFFIX,
    ]);
    const [, oom, kubelet] = frame.fields;
    expect(oom.values).toEqual([77, 70]);
    expect(kubelet.values).toEqual([47, 40]);
    expect([oom.config.unit, kubelet.config.unit]).toEqual(['percent', 'percent']);
    expect(oom.config.custom.axisSoftMin).toBe(0);
    expect(oom.config.color).toEqual({ mode: 'fixed', fixedColor: MEANING_COLOUR.realUsed });
    expect(kubelet.config.color).toEqual({ mode: 'fixed', fixedColor: MEANING_COLOUR.workingSet });
  });

  it('without a limit returns a warning and no values (never zeros)', () => {
    const frame = headroomFrame(ctx, headroom({ limit: [0, 0], realUsed: [1, 1], workingSet: [2, 2] }));
    expect(frame.fields).toHaveLength(0);
    const [notice] = frame.meta?.notices ?? [];
    expect(notice.severity).toBe('warning');
    expect(notice.text).toBe('No memory limit (none set: unlimited): headroom is not defined');
    expect(notice).toMatchObject({ group: 'shop/api-1/api' });
    expect(notice.text.startsWith(NO_LIMIT_NOTICE_PREFIX)).toBe(true);
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

  it('"Show limits" on a group without a limit gets a warning that says why, never silence', () => {
    expect(limitNotice(ctx.legend, { limit: [512, 512], sources: ['cAdvisor'] })).toEqual([]);
    const [unlimited] = limitNotice(ctx.legend, { limit: [0, 0], sources: ['cAdvisor'] });
    expect(unlimited).toEqual({
      severity: 'warning',
      text: `${NO_LIMIT_NOTICE_PREFIX}${REASON_UNLIMITED}): no limit line to draw`,
      group: 'shop/api-1/api',
    });
    const [none] = limitNotice(ctx.legend, undefined);
    expect(none.text).toBe(
      'No memory limit (no limit series from cAdvisor or kube-state-metrics): no limit line to draw'
    );
  });
});
