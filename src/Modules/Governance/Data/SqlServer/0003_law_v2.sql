-- Version 2 of the rules (docs/domain.md, "What version 2 changed, and why"); the SQLite script says what each
-- step keeps and what the corrected law no longer allows.

-- COMP-2: the forces that intervene in the ZSP; a CCOFSI created before keeps expecting all three.
ALTER TABLE gov_instances ADD zsp_forces NVARCHAR(200) NULL;
GO
UPDATE gov_instances SET zsp_forces = N'police-nationale gendarmerie-nationale douanes' WHERE kind = N'ccofsi';

-- COMP-4: participants of an EMS's steering meetings, who are not members.
CREATE TABLE gov_instance_participants (
    id              UNIQUEIDENTIFIER NOT NULL PRIMARY KEY NONCLUSTERED,
    instance_id     UNIQUEIDENTIFIER NOT NULL REFERENCES gov_instances (id),
    organisation_id UNIQUEIDENTIFIER NOT NULL REFERENCES gov_organisations (id),
    joined_at       DATETIMEOFFSET(3) NOT NULL,
    removed_at      DATETIMEOFFSET(3) NULL
);
CREATE UNIQUE INDEX ux_gov_instance_participants_current ON gov_instance_participants (instance_id, organisation_id) WHERE removed_at IS NULL;
CREATE INDEX ix_gov_instance_participants_organisation ON gov_instance_participants (organisation_id, instance_id);

-- COMP-1: the other current members of an EMS become participants; their membership ends now.
INSERT INTO gov_instance_participants (id, instance_id, organisation_id, joined_at, removed_at)
SELECT m.id, m.instance_id, m.organisation_id, m.joined_at, NULL
FROM gov_instance_members m JOIN gov_instances i ON i.id = m.instance_id
WHERE i.kind = N'ems' AND m.role = N'member' AND m.removed_at IS NULL;
UPDATE gov_instance_members SET removed_at = SYSDATETIMEOFFSET()
WHERE role = N'member' AND removed_at IS NULL AND instance_id IN (SELECT id FROM gov_instances WHERE kind = N'ems');

-- COMP-3: joint proposals belong to a CCOFSI only; an EMS's are deleted. A proposal carries a scope and an end date.
DELETE FROM gov_association_proposals WHERE instance_id IN (SELECT id FROM gov_instances WHERE kind = N'ems');
ALTER TABLE gov_association_proposals ADD scope NVARCHAR(500) NULL, until_on DATE NULL;

-- CONF-3: the règlement intérieur is the CDPD's, per département; an instance's own becomes one covering it only.
ALTER TABLE gov_internal_rules ADD
    departement                 NVARCHAR(3) NULL,
    proposed_by                 NVARCHAR(300) NULL,
    repealed_on                 DATE NULL,
    covers_all_instances        BIT NOT NULL CONSTRAINT df_gov_internal_rules_covers DEFAULT 0,
    migrated_from_instance_id   UNIQUEIDENTIFIER NULL,
    repealed_by_organisation_id UNIQUEIDENTIFIER NULL REFERENCES gov_organisations (id),
    repealed_at                 DATETIMEOFFSET(3) NULL;
ALTER TABLE gov_rule_acknowledgements ADD instance_id UNIQUEIDENTIFIER NULL;
GO
UPDATE gov_internal_rules SET migrated_from_instance_id = instance_id,
    departement = (SELECT i.departement FROM gov_instances i WHERE i.id = gov_internal_rules.instance_id);

CREATE TABLE gov_internal_rules_instances (
    internal_rules_id UNIQUEIDENTIFIER NOT NULL REFERENCES gov_internal_rules (id),
    instance_id       UNIQUEIDENTIFIER NOT NULL REFERENCES gov_instances (id),
    PRIMARY KEY (internal_rules_id, instance_id)
);
INSERT INTO gov_internal_rules_instances (internal_rules_id, instance_id) SELECT id, instance_id FROM gov_internal_rules;

UPDATE gov_rule_acknowledgements
SET instance_id = (SELECT r.instance_id FROM gov_internal_rules r WHERE r.id = gov_rule_acknowledgements.internal_rules_id);

DROP INDEX ux_gov_internal_rules_version ON gov_internal_rules;
DROP INDEX ix_gov_internal_rules_in_force ON gov_internal_rules;
DECLARE @fk SYSNAME = (SELECT name FROM sys.foreign_keys WHERE parent_object_id = OBJECT_ID(N'gov_internal_rules')
    AND referenced_object_id = OBJECT_ID(N'gov_instances'));
IF @fk IS NOT NULL EXEC (N'ALTER TABLE gov_internal_rules DROP CONSTRAINT ' + @fk);
ALTER TABLE gov_internal_rules DROP COLUMN instance_id;
ALTER TABLE gov_internal_rules ALTER COLUMN departement NVARCHAR(3) NOT NULL;

DECLARE @pk SYSNAME = (SELECT name FROM sys.key_constraints WHERE parent_object_id = OBJECT_ID(N'gov_rule_acknowledgements') AND type = 'PK');
EXEC (N'ALTER TABLE gov_rule_acknowledgements DROP CONSTRAINT ' + @pk);
ALTER TABLE gov_rule_acknowledgements ALTER COLUMN instance_id UNIQUEIDENTIFIER NOT NULL;
ALTER TABLE gov_rule_acknowledgements ADD CONSTRAINT pk_gov_rule_acknowledgements PRIMARY KEY (internal_rules_id, instance_id, organisation_id);
ALTER TABLE gov_rule_acknowledgements ADD CONSTRAINT fk_gov_rule_acknowledgements_instance FOREIGN KEY (instance_id) REFERENCES gov_instances (id);

CREATE UNIQUE INDEX ux_gov_internal_rules_version ON gov_internal_rules (departement, version) WHERE migrated_from_instance_id IS NULL;
CREATE INDEX ix_gov_internal_rules_in_force ON gov_internal_rules (departement, in_force_from);
CREATE INDEX ix_gov_rule_acknowledgements_instance ON gov_rule_acknowledgements (instance_id, acknowledged_at);
