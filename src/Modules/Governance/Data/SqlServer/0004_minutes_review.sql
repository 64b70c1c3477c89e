-- CONF-2 applies to minutes (version 2): held minutes are read by the co-chairs only until a procureur releases them.
ALTER TABLE gov_meetings ADD
    minutes_status                      NVARCHAR(30) NULL,
    minutes_holds                       NVARCHAR(MAX) NULL,
    minutes_reviewed_by_organisation_id UNIQUEIDENTIFIER NULL REFERENCES gov_organisations (id),
    minutes_reviewed_at                 DATETIMEOFFSET(3) NULL;
GO
UPDATE gov_meetings SET minutes_status = N'published' WHERE minutes IS NOT NULL;
