-- Multi-trip planning (issue 11): vans that come back to the depot to reload, and
-- parcels that reach the depot during the day on the line-haul from a city warehouse.

-- Trips a van may make in one day (depot -> villages -> depot counts as one). A van
-- with 1 never reloads; the planner lets it reload at most max_trips - 1 times.
ALTER TABLE vehicles ADD COLUMN max_trips integer NOT NULL DEFAULT 3 CHECK (max_trips BETWEEN 1 AND 10);

-- When the shipment reaches its depot: for a dispatched shipment the line-haul's
-- expected arrival (given at dispatch), for one at the depot the moment it arrived.
-- Route planning releases a shipment at this time: the trip that carries it cannot
-- leave the depot earlier. NULL: not known (a dispatched shipment is then not planned
-- until it is at the depot).
ALTER TABLE shipments ADD COLUMN depot_arrival_at timestamptz;
CREATE INDEX shipments_depot_arrival_idx ON shipments (depot_id, depot_arrival_at) WHERE status = 'dispatched';

-- The trips of a planned route, in order; each stop names its trip.
CREATE TABLE route_trips (
    route_id          bigint NOT NULL REFERENCES routes (id) ON DELETE CASCADE,
    seq               integer NOT NULL CHECK (seq > 0),
    start_at          timestamptz NOT NULL,
    end_at            timestamptz NOT NULL,
    start_load_grams  bigint NOT NULL CHECK (start_load_grams >= 0),
    distance_m        bigint NOT NULL CHECK (distance_m >= 0),
    PRIMARY KEY (route_id, seq),
    CHECK (start_at <= end_at)
);
ALTER TABLE route_stops ADD COLUMN trip integer NOT NULL DEFAULT 1 CHECK (trip > 0);
