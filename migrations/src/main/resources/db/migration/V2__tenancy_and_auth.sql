-- Plans, tenants, users, memberships, platform admins, API keys, refresh tokens and the audit log.

CREATE TABLE plans (
    id                uuid        PRIMARY KEY,
    name              text        NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
    currency          char(3)     NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$'),
    base_fee          numeric(18, 6) NOT NULL DEFAULT 0 CHECK (base_fee >= 0),
    -- null rate limit = unlimited; burst is the bucket size
    rate_per_second   integer     CHECK (rate_per_second > 0),
    rate_burst        integer     CHECK (rate_burst > 0),
    -- {"api_calls": null, "predictions": 100000, ...}: a null or absent limit means unlimited
    limits            jsonb       NOT NULL DEFAULT '{}',
    soft_limits       text[]      NOT NULL DEFAULT '{}',
    -- {"predictions": {"included": 1000, "tiers": [...]}, ...}; read by billing
    prices            jsonb       NOT NULL DEFAULT '{}',
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now()
);

-- The plan every new tenant gets unless told otherwise: small, free, hard limits.
INSERT INTO plans (id, name, currency, base_fee, rate_per_second, rate_burst, limits, soft_limits, prices)
VALUES ('00000000-0000-0000-0000-00000000f1ee', 'free', 'USD', 0, 5, 10,
        '{"api_calls": 10000, "predictions": 1000, "training_seconds": 600, "storage_bytes": 104857600,
          "concurrent_jobs": 1, "deployed_models": 1, "upload_bytes": 10485760}',
        '{}', '{}');

CREATE TABLE tenants (
    id         uuid        PRIMARY KEY,
    name       text        NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 100),
    plan_id    uuid        NOT NULL REFERENCES plans (id),
    status     text        NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
    id            uuid        PRIMARY KEY,
    email         text        NOT NULL,
    -- "pbkdf2-sha512$<iterations>$<salt b64>$<hash b64>": a slow KDF, never the password
    password_hash text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

-- A user belongs to one tenant with one role; platform admins belong to none.
CREATE TABLE memberships (
    user_id    uuid        PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    tenant_id  uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    role       text        NOT NULL CHECK (role IN ('owner', 'developer', 'viewer')),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX memberships_tenant_idx ON memberships (tenant_id);

CREATE TABLE platform_admins (
    user_id    uuid        PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE api_keys (
    id           uuid        PRIMARY KEY,
    tenant_id    uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name         text        NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    -- the first characters of the key, shown in listings so people can tell keys apart
    prefix       text        NOT NULL,
    -- SHA-256 of the whole key: keys carry 256 random bits, so a fast hash is enough to make a
    -- leaked table useless, and it lets the gateway look a key up by an index
    secret_hash  bytea       NOT NULL UNIQUE,
    scopes       text[]      NOT NULL,
    expires_at   timestamptz,
    created_by   uuid        REFERENCES users (id) ON DELETE SET NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    revoked_at   timestamptz,
    last_used_at timestamptz
);
CREATE INDEX api_keys_tenant_idx ON api_keys (tenant_id, created_at);

CREATE TABLE refresh_tokens (
    id          uuid        PRIMARY KEY,
    -- every token issued by rotation from one login shares the family; reuse of a rotated token
    -- revokes the whole family (a stolen token is then worthless to both parties)
    family_id   uuid        NOT NULL,
    user_id     uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash  bytea       NOT NULL UNIQUE,
    expires_at  timestamptz NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    rotated_at  timestamptz,
    revoked_at  timestamptz
);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);

CREATE TABLE audit_log (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id   uuid        REFERENCES tenants (id) ON DELETE CASCADE,
    actor_type  text        NOT NULL CHECK (actor_type IN ('user', 'api_key', 'platform_admin', 'anonymous', 'system')),
    actor_id    uuid,
    action      text        NOT NULL,
    target      text,
    details     jsonb       NOT NULL DEFAULT '{}',
    ip          text,
    request_id  text,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_tenant_idx ON audit_log (tenant_id, id DESC);
