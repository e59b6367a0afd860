import { ApiError } from '../api/problem';
import type { Problem } from '../api/types';
import { h, replaceChildren, uniqueId } from './dom';
import { partitionFieldErrors } from './fieldErrors';
import { problemAlert } from './alerts';

interface BaseFieldOptions {
  label: string;
  name: string;
  hint?: string;
  /** Extra class on the field wrapper, for layout. */
  className?: string;
}

export interface InputFieldOptions extends BaseFieldOptions {
  type?: 'text' | 'email' | 'password' | 'number' | 'datetime-local';
  required?: boolean;
  autocomplete?: string;
  value?: string;
  min?: number;
  max?: number;
  step?: number;
  minlength?: number;
  maxlength?: number;
  placeholder?: string;
}

export interface SelectFieldOptions extends BaseFieldOptions {
  options: readonly { value: string; label: string }[];
  value?: string;
}

export interface CheckboxGroupOptions extends BaseFieldOptions {
  options: readonly { value: string; label: string; description?: string }[];
  checked?: readonly string[];
}

/** A labelled input with room for a hint and for the server's message about this field. */
export function inputField(options: InputFieldOptions): HTMLDivElement {
  const id = uniqueId(`field-${options.name}`);
  const input = h('input', {
    id,
    name: options.name,
    type: options.type ?? 'text',
    required: options.required,
    autocomplete: options.autocomplete,
    value: options.value,
    min: options.min,
    max: options.max,
    step: options.step,
    minlength: options.minlength,
    maxlength: options.maxlength,
    placeholder: options.placeholder,
  });
  return fieldWrapper(options, id, input);
}

export function selectField(options: SelectFieldOptions): HTMLDivElement {
  const id = uniqueId(`field-${options.name}`);
  const select = h(
    'select',
    { id, name: options.name },
    options.options.map((option) =>
      h('option', { value: option.value, selected: option.value === options.value }, option.label),
    ),
  );
  return fieldWrapper(options, id, select);
}

export function checkboxGroup(options: CheckboxGroupOptions): HTMLFieldSetElement {
  const hintId = options.hint ? uniqueId(`hint-${options.name}`) : undefined;
  const errorId = uniqueId(`error-${options.name}`);
  const checked = new Set(options.checked ?? []);
  return h(
    'fieldset',
    {
      class: 'field checkbox-group',
      'data-field': options.name,
      'data-error-id': errorId,
      'aria-describedby': describedBy(hintId),
    },
    h('legend', {}, options.label),
    hintId ? h('p', { class: 'hint', id: hintId }, options.hint) : null,
    h(
      'div',
      { class: 'checkbox-list' },
      options.options.map((option) => {
        const id = uniqueId(`${options.name}-${option.value}`);
        const descriptionId = option.description ? `${id}-desc` : undefined;
        return h(
          'div',
          { class: 'checkbox' },
          h('input', {
            id,
            type: 'checkbox',
            name: options.name,
            value: option.value,
            checked: checked.has(option.value),
            'aria-describedby': descriptionId,
          }),
          h(
            'label',
            { for: id },
            h('code', {}, option.label),
            option.description ? h('span', { class: 'hint', id: descriptionId }, option.description) : null,
          ),
        );
      }),
    ),
    h('p', { class: 'field-error', id: errorId, hidden: true }),
  );
}

function fieldWrapper(
  options: BaseFieldOptions,
  controlId: string,
  control: HTMLInputElement | HTMLSelectElement,
): HTMLDivElement {
  const hintId = options.hint ? `${controlId}-hint` : undefined;
  const errorId = `${controlId}-error`;
  if (hintId) control.setAttribute('aria-describedby', hintId);
  return h(
    'div',
    { class: options.className ? `field ${options.className}` : 'field', 'data-field': options.name, 'data-error-id': errorId },
    h('label', { for: controlId }, options.label),
    control,
    hintId ? h('p', { class: 'hint', id: hintId }, options.hint) : null,
    h('p', { class: 'field-error', id: errorId, hidden: true }),
  );
}

function describedBy(...ids: (string | undefined)[]): string | undefined {
  const present = ids.filter((id): id is string => Boolean(id));
  return present.length ? present.join(' ') : undefined;
}

/**
 * Shows a problem on a form: field messages beside their controls, the rest (and the detail)
 * in the form's summary, then moves focus to where the user has to act.
 */
export class FormFeedback {
  private readonly summary: HTMLDivElement;

  constructor(private readonly form: HTMLFormElement) {
    this.summary = h('div', { class: 'form-summary' });
    form.prepend(this.summary);
  }

  clear(): void {
    replaceChildren(this.summary);
    for (const field of this.fields()) {
      this.setFieldMessages(field, []);
    }
  }

  showError(error: unknown): void {
    if (error instanceof ApiError) {
      this.showProblem(error.problem);
    } else {
      this.showProblem({
        type: 'about:blank',
        title: 'Something went wrong',
        status: 0,
        detail: error instanceof Error ? error.message : String(error),
      });
    }
  }

  showProblem(problem: Problem): void {
    this.clear();
    const fields = this.fields();
    const { byField, unmatched } = partitionFieldErrors(
      problem.errors ?? [],
      fields.map((field) => field.dataset.field ?? ''),
    );
    for (const field of fields) {
      this.setFieldMessages(field, byField.get(field.dataset.field ?? '') ?? []);
    }
    const alert = problemAlert(problem, unmatched);
    this.summary.append(alert);

    const firstInvalid = fields.find((field) => byField.has(field.dataset.field ?? ''));
    const focusTarget = firstInvalid?.querySelector<HTMLElement>('input, select, textarea');
    if (focusTarget) {
      focusTarget.focus();
    } else {
      alert.focus();
    }
  }

  private fields(): HTMLElement[] {
    return Array.from(this.form.querySelectorAll<HTMLElement>('[data-field]'));
  }

  private setFieldMessages(field: HTMLElement, messages: string[]): void {
    const errorElement = field.querySelector<HTMLElement>(`#${CSS.escape(field.dataset.errorId ?? '')}`);
    const controls = field.matches('fieldset')
      ? [field]
      : Array.from(field.querySelectorAll<HTMLElement>('input, select, textarea'));
    const invalid = messages.length > 0;
    field.classList.toggle('invalid', invalid);
    if (errorElement) {
      errorElement.textContent = messages.join(' ');
      errorElement.hidden = !invalid;
    }
    for (const control of controls) {
      toggleDescribedBy(control, field.dataset.errorId ?? '', invalid);
      if (invalid) control.setAttribute('aria-invalid', 'true');
      else control.removeAttribute('aria-invalid');
    }
  }
}

function toggleDescribedBy(control: HTMLElement, errorId: string, present: boolean): void {
  const ids = new Set((control.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean));
  if (present) ids.add(errorId);
  else ids.delete(errorId);
  if (ids.size) control.setAttribute('aria-describedby', [...ids].join(' '));
  else control.removeAttribute('aria-describedby');
}

/** Disables a button while its action runs so a slow request cannot be sent twice. */
export async function whileBusy<T>(button: HTMLButtonElement, busyLabel: string, action: () => Promise<T>): Promise<T> {
  const label = button.textContent;
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  button.textContent = busyLabel;
  try {
    return await action();
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
    button.textContent = label;
  }
}

export function formString(form: HTMLFormElement, name: string): string {
  const value = new FormData(form).get(name);
  return typeof value === 'string' ? value : '';
}

export function formStrings(form: HTMLFormElement, name: string): string[] {
  return new FormData(form).getAll(name).filter((value): value is string => typeof value === 'string');
}
