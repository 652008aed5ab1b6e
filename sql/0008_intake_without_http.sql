-- Issue 14: the database keeps no HTTP and nothing dead; heavy parcels are priced.
--
-- * Idempotency records: rp_place_order stored HTTP status 201 in response_status and
--   'done' in status (the 'in_flight' state was never written: a key is claimed by the
--   order's own transaction, so an uncommitted claim is invisible and a crash leaves
--   none). The record is now the key, the request hash and the stored response; what
--   status answers it is the API's business.
-- * Regions: the table was never written (no API or import fills it), so every
--   region_id was NULL; DOMAIN.md gives regions no behaviour (routes start at depots,
--   zones come from distances). Columns and table go; regionId leaves the API.
-- * Heavy parcels (DOMAIN.md: over 20 kg they are "heavy" and priced separately): a
--   tariff's heavy_surcharge_fen is added to the price of every parcel heavier than its
--   heavy_threshold_grams, and rp_order_context hands it to the split.
--
-- Runs on any database at 0007 (with or without 0006): no data a user wrote is lost.

ALTER TABLE tariffs ADD COLUMN heavy_surcharge_fen bigint NOT NULL DEFAULT 0 CHECK (heavy_surcharge_fen >= 0);
-- A surcharge needs the weight it starts above.
ALTER TABLE tariffs ADD CONSTRAINT tariffs_heavy_surcharge_needs_threshold
    CHECK (heavy_surcharge_fen = 0 OR heavy_threshold_grams IS NOT NULL);

-- Every record was written whole by rp_place_order; a record without a response could
-- only come from a hand-made row and would never replay.
DELETE FROM idempotency_keys WHERE response_body IS NULL;
ALTER TABLE idempotency_keys DROP COLUMN status, DROP COLUMN response_status;
ALTER TABLE idempotency_keys ALTER COLUMN response_body SET NOT NULL;

ALTER TABLE warehouses DROP COLUMN region_id;
ALTER TABLE depots DROP COLUMN region_id;
ALTER TABLE service_centres DROP COLUMN region_id;
ALTER TABLE pickup_points DROP COLUMN region_id;
DROP TABLE regions;

-- As in sql/0005, with the tariff's heavy surcharge and without the replay's status.
CREATE OR REPLACE FUNCTION rp_order_context(p_key_id bigint, p_key text, p_merchant text, p_skus text[], p_pickup_point text,
                                            p_warehouses bigint[], p_shipments integer)
RETURNS jsonb LANGUAGE plpgsql
SET plan_cache_mode = force_generic_plan AS $$
DECLARE
    v_merchant merchants%ROWTYPE;
    v_point pickup_points%ROWTYPE;
    v_sku_ids bigint[];
