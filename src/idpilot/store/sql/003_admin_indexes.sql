-- Which directory objects each audit event is about (targets, objects named in its modified
-- properties) or was done by (actor), so an object's history is an index lookup rather than
-- a scan of every event's JSON. Rebuilt by idpilot.store.audit_index after each ingest that
-- changes directoryAudits (a store ingested before this migration is read by a slower scan
-- until its next ingest).
CREATE TABLE audit_objects (
    audit_id VARCHAR NOT NULL, object_id VARCHAR NOT NULL, relation VARCHAR NOT NULL,
    activityDateTime TIMESTAMPTZ
);
CREATE INDEX audit_objects_object ON audit_objects (object_id);
CREATE INDEX group_members_member ON group_members (member_id);
CREATE INDEX group_members_group ON group_members (group_id);
CREATE INDEX group_owners_group ON group_owners (group_id);
CREATE INDEX users_id ON users (id);
CREATE INDEX groups_id ON groups (id);
CREATE INDEX directory_audits_id ON directoryAudits (id);
