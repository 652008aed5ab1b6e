-- Daily intake counters are hot rows: every order of a warehouse (or merchant) bumps
-- the same row and holds its lock until commit, so intake serialised per warehouse.
-- Each counter is now split into 16 shards; a transaction bumps the shard of its own
-- connection (pg_backend_pid() % 16), so concurrent intakes do not wait on each other,
-- and a quota check sums the shards. A quota can thereby be exceeded by at most the
-- orders in flight at that moment, which is acceptable for peak-season soft quotas.
ALTER TABLE warehouse_daily_load ADD COLUMN shard smallint NOT NULL DEFAULT 0 CHECK (shard BETWEEN 0 AND 15);
ALTER TABLE warehouse_daily_load DROP CONSTRAINT warehouse_daily_load_pkey;
ALTER TABLE warehouse_daily_load ADD PRIMARY KEY (warehouse_id, day, shard);
ALTER TABLE merchant_daily_load ADD COLUMN shard smallint NOT NULL DEFAULT 0 CHECK (shard BETWEEN 0 AND 15);
ALTER TABLE merchant_daily_load DROP CONSTRAINT merchant_daily_load_pkey;
ALTER TABLE merchant_daily_load ADD PRIMARY KEY (merchant_id, day, shard);
