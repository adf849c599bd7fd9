import { FIELD_ROOM_OOM, PERCENT_SUFFIX, headroomFrame } from '../../frames/headroomFrames';
import { ALERT_TITLE } from '../../prometheus/copyable';
import { deriveRealVsWorkingSet } from '../../memory/derive';
import { FORMULA_EXPLANATION } from '../../memory/formula';
import { headroom as headroomOf } from '../../memory/headroom';
import { containerRunner } from '../../run/containerRunner';
import { formulaNotices } from '../../run/notices';
import { ViewDefinition } from '../view';
import { HeadroomUnitField } from './HeadroomUnitField';

/** View "headroom": room before an OOM kill (limit − real used) beside the kubelet's (limit − working set). */
const run = containerRunner({
  // Real used and working set → working set + active file (real used = ws − active file).
  plan: () => ({ first: ['workingSet', 'activeFile'], fallback: ['usage', 'cache'] }),
  wantsLimits: () => true,
  legend: true,
  // "Which containers are closest to an OOM kill?": the least room, in the unit shown.
  rankBy: (req) => (req.headroomUnit === 'percent' ? 'roomPercent' : 'roomBytes'),
  // Headroom always uses real used, whatever formula the query picked.
  groupNotices: (_req, estimated, group) => formulaNotices(FORMULA_EXPLANATION.realUsed, estimated, group),
  copyable: (req, f) => [
    req.headroomUnit === 'percent'
      ? { title: FIELD_ROOM_OOM + PERCENT_SUFFIX, expr: f.roomPercent }
      : { title: FIELD_ROOM_OOM, expr: f.roomBytes },
    { title: ALERT_TITLE, expr: f.alert },
  ],
  frames: (req, { groups, limits }, frameContext) =>
    groups.map((group) => {
      const { real, workingSet } = deriveRealVsWorkingSet(group, 'realUsed');
      return headroomFrame(
        frameContext(group),
        headroomOf({ limit: limits.get(group.key)?.limit, realUsed: real, workingSet }),
        req.headroomUnit
      );
    }),
});

export const headroom: ViewDefinition = {
  label: 'Headroom',
  description: 'room left under the memory limit',
  kind: 'containers',
  run,
  legend: true,
  limits: { shown: () => true, without: 'their headroom is not defined' },
  editor: {
    Choice: HeadroomUnitField,
    help: () =>
      'Room before an OOM kill (thick) = limit − real used; room as the kubelet sees it (thin) = limit − working set.',
  },
  displayText: { titleSuffix: (query) => (query.headroomUnit === 'percent' ? ' (% of limit)' : '') },
};
