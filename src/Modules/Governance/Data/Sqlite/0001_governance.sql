-- Governance: organisations, API clients, instances (EMS, CCOFSI) and their members.
-- Ids are GUIDs stored as lower-case text; instants as UTC ISO-8601 text (they sort like the value).

CREATE TABLE gov_organisations (
    id            TEXT NOT NULL PRIMARY KEY,
    code          TEXT NOT NULL,
    name          TEXT NOT NULL,
    kind          TEXT NOT NULL,
    departement   TEXT NULL,
    commune_insee TEXT NULL,
    created_at    TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_gov_organisations_code ON gov_organisations (code);
CREATE INDEX ix_gov_organisations_kind ON gov_organisations (kind, code);
CREATE INDEX ix_gov_organisations_departement ON gov_organisations (departement, code);

CREATE TABLE gov_clients (
    client_id       TEXT NOT NULL PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES gov_organisations (id),
    display_name    TEXT NOT NULL,
    secret_hash     TEXT NOT NULL,
    scopes          TEXT NOT NULL,
    enabled         INTEGER NOT NULL,
    created_at      TEXT NOT NULL,
    disabled_at     TEXT NULL
);
CREATE INDEX ix_gov_clients_organisation ON gov_clients (organisation_id);

CREATE TABLE gov_instances (
    id                        TEXT NOT NULL PRIMARY KEY,
    kind                      TEXT NOT NULL,
    departement               TEXT NOT NULL,
    name                      TEXT NOT NULL,
    prefet_organisation_id    TEXT NOT NULL REFERENCES gov_organisations (id),
    procureur_organisation_id TEXT NOT NULL REFERENCES gov_organisations (id),
    zsp_name                  TEXT NULL,
    created_at                TEXT NOT NULL
);
-- COMP-1: one EMS per département; one CCOFSI per ZSP.
CREATE UNIQUE INDEX ux_gov_instances_one_ems ON gov_instances (departement) WHERE kind = 'ems';
CREATE UNIQUE INDEX ux_gov_instances_one_ccofsi_per_zsp ON gov_instances (departement, zsp_name) WHERE kind = 'ccofsi';

CREATE TABLE gov_zsp_communes (
    instance_id   TEXT NOT NULL REFERENCES gov_instances (id),
    commune_insee TEXT NOT NULL,
    PRIMARY KEY (instance_id, commune_insee)
);

-- A removal keeps the row (removed_at): from that instant the organisation is a third party (CONF-1).
CREATE TABLE gov_instance_members (
    id              TEXT NOT NULL PRIMARY KEY,
    instance_id     TEXT NOT NULL REFERENCES gov_instances (id),
    organisation_id TEXT NOT NULL REFERENCES gov_organisations (id),
    role            TEXT NOT NULL,
    joined_at       TEXT NOT NULL,
    removed_at      TEXT NULL
);
CREATE UNIQUE INDEX ux_gov_instance_members_current ON gov_instance_members (instance_id, organisation_id) WHERE removed_at IS NULL;
CREATE INDEX ix_gov_instance_members_organisation ON gov_instance_members (organisation_id, instance_id);
