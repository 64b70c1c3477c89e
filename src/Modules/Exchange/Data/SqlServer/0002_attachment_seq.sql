-- Attachments stream from the database without being loaded into memory: the statement that reads one selects
-- `seq` then the content (SQLite needs a rowid alias to stream a BLOB; SQL Server reads the columns in order).
ALTER TABLE ex_attachments ADD seq BIGINT IDENTITY(1, 1) NOT NULL;
