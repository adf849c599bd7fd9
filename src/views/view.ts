import type { ComponentType } from 'react';
import type { IconName } from '@grafana/data';

import type { Formula } from '../memory/formula';
import type { Runner } from '../run/request';
import type { RealMemoryQuery } from '../types';

/**
 * Everything the rest of the code asks about a view, declared by the view's own module
 * (`src/views/<name>/index.ts`) and listed once in `src/views/registry.ts`. Nothing outside the
 * registry and the view's module compares a view's name: it asks its definition instead.
 */
export interface ViewDefinition {
  /** Its name in the view picker and in Explore's query history. */
  label: string;
  /** One line under its name in the view picker. */
  description: string;
  /**
   * 'containers': containers summed to the chosen level (group by; cluster, namespace, pod and
   * container filters; top N). 'nodes': the nodes' root cgroups, filtered by cluster and node.
   */
  kind: 'containers' | 'nodes';
  /** Fetch what it plots, derive, build frames (its plan and frame builder are in its module). */
  run: Runner;
  /** Whether its frames have a legend (a table has none: no legend field, no legend warning). */
  legend: boolean;
  /** Whether the query draws memory limits: the editor then counts the groups without one. */
  limits?: {
    shown: (query: RealMemoryQuery) => boolean;
    /** What a group without a limit misses, e.g. "their headroom is not defined". */
    without: string;
  };
  editor: ViewEditor;
  /** Explore's history: what follows the label in the title, e.g. " (% of limit)"; and its options. */
  displayText?: {
    titleSuffix?: (query: RealMemoryQuery, formula: Formula) => string;
    options?: (query: RealMemoryQuery) => string[];
  };
}

/** The view's part of the query editor. */
export interface ViewEditor {
  /** Its own choice, in a fixed place beside the view picker (formula, unit, node view, or a fixed text). */
  Choice: ComponentType<ViewFieldProps>;
  /** Its own fields inside Options, after the common ones. */
  Options?: ComponentType<ViewFieldProps>;
  /** One line under the first row: how to read what it plots. */
  help: (formula: Formula) => string;
  /** The help line's test id ('view-help' when unset). */
  helpTestId?: string;
  /** An icon before the help line. */
  helpIcon?: IconName;
  /**
   * Whether Top applies: the groups it keeps, ranked by the view's question. Default: the
   * containers kind ranks (rankBy); other kinds say so here.
   */
  topN?: (query: RealMemoryQuery) => boolean;
  /** Its options in the one-line summary of the closed Options group, e.g. "Limits: shown". */
  summary?: (query: RealMemoryQuery) => string[];
}

/** What a view's editor fields get: the query, the formula in effect, and a patch that runs the query. */
export interface ViewFieldProps {
  query: RealMemoryQuery;
  formula: Formula;
  update: (patch: Partial<RealMemoryQuery>) => void;
}
