-- Version 2 of the rules (docs/domain.md, "What version 2 changed, and why"). Nothing is lost but what the
-- corrected law no longer allows, as said below each step.

-- COMP-2: the forces that intervene in the ZSP, declared when the CCOFSI is created. A CCOFSI created before
-- expected all three, so it keeps expecting all three.
ALTER TABLE gov_instances ADD COLUMN zsp_forces TEXT NULL;
UPDATE gov_instances SET zsp_forces = 'police-nationale gendarmerie-nationale douanes' WHERE kind = 'ccofsi';

-- COMP-4: the participants of an EMS's steering meetings. They are not members: no confidential information
-- reaches them (CONF-1).
CREATE TABLE gov_instance_participants (
    id              TEXT NOT NULL PRIMARY KEY,
    instance_id     TEXT NOT NULL REFERENCES gov_instances (id),
    organisation_id TEXT NOT NULL REFERENCES gov_organisations (id),
    joined_at       TEXT NOT NULL,
    removed_at      TEXT NULL
);
CREATE UNIQUE INDEX ux_gov_instance_participants_current ON gov_instance_participants (instance_id, organisation_id) WHERE removed_at IS NULL;
CREATE INDEX ix_gov_instance_participants_organisation ON gov_instance_participants (organisation_id, instance_id);

-- COMP-1: an EMS is the préfet and the procureur(s), nobody else. Every other current member of an EMS takes
-- part in its steering meetings from now on as a participant, and its membership ends now (the row stays, with
-- its dates: from this instant CONF-1 treats it as a third party, also for what it received before).
INSERT INTO gov_instance_participants (id, instance_id, organisation_id, joined_at, removed_at)
SELECT m.id, m.instance_id, m.organisation_id, m.joined_at, NULL
FROM gov_instance_members m JOIN gov_instances i ON i.id = m.instance_id
WHERE i.kind = 'ems' AND m.role = 'member' AND m.removed_at IS NULL;
UPDATE gov_instance_members SET removed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
WHERE role = 'member' AND removed_at IS NULL AND instance_id IN (SELECT id FROM gov_instances WHERE kind = 'ems');

-- COMP-3: joint proposals are a CCOFSI's only route. The proposals made in an EMS are deleted: one awaiting its
-- co-signature can no longer be accepted, and the organisation an accepted one associated is a participant now
-- (above). Their creation and decision stay in the access log. A proposal now carries a scope and an end date.
DELETE FROM gov_association_proposals WHERE instance_id IN (SELECT id FROM gov_instances WHERE kind = 'ems');
ALTER TABLE gov_association_proposals ADD COLUMN scope TEXT NULL;
ALTER TABLE gov_association_proposals ADD COLUMN until_on TEXT NULL;

-- CONF-3: the règlement intérieur is the CDPD's, one per département, covering every instance of the
-- département (covers_all_instances = 1) or the ones listed. An instance's own règlement recorded before becomes
-- a règlement of its département covering that instance only (migrated_from_instance_id), with its text, dates,
-- and acknowledgements, which are now given per instance. SQLite rebuilds the tables to change their keys.
CREATE TABLE gov_internal_rules_new (
    id                          TEXT NOT NULL PRIMARY KEY,
    departement                 TEXT NOT NULL,
    version                     TEXT NOT NULL,
    adopted_by_cdpd_on          TEXT NOT NULL,
    cdpd_deliberation_reference TEXT NOT NULL,
    proposed_by                 TEXT NULL,
    in_force_from               TEXT NOT NULL,
    repealed_on                 TEXT NULL,
    covers_all_instances        INTEGER NOT NULL,
    text                        TEXT NOT NULL,
    migrated_from_instance_id   TEXT NULL,
    recorded_by_organisation_id TEXT NOT NULL REFERENCES gov_organisations (id),
    recorded_at                 TEXT NOT NULL,
    repealed_by_organisation_id TEXT NULL REFERENCES gov_organisations (id),
    repealed_at                 TEXT NULL
);
INSERT INTO gov_internal_rules_new (id, departement, version, adopted_by_cdpd_on, cdpd_deliberation_reference, proposed_by, in_force_from,
    repealed_on, covers_all_instances, text, migrated_from_instance_id, recorded_by_organisation_id, recorded_at)
SELECT r.id, i.departement, r.version, r.adopted_by_cdpd_on, r.cdpd_deliberation_reference, NULL, r.in_force_from,
    NULL, 0, r.text, r.instance_id, r.recorded_by_organisation_id, r.recorded_at
FROM gov_internal_rules r JOIN gov_instances i ON i.id = r.instance_id;

CREATE TABLE gov_internal_rules_instances (
    internal_rules_id TEXT NOT NULL REFERENCES gov_internal_rules_new (id),
    instance_id       TEXT NOT NULL REFERENCES gov_instances (id),
    PRIMARY KEY (internal_rules_id, instance_id)
);
INSERT INTO gov_internal_rules_instances (internal_rules_id, instance_id) SELECT id, instance_id FROM gov_internal_rules;

CREATE TABLE gov_rule_acknowledgements_new (
    internal_rules_id TEXT NOT NULL REFERENCES gov_internal_rules_new (id),
    instance_id       TEXT NOT NULL REFERENCES gov_instances (id),
    organisation_id   TEXT NOT NULL REFERENCES gov_organisations (id),
    acknowledged_at   TEXT NOT NULL,
    PRIMARY KEY (internal_rules_id, instance_id, organisation_id)
);
INSERT INTO gov_rule_acknowledgements_new (internal_rules_id, instance_id, organisation_id, acknowledged_at)
SELECT a.internal_rules_id, r.instance_id, a.organisation_id, a.acknowledged_at
FROM gov_rule_acknowledgements a JOIN gov_internal_rules r ON r.id = a.internal_rules_id;

DROP TABLE gov_rule_acknowledgements;
DROP TABLE gov_internal_rules;
ALTER TABLE gov_internal_rules_new RENAME TO gov_internal_rules;
ALTER TABLE gov_rule_acknowledgements_new RENAME TO gov_rule_acknowledgements;
-- One version number per département for what the CDPD adopts; migrated ones keep theirs (two instances of a
-- département could both have had a "1").
CREATE UNIQUE INDEX ux_gov_internal_rules_version ON gov_internal_rules (departement, version) WHERE migrated_from_instance_id IS NULL;
CREATE INDEX ix_gov_internal_rules_in_force ON gov_internal_rules (departement, in_force_from);
CREATE INDEX ix_gov_rule_acknowledgements_instance ON gov_rule_acknowledgements (instance_id, acknowledged_at);
