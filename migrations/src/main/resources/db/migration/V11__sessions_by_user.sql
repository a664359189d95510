-- A password change or reset ends every live session of one user: find them without a scan of
-- all refresh tokens ever issued (rotated and revoked ones stay in the table).
CREATE INDEX refresh_tokens_user_live_idx ON refresh_tokens (user_id) WHERE revoked_at IS NULL;

-- The operator's audit view filters by actor across all tenants, newest first.
CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, id DESC) WHERE actor_id IS NOT NULL;
