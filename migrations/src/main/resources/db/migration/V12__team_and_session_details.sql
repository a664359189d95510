-- The Team page shows each member's last sign-in; the Account page lists a user's sessions with
-- the device and address they were used from. Every refresh token records the client that got it,
-- so a session's latest token says where it was last used.
ALTER TABLE users ADD COLUMN last_login_at timestamptz;

ALTER TABLE refresh_tokens ADD COLUMN user_agent text;
ALTER TABLE refresh_tokens ADD COLUMN ip text;
