-- One current assignment per organisation and designation (DES-5): two concurrent assignments cannot both succeed.

CREATE UNIQUE INDEX ux_fu_assignments_current ON fu_assignments (designation_id, organisation_id) WHERE removed_at IS NULL;
