import type { UsageRow } from '../api/schema';

/** One bar of a usage chart: its label and how many billable events it counts. */
export interface Bar {
  label: string;
  events: number;
}

/**
 * Usage by day as one bar per UTC day from `from` to `to` (exclusive), days without events at 0,
 * so that a quiet day shows as a gap instead of vanishing.
 */
export function dailyBars(rows: readonly UsageRow[], from: string, to: string): Bar[] {
  const byDay = new Map<string, number>();
  for (const row of rows) byDay.set(row.key, (byDay.get(row.key) ?? 0) + row.events);
  const bars: Bar[] = [];
  const start = Date.parse(from.slice(0, 10) + 'T00:00:00Z');
  const end = Date.parse(to);
  if (Number.isNaN(start) || Number.isNaN(end)) return [...byDay].map(([label, events]) => ({ label, events }));
  for (let day = start; day < end && bars.length < 400; day += 86_400_000) {
    const label = new Date(day).toISOString().slice(0, 10);
    bars.push({ label, events: byDay.get(label) ?? 0 });
  }
  return bars;
}

/** Usage by another key (provider, operation, ...): one bar per key, the largest first. */
export function keyedBars(rows: readonly UsageRow[]): Bar[] {
  const byKey = new Map<string, number>();
  for (const row of rows) byKey.set(row.key || '(none)', (byKey.get(row.key || '(none)') ?? 0) + row.events);
  return [...byKey].map(([label, events]) => ({ label, events })).sort((a, b) => b.events - a.events || a.label.localeCompare(b.label));
}

/** Part of an allowance used, 0..1 (a used-up or exceeded allowance is 1); null for no allowance. */
export function allowanceShare(used: number, allowance: number | null | undefined): number | null {
  if (allowance === null || allowance === undefined || allowance <= 0) return null;
  return Math.min(1, Math.max(0, used / allowance));
}

/** What a period cost, apart by credential source, in one currency. */
export interface SourceSpend {
  currency: string;
  own: number;
  managed: number;
  byok: number;
  total: number;
}

/**
 * Usage grouped by credential source (`group_by=credential_source`) as one line per currency:
 * what the organization's own keys, the platform's managed credentials (billed at the managed
 * price, which includes the provider's cost) and keys brought with requests came to.
 */
export function spendBySource(rows: readonly UsageRow[]): SourceSpend[] {
  const byCurrency = new Map<string, SourceSpend>();
  for (const row of rows) {
    const spend = byCurrency.get(row.currency) ?? { currency: row.currency, own: 0, managed: 0, byok: 0, total: 0 };
    if (row.key === 'own' || row.key === 'managed' || row.key === 'byok') spend[row.key] += row.amount_micros;
    spend.total += row.amount_micros;
    byCurrency.set(row.currency, spend);
  }
  return [...byCurrency.values()].sort((a, b) => a.currency.localeCompare(b.currency));
}
