-- Background jobs (SharedKernel/Jobs): each job's schedule and lease, so that several API instances run each
-- job once. A holder keeps the lease until lease_until; an expired lease is taken over.
CREATE TABLE job_leases (
    name        NVARCHAR(100) NOT NULL PRIMARY KEY,
    holder      NVARCHAR(64) NULL,
    lease_until DATETIMEOFFSET(3) NOT NULL,
    next_due_at DATETIMEOFFSET(3) NOT NULL,
    last_run_at DATETIMEOFFSET(3) NULL
);
