-- An exchange may be about a designated person: its circle (the co-chairs and the assigned services) is then the only audience (CONF-1).

ALTER TABLE ex_exchanges ADD COLUMN designation_id TEXT NULL;
