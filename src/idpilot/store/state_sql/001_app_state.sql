-- The app state database: what the server knows that is not tenant data. It lives beside the
-- tenant store and survives every ingest (the tenant store is replaced by each one).
CREATE TABLE api_tokens (
    id VARCHAR PRIMARY KEY,
    user_name VARCHAR NOT NULL,
    role VARCHAR NOT NULL,
    secret_hash VARCHAR NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ,
    revoked_at TIMESTAMPTZ
);
CREATE TABLE usage_units (
    user_name VARCHAR NOT NULL,
    day DATE NOT NULL,
    units INTEGER NOT NULL,
    PRIMARY KEY (user_name, day)
);
CREATE TABLE audit_events (
    id VARCHAR PRIMARY KEY,
    occurred_at TIMESTAMPTZ NOT NULL,
    user_name VARCHAR NOT NULL,
    token_id VARCHAR,
    role VARCHAR,
    action VARCHAR NOT NULL,
    prompt VARCHAR,
    answer_id VARCHAR,
    proposal_id VARCHAR,
    status VARCHAR
);
CREATE TABLE proposals (
    id VARCHAR PRIMARY KEY,
    created_at TIMESTAMPTZ NOT NULL,
    user_name VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    proposal JSON NOT NULL
);
