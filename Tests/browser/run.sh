#!/usr/bin/env bash
# Runs the browser test of the counter and plan-review screens (Tests/browser/counter_test.py)
# against the debug `ruralpost` binary, with Selenium from a virtual environment kept
# under .build/ and Debian's chromium and chromedriver (`make browser-deps` installs them).
# Bounded: the whole run is stopped after BROWSER_TEST_TIMEOUT seconds (default 900).
set -euo pipefail
cd "$(dirname "$0")/../.."
SWIFT="${SWIFT:-swift}"
venv=.build/browser-venv
requirements=Tests/browser/requirements.txt
if [ ! -x "$venv/bin/python" ] || ! cmp -s "$requirements" "$venv/requirements.txt"; then
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
    cp "$requirements" "$venv/requirements.txt"
fi
binary="$("$SWIFT" build --show-bin-path)/ruralpost"
[ -x "$binary" ] || { echo "no $binary: build it first (swift build --product ruralpost)" >&2; exit 1; }
# Selenium must use the given driver and never look for one on the network.
export SE_OFFLINE=true
exec timeout --kill-after=60 "${BROWSER_TEST_TIMEOUT:-900}" "$venv/bin/python" Tests/browser/counter_test.py --binary "$binary" "$@"
