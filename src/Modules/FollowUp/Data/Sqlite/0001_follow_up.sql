-- Follow-up of designated convicted persons (L132-10-1 I 3° and 4°; R132-6-1 III; DES-1..6, FLOW-1..2).
-- Minimal data (DES-4): the identity, the release date, the JAP's favourable opinion, the obligations, the assigned
-- services, structured observations and a closed list of events. Erasure (DES-6) blanks the designation to a
-- tombstone (counts kept) and deletes every row below it.

CREATE TABLE fu_designations (
    id                 TEXT NOT NULL PRIMARY KEY,
    instance_id        TEXT NOT NULL,
    person_key         TEXT NULL,
    last_name          TEXT NULL,
    first_names        TEXT NULL,
    birth_date         TEXT NULL,
    released_on        TEXT NOT NULL,
    jap_given_on       TEXT NOT NULL,
    jap_capacity       TEXT NOT NULL,
    jap_reference      TEXT NULL,
    status             TEXT NOT NULL,
    closed_on          TEXT NULL,
    closure_reason     TEXT NULL,
    review_due_on      TEXT NULL,
    designated_by      TEXT NOT NULL,
    designated_at      TEXT NOT NULL,
    erased_at          TEXT NULL,
    obligation_count   INTEGER NULL,
    assignment_count   INTEGER NULL,
    observation_count  INTEGER NULL,
    event_count        INTEGER NULL
);
CREATE INDEX ix_fu_designations_instance ON fu_designations (instance_id, designated_at, id);
CREATE UNIQUE INDEX ux_fu_designations_open_person ON fu_designations (instance_id, person_key) WHERE closed_on IS NULL;
CREATE INDEX ix_fu_designations_closed ON fu_designations (closed_on) WHERE erased_at IS NULL;

CREATE TABLE fu_obligations (
    id             TEXT NOT NULL PRIMARY KEY,
    designation_id TEXT NOT NULL REFERENCES fu_designations (id),
    position       INTEGER NOT NULL,
    kind           TEXT NOT NULL,
    description    TEXT NOT NULL,
    imposed_by     TEXT NOT NULL,
    decision_date  TEXT NOT NULL,
    from_on        TEXT NOT NULL,
    until_on       TEXT NULL,
    version        INTEGER NOT NULL
);
CREATE INDEX ix_fu_obligations_designation ON fu_obligations (designation_id, position);

-- The previous versions of a modified obligation, each with its own decision date.
CREATE TABLE fu_obligation_versions (
    obligation_id  TEXT NOT NULL REFERENCES fu_obligations (id),
    version        INTEGER NOT NULL,
    kind           TEXT NOT NULL,
    description    TEXT NOT NULL,
    imposed_by     TEXT NOT NULL,
    decision_date  TEXT NOT NULL,
    from_on        TEXT NOT NULL,
    until_on       TEXT NULL,
    replaced_at    TEXT NOT NULL,
    PRIMARY KEY (obligation_id, version)
);

CREATE TABLE fu_assignments (
    id              TEXT NOT NULL PRIMARY KEY,
    designation_id  TEXT NOT NULL REFERENCES fu_designations (id),
    organisation_id TEXT NOT NULL,
    modality        TEXT NOT NULL,
    assigned_by     TEXT NOT NULL,
    assigned_at     TEXT NOT NULL,
    removed_at      TEXT NULL
);
CREATE INDEX ix_fu_assignments_designation ON fu_assignments (designation_id, assigned_at);
CREATE INDEX ix_fu_assignments_organisation ON fu_assignments (organisation_id, designation_id);

CREATE TABLE fu_assignment_obligations (
    assignment_id TEXT NOT NULL REFERENCES fu_assignments (id),
    obligation_id TEXT NOT NULL REFERENCES fu_obligations (id),
    PRIMARY KEY (assignment_id, obligation_id)
);

CREATE TABLE fu_observations (
    id              TEXT NOT NULL PRIMARY KEY,
    designation_id  TEXT NOT NULL REFERENCES fu_designations (id),
    obligation_id   TEXT NOT NULL REFERENCES fu_obligations (id),
    organisation_id TEXT NOT NULL,
    observed_on     TEXT NOT NULL,
    outcome         TEXT NOT NULL,
    note            TEXT NOT NULL,
    recorded_at     TEXT NOT NULL
);
CREATE INDEX ix_fu_observations_designation ON fu_observations (designation_id, recorded_at);

CREATE TABLE fu_incident_reports (
    id               TEXT NOT NULL PRIMARY KEY,
    instance_id      TEXT NOT NULL,
    designation_id   TEXT NOT NULL REFERENCES fu_designations (id),
    observation_id   TEXT NOT NULL REFERENCES fu_observations (id),
    reported_at      TEXT NOT NULL,
    acknowledged_on  TEXT NULL,
    acknowledged_by  TEXT NULL
);
CREATE INDEX ix_fu_incident_reports_instance ON fu_incident_reports (instance_id, reported_at, id);

CREATE TABLE fu_events (
    id             TEXT NOT NULL PRIMARY KEY,
    designation_id TEXT NOT NULL REFERENCES fu_designations (id),
    type           TEXT NOT NULL,
    occurred_on    TEXT NOT NULL,
    source         TEXT NOT NULL,
    reference      TEXT NULL,
    recorded_by    TEXT NOT NULL,
    recorded_at    TEXT NOT NULL
);
CREATE INDEX ix_fu_events_designation ON fu_events (designation_id, recorded_at);

CREATE TABLE fu_reviews (
    id             TEXT NOT NULL PRIMARY KEY,
    designation_id TEXT NOT NULL REFERENCES fu_designations (id),
    reviewed_on    TEXT NOT NULL,
    decision       TEXT NOT NULL,
    reviewed_by    TEXT NOT NULL,
    recorded_at    TEXT NOT NULL
);
CREATE INDEX ix_fu_reviews_designation ON fu_reviews (designation_id, recorded_at);

CREATE TABLE fu_reports (
    id               TEXT NOT NULL PRIMARY KEY,
    instance_id      TEXT NOT NULL,
    author_id        TEXT NOT NULL,
    period_from      TEXT NOT NULL,
    period_to        TEXT NOT NULL,
    text             TEXT NOT NULL,
    sent_at          TEXT NOT NULL,
    acknowledged_on  TEXT NULL,
    acknowledged_by  TEXT NULL,
    erased_at        TEXT NULL
);
CREATE INDEX ix_fu_reports_instance ON fu_reports (instance_id, sent_at, id);

CREATE TABLE fu_report_designations (
    report_id      TEXT NOT NULL REFERENCES fu_reports (id),
    designation_id TEXT NOT NULL REFERENCES fu_designations (id),
    PRIMARY KEY (report_id, designation_id)
);
CREATE INDEX ix_fu_report_designations_designation ON fu_report_designations (designation_id);
