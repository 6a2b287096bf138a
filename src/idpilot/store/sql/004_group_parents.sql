-- Group-in-group edges only (a few percent of group_members), so walking up a nesting chain
-- joins a small table instead of every membership. Rebuilt by idpilot.store.post_ingest after
-- each ingest that changes groups; filled here from what an existing store already holds.
CREATE TABLE group_parents (child_id VARCHAR NOT NULL, parent_id VARCHAR NOT NULL);
INSERT INTO group_parents
SELECT DISTINCT member_id, group_id FROM group_members WHERE member_type = 'group';
CREATE INDEX group_parents_child ON group_parents (child_id);
