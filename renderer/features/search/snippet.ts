import { MATCH_END, MATCH_START, type SearchDocKind } from '../../../preload/contract/index.ts';

export interface SnippetSegment {
  text: string;
  mark: boolean;
}

/**
 * Splits a snippet with MATCH_START / MATCH_END marks into plain and matched segments (rendered as
 * text and <mark>, never as HTML). Runs of whitespace (newlines of code and logs) become one space.
 */
export function snippetSegments(snippet: string): SnippetSegment[] {
  const out: SnippetSegment[] = [];
  let mark = false;
  let text = '';
  const flush = (): void => {
    const t = text.replace(/\s+/g, ' ');
    if (t) out.push({ text: t, mark });
    text = '';
  };
  for (const ch of snippet) {
    if (ch === MATCH_START || ch === MATCH_END) {
      flush();
      mark = ch === MATCH_START;
    } else text += ch;
  }
  flush();
  return out;
}

/** What a hit is, in a word: "You", "Assistant", "Reasoning", "exec_command", "exec_command output". */
export function hitLabel(kind: SearchDocKind, toolName: string | null): string {
  switch (kind) {
    case 'user':
      return 'User';
    case 'assistant':
      return 'Assistant';
    case 'reasoning':
      return 'Reasoning';
    case 'tool_call':
      return toolName ?? 'Tool call';
    case 'tool_output':
      return toolName ? `${toolName} output` : 'Tool output';
  }
}

/** The words of a query (no field filters, no exclusions): what the Thread page highlights. */
export function highlightTerms(query: string): string {
  return query
    .split(/\s+/)
    .filter((w) => w && !w.startsWith('-') && !/^[A-Za-z]+:\S/.test(w))
    .join(' ')
    .replaceAll('"', '')
    .replaceAll('*', '')
    .trim();
}
