import { ApiError, isCsrfProblem, networkProblem, readProblem } from './problem';
import type { Schemas } from './schema';

type CsrfToken = Schemas['AuthCsrfResponse'];

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestOptions {
  body?: unknown;
  signal?: AbortSignal;
}

type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

const CSRF_PATH = '/v1/auth/csrf';
const SAFE_METHODS: ReadonlySet<HttpMethod> = new Set(['GET']);

/**
 * Same-origin JSON client for the public API. It authenticates with the session cookie and
 * attaches the CSRF token to every write, fetching it lazily and at most once until invalidated.
 */
export class HttpClient {
  private readonly fetchImpl: FetchLike;
  private csrfToken: Promise<CsrfToken> | null = null;

  constructor(fetchImpl: FetchLike = (input, init) => fetch(input, init)) {
    this.fetchImpl = fetchImpl;
  }

  get<T>(path: string, options: RequestOptions = {}): Promise<T> {
    return this.request<T>('GET', path, options);
  }

  post<T>(path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
    return this.request<T>('POST', path, { ...options, body });
  }

  put<T>(path: string, body: unknown, options: RequestOptions = {}): Promise<T> {
    return this.request<T>('PUT', path, { ...options, body });
  }

  patch<T>(path: string, body: unknown, options: RequestOptions = {}): Promise<T> {
    return this.request<T>('PATCH', path, { ...options, body });
  }

  /** A GET for another representation than JSON (CSV exports), as a Blob. */
  async getBlob(path: string, accept: string, options: RequestOptions = {}): Promise<Blob> {
    const init: RequestInit = { method: 'GET', headers: { Accept: `${accept}, application/problem+json` }, credentials: 'same-origin' };
    if (options.signal) init.signal = options.signal;
    const response = await this.fetchOrFail(path, init);
    if (!response.ok) throw new ApiError(await readProblem(response));
    return response.blob();
  }

  delete(path: string, options: RequestOptions = {}): Promise<void> {
    return this.request<void>('DELETE', path, options);
  }

  /** The server issues a new CSRF token whenever the session changes (login, signup, logout). */
  invalidateCsrfToken(): void {
    this.csrfToken = null;
  }

  async request<T>(method: HttpMethod, path: string, options: RequestOptions = {}): Promise<T> {
    const response = await this.send(method, path, options);
    if (response.ok) {
      return parseBody<T>(response);
    }
    const problem = await readProblem(response);
    // A stale token (e.g. the session expired server-side) deserves exactly one fresh attempt.
    if (!SAFE_METHODS.has(method) && isCsrfProblem(problem)) {
      this.invalidateCsrfToken();
      const retried = await this.send(method, path, options);
      if (retried.ok) {
        return parseBody<T>(retried);
      }
      throw new ApiError(await readProblem(retried));
    }
    throw new ApiError(problem);
  }

  private async send(method: HttpMethod, path: string, options: RequestOptions): Promise<Response> {
    const headers: Record<string, string> = {
      Accept: 'application/json, application/problem+json',
    };
    if (!SAFE_METHODS.has(method)) {
      const csrf = await this.currentCsrfToken();
      headers[csrf.header_name] = csrf.token;
    }
    const init: RequestInit = { method, headers, credentials: 'same-origin' };
    if (options.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(options.body);
    }
    if (options.signal) {
      init.signal = options.signal;
    }
    return this.fetchOrFail(path, init);
  }

  // Not tied to any caller's AbortSignal: concurrent writes share this one request.
  private currentCsrfToken(): Promise<CsrfToken> {
    if (!this.csrfToken) {
      const pending = this.fetchCsrfToken();
      this.csrfToken = pending;
      // A failed fetch must not poison the cache for later writes.
      pending.catch(() => {
        if (this.csrfToken === pending) this.csrfToken = null;
      });
    }
    return this.csrfToken;
  }

  private async fetchCsrfToken(): Promise<CsrfToken> {
    const init: RequestInit = {
      method: 'GET',
      headers: { Accept: 'application/json, application/problem+json' },
      credentials: 'same-origin',
    };
    const response = await this.fetchOrFail(CSRF_PATH, init);
    if (!response.ok) {
      throw new ApiError(await readProblem(response));
    }
    return (await response.json()) as CsrfToken;
  }

  private async fetchOrFail(path: string, init: RequestInit): Promise<Response> {
    try {
      return await this.fetchImpl(path, init);
    } catch (error) {
      if (isAbortError(error)) throw error;
      throw new ApiError(networkProblem());
    }
  }
}

async function parseBody<T>(response: Response): Promise<T> {
  if (response.status === 204) {
    return undefined as T;
  }
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export function isAbortError(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}
