-- Issue 15: a client enabled again, or whose secret is rotated, refuses the tokens issued before: they were issued to
-- whoever held the old secret, or before the client was stopped. Every token carries the version of its client's
-- credentials when it was issued (claim cred_v); the version moves on at each enabling and each rotation.
ALTER TABLE gov_clients ADD credentials_version INT NOT NULL DEFAULT 0;
