import type { FieldError, Problem } from '../api/types';
import { h } from './dom';

/** Renders a problem with the server's wording; the request id lets support find the log line. */
export function problemAlert(problem: Problem, extraErrors: readonly FieldError[] = problem.errors ?? []): HTMLDivElement {
  const message = problem.detail || problem.title;
  return h(
    'div',
    { class: 'alert alert-error', role: 'alert', tabindex: -1 },
    h('p', { class: 'alert-title' }, message),
    extraErrors.length
      ? h(
          'ul',
          { class: 'alert-list' },
          extraErrors.map((error) => h('li', {}, error.field ? `${error.field}: ${error.message}` : error.message)),
        )
      : null,
    problem.request_id ? h('p', { class: 'alert-meta' }, `Request ID: ${problem.request_id}`) : null,
  );
}

/** A polite live region: success messages are announced without stealing focus. */
export function statusRegion(): { element: HTMLElement; announce(message: string): void } {
  const element = h('p', { class: 'status-message', role: 'status', 'aria-live': 'polite' });
  let timer: number | undefined;
  return {
    element,
    announce(message: string) {
      window.clearTimeout(timer);
      element.textContent = message;
      timer = window.setTimeout(() => {
        element.textContent = '';
      }, 6000);
    },
  };
}
