import '../../test/support/polyfills';
import React from 'react';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { RealMemoryVariableQuery } from '../types';
import { makeDataSource } from '../../test/support/dataSource';
import { VariableQueryEditor } from './VariableQueryEditor';

function setup(query: Partial<RealMemoryVariableQuery> = {}) {
  const onChange = jest.fn();
  render(
    <VariableQueryEditor
      datasource={makeDataSource()}
      query={{ refId: 'v', ...query }}
      onChange={onChange}
      onRunQuery={jest.fn()}
    />
  );
  return { onChange, user: userEvent.setup() };
}

describe('VariableQueryEditor', () => {
  it('switches the query type and shows the filters that narrow it', async () => {
    const { onChange, user } = setup();
    expect(screen.queryByLabelText('Namespace')).not.toBeInTheDocument();
    await user.click(screen.getByRole('radio', { name: 'Pods' }));
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ type: 'pods' }));
  });

  it('keeps a variable in a filter as typed, saved on blur', async () => {
    const { onChange, user } = setup({ type: 'containers' });
    await user.type(screen.getByLabelText('Namespace'), '$namespace');
    expect(onChange).not.toHaveBeenCalled();
    await user.tab();
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ type: 'containers', namespace: '$namespace' }));
    expect(screen.getByLabelText('Pod')).toBeInTheDocument();
  });

  it('asks which label for label values', async () => {
    const { onChange, user } = setup({ type: 'labelValues' });
    await user.type(screen.getByLabelText('Label'), 'node');
    await user.tab();
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ label: 'node' }));
  });

  it('refuses an invalid selector with the parser message and keeps the last valid one', async () => {
    const { onChange, user } = setup({ type: 'pods', selector: 'job="kubelet"' });
    const input = screen.getByLabelText('Selector');
    await user.clear(input);
    await user.type(input, 'job=kubelet');
    expect(screen.getByText(/the value of "job" must be quoted/)).toBeInTheDocument();
    await user.tab();
    expect(onChange).not.toHaveBeenCalled();

    await user.clear(input);
    await user.type(input, 'job="kubelet", node=~"$node"');
    await user.tab();
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ selector: 'job="kubelet", node=~"$node"' }));
  });
});