BEGIN
    SELECT * INTO v_merchant FROM merchants WHERE code = p_merchant;
    SELECT * INTO v_point FROM pickup_points WHERE code = p_pickup_point AND active;
    v_sku_ids := ARRAY(SELECT id FROM skus WHERE code = ANY(p_skus));
    RETURN jsonb_build_object(
        'orderId', CASE WHEN p_shipments > 0 THEN nextval(pg_get_serial_sequence('orders', 'id')) END,
        'shipmentIds', (SELECT coalesce(jsonb_agg(nextval(pg_get_serial_sequence('shipments', 'id'))), '[]')
                        FROM generate_series(1, p_shipments)),
        'createdAt', to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        'minuteOfDay', (extract(hour FROM localtime) * 60 + extract(minute FROM localtime))::int,
        'days', jsonb_build_array(to_char(current_date, 'YYYY-MM-DD'), to_char(current_date + 1, 'YYYY-MM-DD'),
                                  to_char(current_date + 2, 'YYYY-MM-DD')),
        'replay', (SELECT jsonb_build_object('requestHash', encode(k.request_hash, 'hex'),
                                             'body', convert_from(k.response_body, 'UTF8'))
                   FROM idempotency_keys k
                   WHERE k.api_key_id = p_key_id AND k.key = p_key),
        'merchant', CASE WHEN v_merchant.id IS NOT NULL THEN jsonb_build_object(
            'id', v_merchant.id, 'dailyQuota', v_merchant.daily_quota, 'refuseOverQuota', v_merchant.over_quota_policy = 'refuse') END,
        'skus', (SELECT coalesce(jsonb_agg(jsonb_build_object('id', s.id, 'code', s.code, 'merchantId', s.merchant_id,
                                                              'grams', s.grams, 'cm3', s.cm3, 'coldChain', s.cold_chain)), '[]')
                 FROM skus s WHERE s.id = ANY(v_sku_ids)),
        'pickupPoint', CASE WHEN v_point.id IS NOT NULL THEN jsonb_build_object(
            'id', v_point.id, 'depotId', v_point.depot_id, 'lat', v_point.lat, 'lon', v_point.lon) END,
        'depots', CASE WHEN v_point.depot_id IS NULL THEN
            (SELECT coalesce(jsonb_agg(jsonb_build_object('id', d.id, 'lat', d.lat, 'lon', d.lon)), '[]') FROM depots d) END,
        'tariff', (SELECT jsonb_build_object('handlingFen', t.handling_fen, 'parcelMaxGrams', t.parcel_max_grams,
                       'heavyThresholdGrams', t.heavy_threshold_grams, 'heavySurchargeFen', t.heavy_surcharge_fen, 'zones',
                       coalesce((SELECT jsonb_agg(jsonb_build_object('maxKm', z.max_km, 'firstKgFen', z.first_kg_fen,
                                                                     'additionalKgFen', z.additional_kg_fen) ORDER BY z.zone_no)
                                 FROM tariff_zones z WHERE z.tariff_id = t.id), '[]'))
                   FROM tariffs t ORDER BY t.is_default DESC, t.id LIMIT 1),
        'stock', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                      'warehouseId', i.warehouse_id, 'warehouse', w.code, 'lat', w.lat, 'lon', w.lon, 'coldChain', w.cold_chain,
                      'dailyCapacity', w.daily_capacity, 'cutoffMinutes', (extract(epoch FROM w.cutoff_time) / 60)::int,
                      'skuId', i.sku_id, 'available', i.on_hand - i.reserved) ORDER BY i.warehouse_id, i.sku_id), '[]')
                  FROM inventory i JOIN warehouses w ON w.id = i.warehouse_id
                  WHERE i.sku_id = ANY(v_sku_ids) AND w.active AND (p_warehouses IS NULL OR i.warehouse_id = ANY(p_warehouses))));
END $$;

-- As in sql/0005, without an HTTP status: returns created, or the stored request hash
-- and response when the key was already used. The result type changes, so the old
-- function is dropped rather than replaced.
DROP FUNCTION rp_place_order(bigint, text, bytea, jsonb, bytea);
CREATE FUNCTION rp_place_order(p_key_id bigint, p_key text, p_hash bytea, p_order jsonb, p_response bytea)
RETURNS TABLE (created boolean, stored_hash bytea, stored_body bytea)
LANGUAGE plpgsql
SET plan_cache_mode = force_generic_plan AS $$
DECLARE
    v_order jsonb := p_order -> 'order';
    v_order_id bigint := (p_order -> 'order' ->> 'id')::bigint;
    v_day date := (p_order ->> 'ship_day')::date;
    v_quota bigint := (p_order ->> 'merchant_quota')::bigint;
    v_item record;
    v_over boolean := false;
