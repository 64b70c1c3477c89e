-- Joint association proposals (COMP-3), meetings (MEET-1, MEET-2, COMP-5), règlement intérieur (CONF-3, CONF-4).

CREATE TABLE gov_association_proposals (
    id                          TEXT NOT NULL PRIMARY KEY,
    instance_id                 TEXT NOT NULL REFERENCES gov_instances (id),
    organisation_id             TEXT NOT NULL REFERENCES gov_organisations (id),
    rationale                   TEXT NOT NULL,
    status                      TEXT NOT NULL,
    proposed_by_organisation_id TEXT NOT NULL REFERENCES gov_organisations (id),
    proposed_at                 TEXT NOT NULL,
    decided_by_organisation_id  TEXT NULL REFERENCES gov_organisations (id),
    decided_at                  TEXT NULL
);
CREATE INDEX ix_gov_association_proposals_instance ON gov_association_proposals (instance_id, proposed_at);
CREATE UNIQUE INDEX ux_gov_association_proposals_open ON gov_association_proposals (instance_id, organisation_id) WHERE status = 'awaiting-cosignature';

CREATE TABLE gov_meetings (
    id                        TEXT NOT NULL PRIMARY KEY,
    instance_id               TEXT NOT NULL REFERENCES gov_instances (id),
    held_on                   TEXT NOT NULL,
    minutes                   TEXT NULL,
    version                   INTEGER NOT NULL,
    recorded_by_organisation_id TEXT NOT NULL REFERENCES gov_organisations (id),
    recorded_at               TEXT NOT NULL
);
CREATE INDEX ix_gov_meetings_instance ON gov_meetings (instance_id, held_on);

CREATE TABLE gov_meeting_themes (
    meeting_id TEXT NOT NULL REFERENCES gov_meetings (id),
    position   INTEGER NOT NULL,
    theme      TEXT NOT NULL,
    PRIMARY KEY (meeting_id, position)
);

CREATE TABLE gov_meeting_attendees (
    meeting_id      TEXT NOT NULL REFERENCES gov_meetings (id),
    organisation_id TEXT NOT NULL REFERENCES gov_organisations (id),
    PRIMARY KEY (meeting_id, organisation_id)
);

-- COMP-5: guests attend one meeting; they never become members.
CREATE TABLE gov_meeting_guests (
    meeting_id      TEXT NOT NULL REFERENCES gov_meetings (id),
    position        INTEGER NOT NULL,
    name            TEXT NOT NULL,
    category        TEXT NOT NULL,
    organisation_id TEXT NULL REFERENCES gov_organisations (id),
    PRIMARY KEY (meeting_id, position)
);

CREATE TABLE gov_internal_rules (
    id                           TEXT NOT NULL PRIMARY KEY,
    instance_id                  TEXT NOT NULL REFERENCES gov_instances (id),
    version                      TEXT NOT NULL,
    adopted_by_cdpd_on           TEXT NOT NULL,
    cdpd_deliberation_reference  TEXT NOT NULL,
    in_force_from                TEXT NOT NULL,
    text                         TEXT NOT NULL,
    recorded_by_organisation_id  TEXT NOT NULL REFERENCES gov_organisations (id),
    recorded_at                  TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_gov_internal_rules_version ON gov_internal_rules (instance_id, version);
CREATE INDEX ix_gov_internal_rules_in_force ON gov_internal_rules (instance_id, in_force_from);

CREATE TABLE gov_rule_acknowledgements (
    internal_rules_id TEXT NOT NULL REFERENCES gov_internal_rules (id),
    organisation_id   TEXT NOT NULL REFERENCES gov_organisations (id),
    acknowledged_at   TEXT NOT NULL,
    PRIMARY KEY (internal_rules_id, organisation_id)
);
