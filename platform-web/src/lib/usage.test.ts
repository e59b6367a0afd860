import { describe, expect, it } from 'vitest';
import { allowanceShare, dailyBars, keyedBars, spendBySource } from './usage';

const row = (key: string, events: number) => ({ key, events, quantity: events, amount_micros: 0, currency: 'USD' });

describe('usage charts', () => {
  it('has one bar per day of the range, quiet days at zero', () => {
    const bars = dailyBars([row('2031-05-02', 3)], '2031-05-01T00:00:00Z', '2031-05-04T00:00:00Z');
    expect(bars).toEqual([
      { label: '2031-05-01', events: 0 },
      { label: '2031-05-02', events: 3 },
      { label: '2031-05-03', events: 0 },
    ]);
  });

  it('adds up rows of one day in several currencies', () => {
    const bars = dailyBars([row('2031-05-01', 1), row('2031-05-01', 2)], '2031-05-01T00:00:00Z', '2031-05-02T00:00:00Z');
    expect(bars).toEqual([{ label: '2031-05-01', events: 3 }]);
  });

  it('orders other keys by events, largest first', () => {
    expect(keyedBars([row('daily', 1), row('livekit', 5), row('openai', 1)]).map((b) => b.label)).toEqual(['livekit', 'daily', 'openai']);
  });

  it('measures the allowance used, capped at all of it', () => {
    expect(allowanceShare(50, 200)).toBe(0.25);
    expect(allowanceShare(300, 200)).toBe(1);
    expect(allowanceShare(5, null)).toBeNull();
  });

  it('shows own and managed spend apart per currency, and what they add up to', () => {
    const amount = (key: string, micros: number, currency = 'USD') => ({ key, events: 1, quantity: 1, amount_micros: micros, currency });
    expect(spendBySource([amount('own', 2_000), amount('managed', 75_000), amount('managed', 10, 'EUR')])).toEqual([
      { currency: 'EUR', own: 0, managed: 10, byok: 0, total: 10 },
      { currency: 'USD', own: 2_000, managed: 75_000, byok: 0, total: 77_000 },
    ]);
    expect(spendBySource([])).toEqual([]);
  });
});
