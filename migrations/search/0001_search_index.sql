-- Content search (Threadscope only; the whole file can be deleted and is rebuilt from the rollouts).
-- One FTS5 row per indexed transcript line ("document"). Its rowid is file_id * 2^22 + seq, so a file's
-- documents are one rowid range (deleted by range, walked newest-file-first by ORDER BY rowid DESC).
-- Contentless: the text is not stored a second time (the index is written ~1.5x faster and is a
-- fraction of the size); snippets are cut from the rollout line itself at query time.
-- `tool` holds the tool name of tool calls and outputs (for `tool:` filters); words search `body` only.
CREATE VIRTUAL TABLE search_docs USING fts5(
    body,
    tool,
    content = '',
    contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);
-- Terms pending in memory before a segment is written: larger means fewer, bigger segments while the
-- index is built, so less merging (the default is 1 MiB).
INSERT INTO search_docs (search_docs, rank) VALUES ('hashsize', 33554432);
-- Merge 8 segments of a level at a time instead of 4: each byte of the index is rewritten fewer times
-- while it is built, for a few more segments to open per query.
INSERT INTO search_docs (search_docs, rank) VALUES ('automerge', 8);

-- What each document is and where its line lies in the rollout, one row per file and indexing pass
-- (a row per document would cost the build ~15%): `docs` is a JSON array, entry i describing document
-- first_doc + i as [position, byte_offset, byte_length, kind, tool]. position: the line's 0-based index
-- among the rollout's non-blank lines (what the Thread page scrolls to); offset/length: the trimmed line
-- (decompressed bytes for .zst); kind: user | assistant | reasoning | tool_call | tool_output.
CREATE TABLE search_doc_runs (
    first_doc INTEGER PRIMARY KEY,
    docs TEXT NOT NULL
) STRICT;

-- One row per indexed rollout file: where indexing stopped, so a grown file resumes from there.
-- file_id orders files by recency (see search-indexer.ts); pending_calls maps call ids whose output
-- was not indexed yet to their tool names (JSON), so an output appended later still gets its tool.
CREATE TABLE search_files (
    file_id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    thread_id TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ms REAL NOT NULL,
    byte_offset INTEGER NOT NULL,
    lines_done INTEGER NOT NULL,
    next_seq INTEGER NOT NULL,
    docs INTEGER NOT NULL,
    pending_calls TEXT
) STRICT;

CREATE INDEX idx_search_files_thread ON search_files(thread_id);

CREATE TABLE search_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;
