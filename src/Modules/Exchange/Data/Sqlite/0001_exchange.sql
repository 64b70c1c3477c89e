-- Confidential exchanges between members of an instance (L132-10-1 II). Every row here passed the policy layer.

CREATE TABLE ex_exchanges (
    id                     TEXT NOT NULL PRIMARY KEY,
    instance_id            TEXT NOT NULL,
    sender_organisation_id TEXT NOT NULL,
    subject                TEXT NOT NULL,
    body                   TEXT NOT NULL,
    forwarded_from_id      TEXT NULL REFERENCES ex_exchanges (id),
    sent_at                TEXT NOT NULL
);
CREATE INDEX ix_ex_exchanges_instance ON ex_exchanges (instance_id, id);
CREATE INDEX ix_ex_exchanges_sender ON ex_exchanges (sender_organisation_id, id);

CREATE TABLE ex_recipients (
    exchange_id     TEXT NOT NULL REFERENCES ex_exchanges (id),
    organisation_id TEXT NOT NULL,
    PRIMARY KEY (exchange_id, organisation_id)
);
CREATE INDEX ix_ex_recipients_organisation ON ex_recipients (organisation_id, exchange_id);

CREATE TABLE ex_attachments (
    id            TEXT NOT NULL PRIMARY KEY,
    exchange_id   TEXT NOT NULL REFERENCES ex_exchanges (id),
    position      INTEGER NOT NULL,
    file_name     TEXT NOT NULL,
    media_type    TEXT NOT NULL,
    document_kind TEXT NOT NULL,
    size_bytes    INTEGER NOT NULL,
    sha256        TEXT NOT NULL,
    content       BLOB NOT NULL
);
CREATE INDEX ix_ex_attachments_exchange ON ex_attachments (exchange_id, position);
