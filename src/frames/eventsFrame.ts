import { DataFrame, FieldType, createDataFrame } from '@grafana/data';

import { MemoryEvent } from '../memory/events';

/** Events as a frame Grafana's standard annotation processing reads (time, title, text, tags). */
export function eventsFrame(refId: string, events: MemoryEvent[], executedQueryString: string): DataFrame {
  return createDataFrame({
    refId,
    name: 'memory events',
    fields: [
      { name: 'time', type: FieldType.time, values: events.map((e) => e.time) },
      { name: 'title', type: FieldType.string, values: events.map((e) => e.title) },
      { name: 'text', type: FieldType.string, values: events.map((e) => e.text) },
      { name: 'tags', type: FieldType.other, values: events.map((e) => e.tags) },
    ],
    meta: { executedQueryString },
  });
}
