import { DataSourcePlugin } from '@grafana/data';
import { DataSource } from './datasource';
import { LazyConfigEditor } from './components/LazyConfigEditor';
import { QueryEditor } from './queryEditor/QueryEditor';
import { QueryEditorHelp } from './components/QueryEditorHelp';
import { RealMemoryQuery, RealMemoryOptions } from './types';

export const plugin = new DataSourcePlugin<DataSource, RealMemoryQuery, RealMemoryOptions>(DataSource)
  .setConfigEditor(LazyConfigEditor)
  .setQueryEditor(QueryEditor)
  .setQueryEditorHelp(QueryEditorHelp);
