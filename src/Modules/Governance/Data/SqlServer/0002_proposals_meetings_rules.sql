-- Joint association proposals (COMP-3), meetings (MEET-1, MEET-2, COMP-5), règlement intérieur (CONF-3, CONF-4).

CREATE TABLE gov_association_proposals (
    id                          UNIQUEIDENTIFIER NOT NULL PRIMARY KEY NONCLUSTERED,
    instance_id                 UNIQUEIDENTIFIER NOT NULL REFERENCES gov_instances (id),
    organisation_id             UNIQUEIDENTIFIER NOT NULL REFERENCES gov_organisations (id),
    rationale                   NVARCHAR(2000) NOT NULL,
    status                      NVARCHAR(30) NOT NULL,
    proposed_by_organisation_id UNIQUEIDENTIFIER NOT NULL REFERENCES gov_organisations (id),
    proposed_at                 DATETIMEOFFSET(3) NOT NULL,
    decided_by_organisation_id  UNIQUEIDENTIFIER NULL REFERENCES gov_organisations (id),
    decided_at                  DATETIMEOFFSET(3) NULL
);
CREATE INDEX ix_gov_association_proposals_instance ON gov_association_proposals (instance_id, proposed_at);
CREATE UNIQUE INDEX ux_gov_association_proposals_open ON gov_association_proposals (instance_id, organisation_id) WHERE status = N'awaiting-cosignature';

CREATE TABLE gov_meetings (
    id                          UNIQUEIDENTIFIER NOT NULL PRIMARY KEY NONCLUSTERED,
    instance_id                 UNIQUEIDENTIFIER NOT NULL REFERENCES gov_instances (id),
    held_on                     DATE NOT NULL,
    minutes                     NVARCHAR(MAX) NULL,
    version                     INT NOT NULL,
    recorded_by_organisation_id UNIQUEIDENTIFIER NOT NULL REFERENCES gov_organisations (id),
    recorded_at                 DATETIMEOFFSET(3) NOT NULL
);
CREATE INDEX ix_gov_meetings_instance ON gov_meetings (instance_id, held_on);

CREATE TABLE gov_meeting_themes (
    meeting_id UNIQUEIDENTIFIER NOT NULL REFERENCES gov_meetings (id),
    position   INT NOT NULL,
    theme      NVARCHAR(200) NOT NULL,
    PRIMARY KEY (meeting_id, position)
);

CREATE TABLE gov_meeting_attendees (
    meeting_id      UNIQUEIDENTIFIER NOT NULL REFERENCES gov_meetings (id),
    organisation_id UNIQUEIDENTIFIER NOT NULL REFERENCES gov_organisations (id),
    PRIMARY KEY (meeting_id, organisation_id)
);

CREATE TABLE gov_meeting_guests (
    meeting_id      UNIQUEIDENTIFIER NOT NULL REFERENCES gov_meetings (id),
    position        INT NOT NULL,
    name            NVARCHAR(200) NOT NULL,
    category        NVARCHAR(30) NOT NULL,
    organisation_id UNIQUEIDENTIFIER NULL REFERENCES gov_organisations (id),
    PRIMARY KEY (meeting_id, position)
);

CREATE TABLE gov_internal_rules (
    id                          UNIQUEIDENTIFIER NOT NULL PRIMARY KEY NONCLUSTERED,
    instance_id                 UNIQUEIDENTIFIER NOT NULL REFERENCES gov_instances (id),
    version                     NVARCHAR(50) NOT NULL,
    adopted_by_cdpd_on          DATE NOT NULL,
    cdpd_deliberation_reference NVARCHAR(200) NOT NULL,
    in_force_from               DATE NOT NULL,
    text                        NVARCHAR(MAX) NOT NULL,
    recorded_by_organisation_id UNIQUEIDENTIFIER NOT NULL REFERENCES gov_organisations (id),
    recorded_at                 DATETIMEOFFSET(3) NOT NULL
);
CREATE UNIQUE INDEX ux_gov_internal_rules_version ON gov_internal_rules (instance_id, version);
CREATE INDEX ix_gov_internal_rules_in_force ON gov_internal_rules (instance_id, in_force_from);

CREATE TABLE gov_rule_acknowledgements (
    internal_rules_id UNIQUEIDENTIFIER NOT NULL REFERENCES gov_internal_rules (id),
    organisation_id   UNIQUEIDENTIFIER NOT NULL REFERENCES gov_organisations (id),
    acknowledged_at   DATETIMEOFFSET(3) NOT NULL,
    PRIMARY KEY (internal_rules_id, organisation_id)
);
