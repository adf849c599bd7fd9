import '../../test/support/polyfills';
import React from 'react';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { validateQuery } from '../query/validate';
import { EXAMPLES, QueryEditorHelp } from './QueryEditorHelp';
import { makeDataSource } from '../../test/support/dataSource';

describe('QueryEditorHelp', () => {
  it('every example is a valid query', () => {
    for (const example of EXAMPLES) {
      expect([example.title, validateQuery({ refId: 'A', ...example.query }).ok]).toEqual([example.title, true]);
    }
  });

  it('shows each example as one line and puts it into the query on a click', async () => {
    const user = userEvent.setup();
    const onClickExample = jest.fn();
    render(
      <QueryEditorHelp
        datasource={makeDataSource()}
        query={{ refId: 'B', namespace: 'old' }}
        onClickExample={onClickExample}
      />
    );
    expect(screen.getByText('Headroom (% of limit) · namespace: $namespace · by pod')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Use example: How close to an OOM kill is each pod?' }));
    expect(onClickExample).toHaveBeenCalledWith(
      expect.objectContaining({
        refId: 'B',
        view: 'headroom',
        headroomUnit: 'percent',
        groupBy: 'pod',
        namespace: '$namespace',
      })
    );
    expect(screen.getByText('everything but "kube-system" (also !/regex/, !$variable)')).toBeInTheDocument();
  });
});
