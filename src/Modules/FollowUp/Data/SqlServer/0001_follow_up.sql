-- Follow-up of designated convicted persons (L132-10-1 I 3° and 4°; R132-6-1 III; DES-1..6, FLOW-1..2).
-- Minimal data (DES-4): the identity, the release date, the JAP's favourable opinion, the obligations, the assigned
-- services, structured observations and a closed list of events. Erasure (DES-6) blanks the designation to a
-- tombstone (counts kept) and deletes every row below it.

CREATE TABLE fu_designations (
    id                 UNIQUEIDENTIFIER NOT NULL PRIMARY KEY NONCLUSTERED,
    instance_id        UNIQUEIDENTIFIER NOT NULL,
    person_key         CHAR(64) NULL,
    last_name          NVARCHAR(100) NULL,
    first_names        NVARCHAR(200) NULL,
    birth_date         DATE NULL,
    released_on        DATE NOT NULL,
    jap_given_on       DATE NOT NULL,
    jap_capacity       NVARCHAR(30) NOT NULL,
    jap_reference      NVARCHAR(60) NULL,
    status             NVARCHAR(30) NOT NULL,
    closed_on          DATE NULL,
    closure_reason     NVARCHAR(30) NULL,
    review_due_on      DATE NULL,
    designated_by      UNIQUEIDENTIFIER NOT NULL,
    designated_at      DATETIMEOFFSET(3) NOT NULL,
    erased_at          DATETIMEOFFSET(3) NULL,
    obligation_count   INT NULL,
    assignment_count   INT NULL,
    observation_count  INT NULL,
    event_count        INT NULL
);
CREATE INDEX ix_fu_designations_instance ON fu_designations (instance_id, designated_at, id);
CREATE UNIQUE INDEX ux_fu_designations_open_person ON fu_designations (instance_id, person_key) WHERE closed_on IS NULL;
CREATE INDEX ix_fu_designations_closed ON fu_designations (closed_on) WHERE erased_at IS NULL;

CREATE TABLE fu_obligations (
    id             UNIQUEIDENTIFIER NOT NULL PRIMARY KEY NONCLUSTERED,
    designation_id UNIQUEIDENTIFIER NOT NULL REFERENCES fu_designations (id),
    position       INT NOT NULL,
    kind           NVARCHAR(30) NOT NULL,
    description    NVARCHAR(300) NOT NULL,
    imposed_by     NVARCHAR(30) NOT NULL,
    decision_date  DATE NOT NULL,
    from_on        DATE NOT NULL,
    until_on       DATE NULL,
    version        INT NOT NULL
);
CREATE INDEX ix_fu_obligations_designation ON fu_obligations (designation_id, position);

-- The previous versions of a modified obligation, each with its own decision date.
CREATE TABLE fu_obligation_versions (
    obligation_id  UNIQUEIDENTIFIER NOT NULL REFERENCES fu_obligations (id),
    version        INT NOT NULL,
    kind           NVARCHAR(30) NOT NULL,
    description    NVARCHAR(300) NOT NULL,
    imposed_by     NVARCHAR(30) NOT NULL,
    decision_date  DATE NOT NULL,
    from_on        DATE NOT NULL,
    until_on       DATE NULL,
    replaced_at    DATETIMEOFFSET(3) NOT NULL,
    PRIMARY KEY (obligation_id, version)
);

CREATE TABLE fu_assignments (
    id              UNIQUEIDENTIFIER NOT NULL PRIMARY KEY NONCLUSTERED,
    designation_id  UNIQUEIDENTIFIER NOT NULL REFERENCES fu_designations (id),
    organisation_id UNIQUEIDENTIFIER NOT NULL,
    modality        NVARCHAR(300) NOT NULL,
    assigned_by     UNIQUEIDENTIFIER NOT NULL,
    assigned_at     DATETIMEOFFSET(3) NOT NULL,
    removed_at      DATETIMEOFFSET(3) NULL
);
CREATE INDEX ix_fu_assignments_designation ON fu_assignments (designation_id, assigned_at);
CREATE INDEX ix_fu_assignments_organisation ON fu_assignments (organisation_id, designation_id);

