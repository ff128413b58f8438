import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useLocation, useSearchParams } from 'wouter';
import { ApiError, errorMessage } from '../../api/client.ts';
import {
  useThread,
  useTranscriptFind,
  useTranscriptHead,
  useTranscriptOutline,
} from '../../api/use-transcript.ts';
import { useDebouncedValue } from '../threads/use-debounced-value.ts';
import { FindBar } from './FindBar.tsx';
import { OutlinePanel } from './OutlinePanel.tsx';
import { SidePanel } from './SidePanel.tsx';
import { ThreadHeader } from './ThreadHeader.tsx';
import { Transcript } from './Transcript.tsx';
import type { Jump } from './Transcript.tsx';
import { turnIndexAt } from './transcript-format.ts';
import { useThreadKeys } from './use-thread-keys.ts';

function parsePosition(value: string | null): number | null {
  if (value === null || !/^\d+$/.test(value)) return null;
  return Number(value);
}

/** The Thread page: header, outline, virtualised transcript with find, and the details panel. */
export function ThreadPage({ id }: { id: string }) {
  const [params] = useSearchParams();
  const [, navigate] = useLocation();
  const at = parsePosition(params.get('at'));
  const q = params.get('q') ?? '';

  const thread = useThread(id);
  const head = useTranscriptHead(id);
  const outline = useTranscriptOutline(id);
  const total = Math.max(head.data?.total ?? 0, outline.data?.total ?? 0);
  const turns = useMemo(() => outline.data?.turns ?? [], [outline.data]);

  const seq = useRef(0);
  const [jump, setJump] = useState<Jump | null>(null);
  const jumpTo = useCallback((position: number, flash = true) => {
    seq.current += 1;
    setJump({ position, seq: seq.current, flash });
  }, []);
  useEffect(() => {
    if (at !== null) jumpTo(at);
  }, [at, id, jumpTo]);

  // The top row changes on nearly every scroll frame; the page only re-renders when its turn does
  // (the outline's highlight). Handlers read the exact position from the ref.
  const topRef = useRef(0);
  const [top, setTop] = useState(0);
  const activeTurn = turnIndexAt(turns, top + 1);
  const onTopPosition = useCallback(
    (position: number) => {
      topRef.current = position;
      setTop((prev) => (turnIndexAt(turns, prev + 1) === turnIndexAt(turns, position + 1) ? prev : position));
    },
    [turns],
  );
  const onOutlineJump = useCallback((position: number) => jumpTo(position), [jumpTo]);
  const [showHidden, setShowHidden] = useState(false);
  const [sideOpen, setSideOpen] = useState(true);

  const [findOpen, setFindOpen] = useState(q !== '');
  const [findText, setFindText] = useState(q);
  const [findFocus, setFindFocus] = useState(0);
  const [matchIndex, setMatchIndex] = useState(-1);
  // A new `?q=` (e.g. another search hit in this thread) pre-fills the find bar.
  const [seenQ, setSeenQ] = useState(q);
  if (q !== seenQ) {
    setSeenQ(q);
    if (q) {
      setFindText(q);
      setFindOpen(true);
    }
  }
  const findQuery = useDebouncedValue(findOpen ? findText.trim() : '', 200);
  const find = useTranscriptFind(id, findQuery);
  const matches = useMemo(
    () => (findQuery && find.data?.query === findQuery ? find.data.positions : []),
    [find.data, findQuery],
  );

  // New results: start at the deep-linked position (or the top of the view) without moving the view.
  const reset = useRef('');
  useEffect(() => {
    if (!findQuery || find.data?.query !== findQuery || reset.current === findQuery) return;
    reset.current = findQuery;
    const from = at ?? topRef.current;
    const i = matches.findIndex((p) => p >= from);
    const index = i === -1 ? 0 : i;
    setMatchIndex(matches.length ? index : -1);
    if (matches.length && at === null) jumpTo(matches[index]!, false);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only when a new result set arrives
  }, [find.data, findQuery]);

  const step = (delta: number): void => {
    if (!matches.length) return;
    const next = (matchIndex + delta + matches.length) % matches.length;
    setMatchIndex(next);
    jumpTo(matches[next]!, false);
  };
  const closeFind = (): void => {
    setFindOpen(false);
    setMatchIndex(-1);
    reset.current = '';
  };

  useThreadKeys({
    onFind: () => {
      setFindOpen(true);
      setFindFocus((n) => n + 1);
    },
    onPreviousTurn: () => {
      // Back to the start of the current turn, or to the previous turn when already there.
      const current = turns[activeTurn];
      const start = current ? (current.messagePosition ?? current.position) : 0;
      const t = turns[topRef.current > start ? activeTurn : activeTurn - 1];
      if (t) jumpTo(t.messagePosition ?? t.position, false);
    },
    onNextTurn: () => {
      const t = turns[activeTurn + 1];
      if (t) jumpTo(t.messagePosition ?? t.position, false);
    },
    onEscape: () => {
      if (findOpen) closeFind();
      else navigate('/threads');
    },
  });

  const error = thread.error ?? head.error;
  if (error) {
    const missing =
      error instanceof ApiError && (error.code === 'NOT_FOUND' || error.code === 'INVALID_INPUT');
    return (
      <div className="thread-page" data-testid="thread-page" data-thread-id={id}>
        <div className="state state--error" data-testid="thread-error">
          <h2 className="state__title">{missing ? 'Thread not found' : 'Could not open this thread'}</h2>
          <p className="state__message">{errorMessage(error)}</p>
          <a className="button" href="#/threads">
            Back to threads
          </a>
        </div>
      </div>
    );
  }

  return (
    <div
      className={`thread-page${sideOpen ? '' : ' thread-page--no-side'}`}
      data-testid="thread-page"
      data-thread-id={id}
      data-at={at ?? ''}
    >
      <ThreadHeader
        thread={thread.data}
        outline={outline.data}
        showHidden={showHidden}
        sideOpen={sideOpen}
        onFind={() => {
          setFindOpen(true);
          setFindFocus((n) => n + 1);
        }}
        onToggleHidden={() => setShowHidden((v) => !v)}
        onToggleSide={() => setSideOpen((v) => !v)}
      />
      <div className="thread-body">
        <OutlinePanel
          outline={outline.data}
          loading={outline.isPending}
          activeTurn={activeTurn}
          onJump={onOutlineJump}
        />
        <div className="thread-body__center">
          {findOpen && (
            <FindBar
              value={findText}
              onChange={(v) => {
                setFindText(v);
                reset.current = '';
              }}
              index={matchIndex}
              count={findQuery ? (find.data?.query === findQuery ? matches.length : null) : null}
              truncated={find.data?.truncated ?? false}
              searching={find.isFetching}
              onNext={() => step(1)}
              onPrevious={() => step(-1)}
              onClose={closeFind}
              focusSeq={findFocus}
            />
          )}
          {head.isPending ? (
            <div className="transcript transcript--loading" data-testid="transcript-loading">
              <p className="state__code">Opening the transcript…</p>
            </div>
          ) : total === 0 ? (
            <div className="state" data-testid="transcript-empty">
              <h2 className="state__title">This rollout is empty</h2>
              <p>
                Codex created the file but wrote nothing to it yet (or it was cut off). There is nothing to
                show.
              </p>
            </div>
          ) : (
            <Transcript
              id={id}
              total={total}
              turns={turns}
              showHidden={showHidden}
              jump={jump}
              findQuery={findOpen ? findQuery : ''}
              currentMatch={matchIndex >= 0 ? (matches[matchIndex] ?? null) : null}
              onTopPosition={onTopPosition}
            />
          )}
        </div>
        {sideOpen && thread.data && <SidePanel thread={thread.data} outline={outline.data} />}
      </div>
    </div>
  );
}
