import { CustomVariableSupport, DataQueryRequest, DataQueryResponse, FieldType, createDataFrame } from '@grafana/data';
import { Observable, from } from 'rxjs';

import { VariableQueryEditor } from './components/VariableQueryEditor';
import type { DataSource } from './datasource';
import { RealMemoryVariableQuery, variableLookup } from './variableQuery';

/** Query variables: namespaces, pods, containers or any label's values among cAdvisor memory series. */
export class RealMemoryVariableSupport extends CustomVariableSupport<DataSource, RealMemoryVariableQuery> {
  editor = VariableQueryEditor;

  constructor(private readonly datasource: DataSource) {
    super();
  }

  query(request: DataQueryRequest<RealMemoryVariableQuery>): Observable<DataQueryResponse> {
    return from(this.values(request));
  }

  private async values(request: DataQueryRequest<RealMemoryVariableQuery>): Promise<DataQueryResponse> {
    const query = request.targets[0];
    const { label, scope } = variableLookup(query ?? { refId: 'variable' }, this.datasource.labels);
    const values = await this.datasource.getLabelValues(label, scope, request.range, request.scopedVars);
    const frame = createDataFrame({
      refId: query?.refId,
      fields: [
        { name: 'text', type: FieldType.string, values },
        { name: 'value', type: FieldType.string, values },
      ],
    });
    return { data: [frame] };
  }
}
