import { useEffect, useId, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { Bar } from '../lib/usage';

interface BarChartProps {
  title: string;
  bars: readonly Bar[];
  valueLabel: string;
}

/**
 * Bars drawn by uPlot on a canvas (it styles its own elements through the CSSOM only, so it
 * works under a strict style-src), with the same numbers as a table for screen readers and for
 * anyone who wants the figures.
 */
const dayFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });

/** A day (YYYY-MM-DD) as "Nov 3"; any other key as it is. */
function shortLabel(label: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(label) ? dayFormat.format(new Date(`${label}T00:00:00Z`)) : label;
}

export function BarChart({ title, bars, valueLabel }: BarChartProps) {
  const host = useRef<HTMLDivElement>(null);
  const captionId = useId();

  useEffect(() => {
    const element = host.current;
    if (!element || !bars.length) return;
    const accent = getComputedStyle(element).getPropertyValue('--chart-bar').trim() || '#3b5bdb';
    const ink = getComputedStyle(element).getPropertyValue('--chart-ink').trim() || '#444';
    const labels = bars.map((bar) => shortLabel(bar.label));
    const data: uPlot.AlignedData = [bars.map((_, index) => index), bars.map((bar) => bar.events)];
    const width = () => Math.max(260, element.clientWidth);
    const chart = new uPlot(
      {
        width: width(),
        height: 220,
        legend: { show: false },
        cursor: { show: false },
        scales: { x: { time: false, range: [-0.5, bars.length - 0.5] }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
        axes: [
          {
            stroke: ink,
            grid: { show: false },
            values: (_u, splits) => splits.map((split) => labels[split] ?? ''),
            // As many labels as fit, about 72 CSS pixels apart.
            splits: (u) => {
              const fit = Math.max(2, Math.floor(u.bbox.width / (window.devicePixelRatio || 1) / 72));
              const step = Math.max(1, Math.ceil(labels.length / fit));
              return labels.map((_, index) => index).filter((index) => index % step === 0);
            },
          },
          { stroke: ink, grid: { stroke: 'rgba(128,128,128,0.2)' }, incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 1e6, 1e7] },
        ],
        series: [
          {},
          {
            label: valueLabel,
            fill: accent,
            stroke: accent,
            ...(uPlot.paths.bars ? { paths: uPlot.paths.bars({ size: [0.7, 48] }) } : {}),
            points: { show: false },
          },
        ],
      },
      data,
      element,
    );
    const resize = new ResizeObserver(() => chart.setSize({ width: width(), height: 220 }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [bars, valueLabel]);

  return (
    <figure className="chart" aria-labelledby={captionId}>
      <figcaption id={captionId}>{title}</figcaption>
      <div ref={host} className="chart-canvas" aria-hidden="true" data-testid={`chart-${title}`} />
      <details className="chart-data">
        <summary>Show the figures</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">{title.includes('day') ? 'Day' : 'Key'}</th>
              <th scope="col">{valueLabel}</th>
            </tr>
          </thead>
          <tbody>
            {bars.map((bar) => (
              <tr key={bar.label}>
                <th scope="row">{bar.label}</th>
                <td>{bar.events}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
