/**
 * The in-page side of the renderer benchmark, as plain JavaScript source: `bench/` is type-checked without
 * the DOM library, and a string survives bundling unchanged (no helper the page would lack).
 */

/** What the scroll script reports (frame deltas from rAF timestamps, in ms). */
export interface ScrollResult {
  frames: number[];
  /** Index into `stages` of each frame. */
  frameStages: number[];
  /** fling, jumps, end, home: performance.now() when each began. */
  stages: { name: string; start: number }[];
  /** Frames in which a fling step could not move (the end of the loaded rows: waiting for data). */
  stalledFrames: number;
  maxDomRows: number;
  /** The largest `data-index` drawn (transcript positions), or -1. */
  maxIndex: number;
  maxScrollTop: number;
  /** The largest scrollHeight seen (the transcript's shrinks as estimated rows get measured). */
  scrollHeight: number;
  clientHeight: number;
  /** performance.now() at the first and the last frame, to pick this window's long tasks. */
  startMs: number;
  endMs: number;
  /** Why the End loop stopped: 'target', 'end' (no growth for settleMs) or 'budget'. */
  endReason: string;
}

export interface ScrollOptions {
  /** The scroll container; null: the element with the largest scrollHeight - clientHeight. */
  selector: string | null;
  /** Counted every frame inside the container (virtualisation check). */
  rowSelector: string;
  stepPx: number;
  flingFrames: number;
  /** Page jumps of 5 viewport heights, one every 10 frames. */
  jumps: number;
  /** End (scrollTop = scrollHeight) every 4 frames; the loop stops once scrollTop reaches this (or the end stops growing, or the budget is spent). */
  targetPx: number;
  endBudgetMs: number;
  settleMs: number;
}

export interface PageTasks {
  longTasks: { start: number; duration: number }[];
  /** Long animation frames: blocking time and the script that took longest in each. */
  loafs: { start: number; duration: number; blocking: number; script: string }[];
}

/** Installed before any page script runs: buffered long-task and long-animation-frame observers. */
export const INIT_SCRIPT = `(() => {
  const b = (window.__bench = { longTasks: [], loafs: [] });
  const observe = (type, f) => {
    try {
      new PerformanceObserver((list) => list.getEntries().forEach(f)).observe({ type, buffered: true });
    } catch {}
  };
  observe('longtask', (e) => b.longTasks.push({ start: e.startTime, duration: e.duration }));
  observe('long-animation-frame', (e) => {
    const top = [...(e.scripts || [])].sort((x, y) => y.duration - x.duration)[0];
    const script = top
      ? \`\${top.invokerType || ''} \${top.invoker || ''} \${top.sourceFunctionName || ''} \${(top.sourceURL || '').split('/').pop()}:\${top.sourceCharPosition ?? ''} \${Math.round(top.duration)} ms\`.trim()
      : '';
    b.loafs.push({ start: e.startTime, duration: e.duration, blocking: e.blockingDuration || 0, script });
  });
})();`;