CREATE TABLE fu_assignment_obligations (
    assignment_id UNIQUEIDENTIFIER NOT NULL REFERENCES fu_assignments (id),
    obligation_id UNIQUEIDENTIFIER NOT NULL REFERENCES fu_obligations (id),
    PRIMARY KEY (assignment_id, obligation_id)
);

CREATE TABLE fu_observations (
    id              UNIQUEIDENTIFIER NOT NULL PRIMARY KEY NONCLUSTERED,
    designation_id  UNIQUEIDENTIFIER NOT NULL REFERENCES fu_designations (id),
    obligation_id   UNIQUEIDENTIFIER NOT NULL REFERENCES fu_obligations (id),
    organisation_id UNIQUEIDENTIFIER NOT NULL,
    observed_on     DATE NOT NULL,
    outcome         NVARCHAR(30) NOT NULL,
    note            NVARCHAR(280) NOT NULL,
    recorded_at     DATETIMEOFFSET(3) NOT NULL
);
CREATE INDEX ix_fu_observations_designation ON fu_observations (designation_id, recorded_at);

CREATE TABLE fu_incident_reports (
    id               UNIQUEIDENTIFIER NOT NULL PRIMARY KEY NONCLUSTERED,
    instance_id      UNIQUEIDENTIFIER NOT NULL,
    designation_id   UNIQUEIDENTIFIER NOT NULL REFERENCES fu_designations (id),
    observation_id   UNIQUEIDENTIFIER NOT NULL REFERENCES fu_observations (id),
    reported_at      DATETIMEOFFSET(3) NOT NULL,
    acknowledged_on  DATE NULL,
    acknowledged_by  UNIQUEIDENTIFIER NULL
);
CREATE INDEX ix_fu_incident_reports_instance ON fu_incident_reports (instance_id, reported_at, id);

CREATE TABLE fu_events (
    id             UNIQUEIDENTIFIER NOT NULL PRIMARY KEY NONCLUSTERED,
    designation_id UNIQUEIDENTIFIER NOT NULL REFERENCES fu_designations (id),
    type           NVARCHAR(40) NOT NULL,
    occurred_on    DATE NOT NULL,
    source         NVARCHAR(30) NOT NULL,
    reference      NVARCHAR(60) NULL,
    recorded_by    UNIQUEIDENTIFIER NOT NULL,
    recorded_at    DATETIMEOFFSET(3) NOT NULL
);
CREATE INDEX ix_fu_events_designation ON fu_events (designation_id, recorded_at);

CREATE TABLE fu_reviews (
    id             UNIQUEIDENTIFIER NOT NULL PRIMARY KEY NONCLUSTERED,
    designation_id UNIQUEIDENTIFIER NOT NULL REFERENCES fu_designations (id),
    reviewed_on    DATE NOT NULL,
    decision       NVARCHAR(20) NOT NULL,
    reviewed_by    UNIQUEIDENTIFIER NOT NULL,
    recorded_at    DATETIMEOFFSET(3) NOT NULL
);
CREATE INDEX ix_fu_reviews_designation ON fu_reviews (designation_id, recorded_at);

CREATE TABLE fu_reports (
    id               UNIQUEIDENTIFIER NOT NULL PRIMARY KEY NONCLUSTERED,
    instance_id      UNIQUEIDENTIFIER NOT NULL,
    author_id        UNIQUEIDENTIFIER NOT NULL,
    period_from      DATE NOT NULL,
    period_to        DATE NOT NULL,
    text             NVARCHAR(4000) NOT NULL,
    sent_at          DATETIMEOFFSET(3) NOT NULL,
    acknowledged_on  DATE NULL,
    acknowledged_by  UNIQUEIDENTIFIER NULL,
    erased_at        DATETIMEOFFSET(3) NULL
);
CREATE INDEX ix_fu_reports_instance ON fu_reports (instance_id, sent_at, id);

CREATE TABLE fu_report_designations (
    report_id      UNIQUEIDENTIFIER NOT NULL REFERENCES fu_reports (id),
    designation_id UNIQUEIDENTIFIER NOT NULL REFERENCES fu_designations (id),
    PRIMARY KEY (report_id, designation_id)
);
CREATE INDEX ix_fu_report_designations_designation ON fu_report_designations (designation_id);
