import { parseEvictionThreshold } from '../memory/quantity';
import { DEFAULT_EVICTION_HARD, DEFAULT_NODE_LABEL, RealMemoryOptions } from '../types';
import { parseExtraSelector } from '../prometheus/extraSelector';
import { DEFAULT_LABELS, LABEL_NAME } from '../prometheus/promql';
import { typeProblems, typedSettings } from './typedSettings';

/**
 * The data source settings that must be valid PromQL parts or kubelet quantities: the label
 * names, the extra selector and the nodes view's eviction thresholds. An invalid one is kept as typed (the user sees what they wrote), and then every query,
 * lookup and "Save & test" fails with the same message until it is fixed, so nothing ever runs
 * without a filter the user believes is on.
 */
export const VALIDATED_SETTINGS = [
  { key: 'namespaceLabel', title: 'Namespace label', fallback: DEFAULT_LABELS.namespace },
  { key: 'podLabel', title: 'Pod label', fallback: DEFAULT_LABELS.pod },
  { key: 'containerLabel', title: 'Container label', fallback: DEFAULT_LABELS.container },
  { key: 'clusterLabel', title: 'Cluster label', fallback: DEFAULT_LABELS.cluster },
  { key: 'extraSelector', title: 'Extra selector', fallback: '' },
  { key: 'nodeLabel', title: 'Node label', fallback: DEFAULT_NODE_LABEL },
  { key: 'evictionHard', title: 'Eviction hard', fallback: DEFAULT_EVICTION_HARD },
  { key: 'evictionSoft', title: 'Eviction soft', fallback: '' },
] as const;

export type ValidatedSetting = (typeof VALIDATED_SETTINGS)[number]['key'];

/** Why a setting's text is not valid, or undefined when it is. Empty means "use the default". */
export function settingProblem(key: ValidatedSetting, text: string | undefined): string | undefined {
  const value = text ?? '';
  if (key === 'extraSelector') {
    const parsed = parseExtraSelector(value);
    return parsed.ok ? undefined : parsed.error;
  }
  if (key === 'evictionHard' || key === 'evictionSoft') {
    // A wrong threshold would draw a wrong eviction line.
    const parsed = value.trim() === '' ? undefined : parseEvictionThreshold(value.trim());
    return parsed === undefined || parsed.ok ? undefined : parsed.error;
  }
  if (key === 'nodeLabel' && value.trim() !== '' && !LABEL_NAME.test(value.trim())) {
    return `"${value.trim()}" is not a Prometheus label name: letters, digits and "_", not starting with a digit`;
  }
  if (value !== '' && !LABEL_NAME.test(value)) {
    return `"${value}" is not a Prometheus label name: letters, digits and "_", not starting with a digit`;
  }
  return undefined;
}

/** Every invalid setting as "<title>: <problem>", in the order the settings page shows them. */
export function settingsProblems(jsonData: Partial<Record<ValidatedSetting, string>>): string[] {
  return VALIDATED_SETTINGS.flatMap(({ key, title }) => {
    const problem = settingProblem(key, jsonData[key]);
    return problem === undefined ? [] : [`${title}: ${problem}`];
  });
}

/** What queries and "Save & test" say while a setting is invalid. */
export function invalidSettingsMessage(problems: string[]): string {
  return `Invalid data source setting — ${problems.join('; ')}. Fix it in the data source settings.`;
}

export interface CheckedSettings {
  /** The settings typed at the door (typedSettings.ts); a key of the wrong type is left out. */
  options: RealMemoryOptions;
  /** Every problem, types first, in the order of the settings page; any one stops every query. */
  problems: string[];
}

/** The one check of the stored settings: their types, then the values that must parse. */
export function checkSettings(jsonData: unknown): CheckedSettings {
  const { options, problems } = typedSettings(jsonData);
  return { options, problems: [...typeProblems(problems), ...settingsProblems(options)] };
}
