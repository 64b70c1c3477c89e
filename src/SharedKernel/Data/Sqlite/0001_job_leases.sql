-- Background jobs (SharedKernel/Jobs): each job's schedule and lease, so that several API instances run each
-- job once. A holder keeps the lease until lease_until; an expired lease is taken over.
CREATE TABLE job_leases (
    name        TEXT NOT NULL PRIMARY KEY,
    holder      TEXT NULL,
    lease_until TEXT NOT NULL,
    next_due_at TEXT NOT NULL,
    last_run_at TEXT NULL
);
