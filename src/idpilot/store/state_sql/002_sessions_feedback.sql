-- Conversations and what admins think of the answers: every answer the server or `idpilot
-- chat` gave (with the session it belongs to, if any), the sessions, and feedback on answers.
CREATE TABLE chat_sessions (
    id VARCHAR PRIMARY KEY,
    user_name VARCHAR NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    title VARCHAR
);
CREATE TABLE answers (
    id VARCHAR PRIMARY KEY,
    session_id VARCHAR,
    turn INTEGER,
    asked_at TIMESTAMPTZ NOT NULL,
    user_name VARCHAR NOT NULL,
    prompt VARCHAR NOT NULL,
    status VARCHAR NOT NULL,
    intent VARCHAR,
    skill VARCHAR,
    cited_ids VARCHAR[] NOT NULL,
    evidence_ids VARCHAR[] NOT NULL,
    latency_ms DOUBLE NOT NULL,
    total_tokens INTEGER NOT NULL,
    answer JSON NOT NULL,
    memory JSON,
    UNIQUE (session_id, turn)
);
CREATE INDEX answers_by_session ON answers (session_id);
CREATE TABLE feedback (
    id VARCHAR PRIMARY KEY,
    answer_id VARCHAR NOT NULL,
    user_name VARCHAR NOT NULL,
    rating VARCHAR NOT NULL,
    category VARCHAR,
    comment VARCHAR,
    given_at TIMESTAMPTZ NOT NULL,
    UNIQUE (answer_id, user_name)
);
