#!/bin/sh
# System packages patentreach needs beyond Python: a Java runtime for the Spark engine
# (`patentreach stats outbound --engine spark`, tests/indicators/test_engines.py).
# Idempotent: does nothing when `java` is already on PATH. Debian/Ubuntu (apt); run as root or
# with sudo available. Called by `make test` on fresh CI machines.
set -eu

if command -v java >/dev/null 2>&1; then
    exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "system-deps: java is missing and this user cannot install packages; install a Java 17+ runtime" >&2
    exit 1
fi
command -v java || ($SUDO apt-get update && $SUDO apt-get install -y --no-install-recommends default-jre-headless)