BEGIN
    INSERT INTO idempotency_keys (api_key_id, key, request_hash, response_body)
    VALUES (p_key_id, p_key, p_hash, p_response)
    ON CONFLICT (api_key_id, key) DO NOTHING;
    IF NOT FOUND THEN
        RETURN QUERY SELECT false, k.request_hash, k.response_body
                     FROM idempotency_keys k WHERE k.api_key_id = p_key_id AND k.key = p_key;
        RETURN;
    END IF;

    FOR v_item IN SELECT * FROM jsonb_to_recordset(p_order -> 'items') AS r(warehouse_id bigint, sku_id bigint, qty bigint)
                  ORDER BY 1, 2 LOOP
        UPDATE inventory SET reserved = reserved + v_item.qty, updated_at = now()
        WHERE warehouse_id = v_item.warehouse_id AND sku_id = v_item.sku_id AND on_hand - reserved >= v_item.qty;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'stock of SKU % in warehouse % changed since the split', v_item.sku_id, v_item.warehouse_id
                USING ERRCODE = 'RPSTK';
        END IF;
    END LOOP;

    INSERT INTO orders (id, merchant_id, external_ref, channel, recipient_name, recipient_phone, delivery_mode, pickup_point_id,
                        address, lat, lon, priority, status, promised_date, quota_status, cost_fen, explain, api_key_id,
                        created_at, updated_at)
    OVERRIDING SYSTEM VALUE
    SELECT o.id, o.merchant_id, o.external_ref, o.channel, o.recipient_name, o.recipient_phone, o.delivery_mode, o.pickup_point_id,
           o.address, o.lat, o.lon, o.priority, o.status, o.promised_date, o.quota_status, o.cost_fen, o.explain, p_key_id,
           o.created_at, o.created_at
    FROM jsonb_populate_record(NULL::orders, v_order) AS o;

    INSERT INTO order_lines (order_id, line_no, sku_id, qty, allocated_qty)
    SELECT v_order_id, l.line_no, l.sku_id, l.qty, l.allocated_qty
    FROM jsonb_populate_recordset(NULL::order_lines, p_order -> 'lines') AS l;

    INSERT INTO shipments (id, tracking_no, kind, order_id, warehouse_id, pickup_point_id, depot_id, status, zone, grams, cm3,
                           cost_fen, cold_chain, due_date, promised_date, created_at, updated_at)
    OVERRIDING SYSTEM VALUE
    SELECT s.id, s.tracking_no, 'outbound', v_order_id, s.warehouse_id, s.pickup_point_id, s.depot_id, 'allocated', s.zone,
           s.grams, s.cm3, s.cost_fen, s.cold_chain, s.due_date, s.promised_date, (v_order ->> 'created_at')::timestamptz,
           (v_order ->> 'created_at')::timestamptz
    FROM jsonb_populate_recordset(NULL::shipments, p_order -> 'shipments') AS s;

    INSERT INTO shipment_items (shipment_id, sku_id, qty)
    SELECT r.shipment_id, r.sku_id, r.qty
    FROM jsonb_to_recordset(p_order -> 'items') AS r(shipment_id bigint, sku_id bigint, qty bigint);

    INSERT INTO parcels (shipment_id, parcel_no, grams, cost_fen, items)
    SELECT p.shipment_id, p.parcel_no, p.grams, p.cost_fen, p.items
    FROM jsonb_populate_recordset(NULL::parcels, p_order -> 'parcels') AS p;

    INSERT INTO shipment_events (shipment_id, from_status, to_status, note, api_key_id)
    SELECT s.id, NULL, 'allocated', 'order intake', p_key_id
    FROM jsonb_to_recordset(p_order -> 'shipments') AS s(id bigint);

    INSERT INTO inventory_movements (warehouse_id, sku_id, kind, delta_on_hand, delta_reserved, reason, order_id, shipment_id,
                                     api_key_id)
    SELECT r.warehouse_id, r.sku_id, 'reserve', 0, r.qty, 'order intake', v_order_id, r.shipment_id, p_key_id
    FROM jsonb_to_recordset(p_order -> 'items') AS r(warehouse_id bigint, sku_id bigint, shipment_id bigint, qty bigint);

    IF v_quota IS NOT NULL THEN
        INSERT INTO merchant_daily_load AS l (merchant_id, day, shard, orders)
        VALUES ((v_order ->> 'merchant_id')::bigint, v_day, pg_backend_pid() % 16, 1)
        ON CONFLICT (merchant_id, day, shard) DO UPDATE SET orders = l.orders + 1;
        SELECT coalesce(sum(l.orders), 0) > v_quota INTO v_over
        FROM merchant_daily_load l WHERE l.merchant_id = (v_order ->> 'merchant_id')::bigint AND l.day = v_day;
    END IF;
    INSERT INTO warehouse_daily_load AS l (warehouse_id, day, shard, orders)
    SELECT DISTINCT s.warehouse_id, v_day, pg_backend_pid() % 16, 1
    FROM jsonb_to_recordset(p_order -> 'shipments') AS s(warehouse_id bigint)
    ORDER BY 1
    ON CONFLICT (warehouse_id, day, shard) DO UPDATE SET orders = l.orders + 1;
    v_over := v_over OR EXISTS (
        SELECT 1 FROM jsonb_to_recordset(p_order -> 'shipments') AS s(warehouse_id bigint)
        JOIN warehouses w ON w.id = s.warehouse_id
        WHERE (SELECT sum(l.orders) FROM warehouse_daily_load l WHERE l.warehouse_id = s.warehouse_id AND l.day = v_day)
              > w.daily_capacity);
    IF v_over AND (p_order ->> 'refuse_over_quota')::boolean THEN
        RAISE EXCEPTION 'over the daily quota for %', v_day USING ERRCODE = 'RPQRF';
    END IF;
    IF v_over IS DISTINCT FROM (p_order ->> 'over_quota')::boolean THEN
        RAISE EXCEPTION 'the daily quota outcome changed since the split' USING ERRCODE = 'RPQTA', DETAIL = v_over::text;
    END IF;

    RETURN QUERY SELECT true, p_hash, p_response;
END $$;
