-- The order-intake transaction of OrderService, call for call, for pgbench: the ceiling
-- that bench/orders.sh compares the HTTP service against. A 2-line order for pickup
-- point PP1, split to one warehouse (the common case): rp_order_context reads what the
-- split needs and draws the ids, then rp_place_order writes the order in one transaction
-- (sql/0005, as replaced by sql/0008). The payload and the stored response have the service's shapes and sizes.
\set a random(1, :skus)
\set b 1 + (:a % :skus)
\set q random(1, 3)
SELECT c->>'orderId' AS order_id, c->'shipmentIds'->>0 AS shipment_id, c->>'createdAt' AS created_at
FROM rp_order_context(1, 'pgb-' || :client_id || '-' || random(), 'M1', ARRAY['S' || :a, 'S' || :b], 'PP1', NULL, 3) AS c \gset
SELECT created, stored_hash, stored_body FROM rp_place_order(1, 'pgb-' || :order_id, sha256(('pgb-' || :order_id)::bytea),
  ('{"order":{"id":' || :order_id || ',"merchant_id":1,"channel":"online","recipient_name":"Li Wei","recipient_phone":"13800001234","delivery_mode":"pickup","pickup_point_id":1,"lat":28.6,"lon":109.6,"priority":0,"status":"accepted","promised_date":"2026-11-24","quota_status":"within_quota","cost_fen":1550,"explain":["WH1: zone 1 at 74.1 km, 1 parcel(s), 1448 g, 1550 fen. S1 x2: cheapest lane among 3 sources; S2 x1: cheapest lane among 3 sources","Least cost proven: branch and bound over every allocation (0 nodes)."],"created_at":":created_at"},'
   || '"lines":[{"line_no":1,"sku_id":' || :a || ',"qty":' || :q || ',"allocated_qty":' || :q || '},{"line_no":2,"sku_id":' || :b || ',"qty":1,"allocated_qty":1}],'
   || '"shipments":[{"id":' || :shipment_id || ',"tracking_no":"PGB' || :order_id || '","warehouse_id":1,"pickup_point_id":1,"depot_id":1,"zone":1,"grams":1448,"cm3":6000,"cost_fen":1550,"cold_chain":false,"due_date":"2026-11-24","promised_date":"2026-11-24"}],'
   || '"items":[{"shipment_id":' || :shipment_id || ',"warehouse_id":1,"sku_id":' || :a || ',"qty":' || :q || '},{"shipment_id":' || :shipment_id || ',"warehouse_id":1,"sku_id":' || :b || ',"qty":1}],'
   || '"parcels":[{"shipment_id":' || :shipment_id || ',"parcel_no":1,"grams":1448,"cost_fen":1550,"items":{"S' || :a || '":' || :q || ',"S' || :b || '":1}}],'
   || '"ship_day":"2026-11-23","over_quota":false,"refuse_over_quota":false}')::jsonb,
  convert_to('{"channel":"online","costFen":1550,"createdAt":":created_at","deliveryMode":"pickup","explain":["WH1: zone 1 at 74.1 km, 1 parcel(s), 1448 g, 1550 fen. S1 x2: cheapest lane among 3 sources; S2 x1: cheapest lane among 3 sources","Least cost proven: branch and bound over every allocation (0 nodes)."],"id":' || :order_id || ',"lines":[{"qty":2,"sku":"S1"},{"qty":1,"sku":"S2"}],"merchant":"M1","pickupPoint":"PP1","priority":0,"promisedDate":"2026-11-24","quotaStatus":"within_quota","shipments":[{"costFen":1550,"dueDate":"2026-11-24","grams":1448,"id":' || :shipment_id || ',"parcels":[{"costFen":1550,"grams":1448,"items":{"S1":2,"S2":1},"parcelNo":1}],"status":"allocated","trackingNo":"PGB' || :order_id || '","warehouse":"WH1","zone":1}],"status":"accepted","unfilled":{}}', 'UTF8'));
