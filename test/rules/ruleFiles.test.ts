/**
 * The shipped rule files, checked with Debian's real promtool: the committed files are exactly
 * what `npm run rules` generates from src/recordingRules/rules.ts, the PrometheusRule holds exactly
 * the rule file's groups, `promtool check rules` accepts both, and the unit tests in
 * test/rules/*.yml (worked example, duplicates, exclusions, old cAdvisor, limits, and each alert
 * on the leak, warm-up and page-cache stories) pass under `promtool test rules`. Also: the docker
 * compose Prometheus loads the rule file and Grafana gets a Prometheus data source for its alerts.
 */
import { execFile } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { promisify } from 'util';
import yaml from 'js-yaml';

import { ALERT, realMemoryRules } from '../../src/recordingRules/rules';
import { PROMETHEUS_RULE_FILE, RULE_FILE, prometheusRuleText, ruleFileText } from '../../scripts/ruleFiles';

const ROOT = path.resolve(__dirname, '../..');
const PROMTOOL = '/usr/bin/promtool';
const execFileP = promisify(execFile);
const read = (p: string) => fs.readFileSync(path.join(ROOT, p), 'utf8');

async function promtool(args: string[]): Promise<{ ok: boolean; output: string }> {
  try {
    const { stdout, stderr } = await execFileP(PROMTOOL, args, { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
    return { ok: true, output: stdout + stderr };
  } catch (e: any) {
    return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}${e.message}` };
  }
}

describe('generated rule files', () => {
  const groups = realMemoryRules();

  it.each([
    [RULE_FILE, ruleFileText(groups)],
    [PROMETHEUS_RULE_FILE, prometheusRuleText(groups)],
  ])('%s is what `npm run rules` writes (run it after changing src/recordingRules/rules.ts)', (file, generated) => {
    expect(read(file)).toBe(generated);
  });

  it('the PrometheusRule holds exactly the rule file groups', () => {
    const ruleFile = yaml.load(read(RULE_FILE)) as any;
    const resource = yaml.load(read(PROMETHEUS_RULE_FILE)) as any;
    expect(resource.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(resource.kind).toBe('PrometheusRule');
    expect(resource.metadata.name).toBe('real-memory');
    expect(Object.keys(resource.spec)).toEqual(['groups']);
    expect(resource.spec.groups).toEqual(ruleFile.groups);
    expect(ruleFile.groups.map((g: any) => g.rules.length)).toEqual([7, 3]);
  });

  it('every alert links to its own section of docs/runbook.md', () => {
    const runbook = read('docs/runbook.md');
    const anchors = new Set(
      runbook
        .split('\n')
        .filter((l) => l.startsWith('## '))
        .map((l) => l.slice(3).trim().toLowerCase())
    );
    const alerts = groups.flatMap((g) => g.rules).filter((r) => 'alert' in r) as any[];
    expect(alerts.map((a) => a.alert).sort()).toEqual(Object.values(ALERT).sort());
    for (const a of alerts) {
      expect(Object.keys(a.annotations).sort()).toEqual(['description', 'runbook_url', 'summary']);
      expect(a.annotations.description).toContain('{{ $value | humanizePercentage }}');
      const anchor = a.annotations.runbook_url.split('#')[1];
      expect(anchor).toBe(a.alert.toLowerCase());
      expect(anchors).toContain(anchor);
    }
  });
});

const HAVE_PROMTOOL = fs.existsSync(PROMTOOL);
const maybe = HAVE_PROMTOOL ? describe : describe.skip;
if (!HAVE_PROMTOOL) {
  console.log(`Skipping the promtool checks: ${PROMTOOL} missing (apt-get install -y prometheus)`);
}

maybe('promtool', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'realmemory-rules-'));
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('check rules accepts the rule file', async () => {
    const r = await promtool(['check', 'rules', RULE_FILE]);
    expect(r.output).toContain('SUCCESS: 10 rules found');
    expect(r.ok).toBe(true);
  });

  it("check rules accepts the PrometheusRule's spec", async () => {
    const spec = (yaml.load(read(PROMETHEUS_RULE_FILE)) as any).spec;
    const file = path.join(tmp, 'prometheusrule-spec.yml');
    fs.writeFileSync(file, yaml.dump(spec));
    const r = await promtool(['check', 'rules', file]);
    expect(r.output).toContain('SUCCESS: 10 rules found');
    expect(r.ok).toBe(true);
  });

  it('check rules would catch a broken expression (the check is not vacuous)', async () => {
    const file = path.join(tmp, 'broken.yml');
    fs.writeFileSync(file, read(RULE_FILE).replace('clamp_min(', 'clamp_min(('));
    const r = await promtool(['check', 'rules', file]);
    expect(r.ok).toBe(false);
  });

  const unitTests = fs
    .readdirSync(path.join(ROOT, 'test/rules'))
    .filter((f) => f.endsWith('.yml'))
    .sort();

  it('has the unit test files', () => {
    expect(unitTests).toEqual(expect.arrayContaining(['recording.yml', 'stories.yml']));
  });

  it.each(unitTests)('test rules test/rules/%s passes', async (file) => {
    const started = Date.now();
    const r = await promtool(['test', 'rules', path.join('test/rules', file)]);
    console.log(`promtool test rules test/rules/${file}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    if (!r.ok) {
      throw new Error(`promtool test rules test/rules/${file} failed:\n${r.output}`);
    }
    expect(r.output).toContain('SUCCESS');
  });
});

describe('docker compose', () => {
  const compose = yaml.load(read('docker-compose.yml')) as any;
  const prometheusConfig = yaml.load(read('docker/prometheus.yml')) as any;

  it('Prometheus loads the rule file from the mounted rules/ directory', () => {
    const mount = compose.services.prometheus.volumes.find((v: string) => v.startsWith('./rules:'));
    expect(mount).toBeDefined();
    const inContainer = mount.split(':')[1];
    expect(prometheusConfig.rule_files).toEqual([path.posix.join(inContainer, path.basename(RULE_FILE))]);
  });

  it('Grafana gets a Prometheus data source on the compose Prometheus, managing its alerts', () => {
    const file = yaml.load(read('provisioning/datasources/prometheus.yml')) as any;
    expect(file.datasources).toHaveLength(1);
    const ds = file.datasources[0];
    expect(ds.type).toBe('prometheus');
    expect(ds.url).toBe('http://prometheus:9090');
    expect(Object.keys(compose.services)).toContain(new URL(ds.url).hostname);
    expect(ds.jsonData.manageAlerts).toBe(true);
    // The plugin's own data source stays the default.
    expect(ds.isDefault).toBe(false);
  });
});
