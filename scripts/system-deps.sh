#!/bin/sh
# System packages patentreach's tests need beyond Python, from Debian/Ubuntu's apt:
#   * a Java runtime (17+) for the Spark engine (`patentreach stats outbound --engine spark`,
#     tests/indicators/test_engines.py): `default-jre-headless`, when `java` is not on PATH;
#   * headless Chromium, its WebDriver and CJK fonts for the browser tests of `patentreach serve`
#     (tests/web/browser/, screenshots of the Chinese dashboard): `chromium`, `chromium-driver`,
#     `fonts-noto-cjk`, when /usr/bin/chromium, /usr/bin/chromedriver or the fonts are missing;
#   * a PostgreSQL server for the survey store's tests (tests/survey/fieldwork/postgres.py starts a
#     throwaway cluster on loopback with initdb/pg_ctl from /usr/lib/postgresql/<N>/bin and stops
#     it): `postgresql`, when no /usr/lib/postgresql/*/bin/initdb exists. Debian's package also
#     creates and starts a system cluster; the tests never use it.
#   * Pango (WeasyPrint's text layout, for the bulletin's PDF) and poppler-utils (`pdftotext`,
#     `pdftoppm`: the bulletin's tests read the PDF's text and render its pages): `libpango-1.0-0`,
#     `libpangoft2-1.0-0`, `poppler-utils`, when missing.
# Called by `make test` (not by `make demo`). Idempotent: installs only what is missing and does
# nothing when everything is present. Installing needs root or sudo; on other systems it stops
# with one line saying what to install.
set -eu

missing=""
command -v java >/dev/null 2>&1 || missing="$missing default-jre-headless"
[ -x /usr/bin/chromium ] || missing="$missing chromium"
[ -x /usr/bin/chromedriver ] || missing="$missing chromium-driver"
ls /usr/share/fonts/opentype/noto/NotoSansCJK-*.ttc >/dev/null 2>&1 || missing="$missing fonts-noto-cjk"
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$missing postgresql"
ls /usr/lib/*/libpangoft2-1.0.so.0 >/dev/null 2>&1 || missing="$missing libpango-1.0-0 libpangoft2-1.0-0"
command -v pdftotext >/dev/null 2>&1 || missing="$missing poppler-utils"
missing="${missing# }"

if [ -z "$missing" ]; then
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "system-deps: missing $missing and this is not a Debian/Ubuntu system (no apt-get): install a Java 17+ runtime, Chromium with its chromedriver, Noto CJK fonts, a PostgreSQL server, Pango and poppler-utils, and re-run" >&2
    exit 1
fi
if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "system-deps: missing $missing and this user cannot install packages (not root, no sudo): install them" >&2
    exit 1
fi
echo "system-deps: installing $missing (Java for the Spark engine, Chromium + chromedriver + CJK fonts for the browser tests, PostgreSQL for the survey store's tests, Pango and poppler-utils for the bulletin's PDF): ${SUDO:+sudo }apt-get install $missing" >&2
$SUDO apt-get update
# shellcheck disable=SC2086  # one word per package
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing
