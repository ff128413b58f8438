import { useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import type { LogsHistogram } from '../../../preload/contract/index.ts';
import { compactNumber, formatNumber } from '../threads/thread-format.ts';
import { bucketAt, bucketRange, layoutHistogram, STACK_ORDER, type Bar } from './histogram-layout.ts';
import { dateTime, rangeLabel, tickLabel } from './log-format.ts';

const CHART_HEIGHT = 52;
const TICKS = 5;

interface LogHistogramProps {
  histogram: LogsHistogram | undefined;
  /** A click or drag over buckets: narrow the time range to them. */
  onRange: (fromMs: number, toMs: number) => void;
}

const LEVEL_LABEL: Record<(typeof STACK_ORDER)[number], string> = {
  ERROR: 'Error',
  WARN: 'Warn',
  INFO: 'Info',
  DEBUG: 'Debug',
  TRACE: 'Trace',
  other: 'Other',
};

function useWidth(ref: React.RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setWidth(el.clientWidth);
    const observer = new ResizeObserver(([entry]) => setWidth(Math.round(entry?.contentRect.width ?? 0)));
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref]);
  return width;
}

type Tip = Pick<Bar, 'startMs' | 'endMs' | 'total' | 'counts'>;

/** The buckets `a`..`b` as one: what a drag covers so far. */
function spanOf(bars: readonly Bar[], a: number, b: number): Tip {
  const picked = bars.slice(Math.min(a, b), Math.max(a, b) + 1);
  const counts = { TRACE: 0, DEBUG: 0, INFO: 0, WARN: 0, ERROR: 0, other: 0 };
  for (const p of picked) for (const level of STACK_ORDER) counts[level] += p.counts[level];
  return {
    startMs: picked[0]?.startMs ?? 0,
    endMs: picked.at(-1)?.endMs ?? 0,
    total: picked.reduce((n, p) => n + p.total, 0),
    counts,
  };
}

function BucketTip({ bar, left, dragging }: { bar: Tip; left: number; dragging: boolean }) {
  return (
    <div className="log-hist__tip" style={{ left }} role="status" data-testid="histogram-tip">
      <div className="log-hist__tip-time">{rangeLabel(bar.startMs, bar.endMs - 1)}</div>
      {bar.total === 0 ? (
        <div className="log-hist__tip-empty">No rows</div>
      ) : (
        <dl className="log-hist__tip-counts">
          {STACK_ORDER.filter((l) => bar.counts[l] > 0)
            .reverse()
            .map((level) => (
              <div key={level}>
                <dt>
                  <span className={`log-swatch log-swatch--${level.toLowerCase()}`} />
                  {LEVEL_LABEL[level]}
                </dt>
                <dd>{formatNumber(bar.counts[level])}</dd>
              </div>
            ))}
          <div className="log-hist__tip-total">
            <dt>Total</dt>
            <dd>{formatNumber(bar.total)}</dd>
          </div>
        </dl>
      )}
      <div className="log-hist__tip-hint">{dragging ? 'Release to zoom in' : 'Click or drag to zoom in'}</div>
    </div>
  );
}

/**
 * Volume over time, stacked by level: hand-drawn SVG, one bar per bucket. Hover (or arrow keys) shows a
 * bucket's time and counts; a click or a drag across buckets narrows the time range to them.
 */
