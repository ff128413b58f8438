import { useMemo } from 'react';
import type { ToolCallDetail, ToolResult, TranscriptImage } from '../../../preload/contract/index.ts';
import { parseCodexPatch, parseUnifiedDiff } from './patch-parse.ts';
import type { PatchFile } from './patch-parse.ts';
import { PatchView } from './PatchView.tsx';
import { bytesLabel, cappedString, formatDuration } from './transcript-format.ts';

export interface ToolCardProps {
  name: string;
  call: ToolCallDetail | null;
  result: ToolResult | null;
  status: string | null;
  expanded: boolean;
  onToggle: () => void;
}

function summary(
  name: string,
  call: ToolCallDetail | null,
  result: ToolResult | null,
): { kind: string; label: string; text: string } {
  if (!call) {
    const files = result?.changes.map((c) => c.path.split(/[\\/]/).at(-1)).join(', ');
    return {
      kind: 'output',
      label: name,
      text: files || (result?.output ? cappedString(result.output).split('\n')[0]! : ''),
    };
  }
  switch (call.tool) {
    case 'shell':
      return { kind: 'shell', label: name, text: call.command.split('\n')[0]! };
    case 'patch': {
      const files = [...call.patch.text.matchAll(/^\*\*\* (?:Update|Add|Delete) File: (.+)$/gm)].map((m) =>
        m[1]!.trim(),
      );
      return { kind: 'patch', label: 'apply_patch', text: files.join(', ') };
    }
    case 'mcp':
      return {
        kind: 'mcp',
        label: `${call.server} · ${call.name}`,
        text: call.arguments && call.arguments !== '{}' ? call.arguments : '',
      };
    case 'web_search':
      return { kind: 'web', label: 'web search', text: call.query ?? call.url ?? call.action ?? '' };
    case 'script':
      return { kind: 'script', label: name, text: call.code.text.split('\n')[0]! };
    case 'plan':
      return { kind: 'plan', label: 'plan', text: call.explanation ?? `${call.steps.length} steps` };
    default:
      return {
        kind: 'other',
        label: name,
        text: call.arguments ? call.arguments.text.replace(/\s+/g, ' ').slice(0, 200) : '',
      };
  }
}

function StatusBadge({ result, status }: { result: ToolResult | null; status: string | null }) {
  if (result?.exitCode !== null && result?.exitCode !== undefined) {
    const ok = result.exitCode === 0;
    return (
      <span
        className={`tool__badge ${ok ? 'is-ok' : 'is-fail'}`}
        data-testid="exit-code"
        title={`Exit code ${result.exitCode}`}
      >
        exit {result.exitCode}
      </span>
    );
  }
  if (result?.success === true) return <span className="tool__badge is-ok">ok</span>;
  if (result?.success === false) return <span className="tool__badge is-fail">failed</span>;
  if (!result && status !== 'completed') return <span className="tool__badge is-pending">no output</span>;
  return null;
}

function Images({ images }: { images: TranscriptImage[] }) {
  if (images.length === 0) return null;
  return (
    <div className="thumbs">
      {images.map((img, i) =>
        img.dataUrl ? (
          <a
            key={i}
            className="thumb"
            href={img.dataUrl}
            target="_blank"
            rel="noreferrer"
            title={`${img.mime ?? 'image'} · ${bytesLabel(img.bytes)}`}
          >
            <img src={img.dataUrl} alt={`Image ${i + 1}`} loading="lazy" />
          </a>
        ) : (
          <span key={i} className="thumb thumb--placeholder" title={img.source ?? undefined}>
            {img.source
              ? `Image: ${img.source}`
              : `Image (${img.mime ?? 'unknown type'}, ${bytesLabel(img.bytes)}, too large to preview)`}
          </span>
        ),
      )}
    </div>
  );
}

function Output({ result }: { result: ToolResult }) {
  if (!result.output) return null;
  const text = cappedString(result.output);
  if (!text.trim()) return <div className="tool__empty">No output</div>;
  return <pre className="tool__output">{text}</pre>;
}

