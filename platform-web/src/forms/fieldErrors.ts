import type { FieldError } from '../api/problem';

/**
 * Maps a server field path to the form control name it belongs to:
 * `scopes[2]` and `scopes.2` belong to `scopes`, and `organizationName` to `organization_name`
 * (bean-validation paths may be camelCase even though the JSON is snake_case).
 */
export function fieldKey(field: string): string {
  return snakeCase(field.split(/[.[]/, 1)[0] ?? field);
}

function snakeCase(path: string): string {
  return path.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

export interface PartitionedErrors {
  byField: Map<string, string[]>;
  unmatched: FieldError[];
}

/** Splits errors into those a form can show beside a control and those it must show in its summary. */
export function partitionFieldErrors(errors: readonly FieldError[], knownFields: Iterable<string>): PartitionedErrors {
  const known = new Set(knownFields);
  const byField = new Map<string, string[]>();
  const unmatched: FieldError[] = [];
  for (const error of errors) {
    // A nested path names its own control when the form has one (`secret.api_key`), else its parent.
    const exact = snakeCase(error.field);
    const key = known.has(exact) ? exact : fieldKey(error.field);
    if (known.has(key)) {
      const messages = byField.get(key) ?? [];
      if (!messages.includes(error.message)) messages.push(error.message);
      byField.set(key, messages);
    } else {
      unmatched.push(error);
    }
  }
  return { byField, unmatched };
}
