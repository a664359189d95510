-- One row per installation: created at the first start, read at every start. It proves the
-- database is the one the platform set up (and not a fresh one by mistake) and gives exports and
-- logs a stable installation id.
CREATE TABLE platform_installation (
    singleton       boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
    installation_id uuid        NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now()
);
