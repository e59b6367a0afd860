export interface FieldError {
  field: string;
  message: string;
}

/**
 * RFC 9457 problem details as the server renders them. Written here, not generated: springdoc's
 * document describes successful responses only.
 */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  request_id?: string;
  errors?: FieldError[];
}

/** Thrown for every failed API call so views can render the server's own explanation. */
export class ApiError extends Error {
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail ?? problem.title);
    this.name = 'ApiError';
    this.problem = problem;
  }

  get status(): number {
    return this.problem.status;
  }

  get fieldErrors(): FieldError[] {
    return this.problem.errors ?? [];
  }
}

export const CSRF_PROBLEM_PATH = '/problems/csrf';

/** The server may send `type` as a relative path or as an absolute URI; only the path matters. */
export function isCsrfProblem(problem: Problem): boolean {
  return problem.status === 403 && problemTypePath(problem.type) === CSRF_PROBLEM_PATH;
}

export function isProblemOfType(error: unknown, path: string): boolean {
  return error instanceof ApiError && problemTypePath(error.problem.type) === path;
}

/** Builds the problem a form shows for input the console refuses before asking the server. */
export function validationProblem(errors: FieldError[]): Problem {
  return {
    type: '/problems/validation',
    title: 'Invalid input',
    status: 400,
    detail: 'Please correct the highlighted fields.',
    errors,
  };
}

export function problemTypePath(type: string): string {
  try {
    return new URL(type, 'http://relative.invalid').pathname;
  } catch {
    return type;
  }
}

const GENERIC_TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Not signed in',
  403: 'Not allowed',
  404: 'Not found',
  409: 'Conflict',
  422: 'Invalid input',
  429: 'Too many requests',
  500: 'Server error',
  502: 'Server unavailable',
  503: 'Server unavailable',
  504: 'Server did not respond',
};

/** Builds a problem for responses that did not carry one (proxies, crashes, HTML error pages). */
export function fallbackProblem(status: number, detail?: string): Problem {
  const problem: Problem = {
    type: 'about:blank',
    title: GENERIC_TITLES[status] ?? 'Request failed',
    status,
  };
  problem.detail = detail ?? `The server answered with HTTP ${status}.`;
  return problem;
}

export function networkProblem(): Problem {
  return {
    type: 'about:blank',
    title: 'Network error',
    status: 0,
    detail: 'Could not reach the Latchkey server. Check your connection and try again.',
  };
}

/** Reads a problem+json body, tolerating servers that send plain JSON errors or none at all. */
export async function readProblem(response: Response): Promise<Problem> {
  const contentType = response.headers.get('content-type') ?? '';
  if (!contentType.includes('json')) {
    return fallbackProblem(response.status);
  }
  try {
    const body: unknown = await response.json();
    return normalizeProblem(body, response.status);
  } catch {
    return fallbackProblem(response.status);
  }
}

function normalizeProblem(body: unknown, status: number): Problem {
  if (typeof body !== 'object' || body === null) {
    return fallbackProblem(status);
  }
  const raw = body as Record<string, unknown>;
  const fallback = fallbackProblem(status);
  const problem: Problem = {
    type: typeof raw.type === 'string' ? raw.type : 'about:blank',
    title: typeof raw.title === 'string' ? raw.title : fallback.title,
    status: typeof raw.status === 'number' ? raw.status : status,
  };
  if (typeof raw.detail === 'string') problem.detail = raw.detail;
  if (typeof raw.request_id === 'string') problem.request_id = raw.request_id;
  if (Array.isArray(raw.errors)) problem.errors = raw.errors.filter(isFieldError);
  return problem;
}

function isFieldError(value: unknown): value is FieldError {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return typeof candidate.field === 'string' && typeof candidate.message === 'string';
}
