-- Penal policy (L132-10-1 I 1° and 2°; R132-6-1 II; POL-1, POL-2, OPN-1). No field for a person anywhere: briefings,
-- reports and syntheses are about the penal policy, opinions about measures, never about named persons (OPN-1).

-- POL-1: each briefing a procureur gives an instance (at least one per calendar year).
CREATE TABLE pp_briefings (
    id                UNIQUEIDENTIFIER NOT NULL PRIMARY KEY NONCLUSTERED,
    instance_id       UNIQUEIDENTIFIER NOT NULL,
    procureur_id      UNIQUEIDENTIFIER NOT NULL,
    year              INT NOT NULL,
    held_on           DATE NOT NULL,
    meeting_id        UNIQUEIDENTIFIER NULL,
    summary           NVARCHAR(4000) NOT NULL,
    recorded_at       DATETIMEOFFSET(3) NOT NULL
);
CREATE INDEX ix_pp_briefings_instance ON pp_briefings (instance_id, year, held_on, id);

-- POL-2: the date the annual report reached the procureur général, and the synthesis's due date computed from it.
CREATE TABLE pp_reports (
    id                UNIQUEIDENTIFIER NOT NULL PRIMARY KEY NONCLUSTERED,
    procureur_id      UNIQUEIDENTIFIER NOT NULL,
    year              INT NOT NULL,
    communicated_on   DATE NOT NULL,
    synthesis_due_on  DATE NOT NULL,
    recorded_at       DATETIMEOFFSET(3) NOT NULL
);
CREATE UNIQUE INDEX ux_pp_reports_procureur_year ON pp_reports (procureur_id, year);
CREATE INDEX ix_pp_reports_year ON pp_reports (year, procureur_id);

-- The instances the synthesis is due to: every EMS and CCOFSI the procureur co-chaired when he recorded the date.
CREATE TABLE pp_report_instances (
    report_id         UNIQUEIDENTIFIER NOT NULL REFERENCES pp_reports (id),
    instance_id       UNIQUEIDENTIFIER NOT NULL,
    instance_kind     NVARCHAR(10) NOT NULL,
    PRIMARY KEY (report_id, instance_id)
);
CREATE INDEX ix_pp_report_instances_instance ON pp_report_instances (instance_id, report_id);

CREATE TABLE pp_syntheses (
    id                UNIQUEIDENTIFIER NOT NULL PRIMARY KEY NONCLUSTERED,
    report_id         UNIQUEIDENTIFIER NOT NULL REFERENCES pp_reports (id),
    text              NVARCHAR(MAX) NOT NULL,
    delivered_at      DATETIMEOFFSET(3) NOT NULL
);
CREATE INDEX ix_pp_syntheses_report ON pp_syntheses (report_id, delivered_at);

-- One delivery per report and instance: the date decides on-time or late.
CREATE TABLE pp_synthesis_deliveries (
    report_id         UNIQUEIDENTIFIER NOT NULL,
    instance_id       UNIQUEIDENTIFIER NOT NULL,
    synthesis_id      UNIQUEIDENTIFIER NOT NULL REFERENCES pp_syntheses (id),
    delivered_at      DATETIMEOFFSET(3) NOT NULL,
    delivered_on      DATE NOT NULL,
    PRIMARY KEY (report_id, instance_id),
    FOREIGN KEY (report_id, instance_id) REFERENCES pp_report_instances (report_id, instance_id)
);
CREATE INDEX ix_pp_synthesis_deliveries_instance ON pp_synthesis_deliveries (instance_id, delivered_at, synthesis_id);
CREATE INDEX ix_pp_synthesis_deliveries_synthesis ON pp_synthesis_deliveries (synthesis_id, instance_id);

-- A synthesis's attachments (a few small files: statistics, a note), read by the policy before they are kept.
CREATE TABLE pp_synthesis_attachments (
    synthesis_id      UNIQUEIDENTIFIER NOT NULL REFERENCES pp_syntheses (id),
    position          INT NOT NULL,
    file_name         NVARCHAR(255) NOT NULL,
    media_type        NVARCHAR(100) NOT NULL,
    document_kind     NVARCHAR(60) NOT NULL,
    size_bytes        BIGINT NOT NULL,
    sha256            CHAR(64) NOT NULL,
    content           VARBINARY(MAX) NOT NULL,
    PRIMARY KEY (synthesis_id, position)
);

-- OPN-1: an opinion of the instance, adopted in a held meeting, on a measure of the catalogue in force during the period.
CREATE TABLE pp_opinions (
    id                UNIQUEIDENTIFIER NOT NULL PRIMARY KEY NONCLUSTERED,
    instance_id       UNIQUEIDENTIFIER NOT NULL,
    measure           NVARCHAR(60) NOT NULL,
    period_from       DATE NOT NULL,
    period_to         DATE NOT NULL,
    opinion           NVARCHAR(2000) NOT NULL,
    meeting_id        UNIQUEIDENTIFIER NOT NULL,
    adopted_on        DATE NOT NULL,
    catalogue_version NVARCHAR(20) NOT NULL,
    recorded_by       UNIQUEIDENTIFIER NOT NULL,
    recorded_at       DATETIMEOFFSET(3) NOT NULL
);
CREATE INDEX ix_pp_opinions_instance ON pp_opinions (instance_id, adopted_on, id);

-- What the daily job marks: an overdue synthesis, a procureur without a briefing in an instance from 1 October.
CREATE TABLE pp_reminders (
    id                UNIQUEIDENTIFIER NOT NULL PRIMARY KEY NONCLUSTERED,
    kind              NVARCHAR(30) NOT NULL,
    instance_id       UNIQUEIDENTIFIER NOT NULL,
    procureur_id      UNIQUEIDENTIFIER NOT NULL,
    year              INT NOT NULL,
    report_id         UNIQUEIDENTIFIER NULL,
    due_on            DATE NOT NULL,
    marked_on         DATE NOT NULL,
    resolved_on       DATE NULL
);
CREATE UNIQUE INDEX ux_pp_reminders ON pp_reminders (kind, instance_id, procureur_id, year);
CREATE INDEX ix_pp_reminders_year ON pp_reminders (year, instance_id);

