import {
  CustomVariableSupport,
  DataQueryRequest,
  DataQueryResponse,
  DataSourceApi,
  FieldType,
  ScopedVars,
  TimeRange,
  createDataFrame,
} from '@grafana/data';
import { Observable, from } from 'rxjs';

import { VariableQueryEditor } from './components/VariableQueryEditor';
import { LabelNames } from './prometheus/promql';
import { LabelScope } from './run/lookups';
import { variableLookup } from './run/variableLookup';
import { RealMemoryOptions, RealMemoryQuery, RealMemoryVariableQuery } from './types';

/** What the variable support needs of the data source (an interface, so neither imports the other). */
export interface LabelValueSource extends DataSourceApi<RealMemoryQuery, RealMemoryOptions> {
  readonly labels: LabelNames;
  readonly nodeLabel: string;
  getLabelValues(label: string, scope: LabelScope, range?: TimeRange, scopedVars?: ScopedVars): Promise<string[]>;
}

/** Query variables: namespaces, pods, containers, nodes or any label's values among cAdvisor memory series. */
export class RealMemoryVariableSupport extends CustomVariableSupport<LabelValueSource, RealMemoryVariableQuery> {
  editor = VariableQueryEditor;

  constructor(private readonly datasource: LabelValueSource) {
    super();
  }

  query(request: DataQueryRequest<RealMemoryVariableQuery>): Observable<DataQueryResponse> {
    return from(this.values(request));
  }

  private async values(request: DataQueryRequest<RealMemoryVariableQuery>): Promise<DataQueryResponse> {
    const query = request.targets[0];
    const { label, scope } = variableLookup(
      query ?? { refId: 'variable' },
      this.datasource.labels,
      this.datasource.nodeLabel
    );
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
