-- Penal policy (L132-10-1 I 1° and 2°; R132-6-1 II; POL-1, POL-2, OPN-1). No field for a person anywhere: briefings,
-- reports and syntheses are about the penal policy, opinions about measures, never about named persons (OPN-1).

-- POL-1: each briefing a procureur gives an instance (at least one per calendar year).
CREATE TABLE pp_briefings (
    id           TEXT NOT NULL PRIMARY KEY,
    instance_id  TEXT NOT NULL,
    procureur_id TEXT NOT NULL,
    year         INTEGER NOT NULL,
    held_on      TEXT NOT NULL,
    meeting_id   TEXT NULL,
    summary      TEXT NOT NULL,
    recorded_at  TEXT NOT NULL
);
CREATE INDEX ix_pp_briefings_instance ON pp_briefings (instance_id, year, held_on, id);

-- POL-2: the date the annual report reached the procureur général, and the synthesis's due date computed from it.
CREATE TABLE pp_reports (
    id               TEXT NOT NULL PRIMARY KEY,
    procureur_id     TEXT NOT NULL,
    year             INTEGER NOT NULL,
    communicated_on  TEXT NOT NULL,
    synthesis_due_on TEXT NOT NULL,
    recorded_at      TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_pp_reports_procureur_year ON pp_reports (procureur_id, year);
CREATE INDEX ix_pp_reports_year ON pp_reports (year, procureur_id);

-- The instances the synthesis is due to: every EMS and CCOFSI the procureur co-chaired when he recorded the date.
CREATE TABLE pp_report_instances (
    report_id   TEXT NOT NULL REFERENCES pp_reports (id),
    instance_id TEXT NOT NULL,
    instance_kind TEXT NOT NULL,
    PRIMARY KEY (report_id, instance_id)
);
CREATE INDEX ix_pp_report_instances_instance ON pp_report_instances (instance_id, report_id);

CREATE TABLE pp_syntheses (
    id           TEXT NOT NULL PRIMARY KEY,
    report_id    TEXT NOT NULL REFERENCES pp_reports (id),
    text         TEXT NOT NULL,
    delivered_at TEXT NOT NULL
);
CREATE INDEX ix_pp_syntheses_report ON pp_syntheses (report_id, delivered_at);

-- One delivery per report and instance: the date decides on-time or late.
CREATE TABLE pp_synthesis_deliveries (
    report_id    TEXT NOT NULL,
    instance_id  TEXT NOT NULL,
    synthesis_id TEXT NOT NULL REFERENCES pp_syntheses (id),
    delivered_at TEXT NOT NULL,
    delivered_on TEXT NOT NULL,
    PRIMARY KEY (report_id, instance_id),
    FOREIGN KEY (report_id, instance_id) REFERENCES pp_report_instances (report_id, instance_id)
);
CREATE INDEX ix_pp_synthesis_deliveries_instance ON pp_synthesis_deliveries (instance_id, delivered_at, synthesis_id);
CREATE INDEX ix_pp_synthesis_deliveries_synthesis ON pp_synthesis_deliveries (synthesis_id, instance_id);

-- A synthesis's attachments (a few small files: statistics, a note), read by the policy before they are kept.
CREATE TABLE pp_synthesis_attachments (
    synthesis_id  TEXT NOT NULL REFERENCES pp_syntheses (id),
    position      INTEGER NOT NULL,
    file_name     TEXT NOT NULL,
    media_type    TEXT NOT NULL,
    document_kind TEXT NOT NULL,
    size_bytes    INTEGER NOT NULL,
    sha256        TEXT NOT NULL,
    content       BLOB NOT NULL,
    PRIMARY KEY (synthesis_id, position)
);

-- OPN-1: an opinion of the instance, adopted in a held meeting, on a measure of the catalogue in force during the period.
CREATE TABLE pp_opinions (
    id                TEXT NOT NULL PRIMARY KEY,
    instance_id       TEXT NOT NULL,
    measure           TEXT NOT NULL,
    period_from       TEXT NOT NULL,
    period_to         TEXT NOT NULL,
    opinion           TEXT NOT NULL,
    meeting_id        TEXT NOT NULL,
    adopted_on        TEXT NOT NULL,
    catalogue_version TEXT NOT NULL,
    recorded_by       TEXT NOT NULL,
    recorded_at       TEXT NOT NULL
);
CREATE INDEX ix_pp_opinions_instance ON pp_opinions (instance_id, adopted_on, id);

-- What the daily job marks: an overdue synthesis, a procureur without a briefing in an instance from 1 October.
CREATE TABLE pp_reminders (
    id           TEXT NOT NULL PRIMARY KEY,
    kind         TEXT NOT NULL,
    instance_id  TEXT NOT NULL,
    procureur_id TEXT NOT NULL,
    year         INTEGER NOT NULL,
    report_id    TEXT NULL,
    due_on       TEXT NOT NULL,
    marked_on    TEXT NOT NULL,
    resolved_on  TEXT NULL
);
CREATE UNIQUE INDEX ux_pp_reminders ON pp_reminders (kind, instance_id, procureur_id, year);
CREATE INDEX ix_pp_reminders_year ON pp_reminders (year, instance_id);
