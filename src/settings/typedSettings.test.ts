import { checkSettings, invalidSettingsMessage } from './settingProblems';
import { describeValue } from './storedValues';
import { typeProblems, typedSettings } from './typedSettings';

describe('settings typed at the door', () => {
  it('keeps settings of the right type as they are, and keys it does not read untouched', () => {
    const stored = { extraSelector: 'job="kubelet"', bearerAuth: true, timeout: 30, httpMethod: 'POST' };
    expect(typedSettings(stored)).toEqual({ options: stored, problems: {} });
  });

  it('reads a quantity given as a number (unquoted YAML) as its text', () => {
    const { options, problems } = typedSettings({ evictionHard: 1e9, evictionSoft: 500 });
    expect(options).toEqual({ evictionHard: '1000000000', evictionSoft: '500' });
    expect(problems).toEqual({});
  });

  it('reads "true" and "false" as booleans, and nothing else', () => {
    expect(typedSettings({ bearerAuth: 'false', incrementalRefresh: ' TRUE ' }).options).toEqual({
      bearerAuth: false,
      incrementalRefresh: true,
    });
    const { options, problems } = typedSettings({ bearerAuth: 'no', incrementalRefresh: 0 });
    expect(options).toEqual({});
    expect(typeProblems(problems)).toEqual([
      'Bearer auth must be true or false, got "no"',
      'Incremental refresh must be true or false, got a number (0)',
    ]);
  });

  it.each([
    [42, 'Extra selector must be text, got a number (42)'],
    [true, 'Extra selector must be text, got a boolean (true)'],
    [{ cluster: 'prod' }, 'Extra selector must be text, got an object'],
    [['cluster="prod"'], 'Extra selector must be text, got a list'],
  ])('names the setting and the type it got: extraSelector %p', (value, message) => {
    const { options, problems } = typedSettings({ extraSelector: value });
    expect(options.extraSelector).toBeUndefined();
    expect(typeProblems(problems)).toEqual([message]);
  });

  it('checks the default formula against the formulas there are', () => {
    expect(typeProblems(typedSettings({ defaultFormula: 'workingSet' }).problems)).toEqual([
      'Default formula must be one of realUsed, usageMinusActiveFile, got "workingSet"',
    ]);
  });

  it('treats null as unset, and jsonData that is not an object as empty', () => {
    expect(typedSettings({ podLabel: null })).toEqual({ options: {}, problems: {} });
    for (const jsonData of [null, undefined, 'x', 3, []]) {
      expect(typedSettings(jsonData)).toEqual({ options: {}, problems: {} });
    }
  });

  it('shortens a long text in a message', () => {
    expect(describeValue('x'.repeat(100))).toBe(`"${'x'.repeat(40)}…"`);
  });
});

describe('checkSettings: types first, then values', () => {
  it('lists type problems before the values that do not parse, each naming its setting', () => {
    const { problems } = checkSettings({ podLabel: 'k8s-pod', extraSelector: 42, evictionHard: 'lots' });
    expect(problems).toEqual([
      'Extra selector must be text, got a number (42)',
      'Pod label: "k8s-pod" is not a Prometheus label name: letters, digits and "_", not starting with a digit',
      expect.stringMatching(/^Eviction hard: /),
    ]);
    expect(invalidSettingsMessage(problems)).toMatch(/^Invalid data source setting — Extra selector must be text/);
  });

  it('accepts the numbers the README lists as valid quantities', () => {
    expect(checkSettings({ evictionHard: 1e9, evictionSoft: 500 }).problems).toEqual([]);
  });
});
