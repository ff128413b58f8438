-- Threadscope addition: which git fields a user edited (threads:updateMetadata, seed thread/metadata/update).
-- The edited values themselves live in `threads`; the seed's "prefer existing git info" already keeps an edited
-- non-NULL value across re-ingestion, but a field the user *cleared* would be refilled from the rollout's
-- session_meta (seed Q7). The ingest upsert consults this table only in that case (stored NULL, rollout value),
-- so the common path costs nothing. Rows go with their thread.
CREATE TABLE thread_edits (
    thread_id TEXT PRIMARY KEY REFERENCES threads(id) ON DELETE CASCADE,
    git_sha_set INTEGER NOT NULL DEFAULT 0,
    git_branch_set INTEGER NOT NULL DEFAULT 0,
    git_origin_url_set INTEGER NOT NULL DEFAULT 0,
    edited_at INTEGER NOT NULL
) STRICT;
