"""A real ``patentreach serve`` and a real headless Chromium, shared by the browser tests.

Why a subprocess and not FastAPI's TestClient: these tests are about what a person's browser
sees: the served HTML, CSS, cookies, redirects, form posts and downloads through a real HTTP
server (uvicorn, as ``patentreach serve`` runs it, configured the way ``asgi.py`` reads it:
``$PATENTREACH_HOME`` and ``$PATENTREACH_WEB_STATE``).

Two sites, each started only when a test asks for it:

* ``site``: the synthetic warehouse of ``patentreach synth`` (50,000 publications, seed 7: about
  2 s to write), which has Chinese enterprises abroad at every major office over many years, so
  the dashboard has a headline, a chart and a table worth filtering, and the screenshots show
  what the demo shows. Entity search and the protection-gap upload use it too.
* ``samples_site``: the real samples' warehouse of ``tests/web/conftest.py::web_warehouse``
  (USPTO assignments among them), for the transfers page: the synthetic warehouse has no
  assignments. It costs the samples' ingest and harmonisation, which the other web tests of the
  same worker share.

One Chromium (Selenium 4, the Debian ``chromedriver`` named explicitly so Selenium Manager never
downloads anything) serves the whole session (of one xdist worker); each test starts with no
cookies.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from patentreach.warehouse import Warehouse
from tests.web.browser.server import PAGE_SECONDS, REPO, Site, serve

HERE = Path(__file__).resolve().parent
CHROMIUM = Path(os.environ.get("PATENTREACH_CHROMIUM", "/usr/bin/chromium"))
CHROMEDRIVER = Path(os.environ.get("PATENTREACH_CHROMEDRIVER", "/usr/bin/chromedriver"))
SCREENSHOTS_VARIABLE = "PATENTREACH_SCREENSHOTS"
SYNTHETIC_PUBLICATIONS = 50_000
SYNTHETIC_SEED = 7
USER_NAME = "ana"
USER_PASSWORD = "correct horse battery staple 7"


def _browser_missing() -> str | None:
    """Why the browser tests cannot run here, or None. ``scripts/system-deps.sh`` (run by
    ``make test``) installs both where apt-get and root or sudo are available."""
    absent = [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not path.exists()]
    if absent:
        return (f"no headless browser: {', '.join(absent)} missing; run `sh scripts/system-deps.sh` (needs "
                "apt-get and root or sudo) to install Debian's chromium and chromium-driver")
    return None


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook reads the group marks
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every browser test is in one ``xdist_group`` (one Chromium and one server would serve them
    all under ``--dist loadgroup``; pytest-xdist 3.8 on pytest 9.2 ignores groups, pytest-xdist
    issue #1386, so each worker that runs some starts its own), and all skip at once, before any
    server starts, without a browser."""
    missing = _browser_missing()
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.xdist_group("browser"))
            if missing:
                item.add_marker(pytest.mark.skip(reason=missing))


def _add_user(state_dir: Path) -> str | None:
    """The analyst the login tests sign in as, created the way an administrator would, through
    ``patentreach users add``; the reason it could not be, or None."""
    from typer.testing import CliRunner

    from patentreach.cli.main import app as cli

    done = CliRunner().invoke(cli, ["users", "add", USER_NAME, "--role", "analyst", "--password-stdin",
                                    "--state", str(state_dir)], input=USER_PASSWORD + "\n")
    if "No such command 'users'" in (done.output or ""):
        return "`patentreach users add` has not landed yet (the security branch)"
    if done.exit_code != 0:
        return f"`patentreach users add` failed ({done.exit_code}): {' '.join((done.output or '').split())[:300]}"
    return None


@pytest.fixture(scope="session")
def synthetic_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    from patentreach.synth.warehouse import write_warehouse
    from patentreach.warehouse.views import write_database

    warehouse = Warehouse(tmp_path_factory.mktemp("browser-synth") / "wh")
    write_warehouse(warehouse.root, SYNTHETIC_PUBLICATIONS, seed=SYNTHETIC_SEED, threads=2)
    write_database(warehouse)
    return warehouse


@pytest.fixture(scope="session")
def site(synthetic_warehouse: Warehouse, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The service over the synthetic warehouse, with one analyst in its state folder (when the
    users command exists: ``site_user_missing`` says why not)."""
    state_dir = tmp_path_factory.mktemp("browser-state")
    logs = tmp_path_factory.mktemp("browser-logs")
    yield from serve(synthetic_warehouse.root, state_dir, logs / "synthetic.log")


@pytest.fixture(scope="session")
def signed_up(site: Site) -> tuple[str, str]:
    """``(name, password)`` of the analyst in ``site``'s state folder; skips while the users CLI
    has not landed."""
    reason = _add_user(site.state_dir)
    if reason:
        pytest.skip(reason)
    return USER_NAME, USER_PASSWORD


@pytest.fixture(scope="session")
def samples_site(web_warehouse: Warehouse, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The service over the real samples' warehouse (USPTO assignments: the transfers page)."""
    state_dir = tmp_path_factory.mktemp("browser-samples-state")
    logs = tmp_path_factory.mktemp("browser-logs")
    yield from serve(web_warehouse.root, state_dir, logs / "samples.log")


# --- the browser ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    """One headless Chromium for the session (Selenium 4, Debian's chromedriver: no download)."""
    os.environ.setdefault("SE_OFFLINE", "true")  # never let Selenium Manager reach the network
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1400,1000", "--lang=en", "--force-device-scale-factor=1"):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"intl.accept_languages": "en"})
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})  # HTTP statuses: pages.statuses
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(PAGE_SECONDS)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def browser(chromium) -> Iterator[object]:  # type: ignore[no-untyped-def]
    """The session's Chromium with no cookies (no session, no language) at the start of a test."""
    chromium.execute_cdp_cmd("Network.clearBrowserCookies", {})
    chromium.get_log("performance")  # drop the previous test's network events
    yield chromium


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots go: ``$PATENTREACH_SCREENSHOTS`` (e.g. ``docs/web``, relative to the
    repository) when set, a temporary folder otherwise (so a normal run never touches docs/)."""
    chosen = os.environ.get(SCREENSHOTS_VARIABLE)
    if chosen:
        folder = Path(chosen) if Path(chosen).is_absolute() else REPO / chosen
        folder.mkdir(parents=True, exist_ok=True)
        return folder
    return tmp_path_factory.mktemp("screenshots")
