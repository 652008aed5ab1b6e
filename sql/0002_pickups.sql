-- Pickup-point operations: secrets, failed-code counting, audit, outbox delivery
-- details, foreign parcels' recipients. Adds to 0001; never edit an applied file.

-- Server-side secrets generated once per database (the pickup-code pepper when
-- RURALPOST_PICKUP_PEPPER is not set). Never returned by the API or logged.
CREATE TABLE server_secrets (
    name        text PRIMARY KEY,
    secret      bytea NOT NULL CHECK (length(secret) >= 32),
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- Parcels of other carriers (shared distribution) have no order: their recipient is
-- kept on the shipment itself.
ALTER TABLE shipments ADD COLUMN recipient_name text;
ALTER TABLE shipments ADD COLUMN recipient_phone text
    CHECK (recipient_phone IS NULL OR recipient_phone ~ '^[0-9+][0-9 -]{5,19}$');
CREATE INDEX shipments_returns_idx ON shipments (returns_shipment_id) WHERE returns_shipment_id IS NOT NULL;

ALTER TABLE pickups ADD COLUMN collected_by_key bigint REFERENCES api_keys (id);
ALTER TABLE pickups ADD COLUMN return_shipment_id bigint REFERENCES shipments (id);
CREATE INDEX pickups_point_status_idx ON pickups (pickup_point_id, status, returned_at);

-- Every wrong pickup code (or code at a locked or unknown recipient) is one row, so
-- the per-point and per-key rate limits hold across server instances.
CREATE TABLE pickup_failures (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    pickup_point_id  bigint NOT NULL REFERENCES pickup_points (id),
    api_key_id       bigint NOT NULL REFERENCES api_keys (id),
    at               timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX pickup_failures_point_idx ON pickup_failures (pickup_point_id, at);
CREATE INDEX pickup_failures_key_idx ON pickup_failures (api_key_id, at);

-- Who did what to a parcel on the shelf, and why (unlocks need a reason).
CREATE TABLE pickup_audit (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    pickup_id   bigint NOT NULL REFERENCES pickups (id),
    action      text NOT NULL CHECK (action IN ('checked_in', 'locked', 'unlocked', 'extended', 'collected', 'returned')),
    reason      text,
    api_key_id  bigint REFERENCES api_keys (id),
    at          timestamptz NOT NULL DEFAULT now(),
    CHECK (action <> 'unlocked' OR (reason IS NOT NULL AND reason <> ''))
);
CREATE INDEX pickup_audit_pickup_idx ON pickup_audit (pickup_id, at);
CREATE TRIGGER pickup_audit_append_only
    BEFORE UPDATE OR DELETE ON pickup_audit
    FOR EACH ROW EXECUTE FUNCTION forbid_change();

-- Outbox delivery details. The receiver (merchant or service centre) is resolved when
-- the notification is queued; its URL and secret are read again at each attempt so a
-- corrected endpoint takes effect. The pickup code of an arrival is kept only sealed
-- (AES-GCM under a key derived from the pepper) and wiped once delivered.
ALTER TABLE notification_outbox ADD COLUMN pickup_point_id bigint REFERENCES pickup_points (id);
ALTER TABLE notification_outbox ADD COLUMN owner_kind text CHECK (owner_kind IN ('merchant', 'service_centre'));
ALTER TABLE notification_outbox ADD COLUMN owner_id bigint;
ALTER TABLE notification_outbox ADD COLUMN sealed_code bytea;
ALTER TABLE notification_outbox ADD COLUMN last_status integer;
CREATE INDEX notification_outbox_point_idx ON notification_outbox (pickup_point_id, status, id);
