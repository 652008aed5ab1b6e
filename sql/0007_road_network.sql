-- Road network (issue 13): the drivable roads of an OpenStreetMap extract, loaded by
-- `ruralpost roads import` (docs/roads.md), and the SQL the planner uses on it:
-- snapping locations to the nearest edge and the travel matrix from pgRouting.
CREATE EXTENSION IF NOT EXISTS postgis;
CREATE EXTENSION IF NOT EXISTS pgrouting;

-- One row per import. Exactly one network is active: an import loads a new version
-- in one transaction and retires (deletes the rows of) the previous one only when
-- everything loaded, so a failed import leaves the previous network as it was.
CREATE TABLE road_networks (
    version            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    status             text NOT NULL CHECK (status IN ('loading', 'active')),
    source_name        text NOT NULL,
    source_sha256      text NOT NULL CHECK (source_sha256 ~ '^[0-9a-f]{64}$'),
    -- The speed table used (road class -> km/h) and the snapping limit, so a plan can
    -- say what its travel times were made of.
    speeds             jsonb NOT NULL,
    nodes              integer NOT NULL DEFAULT 0 CHECK (nodes >= 0),
    edges              integer NOT NULL DEFAULT 0 CHECK (edges >= 0),
    length_m           double precision NOT NULL DEFAULT 0 CHECK (length_m >= 0),
    -- Weakly connected components (parts with no road between them at all).
    components         integer NOT NULL DEFAULT 0 CHECK (components >= 0),
    -- The largest strongly connected component (every node reaches every other one
    -- keeping to one-way rules); locations snap to it first.
    main_component     integer,
    -- Convex hull of the nodes: a depot inside it is "covered" by the network.
    extent             geometry(Polygon, 4326),
    imported_at        timestamptz NOT NULL DEFAULT now(),
    import_seconds     double precision
);
CREATE UNIQUE INDEX road_networks_one_active ON road_networks ((true)) WHERE status = 'active';

-- Graph vertices: way ends and nodes shared by two or more drivable ways. Ids are
-- dense per network (pgRouting vertex ids); the OpenStreetMap node id is kept.
CREATE TABLE road_nodes (
    network_version    bigint NOT NULL REFERENCES road_networks (version) ON DELETE CASCADE,
    id                 bigint NOT NULL CHECK (id > 0),
    osm_id             bigint NOT NULL,
    -- Weakly connected component, and strongly connected component.
    component          integer NOT NULL,
    strong_component   integer NOT NULL,
    geom               geometry(Point, 4326) NOT NULL,
    PRIMARY KEY (network_version, id)
);

-- Road segments between two vertices, in pgRouting's directed form: one row per
-- segment, drawn from `source` to `target`, with a travel time for each direction
-- the segment may be driven (NULL: not in that direction, i.e. one-way).
CREATE TABLE road_edges (
    network_version    bigint NOT NULL REFERENCES road_networks (version) ON DELETE CASCADE,
    id                 bigint NOT NULL CHECK (id > 0),
    source             bigint NOT NULL,
    target             bigint NOT NULL,
    osm_way_id         bigint NOT NULL,
    road_class         text NOT NULL,
    name               text,
    length_m           double precision NOT NULL CHECK (length_m >= 0),
    speed_kmh          double precision NOT NULL CHECK (speed_kmh > 0 AND speed_kmh <= 200),
    -- Whether the speed came from a maxspeed tag (else from the road-class table).
    speed_from_tag     boolean NOT NULL,
    forward_s          double precision CHECK (forward_s >= 0),
    backward_s         double precision CHECK (backward_s >= 0),
    one_way            boolean GENERATED ALWAYS AS (forward_s IS NULL OR backward_s IS NULL) STORED,
    -- Strongly connected component of both ends, 0 when they are in different ones
    -- (a one-way link between components).
    strong_component   integer NOT NULL,
    geom               geometry(LineString, 4326) NOT NULL,
    PRIMARY KEY (network_version, id),
    FOREIGN KEY (network_version, source) REFERENCES road_nodes (network_version, id) ON DELETE CASCADE,
    FOREIGN KEY (network_version, target) REFERENCES road_nodes (network_version, id) ON DELETE CASCADE,
    CHECK (forward_s IS NOT NULL OR backward_s IS NOT NULL)
);
CREATE INDEX road_edges_geom_idx ON road_edges USING gist (geom);
-- Nearest-edge search in metres (geography KNN: degrees of longitude shrink with latitude,
-- so the nearest by degrees is not the nearest on the ground).
CREATE INDEX road_edges_geog_idx ON road_edges USING gist ((geom::geography));

