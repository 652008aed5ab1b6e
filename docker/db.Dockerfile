# PostgreSQL 15 with PostGIS 3 and pgRouting: the road network (sql/0006, docs/roads.md)
# needs both extensions. The official postgres image already carries the PostgreSQL
# (PGDG) apt repository that packages them for each server version.
FROM postgres:15
RUN export DEBIAN_FRONTEND=noninteractive \
    && apt-get -q update \
    && apt-get -q install -y --no-install-recommends postgresql-15-postgis-3 postgresql-15-pgrouting \
    && rm -rf /var/lib/apt/lists/*
