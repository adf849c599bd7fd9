import { invalidSettingsMessage, settingProblem, settingsProblems } from './settingProblems';

describe('validated settings', () => {
  it('empty means the default; label names and the extra selector are checked', () => {
    expect(settingsProblems({})).toEqual([]);
    expect(settingProblem('podLabel', '')).toBeUndefined();
    expect(settingProblem('podLabel', 'kubernetes_pod_name')).toBeUndefined();
    expect(settingProblem('podLabel', 'k8s-pod')).toMatch(/"k8s-pod" is not a Prometheus label name/);
    expect(settingProblem('extraSelector', 'cluster="prod", job=~"kubelet|cadvisor"')).toBeUndefined();
    expect(settingProblem('extraSelector', 'cluster=prod')).toMatch(/must be quoted.*column 9/);
  });

  it('names every invalid setting, in the order of the settings page', () => {
    const problems = settingsProblems({ extraSelector: 'a=', namespaceLabel: '9ns' });
    expect(problems.map((p) => p.split(':')[0])).toEqual(['Namespace label', 'Extra selector']);
    expect(invalidSettingsMessage(problems)).toMatch(
      /^Invalid data source setting — Namespace label: .*; Extra selector: .*\. Fix it in the data source settings\.$/
    );
  });
});
