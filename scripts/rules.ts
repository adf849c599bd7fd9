// `npm run rules`: writes rules/real-memory.rules.yml and rules/real-memory.prometheusrule.yaml
// from src/recordingRules/rules.ts. Options, for a copy fitted to your cluster (not the committed files):
//   --out DIR                  write there instead of rules/
//   --runbook-base URL         where docs/runbook.md is published (each alert links to its section)
//   --selector 'job="kubelet"' matchers added to every cAdvisor selector
//   --label namespace=k8s_ns   a relabeled label name (namespace, pod, container or cluster); repeatable
import fs from 'fs';
import path from 'path';

import { DEFAULT_LABELS, LabelNames } from '../src/prometheus/promql';
import { RuleOptions, realMemoryRules } from '../src/recordingRules/rules';
import { PROMETHEUS_RULE_FILE, RULE_FILE, prometheusRuleText, ruleFileText } from './ruleFiles';

const ROOT = path.resolve(__dirname, '..');

function parseArgs(argv: string[]): { out?: string; options: RuleOptions } {
  const labels: LabelNames = { ...DEFAULT_LABELS };
  const options: RuleOptions = {};
  let out: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const value = argv[i + 1];
    if (value === undefined) {
      throw new Error(`${argv[i]} needs a value`);
    }
    switch (argv[i]) {
      case '--out':
        out = value;
        break;
      case '--runbook-base':
        options.runbookBase = value;
        break;
      case '--selector':
        options.extraSelector = value;
        break;
      case '--label': {
        const [key, name] = value.split('=');
        if (!(key in labels) || !/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name ?? '')) {
          throw new Error(`--label ${value}: expected namespace|pod|container|cluster=<label name>`);
        }
        labels[key as keyof LabelNames] = name;
        break;
      }
      default:
        throw new Error(`unknown option ${argv[i]} (see the header of scripts/rules.ts)`);
    }
    i++;
  }
  options.labels = labels;
  return { out, options };
}

try {
  const { out, options } = parseArgs(process.argv.slice(2));
  const groups = realMemoryRules(options);
  const files: Array<[string, string]> = [
    [RULE_FILE, ruleFileText(groups)],
    [PROMETHEUS_RULE_FILE, prometheusRuleText(groups)],
  ];
  for (const [file, text] of files) {
    const target = out ? path.join(out, path.basename(file)) : path.join(ROOT, file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, text);
    console.log(`wrote ${path.relative(process.cwd(), target) || target}`);
  }
} catch (e) {
  console.error(`npm run rules: ${(e as Error).message}`);
  process.exit(1);
}