function patchFiles(call: ToolCallDetail | null, result: ToolResult | null): PatchFile[] {
  if (call?.tool === 'patch') return parseCodexPatch(call.patch.text);
  const kind = (c: string): PatchFile['kind'] => (c === 'add' ? 'add' : c === 'delete' ? 'delete' : 'update');
  return (result?.changes ?? []).map((c) => parseUnifiedDiff(c.path, kind(c.change), c.diff ?? ''));
}

function Body({ call, result }: { call: ToolCallDetail | null; result: ToolResult | null }) {
  const files = useMemo(
    () => (call?.tool === 'patch' || (!call && result?.changes.length) ? patchFiles(call, result) : []),
    [call, result],
  );
  const failed = result?.success === false;
  // spawn_agent answers with the new agent's thread id.
  const agent = result?.output
    ? (/"agent_id":\s*"([0-9a-f-]{36})"/.exec(result.output.text)?.[1] ?? null)
    : null;
  return (
    <div className="tool__body">
      {call?.tool === 'shell' && (
        <>
          <pre className="tool__command">
            <span className="tool__prompt">$ </span>
            {call.command}
          </pre>
          {(call.workdir || call.timeoutMs) && (
            <div className="tool__meta mono">
              {call.workdir && <span title="Working directory">{call.workdir}</span>}
              {call.timeoutMs ? <span>timeout {formatDuration(call.timeoutMs)}</span> : null}
            </div>
          )}
        </>
      )}
      {files.length > 0 && <PatchView files={files} />}
      {call?.tool === 'patch' && call.patch.omitted > 0 && (
        <div className="tool__empty">
          Patch truncated ({call.patch.omitted.toLocaleString()} more characters)
        </div>
      )}
      {call?.tool === 'script' && <pre className="tool__command">{cappedString(call.code)}</pre>}
      {call?.tool === 'mcp' && call.arguments && call.arguments !== '{}' && (
        <pre className="tool__command">{call.arguments}</pre>
      )}
      {call?.tool === 'web_search' && (
        <div className="tool__meta">
          {call.action && <span>{call.action}</span>}
          {call.url && <span className="mono">{call.url}</span>}
          {call.query && <span>{call.query}</span>}
        </div>
      )}
      {call?.tool === 'other' && call.arguments && (
        <pre className="tool__command">{cappedString(call.arguments)}</pre>
      )}
      {result && (call?.tool !== 'patch' || failed) && <Output result={result} />}
      {agent && (
        <a className="tool__link" href={`#/thread/${agent}`} data-testid="agent-link">
          Open the sub-agent's thread →
        </a>
      )}
    </div>
  );
}

function Plan({ call }: { call: Extract<ToolCallDetail, { tool: 'plan' }> }) {
  return (
    <ul className="plan-steps">
      {call.steps.map((s, i) => (
        <li key={i} className={`plan-step plan-step--${s.status}`}>
          <span className="plan-step__box" aria-label={s.status}>
            {s.status === 'completed' ? '✓' : s.status === 'in_progress' ? '•' : ''}
          </span>
          {s.step}
        </li>
      ))}
    </ul>
  );
}

/** A tool call (and its output, when paired) as one card: summary line, expandable details. */
export function ToolCard({ name, call, result, status, expanded, onToggle }: ToolCardProps) {
  const s = summary(name, call, result);
  const failed = result?.success === false;
  return (
    <div
      className={`tool tool--${s.kind}${failed ? ' is-failed' : ''}`}
      data-testid="tool-card"
      data-tool={s.kind}
    >
      <button type="button" className="tool__head" aria-expanded={expanded} onClick={onToggle}>
        <span className="tool__chevron" aria-hidden="true">
          ›
        </span>
        <span className="tool__name">{s.label}</span>
        <span className="tool__summary mono">{s.text}</span>
        {/* "Wall time: 0 seconds" means "too quick to say", not a measurement worth showing. */}
        {result?.durationMs !== null && result?.durationMs !== undefined && result.durationMs > 0 && (
          <span className="tool__duration">{formatDuration(result.durationMs)}</span>
        )}
        <StatusBadge result={result} status={status} />
      </button>
      {call?.tool === 'plan' && <Plan call={call} />}
      {expanded && call?.tool !== 'plan' && <Body call={call} result={result} />}
      {result && result.images.length > 0 && (
        <div className="tool__images">
          <Images images={result.images} />
        </div>
      )}
    </div>
  );
}
