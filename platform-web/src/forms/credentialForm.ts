import { validationProblem, type FieldError, type Problem } from '../api/problem';
import type { CreateCredentialRequest, ProviderDescription, ProviderField } from '../api/schema';

/** One input of a credential form, built from a field that the provider declares. */
export interface CredentialInput {
  /** The control name, and the path the server names in `errors[]`: `secret.api_key`, `config.url`. */
  name: string;
  label: string;
  required: boolean;
  secret: boolean;
  type: 'password' | 'url' | 'text';
  placeholder: string | undefined;
  hint: string | undefined;
}

function input(group: 'secret' | 'config', field: ProviderField, allowedHosts: readonly string[]): CredentialInput {
  const secret = group === 'secret';
  const url = field.kind === 'https_url' || field.kind === 'realtime_url';
  const hints: string[] = [];
  if (secret) hints.push('Write-only: it is encrypted and never shown again.');
  if (url && allowedHosts.length) hints.push(`Allowed hosts: ${allowedHosts.join(', ')}.`);
  if (field.kind === 'subdomain') hints.push('Only the subdomain, e.g. “acme” for acme.daily.co.');
  return {
    name: `${group}.${field.name}`,
    label: field.required ? field.label : `${field.label} (optional)`,
    required: field.required,
    secret,
    type: secret ? 'password' : url ? 'url' : 'text',
    placeholder: field.example ?? undefined,
    hint: hints.length ? hints.join(' ') : undefined,
  };
}

/** The inputs of a provider's credential form: its secret fields, then its config fields. */
export function credentialInputs(provider: ProviderDescription): CredentialInput[] {
  return [
    ...provider.secret.map((field) => input('secret', field, provider.allowed_hosts)),
    ...provider.config.map((field) => input('config', field, provider.allowed_hosts)),
  ];
}

/** The inputs for rotating a credential's secret: only its secret fields. */
export function secretInputs(provider: ProviderDescription): CredentialInput[] {
  return provider.secret.map((field) => input('secret', field, provider.allowed_hosts));
}

export type CredentialFormResult =
  | { ok: true; request: CreateCredentialRequest }
  | { ok: false; problem: Problem };

/**
 * Builds the request from the form's values (control name → value): empty optional fields are
 * left out, missing required ones refused with the server's own field paths.
 */
export function credentialRequest(
  provider: ProviderDescription,
  label: string,
  values: ReadonlyMap<string, string>,
): CredentialFormResult {
  const errors: FieldError[] = [];
  if (!label.trim()) errors.push({ field: 'label', message: 'Give the credential a label.' });
  const secret = collect('secret', provider.secret, values, errors);
  const config = collect('config', provider.config, values, errors);
  if (errors.length) return { ok: false, problem: validationProblem(errors) };
  return { ok: true, request: { provider: provider.id, label: label.trim(), secret, config } };
}

export function collect(
  group: 'secret' | 'config',
  fields: readonly ProviderField[],
  values: ReadonlyMap<string, string>,
  errors: FieldError[],
): Record<string, string> {
  const result: Record<string, string> = {};
  for (const field of fields) {
    const value = (values.get(`${group}.${field.name}`) ?? '').trim();
    if (value) result[field.name] = value;
    else if (field.required) errors.push({ field: `${group}.${field.name}`, message: `${field.label} is required.` });
  }
  return result;
}
