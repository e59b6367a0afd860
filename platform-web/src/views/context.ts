import { ApiError } from '../api/problem';
import { isAbortError } from '../api/http';
import type { LatchkeyApi } from '../api/latchkey';
import type { Me, Membership } from '../api/types';
import { problemAlert } from '../ui/alerts';
import { replaceChildren } from '../ui/dom';

/** What a signed-in screen gets from the app shell. */
export interface OrgViewContext {
  api: LatchkeyApi;
  me: Me;
  org: Membership;
  /** Aborted when the user navigates away, so late responses never touch a stale screen. */
  signal: AbortSignal;
  /** The server said the session is gone: back to the login screen. */
  sessionExpired(): void;
  /** The user's own memberships changed (role, removal): reload /v1/me and re-render. */
  refreshSession(): Promise<void>;
}

/**
 * Shows an error from a failed call in the given slot. Returns false when there was nothing to show
 * (the screen was left, or the session ended and the app is already moving to login).
 */
export function showError(ctx: Pick<OrgViewContext, 'signal' | 'sessionExpired'>, slot: HTMLElement, error: unknown): boolean {
  if (ctx.signal.aborted || isAbortError(error)) return false;
  if (error instanceof ApiError && error.status === 401) {
    ctx.sessionExpired();
    return false;
  }
  const problem =
    error instanceof ApiError
      ? error.problem
      : { type: 'about:blank', title: 'Something went wrong', status: 0, detail: String(error) };
  const alert = problemAlert(problem);
  replaceChildren(slot, alert);
  alert.focus();
  return true;
}
