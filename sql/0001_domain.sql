-- RuralPost domain schema. Money is integer fen, weight integer grams, volume integer
-- cm3. Codes are the business keys users type; ids are surrogate keys.
-- Never edit this file once applied anywhere: add a new numbered migration instead.

-- Regions: county > township > village.
CREATE TABLE regions (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code        text NOT NULL UNIQUE CHECK (code <> ''),
    name        text NOT NULL CHECK (name <> ''),
    level       text NOT NULL CHECK (level IN ('county', 'township', 'village')),
    parent_id   bigint REFERENCES regions (id),
    lat         double precision CHECK (lat BETWEEN -90 AND 90),
    lon         double precision CHECK (lon BETWEEN -180 AND 180),
    CHECK ((level = 'county') = (parent_id IS NULL))
);
CREATE INDEX regions_parent_idx ON regions (parent_id);

CREATE TABLE merchants (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code              text NOT NULL UNIQUE CHECK (code <> ''),
    name              text NOT NULL CHECK (name <> ''),
    -- Peak-season intake quota (orders per day); NULL means no quota.
    daily_quota       integer CHECK (daily_quota > 0),
    -- Beyond quota: accept without a promised date, or refuse.
    over_quota_policy text NOT NULL DEFAULT 'accept_unpromised'
                      CHECK (over_quota_policy IN ('accept_unpromised', 'refuse')),
    webhook_url       text,
    webhook_secret    text,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE warehouses (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code            text NOT NULL UNIQUE CHECK (code <> ''),
    name            text NOT NULL CHECK (name <> ''),
    kind            text NOT NULL CHECK (kind IN ('central', 'regional', 'micro')),
    lat             double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
    lon             double precision NOT NULL CHECK (lon BETWEEN -180 AND 180),
    region_id       bigint REFERENCES regions (id),
    cold_chain      boolean NOT NULL DEFAULT false,
    -- Orders the warehouse can pick and ship per day (peak-season capacity).
    daily_capacity  integer NOT NULL CHECK (daily_capacity > 0),
    -- Orders accepted after the cutoff ship the next day.
    cutoff_time     time NOT NULL DEFAULT '16:00',
    active          boolean NOT NULL DEFAULT true,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE skus (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code         text NOT NULL UNIQUE CHECK (code <> ''),
    merchant_id  bigint NOT NULL REFERENCES merchants (id),
    name         text NOT NULL CHECK (name <> ''),
    grams        bigint NOT NULL CHECK (grams > 0),
    cm3          bigint NOT NULL CHECK (cm3 > 0),
    category     text NOT NULL CHECK (category IN ('general', 'fresh', 'frozen', 'fragile')),
    cold_chain   boolean NOT NULL DEFAULT false,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    -- Frozen goods cannot travel outside the cold chain.
    CHECK (category <> 'frozen' OR cold_chain)
);
CREATE INDEX skus_merchant_idx ON skus (merchant_id);

-- Stock levels. `reserved` units are promised to live shipments and not yet shipped.
CREATE TABLE inventory (
    warehouse_id  bigint NOT NULL REFERENCES warehouses (id),
    sku_id        bigint NOT NULL REFERENCES skus (id),
    on_hand       bigint NOT NULL DEFAULT 0,
    reserved      bigint NOT NULL DEFAULT 0,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (warehouse_id, sku_id),
    CHECK (0 <= reserved AND reserved <= on_hand)
);
CREATE INDEX inventory_sku_idx ON inventory (sku_id);

-- Append-only ledger: every change to inventory is one row here, so
-- sum(delta_on_hand) = on_hand and sum(delta_reserved) = reserved per (warehouse, sku).
CREATE TABLE inventory_movements (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    warehouse_id    bigint NOT NULL,
    sku_id          bigint NOT NULL,
    kind            text NOT NULL CHECK (kind IN ('receive', 'adjust', 'reserve', 'release', 'ship', 'return', 'import')),
    delta_on_hand   bigint NOT NULL,
    delta_reserved  bigint NOT NULL,
    reason          text NOT NULL CHECK (reason <> ''),
    order_id        bigint,
    shipment_id     bigint,
    api_key_id      bigint,
    created_at      timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (warehouse_id, sku_id) REFERENCES inventory (warehouse_id, sku_id),
    CHECK (delta_on_hand <> 0 OR delta_reserved <> 0)
);
CREATE INDEX inventory_movements_stock_idx ON inventory_movements (warehouse_id, sku_id);

CREATE FUNCTION forbid_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation';
END $$;
CREATE TRIGGER inventory_movements_append_only
    BEFORE UPDATE OR DELETE ON inventory_movements
    FOR EACH ROW EXECUTE FUNCTION forbid_change();

CREATE TABLE depots (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code        text NOT NULL UNIQUE CHECK (code <> ''),
    name        text NOT NULL CHECK (name <> ''),
    lat         double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
    lon         double precision NOT NULL CHECK (lon BETWEEN -180 AND 180),
    region_id   bigint REFERENCES regions (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE vehicles (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code             text NOT NULL UNIQUE CHECK (code <> ''),
    depot_id         bigint NOT NULL REFERENCES depots (id),
    kind             text NOT NULL CHECK (kind <> ''),
    capacity_grams   bigint NOT NULL CHECK (capacity_grams > 0),
    capacity_cm3     bigint NOT NULL CHECK (capacity_cm3 > 0),
    shift_start      time NOT NULL,
    shift_end        time NOT NULL,
    fixed_cost_fen   bigint NOT NULL DEFAULT 0 CHECK (fixed_cost_fen >= 0),
    per_km_fen       bigint NOT NULL DEFAULT 0 CHECK (per_km_fen >= 0),
    refrigerated     boolean NOT NULL DEFAULT false,
    active           boolean NOT NULL DEFAULT true,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CHECK (shift_start < shift_end)
);
CREATE INDEX vehicles_depot_idx ON vehicles (depot_id);

CREATE TABLE service_centres (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code            text NOT NULL UNIQUE CHECK (code <> ''),
    name            text NOT NULL CHECK (name <> ''),
    region_id       bigint REFERENCES regions (id),
    phone           text,
    webhook_url     text,
    webhook_secret  text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE pickup_points (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code               text NOT NULL UNIQUE CHECK (code <> ''),
    name               text NOT NULL CHECK (name <> ''),
    kind               text NOT NULL CHECK (kind IN ('post_outlet', 'village_station', 'partner_shop', 'locker')),
    lat                double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
    lon                double precision NOT NULL CHECK (lon BETWEEN -180 AND 180),
    region_id          bigint REFERENCES regions (id),
    service_centre_id  bigint NOT NULL REFERENCES service_centres (id),
    -- The depot whose routes serve this point.
    depot_id           bigint REFERENCES depots (id),
    -- Weekly opening hours: {"mon": [["08:00","12:00"],["14:00","18:00"]], ...}.
    opening_hours      jsonb NOT NULL CHECK (jsonb_typeof(opening_hours) = 'object'),
    slot_capacity      integer NOT NULL CHECK (slot_capacity > 0),
    hold_days          integer NOT NULL CHECK (hold_days BETWEEN 1 AND 30),
    extension_days     integer NOT NULL DEFAULT 3 CHECK (extension_days BETWEEN 0 AND 30),
    active             boolean NOT NULL DEFAULT true,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX pickup_points_centre_idx ON pickup_points (service_centre_id);
CREATE INDEX pickup_points_depot_idx ON pickup_points (depot_id);

CREATE TABLE tariffs (
    id                     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code                   text NOT NULL UNIQUE CHECK (code <> ''),
    name                   text NOT NULL CHECK (name <> ''),
    handling_fen           bigint NOT NULL CHECK (handling_fen >= 0),
    parcel_max_grams       bigint NOT NULL CHECK (parcel_max_grams > 0),
    heavy_threshold_grams  bigint CHECK (heavy_threshold_grams > 0),
    -- The tariff order intake prices with; at most one is the default.
    is_default             boolean NOT NULL DEFAULT false,
    created_at             timestamptz NOT NULL DEFAULT now(),
    updated_at             timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX tariffs_one_default ON tariffs (is_default) WHERE is_default;

CREATE TABLE tariff_zones (
    tariff_id          bigint NOT NULL REFERENCES tariffs (id) ON DELETE CASCADE,
    zone_no            integer NOT NULL CHECK (zone_no >= 0),
    max_km             double precision NOT NULL CHECK (max_km >= 0),
    first_kg_fen       bigint NOT NULL CHECK (first_kg_fen >= 0),
    additional_kg_fen  bigint NOT NULL CHECK (additional_kg_fen >= 0),
    PRIMARY KEY (tariff_id, zone_no),
    UNIQUE (tariff_id, max_km)
);

-- API keys: only a SHA-256 of the secret is stored; `prefix` identifies a key in logs.
CREATE TABLE api_keys (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    prefix      text NOT NULL UNIQUE,
    key_hash    bytea NOT NULL UNIQUE CHECK (length(key_hash) = 32),
    role        text NOT NULL CHECK (role IN ('admin', 'operator', 'service_centre', 'planner')),
    name        text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz
);

-- Objects a key may touch. A non-admin key with no rows of a kind is unrestricted
-- for that kind.
CREATE TABLE api_key_scopes (
    api_key_id  bigint NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
    kind        text NOT NULL CHECK (kind IN ('warehouse', 'pickup_point', 'depot', 'service_centre', 'merchant')),
    object_id   bigint NOT NULL,
    PRIMARY KEY (api_key_id, kind, object_id)
);

CREATE TABLE orders (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    merchant_id       bigint NOT NULL REFERENCES merchants (id),
    external_ref      text,
    channel           text NOT NULL CHECK (channel IN ('online', 'phone', 'counter')),
    recipient_name    text NOT NULL CHECK (recipient_name <> ''),
    recipient_phone   text NOT NULL CHECK (recipient_phone ~ '^[0-9+][0-9 -]{5,19}$'),
    delivery_mode     text NOT NULL CHECK (delivery_mode IN ('pickup', 'home')),
    pickup_point_id   bigint REFERENCES pickup_points (id),
    address           text,
    lat               double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
    lon               double precision NOT NULL CHECK (lon BETWEEN -180 AND 180),
    priority          integer NOT NULL DEFAULT 0,
    status            text NOT NULL CHECK (status IN ('accepted', 'partially_filled', 'backordered', 'cancelled', 'completed')),
    -- Within quota the order gets a promised date; beyond it, NULL.
    promised_date     date,
    quota_status      text NOT NULL DEFAULT 'within_quota'
                      CHECK (quota_status IN ('within_quota', 'over_quota')),
    cost_fen          bigint NOT NULL CHECK (cost_fen >= 0),
    -- Why each warehouse was chosen, in words (from the splitting engine).
    explain           jsonb NOT NULL DEFAULT '[]',
    api_key_id        bigint REFERENCES api_keys (id),
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CHECK ((delivery_mode = 'pickup') = (pickup_point_id IS NOT NULL)),
    CHECK (delivery_mode <> 'home' OR (address IS NOT NULL AND address <> ''))
);
CREATE INDEX orders_merchant_created_idx ON orders (merchant_id, created_at);
CREATE INDEX orders_status_idx ON orders (status);

CREATE TABLE order_lines (
    order_id       bigint NOT NULL REFERENCES orders (id),
    line_no        integer NOT NULL CHECK (line_no > 0),
    sku_id         bigint NOT NULL REFERENCES skus (id),
    qty            bigint NOT NULL CHECK (qty > 0),
    allocated_qty  bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (order_id, line_no),
    CHECK (0 <= allocated_qty AND allocated_qty <= qty)
);

-- A shipment is what one origin sends to one destination: outbound (warehouse to
-- recipient), return (pickup point back to warehouse), collection (produce handed in
-- at a point), or foreign (another carrier's parcel in shared distribution).
CREATE TABLE shipments (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tracking_no       text NOT NULL UNIQUE CHECK (tracking_no <> ''),
    kind              text NOT NULL DEFAULT 'outbound' CHECK (kind IN ('outbound', 'return', 'collection', 'foreign')),
    carrier           text NOT NULL DEFAULT 'ruralpost',
    order_id          bigint REFERENCES orders (id),
    warehouse_id      bigint REFERENCES warehouses (id),
    pickup_point_id   bigint REFERENCES pickup_points (id),
    depot_id          bigint REFERENCES depots (id),
    -- The shipment this one returns (for kind = 'return').
    returns_shipment_id bigint REFERENCES shipments (id),
    status            text NOT NULL CHECK (status IN (
                          'allocated', 'picked', 'packed', 'dispatched', 'at_depot', 'out_for_delivery',
                          'at_pickup_point', 'collected', 'delivered', 'returned', 'cancelled', 'return_received')),
    zone              integer,
    grams             bigint NOT NULL CHECK (grams >= 0),
    cm3               bigint NOT NULL DEFAULT 0 CHECK (cm3 >= 0),
    cost_fen          bigint NOT NULL DEFAULT 0 CHECK (cost_fen >= 0),
    cold_chain        boolean NOT NULL DEFAULT false,
    -- The day the shipment is due out of its depot (route planning input).
    due_date          date,
    promised_date     date,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CHECK (kind <> 'outbound' OR (order_id IS NOT NULL AND warehouse_id IS NOT NULL))
);
CREATE INDEX shipments_order_idx ON shipments (order_id);
CREATE INDEX shipments_depot_due_idx ON shipments (depot_id, due_date, status);
CREATE INDEX shipments_point_status_idx ON shipments (pickup_point_id, status);
CREATE INDEX shipments_warehouse_status_idx ON shipments (warehouse_id, status);

-- Units of each SKU a shipment carries; reserved stock is backed by these rows.
CREATE TABLE shipment_items (
    shipment_id  bigint NOT NULL REFERENCES shipments (id),
    sku_id       bigint NOT NULL REFERENCES skus (id),
    qty          bigint NOT NULL CHECK (qty > 0),
    PRIMARY KEY (shipment_id, sku_id)
);

CREATE TABLE parcels (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    shipment_id  bigint NOT NULL REFERENCES shipments (id),
    parcel_no    integer NOT NULL CHECK (parcel_no > 0),
    grams        bigint NOT NULL CHECK (grams > 0),
    cm3          bigint NOT NULL DEFAULT 0 CHECK (cm3 >= 0),
    cost_fen     bigint NOT NULL CHECK (cost_fen >= 0),
    items        jsonb NOT NULL DEFAULT '{}',
    UNIQUE (shipment_id, parcel_no)
);

CREATE TABLE shipment_events (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    shipment_id  bigint NOT NULL REFERENCES shipments (id),
    from_status  text,
    to_status    text NOT NULL,
    note         text,
    api_key_id   bigint,
    at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX shipment_events_shipment_idx ON shipment_events (shipment_id, at);

-- A parcel on a pickup point's shelf. Only a keyed hash of the pickup code is kept.
CREATE TABLE pickups (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    shipment_id         bigint NOT NULL UNIQUE REFERENCES shipments (id),
    pickup_point_id     bigint NOT NULL REFERENCES pickup_points (id),
    slot_no             integer NOT NULL CHECK (slot_no > 0),
    recipient_phone_last4 text NOT NULL CHECK (recipient_phone_last4 ~ '^[0-9]{4}$'),
    code_hash           bytea NOT NULL,
    status              text NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting', 'collected', 'returned')),
    failed_attempts     integer NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
    locked              boolean NOT NULL DEFAULT false,
    checked_in_at       timestamptz NOT NULL DEFAULT now(),
    hold_until          timestamptz NOT NULL,
    extended            boolean NOT NULL DEFAULT false,
    reminded            boolean NOT NULL DEFAULT false,
    collected_at        timestamptz,
    collected_by        text,
    returned_at         timestamptz
);
-- One parcel per slot while it waits.
CREATE UNIQUE INDEX pickups_slot_taken ON pickups (pickup_point_id, slot_no) WHERE status = 'waiting';
CREATE INDEX pickups_point_phone_idx ON pickups (pickup_point_id, recipient_phone_last4) WHERE status = 'waiting';
CREATE INDEX pickups_hold_idx ON pickups (hold_until) WHERE status = 'waiting';

-- Produce a centre registers to be collected from its point (揽收).
CREATE TABLE collection_requests (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    pickup_point_id  bigint NOT NULL REFERENCES pickup_points (id),
    merchant_id      bigint NOT NULL REFERENCES merchants (id),
    grams            bigint NOT NULL CHECK (grams > 0),
    cm3              bigint NOT NULL CHECK (cm3 > 0),
    destination      text NOT NULL CHECK (destination <> ''),
    ready_date       date NOT NULL,
    status           text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'planned', 'collected', 'cancelled')),
    shipment_id      bigint REFERENCES shipments (id),
    created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX collection_requests_point_date_idx ON collection_requests (pickup_point_id, ready_date, status);

CREATE TABLE route_plans (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    depot_id      bigint NOT NULL REFERENCES depots (id),
    plan_date     date NOT NULL,
    status        text NOT NULL CHECK (status IN ('queued', 'running', 'draft', 'committed', 'failed', 'superseded')),
    seed          bigint NOT NULL DEFAULT 1,
    time_limit_s  double precision NOT NULL DEFAULT 30 CHECK (time_limit_s > 0),
    claimed_by    text,
    cost_fen      bigint,
    distance_m    bigint,
    result        jsonb,
    error         text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    started_at    timestamptz,
    finished_at   timestamptz
);
CREATE INDEX route_plans_queue_idx ON route_plans (status, created_at);
CREATE INDEX route_plans_depot_date_idx ON route_plans (depot_id, plan_date);
-- At most one committed plan per depot and day.
CREATE UNIQUE INDEX route_plans_one_committed ON route_plans (depot_id, plan_date) WHERE status = 'committed';

CREATE TABLE routes (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    plan_id      bigint NOT NULL REFERENCES route_plans (id) ON DELETE CASCADE,
    vehicle_id   bigint NOT NULL REFERENCES vehicles (id),
    seq          integer NOT NULL CHECK (seq > 0),
    distance_m   bigint NOT NULL CHECK (distance_m >= 0),
    duration_s   bigint NOT NULL CHECK (duration_s >= 0),
    cost_fen     bigint NOT NULL CHECK (cost_fen >= 0),
    start_at     timestamptz NOT NULL,
    end_at       timestamptz NOT NULL,
    UNIQUE (plan_id, seq),
    UNIQUE (plan_id, vehicle_id)
);

CREATE TABLE route_stops (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    route_id          bigint NOT NULL REFERENCES routes (id) ON DELETE CASCADE,
    seq               integer NOT NULL CHECK (seq > 0),
    pickup_point_id   bigint REFERENCES pickup_points (id),
    address           text,
    lat               double precision NOT NULL,
    lon               double precision NOT NULL,
    eta               timestamptz NOT NULL,
    delivery_grams    bigint NOT NULL DEFAULT 0,
    pickup_grams      bigint NOT NULL DEFAULT 0,
    parcels           integer NOT NULL DEFAULT 0,
    load_after_grams  bigint NOT NULL DEFAULT 0,
    UNIQUE (route_id, seq)
);

CREATE TABLE route_stop_shipments (
    route_stop_id  bigint NOT NULL REFERENCES route_stops (id) ON DELETE CASCADE,
    shipment_id    bigint NOT NULL REFERENCES shipments (id),
    PRIMARY KEY (route_stop_id, shipment_id)
);

-- Idempotency records for POSTs that create things. The response is stored so a
-- retry gets exactly the same answer. Kept at least 24 h.
CREATE TABLE idempotency_keys (
    api_key_id       bigint NOT NULL REFERENCES api_keys (id),
    key              text NOT NULL CHECK (key <> '' AND length(key) <= 200),
    request_hash     bytea NOT NULL,
    status           text NOT NULL DEFAULT 'in_flight' CHECK (status IN ('in_flight', 'done')),
    response_status  integer,
    response_body    bytea,
    created_at       timestamptz NOT NULL DEFAULT now(),
    expires_at       timestamptz NOT NULL DEFAULT now() + interval '48 hours',
    PRIMARY KEY (api_key_id, key)
);
CREATE INDEX idempotency_keys_expiry_idx ON idempotency_keys (expires_at);

-- Daily intake counters for peak-season quotas.
CREATE TABLE warehouse_daily_load (
    warehouse_id  bigint NOT NULL REFERENCES warehouses (id),
    day           date NOT NULL,
    orders        integer NOT NULL DEFAULT 0 CHECK (orders >= 0),
    PRIMARY KEY (warehouse_id, day)
);
CREATE TABLE merchant_daily_load (
    merchant_id  bigint NOT NULL REFERENCES merchants (id),
    day          date NOT NULL,
    orders       integer NOT NULL DEFAULT 0 CHECK (orders >= 0),
    PRIMARY KEY (merchant_id, day)
);

-- Notifications are written in the same transaction as the change they announce and
-- delivered later by a worker (transactional outbox).
CREATE TABLE notification_outbox (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind             text NOT NULL CHECK (kind IN ('arrived', 'reminder', 'extended', 'returned')),
    shipment_id      bigint REFERENCES shipments (id),
    endpoint         text,
    payload          jsonb NOT NULL,
    status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'dead')),
    attempts         integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    last_error       text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    sent_at          timestamptz
);
CREATE INDEX notification_outbox_due_idx ON notification_outbox (next_attempt_at) WHERE status = 'pending';