-- Travel matrices already computed, per network version and ordered set of snapped
-- locations (sha256 of their edges and fractions): `matrix` is road_matrix_bytes, n*n
-- (metres, seconds) pairs of big-endian int64, row by row, -1 for a pair with no path.
CREATE TABLE road_matrix_cache (
    network_version    bigint NOT NULL REFERENCES road_networks (version) ON DELETE CASCADE,
    locations_sha256   text NOT NULL,
    locations          integer NOT NULL CHECK (locations > 0),
    matrix             bytea NOT NULL CHECK (octet_length(matrix) = locations * locations * 16),
    compute_seconds    double precision NOT NULL,
    created_at         timestamptz NOT NULL DEFAULT now(),
    last_used_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (network_version, locations_sha256)
);

-- Snaps each location (lon[i], lat[i]) to a point on the nearest drivable edge of the
-- network: the nearest edge in metres (geography) of the main (strongly connected)
-- component if one lies within p_max_m, else simply the nearest edge (the caller then
-- reports the location as too far, or it turns out unreachable). Preferring the main
-- component keeps a van from being trapped on a one-way stub or a car park cut off by
-- the extract's edge. Candidates: the 4 nearest of each kind by index-assisted
-- geography KNN (`<->`, sphere distance), ranked by spheroid distance. fraction is the position along the edge from source
-- (0) to target (1), by ST_LineLocatePoint.
CREATE FUNCTION road_snap(p_version bigint, p_lon double precision[], p_lat double precision[], p_max_m double precision)
RETURNS TABLE (idx integer, edge_id bigint, fraction double precision, distance_m double precision,
               snapped_lon double precision, snapped_lat double precision)
LANGUAGE sql STABLE AS $$
    WITH main AS (SELECT main_component AS c FROM road_networks WHERE version = p_version),
    loc AS (SELECT t.ord AS idx, ST_SetSRID(ST_MakePoint(t.lon, t.lat), 4326) AS pt
            FROM unnest(p_lon, p_lat) WITH ORDINALITY AS t(lon, lat, ord))
    SELECT l.idx::integer, c.id, f.fraction, c.d,
           ST_X(ST_LineInterpolatePoint(c.geom, f.fraction)), ST_Y(ST_LineInterpolatePoint(c.geom, f.fraction))
    FROM loc l
    CROSS JOIN LATERAL (
        SELECT k.id, k.geom, k.d FROM (
            (SELECT e.id, e.geom, true AS in_main, ST_Distance(e.geom::geography, l.pt::geography) AS d
             FROM road_edges e, main WHERE e.network_version = p_version AND e.strong_component = main.c
             ORDER BY e.geom::geography <-> l.pt::geography LIMIT 4)
            UNION ALL
            (SELECT e.id, e.geom, false, ST_Distance(e.geom::geography, l.pt::geography)
             FROM road_edges e WHERE e.network_version = p_version
             ORDER BY e.geom::geography <-> l.pt::geography LIMIT 4)) k
        ORDER BY (k.in_main AND k.d <= p_max_m) DESC, k.d, k.id
        LIMIT 1) c
    CROSS JOIN LATERAL (SELECT ST_LineLocatePoint(c.geom, l.pt) AS fraction) f
$$;

-- The network with the snapped locations spliced in as extra vertices: an edge
-- holding k snapped points becomes k+1 pieces; every other edge is kept as it is.
-- Location i (1-based) is vertex p_vertex_base + i; p_edge[i] = 0: not snapped, left out. Costs are what pgRouting
-- minimises: milliseconds * 2^24 + decimetres, whole numbers, so a path's summed
-- cost (exact in double precision below 2^53) decodes into its time and its length,
-- and the cheapest path is the fastest one (ties broken by length). -1: not drivable
-- that way.
CREATE FUNCTION road_split_graph(p_version bigint, p_edge bigint[], p_fraction double precision[], p_vertex_base bigint)
RETURNS TABLE (id bigint, source bigint, target bigint, cost double precision, reverse_cost double precision,
               base_edge bigint, f_from double precision, f_to double precision)
