-- Order intake in two round trips instead of twenty (issue 4).
--
-- Intake used to send some twenty statements per order, and on two cores each statement's
-- protocol, parse and plan cost more than the work it did. Now the service:
--   1. reads everything the split needs with rp_order_context (one call, no locks);
--   2. splits the order in Swift (the OrderSplitting engine);
--   3. writes the whole order with rp_place_order: one call, one transaction.
-- rp_place_order re-checks what the split assumed under row locks: if stock moved it
-- raises RPSTK and the service reads and splits again; if the quota outcome moved it
-- raises RPQTA with the true outcome. So an order is only ever written against the stock
-- and counters it is committed with. PL/pgSQL keeps each inner statement's plan cached
-- per connection.

-- What a split needs, as one JSON document. Codes that match nothing are simply absent
-- (the service names the offending field). `p_warehouses` limits stock to a key's
-- warehouse scope (NULL: every warehouse). The idempotency record of (p_key_id, p_key),
-- if one is committed, comes back as `replay`, so a retry skips the split.
-- With p_shipments > 0 it also draws an order id and that many shipment ids, so the
-- service can write the response before the order (a quote passes 0). Unused ids are
-- gaps, as with any sequence.
CREATE FUNCTION rp_order_context(p_key_id bigint, p_key text, p_merchant text, p_skus text[], p_pickup_point text,
                                 p_warehouses bigint[], p_shipments integer)
RETURNS jsonb LANGUAGE plpgsql
-- Every statement here is a key lookup: one cached plan serves all calls.
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
        -- The database's clock decides the order's time and ship day, as for every other row.
        'createdAt', to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        'minuteOfDay', (extract(hour FROM localtime) * 60 + extract(minute FROM localtime))::int,
        'days', jsonb_build_array(to_char(current_date, 'YYYY-MM-DD'), to_char(current_date + 1, 'YYYY-MM-DD'),
                                  to_char(current_date + 2, 'YYYY-MM-DD')),
        'replay', (SELECT jsonb_build_object('requestHash', encode(k.request_hash, 'hex'), 'status', k.response_status,
                                             'body', convert_from(k.response_body, 'UTF8'))
                   FROM idempotency_keys k
                   WHERE k.api_key_id = p_key_id AND k.key = p_key AND k.response_body IS NOT NULL),
        'merchant', CASE WHEN v_merchant.id IS NOT NULL THEN jsonb_build_object(
            'id', v_merchant.id, 'dailyQuota', v_merchant.daily_quota, 'refuseOverQuota', v_merchant.over_quota_policy = 'refuse') END,
        'skus', (SELECT coalesce(jsonb_agg(jsonb_build_object('id', s.id, 'code', s.code, 'merchantId', s.merchant_id,
                                                              'grams', s.grams, 'cm3', s.cm3, 'coldChain', s.cold_chain)), '[]')
                 FROM skus s WHERE s.id = ANY(v_sku_ids)),
        'pickupPoint', CASE WHEN v_point.id IS NOT NULL THEN jsonb_build_object(
            'id', v_point.id, 'depotId', v_point.depot_id, 'lat', v_point.lat, 'lon', v_point.lon) END,
        -- Home deliveries (and points without a depot) go through the nearest depot.
        'depots', CASE WHEN v_point.depot_id IS NULL THEN
            (SELECT coalesce(jsonb_agg(jsonb_build_object('id', d.id, 'lat', d.lat, 'lon', d.lon)), '[]') FROM depots d) END,
        'tariff', (SELECT jsonb_build_object('handlingFen', t.handling_fen, 'parcelMaxGrams', t.parcel_max_grams,
                       'heavyThresholdGrams', t.heavy_threshold_grams, 'zones',
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

-- Writes one split order in one transaction: the idempotency record (with the response
-- the service built), the conditional reservation, the order and its lines, shipments,
-- items, parcels, creation events, ledger rows, and the daily quota counters.
--
-- p_order carries the rows in snake_case, ids included (drawn by rp_order_context's
-- caller from the sequences, so the response can name them before the write):
--   order{...}, lines[], shipments[], items[] (with warehouse_id), parcels[],
--   ship_day, merchant_quota (or null), over_quota (what the response says) and
--   refuse_over_quota (the merchant's policy: raise RPQRF rather than accept).
-- Returns created = true, or false with the stored record when the key was already used
-- (a concurrent first request is waited for by the unique index, then replayed).
CREATE FUNCTION rp_place_order(p_key_id bigint, p_key text, p_hash bytea, p_order jsonb, p_response bytea)
RETURNS TABLE (created boolean, stored_hash bytea, stored_status integer, stored_body bytea)
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
    INSERT INTO idempotency_keys (api_key_id, key, request_hash, status, response_status, response_body)
    VALUES (p_key_id, p_key, p_hash, 'done', 201, p_response)
    ON CONFLICT (api_key_id, key) DO NOTHING;
    IF NOT FOUND THEN
        RETURN QUERY SELECT false, k.request_hash, k.response_status, k.response_body
                     FROM idempotency_keys k WHERE k.api_key_id = p_key_id AND k.key = p_key;
        RETURN;
    END IF;

    -- Reservation, row by row in (warehouse, SKU) order, so concurrent intakes lock
    -- shared rows in the same order and queue instead of deadlocking; a row whose free
    -- units no longer cover the split's quantity fails the whole order.
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

    -- Quotas last: the counters are shared by every order of a merchant or warehouse, so
    -- their locks are taken just before commit (and sharded per connection, sql/0004).
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

    RETURN QUERY SELECT true, p_hash, 201, p_response;
END $$;
