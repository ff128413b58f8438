import { describe, expect, it } from 'vitest';
import type { FileDocs, SearchDoc } from './file-docs.ts';
import { packedTransfer, packFileDocs, unpackFileDocs } from './search-protocol.ts';

const doc = (body: string, tool: string | null = null): SearchDoc => ({
  position: 3,
  kind: tool ? 'tool_call' : 'user',
  tool,
  body,
  offset: 10,
  length: 20,
});

const fileDocs = (docs: SearchDoc[]): FileDocs => ({
  docs,
  restarted: false,
  byteOffset: 123,
  linesDone: 4,
  calls: [['call_1', 'exec_command']],
  bytesRead: 123,
});

describe('documents crossing to the writer thread', () => {
  it('arrive as the UTF-8 of each body, in one transferable buffer, with tools and the rest intact', () => {
    const bodies = ['plain ascii', 'café … 日本語 🦫', '', 'a\0b'];
    const packed = packFileDocs(fileDocs(bodies.map((b, i) => doc(b, i === 1 ? 'apply_patch' : null))));
    // Transferable: the buffers are the whole of their own ArrayBuffers (not a slice of a shared pool).
    const [b, e] = packedTransfer(packed);
    expect(b?.byteLength).toBe(packed.bodies.byteLength);
    expect(e?.byteLength).toBe(packed.ends.byteLength);

    const { columns, ...rest } = unpackFileDocs(structuredClone(packed));
    expect(columns.count).toBe(4);
    expect(columns.bodies.map((x) => (typeof x === 'string' ? x : x.toString('utf8')))).toEqual(bodies);
    expect(columns.tools).toEqual([null, 'apply_patch', null, null]);
    expect(JSON.parse(columns.run)).toEqual(
      bodies.map((_, i) => [3, 10, 20, i === 1 ? 'tool_call' : 'user', i === 1 ? 'apply_patch' : null]),
    );
    expect(rest).toEqual({
      restarted: false,
      byteOffset: 123,
      linesDone: 4,
      calls: [['call_1', 'exec_command']],
      bytesRead: 123,
    });
  });

  it('of a file with nothing to index are empty columns', () => {
    const { columns } = unpackFileDocs(packFileDocs(fileDocs([])));
    expect(columns).toEqual({ count: 0, bodies: [], tools: [], run: '[]' });
  });
});
