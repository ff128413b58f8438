-- The list grouped by project (ORDER BY cwd ASC, <sort column> DESC, id DESC) walks these instead of
-- sorting: `archived = ?` is always in the WHERE clause, and without a leading archived column the planner
-- prefers idx_threads_archived plus a temp B-tree sort of the whole partition.
CREATE INDEX idx_threads_archived_cwd_updated ON threads(archived, cwd, updated_at DESC, id DESC);
CREATE INDEX idx_threads_archived_cwd_created ON threads(archived, cwd, created_at DESC, id DESC);
