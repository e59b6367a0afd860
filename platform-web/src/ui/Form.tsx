import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useId,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type FormEvent,
  type ReactNode,
} from 'react';
import type { FieldError, Problem } from '../api/problem';
import { partitionFieldErrors } from '../forms/fieldErrors';
import { ProblemAlert, problemOf } from './ProblemAlert';

interface FormState {
  register(name: string): () => void;
  messages(name: string): readonly string[];
}

const FormContext = createContext<FormState>({ register: () => () => undefined, messages: () => [] });

interface FormProps {
  /** Runs with the form's values; a thrown ApiError's `errors[]` go beside the fields they name. */
  onSubmit(values: FormData): Promise<void>;
  submitLabel: string;
  busyLabel: string;
  children: ReactNode;
  className?: string;
  /** Extra buttons beside the submit button (e.g. Cancel in a dialog). */
  actions?: ReactNode;
  danger?: boolean;
}

/**
 * The one form pattern of the console: it disables its button while the request runs, shows a
 * problem's field messages beside the controls that registered those names (`aria-invalid`,
 * `aria-describedby`), the rest and the detail in a summary, and moves focus to where the user
 * has to act.
 */
export function Form({ onSubmit, submitLabel, busyLabel, children, className, actions, danger }: FormProps) {
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const fields = useRef(new Map<string, number>());
  const formRef = useRef<HTMLFormElement>(null);
  const alertRef = useRef<HTMLDivElement>(null);
  const mounted = useRef(true);
  useEffect(() => () => void (mounted.current = false), []);

  const partition = useMemo(
    () => partitionFieldErrors(problem?.errors ?? [], [...fields.current.keys()]),
    // The registered names change with the problem's rendering only.
    [problem],
  );

  const register = useCallback((name: string) => {
    fields.current.set(name, (fields.current.get(name) ?? 0) + 1);
    return () => {
      const count = (fields.current.get(name) ?? 1) - 1;
      if (count) fields.current.set(name, count);
      else fields.current.delete(name);
    };
  }, []);
  const state = useMemo<FormState>(
    () => ({ register, messages: (name) => partition.byField.get(name) ?? [] }),
    [register, partition],
  );

  useLayoutEffect(() => {
    if (!problem) return;
    const invalid = formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
    (invalid ?? alertRef.current)?.focus();
  }, [problem]);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy) return;
    setProblem(null);
    setBusy(true);
    try {
      await onSubmit(new FormData(event.currentTarget));
    } catch (error) {
      if (mounted.current) setProblem(problemOf(error));
    } finally {
      if (mounted.current) setBusy(false);
    }
  };

  return (
    <FormContext.Provider value={state}>
      <form ref={formRef} className={className ?? 'stack'} noValidate onSubmit={(event) => void submit(event)}>
        {problem ? <ProblemAlert ref={alertRef} problem={problem} unmatched={partition.unmatched} /> : null}
        {children}
        <div className="form-actions">
          {actions}
          <button type="submit" className={danger ? 'button button-danger' : 'button button-primary'} disabled={busy} aria-busy={busy || undefined}>
            {busy ? busyLabel : submitLabel}
          </button>
        </div>
      </form>
    </FormContext.Provider>
  );
}

/** A field's messages from the form's problem, with the ids that connect them to its control. */
function useFieldMessages(name: string) {
  const form = useContext(FormContext);
  useEffect(() => form.register(name), [form, name]);
  const messages = form.messages(name);
  const base = useId();
  return { messages, controlId: `${base}-control`, errorId: `${base}-error`, hintId: `${base}-hint` };
}

function describedBy(...ids: (string | false | undefined)[]): string | undefined {
  const present = ids.filter((value): value is string => Boolean(value));
  return present.length ? present.join(' ') : undefined;
}

interface BaseFieldProps {
  name: string;
  label: string;
  hint?: string | undefined;
  className?: string | undefined;
}

function FieldFrame({ label, hint, className, field, children }: BaseFieldProps & { field: ReturnType<typeof useFieldMessages>; children: ReactNode }) {
  const invalid = field.messages.length > 0;
  return (
    <div className={`field${className ? ` ${className}` : ''}${invalid ? ' invalid' : ''}`}>
      <label htmlFor={field.controlId}>{label}</label>
      {children}
      {hint ? (
        <p className="hint" id={field.hintId}>
          {hint}
        </p>
      ) : null}
      {invalid ? (
        <p className="field-error" id={field.errorId}>
          {field.messages.join(' ')}
        </p>
      ) : null}
    </div>
  );
}

