#!/bin/sh
# System packages patentreach needs beyond Python: a Java runtime (17+) for the Spark engine
# (`patentreach stats outbound --engine spark`, tests/indicators/test_engines.py).
# Called by `make test` (not by `make demo`). Idempotent: does nothing when `java` is already on
# PATH. Otherwise installs Debian/Ubuntu's `default-jre-headless` with apt-get, which needs root or
# sudo; on other systems it stops with one line saying what to install.
set -eu

if command -v java >/dev/null 2>&1; then
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "system-deps: java is missing and this is not a Debian/Ubuntu system (no apt-get); install a Java 17+ runtime and re-run" >&2
    exit 1
fi
if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "system-deps: java is missing and this user cannot install packages (not root, no sudo); install a Java 17+ runtime" >&2
    exit 1
fi
echo "system-deps: installing a Java runtime for the Spark engine: ${SUDO:+sudo }apt-get install default-jre-headless" >&2
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends default-jre-headless
