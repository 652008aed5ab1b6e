# RuralPost developer commands. `make demo` and `make test` are the two entry points.
SWIFT ?= $(shell command -v swift 2>/dev/null || echo /opt/swift/usr/bin/swift)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test build release postgres clean-db bench-import

## Install the PostgreSQL server binaries if initdb is missing (Debian/Ubuntu).
postgres:
	@if command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then :; else \
		echo "initdb not found: installing PostgreSQL server packages with apt"; \
		$(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
	fi

build:
	$(SWIFT) build --product ruralpost

release:
	$(SWIFT) build -c release --product ruralpost

## Build, start the embedded database, migrate, load the demo county, run the flow.
demo: postgres build
	$(SWIFT) run --skip-build ruralpost demo

## Run every test (integration tests start their own PostgreSQL).
test: postgres
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

## Remove the embedded database of the CLI (.ruralpost/pgdata).
clean-db:
	rm -rf .ruralpost

bench-import: postgres release
	bash bench/import.sh
