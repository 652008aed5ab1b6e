# RuralPost developer commands. `make demo` and `make test` are the two entry points.
SWIFT ?= $(shell command -v swift 2>/dev/null || echo /opt/swift/usr/bin/swift)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test test-contract test-browser browser-deps build release postgres clean-db bench-import bench-roads

## Install what the database needs when it is missing (Debian/Ubuntu): the PostgreSQL
## server, the PostGIS and pgRouting extensions for its version (the road network,
## docs/roads.md) and osmium-tool (reads OpenStreetMap extracts for `roads import`).
postgres:
	@if command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then :; else \
		echo "initdb not found: installing PostgreSQL server packages with apt"; \
		$(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
	fi
	@v=$$(ls /usr/lib/postgresql | sort -n | tail -1); \
	missing=""; \
	[ -f /usr/share/postgresql/$$v/extension/postgis.control ] || missing="$$missing postgresql-$$v-postgis-3"; \
	[ -f /usr/share/postgresql/$$v/extension/pgrouting.control ] || missing="$$missing postgresql-$$v-pgrouting"; \
	command -v osmium >/dev/null 2>&1 || missing="$$missing osmium-tool"; \
	if [ -n "$$missing" ]; then \
		echo "installing with apt:$$missing"; \
		$(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

## Chromium, its driver, a Chinese font (for screenshots) and Python's venv for the
## browser test, installed with apt when missing (Debian/Ubuntu).
browser-deps:
	@if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] && fc-list :lang=zh 2>/dev/null | grep -q . \
		&& python3 -c 'import ensurepip' 2>/dev/null; then :; else \
		echo "installing chromium, chromium-driver, fonts-wqy-microhei and python3-venv with apt"; \
		$(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			chromium chromium-driver fonts-wqy-microhei python3-venv >/dev/null; \
	fi

build:
	$(SWIFT) build --product ruralpost

release:
	$(SWIFT) build -c release --product ruralpost

## Build, start the embedded database, migrate, load the demo county, run the flow.
demo: postgres build
	$(SWIFT) run --skip-build ruralpost demo

## Run every test (integration tests start their own PostgreSQL; the browser test
## starts `ruralpost serve` on its own embedded cluster and headless Chromium; the
## contract test starts one too, and installs its pinned schemathesis into a venv).
test: postgres browser-deps
	$(SWIFT) build --build-tests
	RURALPOST_SOLO=1 $(SWIFT) test --skip-build --no-parallel --filter "OverloadTests|PickupBruteForceTests|DatabaseOutageTests|DatabaseMonitorTests"
	$(SWIFT) test --skip-build
	SWIFT=$(SWIFT) bash Tests/browser/run.sh
	RURALPOST_BIN=$$($(SWIFT) build --show-bin-path)/ruralpost bash Tests/contract/run.sh

## Only the API contract test (schemathesis against the live server, every role; also
## the last step of `make test`). SEED=... EXAMPLES=... replay a run.
test-contract: postgres build
	RURALPOST_BIN=$$($(SWIFT) build --show-bin-path)/ruralpost bash Tests/contract/run.sh

## Only the browser test of the counter and plan-review screens.
test-browser: postgres browser-deps
	$(SWIFT) build --product ruralpost
	SWIFT=$(SWIFT) bash Tests/browser/run.sh

## Remove the embedded database of the CLI (.ruralpost/pgdata).
clean-db:
	rm -rf .ruralpost

bench-import: postgres release
	bash bench/import.sh

## Road-network benchmark: 300-stop matrix, road km / crow-fly km per leg, import time.
bench-roads: postgres release
	bash bench/roads.sh