LANGUAGE sql STABLE AS $$
    WITH pts AS (
        SELECT t.edge, t.fraction, t.ord
        FROM unnest(p_edge, p_fraction) WITH ORDINALITY AS t(edge, fraction, ord) WHERE t.edge > 0
    ), cuts AS (
        -- Per split edge: its source, the points in order along it, its target.
        -- (rank keeps the source first and the target last when a point lies on an end.)
        SELECT e.id AS edge, e.source, e.target, e.length_m, e.forward_s, e.backward_s, s.f, s.vertex,
               row_number() OVER (PARTITION BY e.id ORDER BY s.f, s.rank, s.vertex) AS n
        FROM road_edges e
        JOIN LATERAL (
            SELECT 0::double precision AS f, 0 AS rank, e.source AS vertex
            UNION ALL SELECT p.fraction, 1, p_vertex_base + p.ord FROM pts p WHERE p.edge = e.id
            UNION ALL SELECT 1::double precision, 2, e.target) s ON true
        WHERE e.network_version = p_version AND e.id IN (SELECT edge FROM pts)
    ), pieces AS (
        SELECT a.edge, a.vertex AS source, b.vertex AS target, a.f AS f_from, b.f AS f_to,
               a.length_m * (b.f - a.f) AS metres, a.forward_s * (b.f - a.f) AS fwd, a.backward_s * (b.f - a.f) AS bwd
        FROM cuts a JOIN cuts b ON b.edge = a.edge AND b.n = a.n + 1
    )
    SELECT e.id, e.source, e.target,
           coalesce(round(e.forward_s * 1000) * 16777216 + round(e.length_m * 10), -1),
           coalesce(round(e.backward_s * 1000) * 16777216 + round(e.length_m * 10), -1),
           e.id, 0::double precision, 1::double precision
    FROM road_edges e WHERE e.network_version = p_version AND e.id NOT IN (SELECT edge FROM pts)
    UNION ALL
    SELECT (SELECT max(m.id) FROM road_edges m WHERE m.network_version = p_version) + row_number() OVER (ORDER BY p.edge, p.f_from, p.source),
           p.source, p.target,
           coalesce(round(p.fwd * 1000) * 16777216 + round(p.metres * 10), -1),
           coalesce(round(p.bwd * 1000) * 16777216 + round(p.metres * 10), -1),
           p.edge, p.f_from, p.f_to
    FROM pieces p
$$;

-- SQL text for pgRouting's edges_sql argument: the split graph of road_split_graph.
CREATE FUNCTION road_split_graph_sql(p_version bigint, p_edge bigint[], p_fraction double precision[], p_vertex_base bigint)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT format('SELECT id, source, target, cost, reverse_cost FROM road_split_graph(%s, %L::bigint[], %L::double precision[], %s)',
                  p_version, p_edge, p_fraction, p_vertex_base)
$$;

-- Shortest (fastest) paths from snapped locations p_first..p_last to every snapped
-- location, by pgRouting's many-to-many pgr_dijkstraCost on the split graph (one
-- Dijkstra per source, stopping once every target is settled). Location i is
-- p_edge[i]/p_fraction[i] (edge 0: not snapped, left out). Pairs with no path are
-- absent. The caller may compute disjoint row ranges concurrently.
CREATE FUNCTION road_matrix(p_version bigint, p_edge bigint[], p_fraction double precision[],
                            p_first integer DEFAULT 1, p_last integer DEFAULT NULL)
