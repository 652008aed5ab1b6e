-- The order-intake transaction of OrderService, statement for statement, for pgbench:
-- the ceiling that bench/orders.sh compares the HTTP service against. A 2-line order
-- for pickup point PP1, split to one warehouse (the common case).
\set a random(1, :skus)
\set b 1 + (:a % :skus)
\set q random(1, 3)
BEGIN;
INSERT INTO idempotency_keys (api_key_id, key, request_hash) VALUES (1, 'pgb-' || txid_current(), '\x00') ON CONFLICT (api_key_id, key) DO NOTHING RETURNING 1;
SELECT id, daily_quota::bigint, over_quota_policy FROM merchants WHERE code = 'M1';
SELECT id, code, merchant_id, grams, cm3, cold_chain FROM skus WHERE code = ANY(ARRAY['S' || :a, 'S' || :b]);
SELECT id, depot_id, lat, lon FROM pickup_points WHERE code = 'PP1' AND active;
SELECT t.id, to_jsonb(t)::text, COALESCE((SELECT jsonb_agg(jsonb_build_object('maxKm', z.max_km, 'firstKgFen', z.first_kg_fen, 'additionalKgFen', z.additional_kg_fen) ORDER BY z.zone_no) FROM tariff_zones z WHERE z.tariff_id = t.id), '[]')::text FROM tariffs t ORDER BY t.is_default DESC, t.id LIMIT 1;
SELECT i.warehouse_id, w.code, w.lat, w.lon, w.cold_chain, w.daily_capacity::bigint, (extract(epoch FROM w.cutoff_time) / 60)::bigint, i.sku_id, i.on_hand - i.reserved FROM inventory i JOIN warehouses w ON w.id = i.warehouse_id WHERE i.sku_id = ANY(ARRAY[:a, :b]::bigint[]) AND w.active ORDER BY i.warehouse_id, i.sku_id FOR UPDATE OF i;
UPDATE inventory i SET reserved = i.reserved + v.q, updated_at = now() FROM unnest(ARRAY[1, 1]::bigint[], ARRAY[:a, :b]::bigint[], ARRAY[:q, 1]::bigint[]) AS v(w, s, q) WHERE i.warehouse_id = v.w AND i.sku_id = v.s AND i.on_hand - i.reserved >= v.q RETURNING 1;
SELECT to_char(CASE WHEN extract(hour FROM localtime) * 60 + extract(minute FROM localtime) < 960 THEN current_date ELSE current_date + 1 END, 'YYYY-MM-DD');
INSERT INTO orders (merchant_id, external_ref, channel, recipient_name, recipient_phone, delivery_mode, pickup_point_id, address, lat, lon, priority, status, promised_date, quota_status, cost_fen, explain, api_key_id) VALUES (1, NULL, 'online', 'Li Wei', '13800001234', 'pickup', 1, NULL, 28.6, 109.6, 0, 'accepted', current_date + 1, 'within_quota', 1650, '["WH1 holds every line and is nearest"]'::jsonb, 1) RETURNING id AS order_id \gset
INSERT INTO order_lines (order_id, line_no, sku_id, qty, allocated_qty) SELECT :order_id, n, s, q, a FROM unnest(ARRAY[1, 2]::bigint[], ARRAY[:a, :b]::bigint[], ARRAY[:q, 1]::bigint[], ARRAY[:q, 1]::bigint[]) AS v(n, s, q, a);
INSERT INTO shipments (tracking_no, kind, order_id, warehouse_id, pickup_point_id, depot_id, status, zone, grams, cm3, cost_fen, cold_chain, due_date, promised_date) VALUES ('PGB' || :order_id, 'outbound', :order_id, 1, 1, 1, 'allocated', 0, 3000, 4000, 1650, false, current_date + 1, current_date + 1) RETURNING id AS shipment_id \gset
INSERT INTO shipment_items (shipment_id, sku_id, qty) SELECT :shipment_id, s, q FROM unnest(ARRAY[:a, :b]::bigint[], ARRAY[:q, 1]::bigint[]) AS v(s, q);
INSERT INTO parcels (shipment_id, parcel_no, grams, cost_fen, items) SELECT :shipment_id, n, g, c, i::jsonb FROM unnest(ARRAY[1]::bigint[], ARRAY[3000]::bigint[], ARRAY[1650]::bigint[], ARRAY['{"S1":1}']::text[]) AS v(n, g, c, i);
INSERT INTO shipment_events (shipment_id, from_status, to_status, note, api_key_id) VALUES (:shipment_id, NULL, 'allocated', 'order intake', 1);
INSERT INTO inventory_movements (warehouse_id, sku_id, kind, delta_on_hand, delta_reserved, reason, order_id, shipment_id, api_key_id) SELECT 1, s, 'reserve', 0, q, 'order intake', :order_id, :shipment_id, 1 FROM unnest(ARRAY[:a, :b]::bigint[], ARRAY[:q, 1]::bigint[]) AS v(s, q);
INSERT INTO merchant_daily_load AS l (merchant_id, day, orders) SELECT 1, current_date, 1 WHERE false ON CONFLICT (merchant_id, day) DO UPDATE SET orders = l.orders + 1 RETURNING orders::bigint;
INSERT INTO warehouse_daily_load AS l (warehouse_id, day, orders) SELECT w, current_date, 1 FROM unnest(ARRAY[1]::bigint[]) AS w ORDER BY w ON CONFLICT (warehouse_id, day) DO UPDATE SET orders = l.orders + 1 RETURNING orders::bigint > 100000000;
SELECT jsonb_build_object('id', o.id, 'merchant', m.code, 'status', o.status, 'costFen', o.cost_fen, 'explain', o.explain, 'createdAt', o.created_at, 'lines', (SELECT jsonb_agg(jsonb_build_object('sku', s.code, 'qty', l.qty) ORDER BY l.line_no) FROM order_lines l JOIN skus s ON s.id = l.sku_id WHERE l.order_id = o.id), 'unfilled', (SELECT coalesce(jsonb_object_agg(s.code, l.qty - l.allocated_qty), '{}') FROM order_lines l JOIN skus s ON s.id = l.sku_id WHERE l.order_id = o.id AND l.qty > l.allocated_qty), 'shipments', coalesce((SELECT jsonb_agg(jsonb_build_object('id', sh.id, 'trackingNo', sh.tracking_no, 'warehouse', w.code, 'status', sh.status, 'parcels', coalesce((SELECT jsonb_agg(jsonb_build_object('parcelNo', pa.parcel_no, 'grams', pa.grams, 'items', pa.items) ORDER BY pa.parcel_no) FROM parcels pa WHERE pa.shipment_id = sh.id), '[]')) ORDER BY sh.id) FROM shipments sh JOIN warehouses w ON w.id = sh.warehouse_id WHERE sh.order_id = o.id), '[]'))::text FROM orders o JOIN merchants m ON m.id = o.merchant_id LEFT JOIN pickup_points p ON p.id = o.pickup_point_id WHERE o.id = :order_id;
UPDATE idempotency_keys SET status = 'done', response_status = 201, response_body = '\x7b7d' WHERE api_key_id = 1 AND key = 'pgb-' || txid_current();
COMMIT;
