import type { ThreadMemoryMode } from '../../../preload/contract/index.ts';
import { errorMessage } from '../../api/client.ts';
import { useMemoriesLive, useMemoryOutput, useSetThreadMemoryMode } from '../../api/use-memories.ts';
import { useToast } from '../../components/Toast.tsx';
import { useNow } from '../threads/use-now.ts';
import { MemoryText, OutputFacts } from './OutputDetail.tsx';

const MODE_HINTS: Record<ThreadMemoryMode, string> = {
  enabled: 'Phase 1 may summarise this thread, and phase 2 may use its summary.',
  disabled: 'This thread is never summarised, and its summary is left out of consolidation.',
  polluted:
    'It used MCP tools or web search while “Skip threads that used MCP tools or web search” was on: its memory is forgotten at the next consolidation.',
};

/**
 * The thread side panel's "Memory" section: the thread's memory mode (switchable between enabled and
 * disabled) and its stage-1 output, when it has one, with the summary and the raw memory.
 */
export function ThreadMemorySection({ threadId }: { threadId: string }) {
  useMemoriesLive();
  const q = useMemoryOutput(threadId);
  const setMode = useSetThreadMemoryMode();
  const toast = useToast();
  const now = useNow();
  const mode = q.data?.mode ?? null;
  const output = q.data?.output ?? null;
  const on = mode === 'enabled';

  const toggle = (): void => {
    const next = on ? 'disabled' : 'enabled';
    setMode.mutate(
      { threadId, mode: next },
      {
        onError: (err) =>
          toast.show({ tone: 'error', message: `Could not change the memory mode: ${errorMessage(err)}` }),
      },
    );
  };

  return (
    <section className="side__section mem-thread" data-testid="thread-memory">
      <h3 className="side__heading">Memory</h3>
      {q.isError && <p className="fb-error-text">{errorMessage(q.error)}</p>}
      {q.data && (
        <>
          <div className="mem-thread__mode">
            <button
              type="button"
              role="switch"
              aria-checked={on}
              aria-label="Use this thread for memories"
              className="mem-switch mem-switch--small"
              onClick={toggle}
              disabled={mode === null || setMode.isPending}
              data-testid="thread-memory-switch"
            >
              <span className="mem-switch__thumb" />
            </button>
            <span
              className={`mem-badge mem-badge--${mode === 'enabled' ? 'ok' : mode === 'polluted' ? 'warn' : 'muted'}`}
              data-testid="thread-memory-mode"
            >
              {mode ?? 'unknown'}
            </span>
            <a
              className="mem-thread__open"
              href={`#/memories?tab=outputs&thread=${threadId}`}
              title="Open this thread’s output on the Memories page"
            >
              View in Memories
            </a>
          </div>
          {mode && <p className="mem-field__hint">{MODE_HINTS[mode]}</p>}
          {output ? (
            <div className="mem-thread__output" data-testid="thread-memory-output">
              <OutputFacts output={output} now={now} />
              <details className="mem-thread__text">
                <summary>Rollout summary</summary>
                <MemoryText text={output.rolloutSummary} />
              </details>
              <details className="mem-thread__text">
                <summary>Raw memory</summary>
                <MemoryText text={output.rawMemory} />
              </details>
            </div>
          ) : (
            <p className="side__muted mem-thread__none" data-testid="thread-memory-none">
              No stage-1 output for this thread.
            </p>
          )}
        </>
      )}
    </section>
  );
}
