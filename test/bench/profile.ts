// The plugin's own work on one view, alone, as a CPU profile: records Prometheus' answers for the
// view once (through the bench's Recorder), then profiles REPS replays of them, with no network.
//   node -r ./test/bench/register.js test/bench/profile.ts <view> [namespace|all|top50] [reps]
//   (nodes: <scope> is memory, breakdown, table or eviction)
// writes .tmp/profiles/<view>-<scope>.cpuprofile: open it in Chrome DevTools (Performance) or speedscope.
import './domShim';

import fs from 'fs';
import { Session } from 'inspector/promises';
import path from 'path';
import { lastValueFrom } from 'rxjs';

import { RealMemoryQuery } from '../../src/types';
import { makeDataSource, panelRequest, UID } from '../faults/harness';
import { installTemplateSrv } from '../support/templateSrv';
import { DEFAULT_PARAMS, namespaceName } from './dataset';
import { Recorder, median, timed } from './measure';
import { cachedBlocks, startOnBlocks } from './tsdbCache';

const [view = 'realVsWorkingSet', scope = 'namespace', repsArg = '20'] = process.argv.slice(2);
const P = DEFAULT_PARAMS;
const FROM = P.end - (P.points - 1) * P.step;

async function main() {
  const prom = await startOnBlocks(await cachedBlocks(P, console.log));
  try {
    installTemplateSrv([]);
    const recorder = new Recorder({ [UID]: prom.url });
    const ds = makeDataSource();
    // For the nodes view, the scope is its node view (memory, breakdown, table) or "eviction".
    const target: Partial<RealMemoryQuery> =
      view === 'nodes'
        ? scope === 'eviction'
          ? { view: 'nodes', node: 'node-07', showEvictionOrder: true }
          : { view: 'nodes', nodeView: scope as RealMemoryQuery['nodeView'] }
        : {
            view: view as RealMemoryQuery['view'],
            ...(scope === 'namespace' ? { namespace: namespaceName(7) } : scope === 'top50' ? { topN: 50 } : {}),
          };
    const run = () =>
      lastValueFrom(ds.query(panelRequest([target], FROM, P.end, { intervalMs: P.step * 1000, maxDataPoints: P.points })));
    const live = await timed(run);
    console.log(`live: ${live.ms.toFixed(0)} ms, ${live.value.data.length} frames, errors: ${JSON.stringify(live.value.errors ?? [])}`);
    recorder.replay();
    await run(); // warm-up
    const session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
    const times: number[] = [];
    for (let i = 0; i < Number(repsArg); i++) {
      times.push((await timed(run)).ms);
    }
    const { profile } = await session.post('Profiler.stop');
    const out = path.resolve(__dirname, '../../.tmp/profiles', `${view}-${scope}.cpuprofile`);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, JSON.stringify(profile));
    console.log(`replayed ${repsArg}×: median ${median(times).toFixed(1)} ms (${times.map((t) => t.toFixed(0)).join(', ')})`);
    console.log(`profile: ${path.relative(process.cwd(), out)}`);
  } finally {
    await prom.stop();
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  }
);
