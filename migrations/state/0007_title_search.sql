-- Threadscope addition: a trigram index over thread titles, so the seed's case-sensitive substring search
-- (`instr(title, term) > 0`) finds rare and absent terms without scanning every row. It only narrows the
-- candidates; the list query still applies instr(), so results are exactly the seed's.
-- External content keyed by the threads rowid: Threadscope never VACUUMs the state DB (which could renumber
-- the implicit rowids); a tool that does must run INSERT INTO threads_title_fts(threads_title_fts) VALUES('rebuild').
CREATE VIRTUAL TABLE threads_title_fts USING fts5(
    title,
    content = 'threads',
    content_rowid = 'rowid',
    tokenize = 'trigram case_sensitive 1'
);

INSERT INTO threads_title_fts(threads_title_fts) VALUES ('rebuild');

-- ready = 0 while a large ingest runs with the triggers off (tokenising every title inside the backfill's
-- transactions would slow the first listing); the ingest service rebuilds the index right after, and the
-- list falls back to a plain scan until then (main/state/title-index.ts).
CREATE TABLE title_index_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    ready INTEGER NOT NULL
) STRICT;
INSERT INTO title_index_state (id, ready) VALUES (1, 1);

CREATE TRIGGER threads_title_fts_insert AFTER INSERT ON threads
WHEN (SELECT ready FROM title_index_state WHERE id = 1) BEGIN
    INSERT INTO threads_title_fts(rowid, title) VALUES (new.rowid, new.title);
END;

CREATE TRIGGER threads_title_fts_delete AFTER DELETE ON threads
WHEN (SELECT ready FROM title_index_state WHERE id = 1) BEGIN
    INSERT INTO threads_title_fts(threads_title_fts, rowid, title) VALUES ('delete', old.rowid, old.title);
END;

CREATE TRIGGER threads_title_fts_update AFTER UPDATE OF title ON threads WHEN old.title IS NOT new.title AND (SELECT ready FROM title_index_state WHERE id = 1) BEGIN
    INSERT INTO threads_title_fts(threads_title_fts, rowid, title) VALUES ('delete', old.rowid, old.title);
    INSERT INTO threads_title_fts(rowid, title) VALUES (new.rowid, new.title);
END;

-- Secondary indexes of `threads` dropped for a bulk first backfill (main/state/bulk-indexes.ts) keep their
-- CREATE statements here until they are rebuilt, so a run that dies half-way restores them at the next start.
CREATE TABLE suspended_indexes (
    name TEXT PRIMARY KEY,
    sql TEXT NOT NULL
) STRICT;