export interface TextFieldProps extends BaseFieldProps {
  type?: 'text' | 'email' | 'password' | 'number' | 'url' | 'datetime-local' | 'date' | 'search';
  required?: boolean | undefined;
  autoComplete?: string | undefined;
  defaultValue?: string | undefined;
  placeholder?: string | undefined;
  min?: number | undefined;
  max?: number | undefined;
  maxLength?: number | undefined;
}

export function TextField({ name, label, hint, className, type = 'text', ...input }: TextFieldProps) {
  const field = useFieldMessages(name);
  const invalid = field.messages.length > 0;
  return (
    <FieldFrame name={name} label={label} hint={hint} className={className ?? ''} field={field}>
      <input
        id={field.controlId}
        name={name}
        type={type}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy(hint && field.hintId, invalid && field.errorId)}
        spellCheck={type === 'password' ? false : undefined}
        {...input}
      />
    </FieldFrame>
  );
}

export function TextArea({ name, label, hint, className, defaultValue, rows = 4 }: BaseFieldProps & { defaultValue?: string; rows?: number }) {
  const field = useFieldMessages(name);
  const invalid = field.messages.length > 0;
  return (
    <FieldFrame name={name} label={label} hint={hint} className={className ?? ''} field={field}>
      <textarea
        id={field.controlId}
        name={name}
        rows={rows}
        defaultValue={defaultValue}
        spellCheck={false}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy(hint && field.hintId, invalid && field.errorId)}
      />
    </FieldFrame>
  );
}

export interface Option {
  value: string;
  label: string;
  description?: string;
}

export function SelectField({ name, label, hint, className, options, defaultValue }: BaseFieldProps & { options: readonly Option[]; defaultValue?: string }) {
  const field = useFieldMessages(name);
  const invalid = field.messages.length > 0;
  return (
    <FieldFrame name={name} label={label} hint={hint} className={className ?? ''} field={field}>
      <select
        id={field.controlId}
        name={name}
        defaultValue={defaultValue}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy(hint && field.hintId, invalid && field.errorId)}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}

export function CheckboxGroup({ name, label, hint, options, defaultChecked = [] }: BaseFieldProps & { options: readonly Option[]; defaultChecked?: readonly string[] }) {
  const field = useFieldMessages(name);
  const invalid = field.messages.length > 0;
  return (
    <fieldset
      className={`field checkbox-group${invalid ? ' invalid' : ''}`}
      aria-invalid={invalid || undefined}
      aria-describedby={describedBy(hint && field.hintId, invalid && field.errorId)}
    >
      <legend>{label}</legend>
      {hint ? (
        <p className="hint" id={field.hintId}>
          {hint}
        </p>
      ) : null}
      <div className="checkbox-list">
        {options.map((option) => {
          const id = `${field.controlId}-${option.value}`;
          return (
            <div className="checkbox" key={option.value}>
              <input
                id={id}
                type="checkbox"
                name={name}
                value={option.value}
                defaultChecked={defaultChecked.includes(option.value)}
                aria-describedby={option.description ? `${id}-desc` : undefined}
              />
              <label htmlFor={id}>
                <code>{option.label}</code>
                {option.description ? (
                  <span className="hint" id={`${id}-desc`}>
                    {option.description}
                  </span>
                ) : null}
              </label>
            </div>
          );
        })}
      </div>
      {invalid ? (
        <p className="field-error" id={field.errorId}>
          {field.messages.join(' ')}
        </p>
      ) : null}
    </fieldset>
  );
}

export function formString(values: FormData, name: string): string {
  const value = values.get(name);
  return typeof value === 'string' ? value : '';
}

export function formStrings(values: FormData, name: string): string[] {
  return values.getAll(name).filter((value): value is string => typeof value === 'string');
}

export type { FieldError };

export function CheckboxField({ name, label, hint, defaultChecked }: BaseFieldProps & { defaultChecked?: boolean }) {
  const field = useFieldMessages(name);
  const invalid = field.messages.length > 0;
  return (
    <div className={`field field-checkbox${invalid ? ' invalid' : ''}`}>
      <div className="checkbox">
        <input
          id={field.controlId}
          type="checkbox"
          name={name}
          value="true"
          defaultChecked={defaultChecked}
          aria-invalid={invalid || undefined}
          aria-describedby={describedBy(hint && field.hintId, invalid && field.errorId)}
        />
        <label htmlFor={field.controlId}>{label}</label>
      </div>
      {hint ? (
        <p className="hint" id={field.hintId}>
          {hint}
        </p>
      ) : null}
      {invalid ? (
        <p className="field-error" id={field.errorId}>
          {field.messages.join(' ')}
        </p>
      ) : null}
    </div>
  );
}
