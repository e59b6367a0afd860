import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HttpClient } from './http';
import { audit } from './audit';
import { http } from './client';
import { apiKeys, auth, usage } from './endpoints';
import { members } from './members';
import { ApiError } from './problem';

interface Call {
  path: string;
  init: RequestInit;
}

function json(status: number, body: unknown, contentType = 'application/json'): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': contentType } });
}

function problem(status: number, type: string, extra: Record<string, unknown> = {}): Response {
  return json(status, { type, title: 'Problem', status, ...extra }, 'application/problem+json');
}

/** A fake fetch that answers from a queue per path and records every call. */
function fakeServer(routes: Record<string, Response[]>) {
  const calls: Call[] = [];
  const fetchImpl = async (path: string, init: RequestInit) => {
    calls.push({ path, init });
    const queue = routes[`${init.method} ${path}`];
    const response = queue?.shift();
    if (!response) throw new Error(`unexpected ${init.method} ${path}`);
    return response;
  };
  return { calls, fetchImpl };
}

const csrf = (token: string) => json(200, { token, header_name: 'X-XSRF-TOKEN' });
const header = (call: Call | undefined, name: string) => (call?.init.headers as Record<string, string>)[name];

describe('HttpClient', () => {
  it('sends reads with the session cookie and no CSRF round-trip', async () => {
    const server = fakeServer({ 'GET /v1/me': [json(200, { user: {}, organizations: [] })] });
    await new HttpClient(server.fetchImpl).get('/v1/me');

    expect(server.calls.map((call) => call.path)).toEqual(['/v1/me']);
    expect(server.calls[0]?.init.credentials).toBe('same-origin');
  });

  it('fetches the CSRF token once and sends it in the header the server names', async () => {
    const server = fakeServer({
      'GET /v1/auth/csrf': [csrf('t1')],
      'POST /v1/orgs/o1/members': [json(201, { user_id: 'u1' }), json(201, { user_id: 'u2' })],
    });
    const client = new HttpClient(server.fetchImpl);

    await Promise.all([
      client.post('/v1/orgs/o1/members', { email: 'a@example.com', role: 'viewer' }),
      client.post('/v1/orgs/o1/members', { email: 'b@example.com', role: 'viewer' }),
    ]);

    expect(server.calls.filter((call) => call.path === '/v1/auth/csrf')).toHaveLength(1);
    const writes = server.calls.filter((call) => call.init.method === 'POST');
    expect(writes.map((call) => header(call, 'X-XSRF-TOKEN'))).toEqual(['t1', 't1']);
    expect(header(writes[0], 'Content-Type')).toBe('application/json');
    expect(writes[0]?.init.body).toBe('{"email":"a@example.com","role":"viewer"}');
  });

  it('refreshes the token and retries once when the server rejects it as a CSRF problem', async () => {
    const server = fakeServer({
      'GET /v1/auth/csrf': [csrf('stale'), csrf('fresh')],
      'DELETE /v1/orgs/o1/api-keys/k1': [problem(403, 'https://latchkey.dev/problems/csrf'), new Response(null, { status: 204 })],
    });

    await expect(new HttpClient(server.fetchImpl).delete('/v1/orgs/o1/api-keys/k1')).resolves.toBeUndefined();

    const deletes = server.calls.filter((call) => call.init.method === 'DELETE');
    expect(deletes.map((call) => header(call, 'X-XSRF-TOKEN'))).toEqual(['stale', 'fresh']);
  });

  it('gives up after one CSRF retry', async () => {
    const server = fakeServer({
      'GET /v1/auth/csrf': [csrf('a'), csrf('b')],
      'POST /v1/auth/logout': [problem(403, '/problems/csrf'), problem(403, '/problems/csrf', { detail: 'still bad' })],
    });

    const failure = new HttpClient(server.fetchImpl).post('/v1/auth/logout');
    await expect(failure).rejects.toBeInstanceOf(ApiError);
    await expect(failure).rejects.toMatchObject({ problem: { detail: 'still bad' } });
    expect(server.calls.filter((call) => call.path === '/v1/auth/logout')).toHaveLength(2);
  });

  it('does not retry a 403 that is not about CSRF', async () => {
    const server = fakeServer({
      'GET /v1/auth/csrf': [csrf('t')],
      'POST /v1/orgs/o1/api-keys': [problem(403, '/problems/forbidden', { detail: 'Viewers cannot create keys.' })],
    });

    await expect(new HttpClient(server.fetchImpl).post('/v1/orgs/o1/api-keys', {})).rejects.toMatchObject({
      status: 403,
      message: 'Viewers cannot create keys.',
    });
    expect(server.calls).toHaveLength(2);
  });

  it('surfaces per-field errors and the request id from problem+json', async () => {
    const server = fakeServer({
      'GET /v1/auth/csrf': [csrf('t')],
      'POST /v1/auth/signup': [
        problem(400, '/problems/validation', {
          detail: 'The request has invalid fields.',
          request_id: 'req-123',
          errors: [{ field: 'email', message: 'must be a well-formed email address' }, { bogus: true }],
        }),
      ],
    });

    const error = await new HttpClient(server.fetchImpl).post('/v1/auth/signup', {}).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    const apiError = error as ApiError;
    expect(apiError.problem.request_id).toBe('req-123');
    expect(apiError.fieldErrors).toEqual([{ field: 'email', message: 'must be a well-formed email address' }]);
  });

  it('turns a network failure into a readable problem', async () => {
    const client = new HttpClient(async () => {
      throw new TypeError('Failed to fetch');
    });
    await expect(client.get('/v1/me')).rejects.toMatchObject({ status: 0, problem: { title: 'Network error' } });
  });

  it('does not cache a failed CSRF fetch', async () => {
    const server = fakeServer({
      'GET /v1/auth/csrf': [new Response('oops', { status: 502 }), csrf('ok')],
      'POST /v1/auth/login': [json(200, { user: {}, organizations: [] })],
    });
    const client = new HttpClient(server.fetchImpl);

    await expect(client.post('/v1/auth/login', {})).rejects.toMatchObject({ status: 502 });
    await expect(client.post('/v1/auth/login', {})).resolves.toBeDefined();
  });
});

