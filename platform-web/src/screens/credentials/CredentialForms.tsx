import { useId, useState, type ReactNode } from 'react';
import { ApiError, validationProblem, type FieldError } from '../../api/problem';
import type { CreateCredentialRequest, Credential, ProviderDescription } from '../../api/schema';
import { collect, credentialInputs, credentialRequest, secretInputs, type CredentialInput } from '../../forms/credentialForm';
import { DismissButton, Modal } from '../../ui/Dialog';
import { Form, TextField, formString } from '../../ui/Form';

/** The form's values by control name, for the credential schema helpers. */
export function valuesOf(values: FormData): Map<string, string> {
  const map = new Map<string, string>();
  values.forEach((value, name) => {
    if (typeof value === 'string') map.set(name, value);
  });
  return map;
}

/** The inputs of the fields a provider declares; secret ones are never offered to autofill. */
export function CredentialFields({ inputs }: { inputs: readonly CredentialInput[] }) {
  return (
    <>
      {inputs.map((input) => (
        <TextField
          key={input.name}
          name={input.name}
          label={input.label}
          type={input.type}
          required={input.required}
          placeholder={input.placeholder}
          hint={input.hint}
          autoComplete={input.secret ? 'off' : undefined}
        />
      ))}
    </>
  );
}

interface AddCredentialFormProps<T extends Credential> {
  providers: readonly ProviderDescription[];
  submitLabel(providerName: string): string;
  labelHint: string;
  /** Fields of this kind of credential beyond the provider's own (e.g. a managed credential's cap). */
  extraFields?: ReactNode;
  /** Stores the credential the provider's fields describe; `values` holds the extra fields. */
  create(request: CreateCredentialRequest, values: FormData): Promise<T>;
  onSaved(saved: T): Promise<void>;
}

/** Adds a credential: pick the provider, then fill in the fields it declares; the form empties once saved. */
export function AddCredentialForm<T extends Credential>({ providers: all, submitLabel, labelHint, extraFields, create, onSaved }: AddCredentialFormProps<T>) {
  const [providerId, setProviderId] = useState(all[0]?.id ?? '');
  const [generation, setGeneration] = useState(0);
  const selectId = useId();
  const provider = all.find((p) => p.id === providerId);
  return (
    <div className="stack">
      <div className="field">
        <label htmlFor={selectId}>Provider</label>
        <select id={selectId} value={providerId} onChange={(event) => setProviderId(event.target.value)}>
          {all.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </div>
      {provider ? (
        <Form
          key={`${provider.id}-${generation}`}
          submitLabel={submitLabel(provider.name)}
          busyLabel="Saving…"
          onSubmit={async (values) => {
            const built = credentialRequest(provider, formString(values, 'label'), valuesOf(values));
            if (!built.ok) throw new ApiError(built.problem);
            const saved = await create(built.request, values);
            setGeneration((value) => value + 1);
            await onSaved(saved);
          }}
        >
          <TextField name="label" label="Label" required maxLength={100} autoComplete="off" hint={labelHint} />
          <CredentialFields inputs={credentialInputs(provider)} />
          {extraFields}
        </Form>
      ) : null}
    </div>
  );
}

interface RotateSecretDialogProps {
  credential: Credential;
  provider: ProviderDescription | undefined;
  /** What replacing the secret does, said above the fields. */
  note: string;
  rotate(secret: Record<string, string>): Promise<unknown>;
  onRotated(): Promise<void>;
  onClose(): void;
}

/** Replaces a credential's secret fields; its config stays as it is. */
export function RotateSecretDialog({ credential, provider, note, rotate, onRotated, onClose }: RotateSecretDialogProps) {
  return (
    <Modal title={`Rotate the secret of “${credential.label}”`} onClose={onClose}>
      {provider ? (
        <Form
          submitLabel="Replace secret"
          busyLabel="Replacing…"
          actions={<DismissButton onClick={onClose} />}
          onSubmit={async (values) => {
            const errors: FieldError[] = [];
            const secret = collect('secret', provider.secret, valuesOf(values), errors);
            if (errors.length) throw new ApiError(validationProblem(errors));
            await rotate(secret);
            await onRotated();
          }}
        >
          <p>{note}</p>
          <CredentialFields inputs={secretInputs(provider)} />
        </Form>
      ) : (
        <p>This provider is not known to the server any more.</p>
      )}
    </Modal>
  );
}
