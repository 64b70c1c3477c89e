-- Confidential exchanges between members of an instance (L132-10-1 II). Every row here passed the policy layer.

CREATE TABLE ex_exchanges (
    id                     UNIQUEIDENTIFIER NOT NULL PRIMARY KEY NONCLUSTERED,
    instance_id            UNIQUEIDENTIFIER NOT NULL,
    sender_organisation_id UNIQUEIDENTIFIER NOT NULL,
    subject                NVARCHAR(200) NOT NULL,
    body                   NVARCHAR(MAX) NOT NULL,
    forwarded_from_id      UNIQUEIDENTIFIER NULL REFERENCES ex_exchanges (id),
    sent_at                DATETIMEOFFSET(3) NOT NULL
);
CREATE INDEX ix_ex_exchanges_instance ON ex_exchanges (instance_id, id);
CREATE INDEX ix_ex_exchanges_sender ON ex_exchanges (sender_organisation_id, id);

CREATE TABLE ex_recipients (
    exchange_id     UNIQUEIDENTIFIER NOT NULL REFERENCES ex_exchanges (id),
    organisation_id UNIQUEIDENTIFIER NOT NULL,
    PRIMARY KEY (exchange_id, organisation_id)
);
CREATE INDEX ix_ex_recipients_organisation ON ex_recipients (organisation_id, exchange_id);

CREATE TABLE ex_attachments (
    id            UNIQUEIDENTIFIER NOT NULL PRIMARY KEY NONCLUSTERED,
    exchange_id   UNIQUEIDENTIFIER NOT NULL REFERENCES ex_exchanges (id),
    position      INT NOT NULL,
    file_name     NVARCHAR(255) NOT NULL,
    media_type    NVARCHAR(50) NOT NULL,
    document_kind NVARCHAR(40) NOT NULL,
    size_bytes    BIGINT NOT NULL,
    sha256        CHAR(64) NOT NULL,
    content       VARBINARY(MAX) NOT NULL
);
CREATE INDEX ix_ex_attachments_exchange ON ex_attachments (exchange_id, position);
