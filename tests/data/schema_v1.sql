-- The workshop store as schema version 1 wrote it, with a little sample data.
--
-- Version 2 added sessions.results_visible, sessions.free_text_visible and answers.hidden;
-- this file has none of them. It is portable between SQLite and PostgreSQL: ids are given
-- explicitly in the inserts, timestamps have no offset, booleans are TRUE/FALSE, and no
-- text value contains a semicolon. (On PostgreSQL the tests turn "id INTEGER PRIMARY KEY"
-- into "id SERIAL PRIMARY KEY", which is what SQLAlchemy made there for version 1.)
--
-- Resume tokens of the sample participants (only their SHA-256 is stored):
--   Vrolijke Vos  v1-token-vos
--   Stille Uil    v1-token-uil
--   Brave Beer    v1-token-beer

CREATE TABLE workshop_meta (
    key VARCHAR(64) NOT NULL PRIMARY KEY,
    value VARCHAR(200) NOT NULL
);

CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    code VARCHAR(12) NOT NULL UNIQUE,
    title VARCHAR(200) NOT NULL,
    organiser VARCHAR(200) NOT NULL,
    lang VARCHAR(2) NOT NULL,
    open_exercises TEXT NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE participants (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    pseudonym VARCHAR(60) NOT NULL,
    token_hash VARCHAR(64) NOT NULL UNIQUE,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    last_seen_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX ix_participants_session ON participants (session_id);

CREATE TABLE answers (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    participant_id INTEGER NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    exercise VARCHAR(64) NOT NULL,
    item VARCHAR(160) NOT NULL,
    value TEXT NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT uq_answer_per_item UNIQUE (session_id, participant_id, exercise, item)
);
CREATE INDEX ix_answers_session_exercise ON answers (session_id, exercise);

CREATE TABLE contributions (
    id INTEGER PRIMARY KEY,
    uid VARCHAR(40) NOT NULL UNIQUE,
    session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    participant_id INTEGER NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    kind VARCHAR(20) NOT NULL,
    payload TEXT NOT NULL,
    hidden BOOLEAN NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX ix_contributions_session ON contributions (session_id);

INSERT INTO workshop_meta (key, value) VALUES ('schema_version', '1');

INSERT INTO sessions (id, code, title, organiser, lang, open_exercises, created_at) VALUES
    (1, 'OLDAAA', 'Werksessie coöperatie 2024', 'Noëlle', 'nl', '["needs","map"]',
     '2024-03-01 09:00:00'),
    (2, 'OLDBBB', 'Spring session', 'Sam', 'en', '[]', '2024-04-02 13:30:00');

INSERT INTO participants (id, session_id, pseudonym, token_hash, created_at, last_seen_at) VALUES
    (1, 1, 'Vrolijke Vos', '3dd25fc4b06bb567ba9f087927fb754dd2610aabccfec2892afce13c2ddb9a62',
     '2024-03-01 09:05:00', '2024-03-01 09:40:00'),
    (2, 1, 'Stille Uil', '2d8cbbbbe534ba56535d5521991d10c515b0607091e4413e524083606ae09a78',
     '2024-03-01 09:06:00', '2024-03-01 09:41:00'),
    (3, 2, 'Brave Beer', '03e44ef789adf451aafc4f22fa88586cf6024ed66b4eea6923473e5dbb2b2d67',
     '2024-04-02 13:35:00', '2024-04-02 14:00:00');

INSERT INTO answers (id, session_id, participant_id, exercise, item, value, updated_at) VALUES
    (1, 1, 1, 'needs', 'q1', '{"text":"meer tijd voor coöperatie"}', '2024-03-01 09:10:00'),
    (2, 1, 2, 'needs', 'q1', '"ja"', '2024-03-01 09:11:00'),
    (3, 1, 1, 'map', 'rating', '4', '2024-03-01 09:20:00'),
    (4, 2, 3, 'needs', 'q1', '["a","b"]', '2024-04-02 13:40:00');

INSERT INTO contributions (id, uid, session_id, participant_id, kind, payload, hidden,
                           created_at) VALUES
    (1, 'uid-old-1', 1, 1, 'organisation', '{"name":"Stichting Oud"}', FALSE,
     '2024-03-01 09:30:00'),
    (2, 'uid-old-2', 1, 2, 'relation', '{"source":"a","target":"b"}', TRUE,
     '2024-03-01 09:31:00');
