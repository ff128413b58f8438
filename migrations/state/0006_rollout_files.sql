-- Threadscope: one row per rollout file seen, so a re-scan compares (size, mtime) instead of
-- re-reading, an appended file resumes from `offset`, and unreadable files are visible problems.
CREATE TABLE rollout_files (
    path TEXT PRIMARY KEY,
    thread_id TEXT,
    archived INTEGER NOT NULL,
    size INTEGER NOT NULL,
    mtime_ms REAL NOT NULL,
    byte_offset INTEGER NOT NULL,
    fold_state TEXT,
    parse_errors INTEGER NOT NULL DEFAULT 0,
    problem TEXT,
    problem_at INTEGER,
    ingested_at INTEGER NOT NULL
) STRICT;

CREATE INDEX idx_rollout_files_thread ON rollout_files(thread_id);
CREATE INDEX idx_rollout_files_problem ON rollout_files(problem_at DESC) WHERE problem IS NOT NULL;
