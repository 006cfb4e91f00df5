// A small time-series chart (uPlot): x is time, each series a line on a labelled axis with its
// unit; hovering shows the exact values in the legend. A table of the same numbers sits
// beside it for screen readers and for anyone who wants to read them.
import { createEffect, For, onCleanup, onMount } from 'solid-js';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartSeries {
  label: string;
  /** Which axis: 'left' (the first unit) or 'right' (the second). */
  axis?: 'left' | 'right';
  color: string;
  values: Array<number | null>;
}

const numberFormat = new Intl.NumberFormat();
const timeFormat = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});
// Daily and weekly points are days (UTC midnights): a time of day would only mislead.
const dayFormat = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  timeZone: 'UTC',
});

function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

export function TimeChart(props: {
  title: string;
  /** Seconds since the epoch, ascending. */
  times: number[];
  series: ChartSeries[];
  leftUnit: string;
  rightUnit?: string;
  height?: number;
  /** The points are days: shown as dates, without a time of day. */
  dateOnly?: boolean;
}) {
  const formatTime = (seconds: number) => (props.dateOnly ? dayFormat : timeFormat).format(new Date(seconds * 1000));
  let holder!: HTMLDivElement;
  let chart: uPlot | undefined;

  const build = () => {
    chart?.destroy();
    const axisColor = cssVar('--muted', '#5c5c66');
    const gridColor = cssVar('--border', '#e2e2e6');
    const axis = (label: string, side: 1 | 3, scale: string): uPlot.Axis => ({
      scale,
      side,
      label,
      stroke: axisColor,
      grid: { stroke: gridColor, width: 1, show: side === 3 },
      ticks: { stroke: gridColor },
      values: (_u, ticks) => ticks.map((tick) => numberFormat.format(tick)),
      size: 60,
    });
    const usesRight = props.series.some((series) => series.axis === 'right');
    const first = props.times[0];
    const single = first !== undefined && first === props.times[props.times.length - 1] ? first : undefined;
    const options: uPlot.Options = {
      width: Math.max(280, holder.clientWidth),
      height: props.height ?? 240,
      scales: {
        x: {
          time: true,
          // One capture (a first sync) has no span of its own: show the day around it rather
          // than the years uPlot spreads a single point over.
          ...(single !== undefined
            ? { auto: false, range: [single - 43_200, single + 43_200] as uPlot.Range.MinMax }
            : {}),
        },
      },
      axes: [
        { stroke: axisColor, grid: { stroke: gridColor, width: 1 }, ticks: { stroke: gridColor }, label: 'Date' },
        axis(props.leftUnit, 3, 'left'),
        ...(usesRight && props.rightUnit ? [axis(props.rightUnit, 1, 'right')] : []),
      ],
      series: [
        { label: 'Time', value: (_u, value) => (value == null ? '—' : formatTime(value)) },
        ...props.series.map((series): uPlot.Series => ({
          label: series.label,
          scale: series.axis === 'right' ? 'right' : 'left',
          stroke: series.color,
          width: 2,
          points: { show: props.times.length < 60 },
          value: (_u, value) => (value == null ? '—' : numberFormat.format(value)),
        })),
      ],
      legend: { live: true },
      cursor: { drag: { x: false, y: false } },
    };
    const data = [props.times, ...props.series.map((series) => series.values)] as uPlot.AlignedData;
    chart = new uPlot(options, data, holder);
  };

  onMount(() => {
    const observer = new ResizeObserver(() => {
      if (chart && Math.abs(chart.width - holder.clientWidth) > 4) {
        chart.setSize({ width: Math.max(280, holder.clientWidth), height: props.height ?? 240 });
      }
    });
    observer.observe(holder);
    onCleanup(() => observer.disconnect());
  });
  // Rebuilt when the data or series change (a few hundred points: cheap).
  createEffect(() => {
    void props.times;
    void props.series;
    build();
  });
  onCleanup(() => chart?.destroy());

  return (
    <figure class="chart">
      <figcaption class="chart-title">{props.title}</figcaption>
      <div ref={holder} class="chart-canvas" aria-hidden="true" />
      <details class="chart-data">
        <summary>Show the numbers</summary>
        <div class="chart-table-scroll" tabindex="0" role="region" aria-label={`${props.title}: the numbers`}>
          <table class="table">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <For each={props.series}>{(series) => <th scope="col">{series.label}</th>}</For>
              </tr>
            </thead>
            <tbody>
              <For each={props.times}>
                {(time, index) => (
                  <tr>
                    <td>{formatTime(time)}</td>
                    <For each={props.series}>
                      {(series) => (
                        <td class="num">
                          {series.values[index()] == null ? '—' : numberFormat.format(series.values[index()]!)}
                        </td>
                      )}
                    </For>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
