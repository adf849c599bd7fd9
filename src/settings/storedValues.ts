/**
 * Values that settings and stored queries hold as YAML, Terraform and hand-edited JSON wrote them,
 * read the same way for both.
 */

/** true and false, and the texts "true" and "false" (any case, spaces around); undefined for anything else. */
export function booleanOf(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') {
    return value;
  }
  const text = typeof value === 'string' ? value.trim().toLowerCase() : undefined;
  return text === 'true' ? true : text === 'false' ? false : undefined;
}

/**
 * How a stored value of the wrong type reads in a message that names its key: say what arrived,
 * briefly.
 *
 * "a number (42)", "a boolean (true)", "a list", "an object", or a short quoted text.
 */
export function describeValue(value: unknown): string {
  if (Array.isArray(value)) {
    return 'a list';
  }
  if (value === null) {
    return 'null';
  }
  switch (typeof value) {
    case 'number':
      return `a number (${value})`;
    case 'boolean':
      return `a boolean (${value})`;
    case 'string':
      return `"${value.length > 40 ? value.slice(0, 40) + '…' : value}"`;
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}
