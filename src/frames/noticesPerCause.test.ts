import { framesWithOneNoticePerCause, groupNotice, noticeScope, onePerCause } from './noticesPerCause';

const PSI = 'Memory pressure unknown: no PSI series (cgroup v1 or kubelet < 1.34)';

describe('one notice per cause', () => {
  const names = Array.from({ length: 60 }, (_, i) => `shop/app-${i}/app`);

  it('sixty groups with the same cause: one notice with the count, no list of sixty names', () => {
    const notices = onePerCause(
      names.map((n) => groupNotice('info', PSI, n)),
      60,
      'containers'
    );
    expect(notices).toEqual([{ severity: 'info', text: `${PSI} — 60 of 60 containers.` }]);
    expect(noticeScope(notices[0].text)).toEqual({ groups: 60, of: 60 });
  });

  it('some of them: at most three names, with their own figures, and how many more', () => {
    const invalid = names
      .slice(0, 5)
      .map((n, i) =>
        groupNotice('warning', 'NaN, infinite or negative samples are shown as gaps', n, `${i + 1} samples`)
      );
    expect(onePerCause(invalid, 60, 'containers')).toEqual([
      {
        severity: 'warning',
        text:
          'NaN, infinite or negative samples are shown as gaps — 5 of 60 containers: shop/app-0/app (1 samples), ' +
          'shop/app-1/app (2 samples), shop/app-2/app (3 samples) and 2 more.',
      },
    ]);
  });

  it('one group shown: about it alone, with its figure; query-wide notices once, warnings before info', () => {
    expect(
      onePerCause(
        [
          { severity: 'info', text: 'Showing the 1 of 9 containers with the most real used.' },
          groupNotice('warning', 'NaN samples are gaps', 'shop/a/app', '3 samples'),
          { severity: 'info', text: 'Showing the 1 of 9 containers with the most real used.' },
        ],
        1,
        'containers'
      )
    ).toEqual([
      { severity: 'warning', text: 'NaN samples are gaps — 3 samples.' },
      { severity: 'info', text: 'Showing the 1 of 9 containers with the most real used.' },
    ]);
    expect(noticeScope('NaN samples are gaps — 3 samples.')).toEqual({ groups: 1, of: 1 });
  });

  it('different causes stay apart; a group named twice for one cause counts once', () => {
    const texts = onePerCause(
      [
        groupNotice('warning', 'No memory limit (none set: unlimited): headroom is not defined', 'a'),
        groupNotice('warning', 'No memory limit (none set: unlimited): headroom is not defined', 'a'),
        groupNotice('warning', 'No memory limit (no limit series): headroom is not defined', 'b'),
      ],
      3,
      'pods'
    ).map((n) => n.text);
    expect(texts).toEqual([
      'No memory limit (none set: unlimited): headroom is not defined — 1 of 3 pods: a.',
      'No memory limit (no limit series): headroom is not defined — 1 of 3 pods: b.',
    ]);
  });

  it('takes the notices off every frame and puts them once on the first', () => {
    const frame = (group: string) => ({
      fields: [],
      length: 0,
      meta: { notices: [groupNotice('info', PSI, group)], executedQueryString: 'q' },
    });
    const frames = framesWithOneNoticePerCause([frame('a'), frame('b'), frame('c')], 3, 'containers');
    expect(frames.map((f) => f.meta?.notices)).toEqual([
      [{ severity: 'info', text: `${PSI} — 3 of 3 containers.` }],
      [],
      [],
    ]);
    expect(frames[2].meta?.executedQueryString).toBe('q');
  });
});