export function LogHistogram({ histogram, onRange }: LogHistogramProps) {
  const boxRef = useRef<HTMLDivElement>(null);
  const width = useWidth(boxRef);
  const [active, setActive] = useState<number | null>(null);
  const [drag, setDrag] = useState<{ from: number; to: number } | null>(null);
  const layout = useMemo(
    () => (histogram && width > 0 ? layoutHistogram(histogram, width, CHART_HEIGHT) : null),
    [histogram, width],
  );
  const buckets = histogram?.counts.length ?? 0;
  const bar = active !== null ? layout?.bars[active] : undefined;
  const span = histogram ? histogram.toMs - histogram.fromMs : 0;

  const at = (e: PointerEvent<SVGSVGElement>): number => {
    const rect = e.currentTarget.getBoundingClientRect();
    return bucketAt(e.clientX - rect.left, rect.width, buckets);
  };
  const commit = (a: number, b: number): void => {
    if (!histogram) return;
    const { fromMs, toMs } = bucketRange(histogram, a, b);
    onRange(fromMs, toMs);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    if (buckets === 0) return;
    const current = active ?? buckets - 1;
    if (e.key === 'ArrowLeft') setActive(Math.max(0, current - (active === null ? 0 : 1)));
    else if (e.key === 'ArrowRight') setActive(Math.min(buckets - 1, current + (active === null ? 0 : 1)));
    else if (e.key === 'Home') setActive(0);
    else if (e.key === 'End') setActive(buckets - 1);
    else if ((e.key === 'Enter' || e.key === ' ') && active !== null) commit(active, active);
    else if (e.key === 'Escape' && active !== null) setActive(null);
    else return;
    e.preventDefault();
  };

  const label = histogram
    ? `Log volume by level, ${rangeLabel(histogram.fromMs, histogram.toMs)}: ${formatNumber(histogram.total)} rows. Arrow keys pick a bucket, Enter zooms in.`
    : 'Log volume by level';
  const selLeft = drag && layout ? Math.min(drag.from, drag.to) * layout.slot : 0;
  const selWidth = drag && layout ? (Math.abs(drag.to - drag.from) + 1) * layout.slot : 0;

  return (
    <div className="log-hist" data-testid="log-histogram">
      <div className="log-hist__y" aria-hidden="true">
        <span>{layout ? compactNumber(layout.ceiling) : ''}</span>
        <span>0</span>
      </div>
      <div className="log-hist__main">
        <div
          ref={boxRef}
          className="log-hist__plot"
          tabIndex={0}
          role="group"
          aria-label={label}
          onKeyDown={onKeyDown}
          onBlur={() => setActive(null)}
        >
          {layout && (
            <svg
              width={width}
              height={CHART_HEIGHT}
              className="log-hist__svg"
              aria-hidden="true"
              onPointerMove={(e) => {
                const i = at(e);
                setActive(i);
                if (drag) setDrag({ ...drag, to: i });
              }}
              onPointerLeave={() => !drag && setActive(null)}
              onPointerDown={(e) => {
                if (e.button !== 0) return;
                e.currentTarget.setPointerCapture(e.pointerId);
                const i = at(e);
                setDrag({ from: i, to: i });
              }}
              onPointerUp={(e) => {
                if (!drag) return;
                commit(drag.from, at(e));
                setDrag(null);
              }}
              onPointerCancel={() => setDrag(null)}
            >
              <line
                className="log-hist__base"
                x1={0}
                x2={width}
                y1={CHART_HEIGHT - 0.5}
                y2={CHART_HEIGHT - 0.5}
              />
              {layout.bars.map((b) => (
                <g key={b.index} className={active === b.index ? 'is-active' : undefined}>
                  <rect
                    className="log-hist__hit"
                    x={b.index * layout.slot}
                    y={0}
                    width={layout.slot}
                    height={CHART_HEIGHT}
                  />
                  {b.segments.map((s) => (
                    <rect
                      key={s.level}
                      className={`log-hist__seg log-hist__seg--${s.level.toLowerCase()}`}
                      x={b.x}
                      y={s.y}
                      width={b.width}
                      height={s.height}
                      shapeRendering="crispEdges"
                    />
                  ))}
                </g>
              ))}
              {drag && (
                <rect className="log-hist__sel" x={selLeft} y={0} width={selWidth} height={CHART_HEIGHT} />
              )}
            </svg>
          )}
          {bar && layout && (
            <BucketTip
              bar={drag ? spanOf(layout.bars, drag.from, drag.to) : bar}
              dragging={drag !== null}
              left={Math.min(
                Math.max(((drag ? (drag.from + drag.to) / 2 : bar.index) + 0.5) * layout.slot, 90),
                width - 90,
              )}
            />
          )}
        </div>
        <div className="log-hist__x" aria-hidden="true">
          {histogram &&
            span > 0 &&
            Array.from({ length: TICKS }, (_, i) => {
              const ms = histogram.fromMs + (span * i) / (TICKS - 1);
              return (
                <span
                  key={i}
                  style={{ left: `${(i / (TICKS - 1)) * 100}%` }}
                  className={i === 0 ? 'is-first' : i === TICKS - 1 ? 'is-last' : undefined}
                  title={dateTime(ms)}
                >
                  {tickLabel(ms, span)}
                </span>
              );
            })}
        </div>
      </div>
    </div>
  );
}
