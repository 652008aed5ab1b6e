-- Loading time at the depot: how long the depot crew takes to load a van before each
-- trip (the first of the day and every reload). Route planning adds it to every trip's
-- departure from the depot, as PyVRP's depot service duration does: a trip that
-- carries line-haul parcels starts loading when they arrive. 0 keeps the old
-- behaviour (a van leaves, and reloads, at once); four hours is more than any shift
-- would spend loading.
ALTER TABLE depots ADD COLUMN loading_minutes integer NOT NULL DEFAULT 0 CHECK (loading_minutes BETWEEN 0 AND 240);
