-- Version 2 of the rules: held exchanges and their review (CONF-2), erased exchanges as tombstones (DATA-2); the
-- SQLite script says more.
ALTER TABLE ex_exchanges ADD
    status                      NVARCHAR(30) NOT NULL CONSTRAINT df_ex_exchanges_status DEFAULT N'delivered',
    hold_reasons                NVARCHAR(MAX) NULL,
    reviewed_by_organisation_id UNIQUEIDENTIFIER NULL,
    reviewed_at                 DATETIMEOFFSET(3) NULL,
    rejection_reason            NVARCHAR(1000) NULL,
    erased_at                   DATETIMEOFFSET(3) NULL;
GO
CREATE INDEX ix_ex_exchanges_review ON ex_exchanges (instance_id, status, sent_at);
CREATE INDEX ix_ex_exchanges_retention ON ex_exchanges (sent_at) WHERE erased_at IS NULL;
