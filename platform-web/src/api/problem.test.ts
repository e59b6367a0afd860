import { describe, expect, it } from 'vitest';
import { isCsrfProblem, readProblem } from './problem';

describe('isCsrfProblem', () => {
  it.each([
    ['/problems/csrf', true],
    ['https://latchkey.dev/problems/csrf', true],
    ['/problems/forbidden', false],
    ['about:blank', false],
  ])('type %s → %s', (type, expected) => {
    expect(isCsrfProblem({ type, title: 'Forbidden', status: 403 })).toBe(expected);
  });

  it('only applies to 403 responses', () => {
    expect(isCsrfProblem({ type: '/problems/csrf', title: 'x', status: 400 })).toBe(false);
  });
});

describe('readProblem', () => {
  it('falls back to a generic problem for non-JSON error pages', async () => {
    const problem = await readProblem(new Response('<html>Bad Gateway</html>', { status: 502, headers: { 'Content-Type': 'text/html' } }));
    expect(problem).toMatchObject({ status: 502, title: 'Server unavailable' });
    expect(problem.detail).toContain('502');
  });

  it('keeps the server title when there is no detail', async () => {
    const response = new Response(JSON.stringify({ type: '/problems/throttled', title: 'Too many login attempts', status: 429 }), {
      status: 429,
      headers: { 'Content-Type': 'application/problem+json' },
    });
    expect(await readProblem(response)).toEqual({ type: '/problems/throttled', title: 'Too many login attempts', status: 429 });
  });
});