describe('endpoint calls', () => {
  // The endpoint modules share the console's one client, which calls the global fetch.
  const serve = (routes: Record<string, Response[]>) => {
    const server = fakeServer(routes);
    vi.stubGlobal('fetch', server.fetchImpl);
    return server;
  };
  beforeEach(() => http.invalidateCsrfToken());
  afterEach(() => vi.unstubAllGlobals());

  it('fetches a new CSRF token after login because the session changed', async () => {
    const server = serve({
      'GET /v1/auth/csrf': [csrf('anonymous'), csrf('authenticated')],
      'POST /v1/auth/login': [json(200, { user: { id: 'u1' }, organizations: [] })],
      'POST /v1/orgs/o1/api-keys': [json(201, { id: 'k1', key: 'lk_secret' })],
    });

    await auth.login('a@example.com', 'pw');
    await apiKeys.create('o1', { name: 'ci', scopes: ['tokens:mint'] });

    const keyCall = server.calls.find((call) => call.path === '/v1/orgs/o1/api-keys');
    expect(header(keyCall, 'X-XSRF-TOKEN')).toBe('authenticated');
  });

  it('encodes path segments and sends rotate grace seconds in snake_case', async () => {
    const server = serve({
      'GET /v1/auth/csrf': [csrf('t')],
      'POST /v1/orgs/o%2F1/api-keys/k%201/rotate': [json(200, { id: 'k2', key: 'lk_new' })],
    });

    await apiKeys.rotate('o/1', 'k 1', 600);

    expect(server.calls.at(-1)?.init.body).toBe('{"grace_seconds":600}');
  });

  it('passes the pagination cursor as a query parameter', async () => {
    serve({ 'GET /v1/orgs/o1/members?cursor=abc%3D': [json(200, { items: [], next_cursor: null })] });
    const page = await members.list('o1', 'abc=');
    expect(page.items).toEqual([]);
  });

  it('leaves empty filters out of the query', async () => {
    serve({ 'GET /v1/orgs/o1/audit-events?action=api_key.*&outcome=denied': [json(200, { items: [], next_cursor: null })] });
    const page = await audit.events('o1', { action: 'api_key.*', actor: '', outcome: 'denied' }, null);
    expect(page.next_cursor).toBeNull();
  });

  it('asks for CSV with the Accept header and hands back the file', async () => {
    const server = serve({
      'GET /v1/orgs/o1/ledger?from=2031-01-01T00%3A00%3A00Z': [new Response('id,provider\n', { status: 200, headers: { 'Content-Type': 'text/csv' } })],
    });
    const blob = await usage.ledgerCsv('o1', { from: '2031-01-01T00:00:00Z' });
    expect(await blob.text()).toBe('id,provider\n');
    expect(header(server.calls[0], 'Accept')).toContain('text/csv');
  });
});