RETURNS TABLE (from_idx integer, to_idx integer, metres bigint, seconds bigint)
LANGUAGE sql STABLE AS $$
    WITH base AS (SELECT max(n.id) AS b FROM road_nodes n WHERE n.network_version = p_version),
    snapped AS (SELECT t.ord::integer AS idx FROM unnest(p_edge) WITH ORDINALITY AS t(edge, ord) WHERE t.edge > 0),
    vids AS (SELECT array_agg(base.b + s.idx) FILTER (WHERE s.idx BETWEEN p_first AND coalesce(p_last, cardinality(p_edge))) AS sources,
                    array_agg(base.b + s.idx) AS targets
             FROM base, snapped s GROUP BY base.b)
    SELECT (m.start_vid - base.b)::integer, (m.end_vid - base.b)::integer,
           round((m.agg_cost::numeric % 16777216) / 10)::bigint,
           round(floor(m.agg_cost::numeric / 16777216) / 1000)::bigint
    FROM base, vids,
         pgr_dijkstraCost(road_split_graph_sql(p_version, p_edge, p_fraction, base.b), vids.sources, vids.targets, directed => true) m
    WHERE vids.sources IS NOT NULL AND m.start_vid <> m.end_vid
$$;

-- Rows p_first..p_last of the matrix of road_matrix as one value for the cache and
-- the planner: (metres, seconds) pairs of big-endian int64, row by row, every column;
-- 0 on the diagonal of a snapped location, -1 where there is no path (or a location
-- is not snapped).
CREATE FUNCTION road_matrix_bytes(p_version bigint, p_edge bigint[], p_fraction double precision[],
                                  p_first integer DEFAULT 1, p_last integer DEFAULT NULL)
RETURNS bytea LANGUAGE sql STABLE AS $$
    WITH m AS (SELECT * FROM road_matrix(p_version, p_edge, p_fraction, p_first, p_last))
    SELECT string_agg(int8send(coalesce(m.metres, CASE WHEN i = j AND p_edge[i] > 0 THEN 0 ELSE -1 END))
                      || int8send(coalesce(m.seconds, CASE WHEN i = j AND p_edge[i] > 0 THEN 0 ELSE -1 END)), ''::bytea ORDER BY i, j)
    FROM generate_series(p_first, coalesce(p_last, cardinality(p_edge))) i CROSS JOIN generate_series(1, cardinality(p_edge)) j
    LEFT JOIN m ON m.from_idx = i AND m.to_idx = j
$$;

-- The road geometry of each leg p_from[k] -> p_to[k] (location numbers as in
-- road_matrix): the pieces of the fastest path, each oriented the way it is driven,
-- joined into one LineString. Legs with no path, or from a location to itself, are absent.
CREATE FUNCTION road_leg_paths(p_version bigint, p_edge bigint[], p_fraction double precision[], p_from integer[], p_to integer[])
RETURNS TABLE (from_idx integer, to_idx integer, geom geometry)
LANGUAGE sql STABLE AS $$
    WITH base AS (SELECT max(n.id) AS b FROM road_nodes n WHERE n.network_version = p_version),
    graph AS (SELECT g.* FROM base, road_split_graph(p_version, p_edge, p_fraction, base.b) g),
    legs AS (SELECT DISTINCT t.f, t.t FROM unnest(p_from, p_to) AS t(f, t) WHERE t.f <> t.t),
    paths AS (
        SELECT d.start_vid, d.end_vid, d.path_seq, d.node, d.edge
        FROM base, pgr_dijkstra(
            road_split_graph_sql(p_version, p_edge, p_fraction, base.b),
            format('SELECT %s + f AS source, %s + t AS target FROM unnest(%L::integer[], %L::integer[]) AS x(f, t) WHERE f <> t',
                   base.b, base.b, p_from, p_to),
            directed => true) d
        WHERE d.edge <> -1
    )
    SELECT (p.start_vid - base.b)::integer, (p.end_vid - base.b)::integer,
           ST_MakeLine(CASE WHEN p.node = g.source THEN piece.geom ELSE ST_Reverse(piece.geom) END ORDER BY p.path_seq)
    FROM base, paths p
    JOIN graph g ON g.id = p.edge
    JOIN road_edges e ON e.network_version = p_version AND e.id = g.base_edge
    CROSS JOIN LATERAL (SELECT CASE WHEN g.f_from = 0 AND g.f_to = 1 THEN e.geom
                                    ELSE ST_LineSubstring(e.geom, g.f_from, g.f_to) END AS geom) piece
    GROUP BY p.start_vid, p.end_vid, base.b
$$;
