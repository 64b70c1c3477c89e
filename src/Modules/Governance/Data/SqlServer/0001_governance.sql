-- Governance: organisations, API clients, instances (EMS, CCOFSI) and their members.

CREATE TABLE gov_organisations (
    id            UNIQUEIDENTIFIER NOT NULL PRIMARY KEY NONCLUSTERED,
    code          NVARCHAR(64)  NOT NULL,
    name          NVARCHAR(200) NOT NULL,
    kind          NVARCHAR(40)  NOT NULL,
    departement   NVARCHAR(3)   NULL,
    commune_insee NVARCHAR(5)   NULL,
    created_at    DATETIMEOFFSET(3) NOT NULL
);
CREATE UNIQUE INDEX ux_gov_organisations_code ON gov_organisations (code);
CREATE INDEX ix_gov_organisations_kind ON gov_organisations (kind, code);
CREATE INDEX ix_gov_organisations_departement ON gov_organisations (departement, code);

CREATE TABLE gov_clients (
    client_id       NVARCHAR(64)  NOT NULL PRIMARY KEY,
    organisation_id UNIQUEIDENTIFIER NOT NULL REFERENCES gov_organisations (id),
    display_name    NVARCHAR(200) NOT NULL,
    secret_hash     NVARCHAR(200) NOT NULL,
    scopes          NVARCHAR(200) NOT NULL,
    enabled         BIT NOT NULL,
    created_at      DATETIMEOFFSET(3) NOT NULL,
    disabled_at     DATETIMEOFFSET(3) NULL
);
CREATE INDEX ix_gov_clients_organisation ON gov_clients (organisation_id);

CREATE TABLE gov_instances (
    id                        UNIQUEIDENTIFIER NOT NULL PRIMARY KEY NONCLUSTERED,
    kind                      NVARCHAR(10)  NOT NULL,
    departement               NVARCHAR(3)   NOT NULL,
    name                      NVARCHAR(200) NOT NULL,
    prefet_organisation_id    UNIQUEIDENTIFIER NOT NULL REFERENCES gov_organisations (id),
    procureur_organisation_id UNIQUEIDENTIFIER NOT NULL REFERENCES gov_organisations (id),
    zsp_name                  NVARCHAR(200) NULL,
    created_at                DATETIMEOFFSET(3) NOT NULL
);
CREATE UNIQUE INDEX ux_gov_instances_one_ems ON gov_instances (departement) WHERE kind = N'ems';
CREATE UNIQUE INDEX ux_gov_instances_one_ccofsi_per_zsp ON gov_instances (departement, zsp_name) WHERE kind = N'ccofsi';

CREATE TABLE gov_zsp_communes (
    instance_id   UNIQUEIDENTIFIER NOT NULL REFERENCES gov_instances (id),
    commune_insee NVARCHAR(5) NOT NULL,
    PRIMARY KEY (instance_id, commune_insee)
);

CREATE TABLE gov_instance_members (
    id              UNIQUEIDENTIFIER NOT NULL PRIMARY KEY NONCLUSTERED,
    instance_id     UNIQUEIDENTIFIER NOT NULL REFERENCES gov_instances (id),
    organisation_id UNIQUEIDENTIFIER NOT NULL REFERENCES gov_organisations (id),
    role            NVARCHAR(10) NOT NULL,
    joined_at       DATETIMEOFFSET(3) NOT NULL,
    removed_at      DATETIMEOFFSET(3) NULL
);
CREATE UNIQUE INDEX ux_gov_instance_members_current ON gov_instance_members (instance_id, organisation_id) WHERE removed_at IS NULL;
CREATE INDEX ix_gov_instance_members_organisation ON gov_instance_members (organisation_id, instance_id);