/** `(options) => Promise<ScrollResult>`: fling, page jumps, End until the target, then Home. */
export const SCROLL_SCRIPT = `async (o) => {
  const pick = () => {
    if (o.selector) return document.querySelector(o.selector);
    let best = null;
    for (const el of document.querySelectorAll('*')) {
      const room = el.scrollHeight - el.clientHeight;
      if (room > 0 && (!best || room > best.scrollHeight - best.clientHeight)) {
        const s = getComputedStyle(el).overflowY;
        if (s === 'auto' || s === 'scroll') best = el;
      }
    }
    return best;
  };
  const el = pick();
  if (!el) throw new Error('no scroll container ' + (o.selector || '(largest scrollable element)'));
  const frames = [], frameStages = [], stages = [];
  const stage = (name) => stages.push({ name, start: performance.now() });
  let maxIndex = -1, maxHeight = 0, last = -1, stalled = 0, maxDomRows = 0, maxScrollTop = 0, startMs = 0, endReason = '';
  const frame = () => new Promise((resolve) => requestAnimationFrame((t) => {
    if (last < 0) startMs = t; else { frames.push(t - last); frameStages.push(stages.length - 1); }
    last = t;
    maxHeight = Math.max(maxHeight, el.scrollHeight);
    const rows = el.querySelectorAll(o.rowSelector);
    maxDomRows = Math.max(maxDomRows, rows.length);
    for (const row of rows) maxIndex = Math.max(maxIndex, Number(row.getAttribute('data-index') ?? -1));
    maxScrollTop = Math.max(maxScrollTop, el.scrollTop);
    resolve(t);
  }));
  await frame();
  stage('fling');
  for (let i = 0; i < o.flingFrames; i++) {
    const before = el.scrollTop;
    el.scrollTop = before + o.stepPx;
    if (el.scrollTop <= before) stalled++;
    await frame();
  }
  stage('jumps');
  for (let j = 0; j < o.jumps; j++) {
    el.scrollTop += el.clientHeight * 5;
    for (let k = 0; k < 10; k++) await frame();
  }
  stage('End');
  const endStart = performance.now();
  let height = el.scrollHeight, grewAt = performance.now();
  for (;;) {
    el.scrollTop = el.scrollHeight;
    for (let k = 0; k < 4; k++) await frame();
    const now = performance.now();
    if (el.scrollHeight > height) { height = el.scrollHeight; grewAt = now; }
    if (el.scrollTop >= o.targetPx) { endReason = 'target'; break; }
    if (now - grewAt > o.settleMs) { endReason = 'end'; break; }
    if (now - endStart > o.endBudgetMs) { endReason = 'budget'; break; }
  }
  stage('Home');
  el.scrollTop = 0;
  for (let k = 0; k < 30; k++) await frame();
  return { frames, frameStages, stages, stalledFrames: stalled, maxDomRows, maxIndex, maxScrollTop, scrollHeight: maxHeight,
    clientHeight: el.clientHeight, startMs, endMs: last, endReason };
}`;

/**
 * The ceiling: `rows` fixed-height rows (title + meta line, like a thread row) behind a trivial virtual
 * window (visible rows + 12 overscan, rebuilt on every scroll event), in a page of the app's size.
 */
export function baselineHtml(rows: number, rowHeight: number): string {
  return `<!doctype html><html><head><style>
  body { margin: 0; font: 13px system-ui, sans-serif; }
  #list { position: absolute; inset: 48px 0 0 0; width: 520px; overflow-y: auto; }
  #inner { position: relative; }
  .row { position: absolute; left: 0; right: 0; height: ${rowHeight}px; padding: 8px 12px; box-sizing: border-box;
    border-bottom: 1px solid #e5e5e5; }
  .t { font-weight: 500; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
  .m { color: #666; font-size: 12px; display: flex; gap: 8px; }
  </style></head><body><div id="list"><div id="inner"></div></div><script>
  const list = document.getElementById('list'), inner = document.getElementById('inner');
  const H = ${rowHeight}, N = ${rows};
  inner.style.height = N * H + 'px';
  const draw = () => {
    const from = Math.max(0, Math.floor(list.scrollTop / H) - 12);
    const to = Math.min(N, Math.ceil((list.scrollTop + list.clientHeight) / H) + 12);
    const f = document.createDocumentFragment();
    for (let i = from; i < to; i++) {
      const d = document.createElement('div');
      d.className = 'row';
      d.style.transform = 'translateY(' + i * H + 'px)';
      d.innerHTML = '<div class="t">fix the flaky parser (#' + i + ')</div><div class="m"><span>project-0' +
        (i % 10) + '</span><span>gpt-5.5</span><span>' + (i % 59) + ' min ago</span></div>';
      f.appendChild(d);
    }
    inner.replaceChildren(f);
  };
  list.addEventListener('scroll', draw, { passive: true });
  draw();
  </script></body></html>`;
}
