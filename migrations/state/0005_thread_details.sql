-- Threadscope additions to `threads` (not in the seed): what the UI filters and links by.
-- model / reasoning_effort come from the last turn_context; parent/fork ids give the lineage.
ALTER TABLE threads ADD COLUMN model TEXT;
ALTER TABLE threads ADD COLUMN reasoning_effort TEXT;
ALTER TABLE threads ADD COLUMN originator TEXT;
ALTER TABLE threads ADD COLUMN parent_thread_id TEXT;
ALTER TABLE threads ADD COLUMN forked_from_id TEXT;
ALTER TABLE threads ADD COLUMN agent_depth INTEGER;

CREATE INDEX idx_threads_parent ON threads(parent_thread_id) WHERE parent_thread_id IS NOT NULL;
CREATE INDEX idx_threads_forked_from ON threads(forked_from_id) WHERE forked_from_id IS NOT NULL;
CREATE INDEX idx_threads_cwd_updated ON threads(cwd, updated_at DESC, id DESC);
CREATE INDEX idx_threads_model_updated ON threads(model, updated_at DESC, id DESC);

-- The list always filters on `archived` and orders by a sort column: one index serves both, so
-- the planner never picks the low-selectivity idx_threads_archived and sorts in a temp B-tree.
CREATE INDEX idx_threads_archived_updated ON threads(archived, updated_at DESC, id DESC);
CREATE INDEX idx_threads_archived_created ON threads(archived, created_at DESC, id DESC);
