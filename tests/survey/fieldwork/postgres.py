"""A throwaway PostgreSQL server for the survey store's tests, started from Debian's binaries.

Why a real server and not a mock: the store's promises (one response per unit under concurrent
writers, row locks deciding a race, JSON answers and timestamps coming back typed) are the
database's behaviour, so they are tested against the database. ``scripts/system-deps.sh``
installs Debian's ``postgresql`` package; the binaries live in ``/usr/lib/postgresql/<N>/bin``.

One cluster per test process (per xdist worker), in a temporary folder, listening on a free
loopback port only, with durability off (``fsync``, ``synchronous_commit``, ``full_page_writes``:
a crash loses nothing the tests need). ``initdb`` runs once per PostgreSQL version and its folder
is copied for each cluster: a start is then a copy and ``pg_ctl start``, well under a second on an
idle machine. PostgreSQL
refuses to run as root, so under root (the test container) ``initdb`` and ``pg_ctl`` run as the
``postgres`` system user (``runuser``), owning the data folder. Each test gets a fresh database
(:func:`new_database`), so tests never see each other's rows.

The server is stopped by the session fixture's teardown, which pytest runs whether the tests
passed or failed, and, as a backstop for an interrupted run, at interpreter exit.
"""

from __future__ import annotations

import atexit
import functools
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

SETUP_HINT = "run `sh scripts/system-deps.sh` (needs apt-get and root or sudo) to install Debian's postgresql"
START_SECONDS = 30


@dataclass(frozen=True)
class Cluster:
    """A running server: its folder, port and the ``pg_ctl`` command prefix that stops it."""

    root: Path
    port: int
    prefix: tuple[str, ...]
    bin_dir: Path

    @property
    def data(self) -> Path:
        return self.root / "data"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"


def _bin_dir() -> Path | None:
    """The newest installed ``/usr/lib/postgresql/<N>/bin`` with initdb and pg_ctl (or
    ``$PATENTREACH_PG_BIN``)."""
    override = os.environ.get("PATENTREACH_PG_BIN")
    candidates = [Path(override)] if override else sorted(
        Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0
    )
    found = [d for d in candidates if (d / "initdb").exists() and (d / "pg_ctl").exists()]
    return found[-1] if found else None


def missing_reason() -> str | None:
    """Why no server can be started here, or None."""
    if _bin_dir() is None:
        return f"no PostgreSQL server binaries (initdb, pg_ctl) in /usr/lib/postgresql/*/bin; {SETUP_HINT}"
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        return "running as root and no `runuser` to start PostgreSQL as a non-root user"
    if os.geteuid() == 0:
        try:
            import pwd

            pwd.getpwnam("postgres")
        except KeyError:
            return f"running as root and there is no `postgres` system user to run the server as; {SETUP_HINT}"
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "the psycopg driver is not installed (pip install 'psycopg[binary]')"
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _run(prefix: tuple[str, ...], *command: str) -> None:
    done = subprocess.run([*prefix, *command], capture_output=True, text=True, timeout=START_SECONDS, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:1])} failed ({done.returncode}): {done.stderr.strip() or done.stdout}")


def start() -> Cluster:
    """initdb and start a server in a new temporary folder; the caller stops it with :func:`stop`."""
    bin_dir = _bin_dir()
    assert bin_dir is not None
    # directly under the system temp folder: pytest's own tmp folders are private to root, and
    # the postgres user must be able to reach its data folder
    root = Path(tempfile.mkdtemp(prefix="patentreach-pg-"))
    prefix: tuple[str, ...] = ()
    if os.geteuid() == 0:
        shutil.chown(root, user="postgres")
        prefix = ("runuser", "-u", "postgres", "--")
    port = _free_port()
    cluster = Cluster(root, port, prefix, bin_dir)
    try:
        _run(prefix, "cp", "-a", str(_initialised(bin_dir, prefix)), str(cluster.data))
        options = (f"-p {port} -h 127.0.0.1 -k {root} -c fsync=off -c synchronous_commit=off "
                   "-c full_page_writes=off -c max_connections=100")
        _run(prefix, str(bin_dir / "pg_ctl"), "-D", str(cluster.data), "-l", str(root / "server.log"),
             "-w", "-t", str(START_SECONDS), "-o", options, "start")
    except BaseException:
        stop(cluster)
        raise
    return cluster


def _initialised(bin_dir: Path, prefix: tuple[str, ...]) -> Path:
    """A fresh ``initdb`` data folder, made once per PostgreSQL version and user and copied for
    each server: ``initdb`` is most of a start (about 1 s idle, 4 s on a loaded machine), a copy
    a tenth of it. Made in a scratch folder and renamed into place, so a crash or two xdist
    workers at once never leave a half-made one; a stale or unusable copy is simply remade."""
    major = bin_dir.parent.name
    owner = "postgres" if prefix else str(os.getuid())
    cache = Path(tempfile.gettempdir()) / f"patentreach-pg-initdb-{major}-{owner}"
    data = cache / "data"
    version = data / "PG_VERSION"
    if version.exists() and version.read_text().strip() == major:
        return data
    shutil.rmtree(data, ignore_errors=True)  # another version's, or unusable
    cache.mkdir(exist_ok=True)
    if prefix:
        shutil.chown(cache, user="postgres")
    scratch = cache / f"making-{os.getpid()}"
    _run(prefix, str(bin_dir / "initdb"), "-D", str(scratch), "-U", "postgres", "--auth=trust",
         "--no-sync", "-E", "UTF8", "--locale=C.UTF-8")
    try:
        scratch.rename(data)
    except OSError:  # another worker won the race: use theirs
        shutil.rmtree(scratch, ignore_errors=True)
    return data


def stop(cluster: Cluster) -> None:
    """Stop the server (immediately: its data is thrown away) and remove its folder; idempotent."""
    if (cluster.data / "postmaster.pid").exists():
        subprocess.run([*cluster.prefix, str(cluster.bin_dir / "pg_ctl"), "-D", str(cluster.data), "-m", "immediate",
                        "-w", "stop"], capture_output=True, timeout=START_SECONDS, check=False)
    shutil.rmtree(cluster.root, ignore_errors=True)


_names = itertools.count(1)
TEMPLATE = "survey_template"


def _admin(cluster: Cluster, sql: str) -> None:
    import psycopg

    with psycopg.connect(f"host=127.0.0.1 port={cluster.port} user=postgres dbname=postgres",
                         autocommit=True) as conn:
        conn.execute(sql)  # type: ignore[arg-type]  (our own literal names)


@functools.cache
def _template(cluster: Cluster) -> str:
    """A database with the survey tables already made by ``open_store``, copied per test:
    copying it (``STRATEGY file_copy``) costs a tenth of creating the tables again."""
    from patentreach.survey.store import open_store

    _admin(cluster, f'CREATE DATABASE "{TEMPLATE}"')
    open_store(cluster.url(TEMPLATE)).dispose()  # no connection may stay open on a template
    return TEMPLATE


def new_database(cluster: Cluster, with_tables: bool = True) -> str:
    """A new database on ``cluster`` (empty, or with the survey tables); its SQLAlchemy URL."""
    name = f"t{os.getpid()}_{next(_names)}"
    source = f' TEMPLATE "{_template(cluster)}" STRATEGY file_copy' if with_tables else ""
    _admin(cluster, f'CREATE DATABASE "{name}"{source}')
    return cluster.url(name)


@functools.cache
def _shared_cluster() -> Cluster:
    cluster = start()
    atexit.register(stop, cluster)
    return cluster


@pytest.fixture(scope="session")
def postgresql_cluster() -> Iterator[Cluster]:
    """The worker's server, started on first use; skipped, naming ``scripts/system-deps.sh``, where
    PostgreSQL is not installed. Modules in different folders share it (one cache per process)."""
    reason = missing_reason()
    if reason:
        pytest.skip(reason)
    cluster = _shared_cluster()
    try:
        yield cluster
    finally:
        stop(cluster)
        _shared_cluster.cache_clear()
        _template.cache_clear()


BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty store on each backend: a SQLite file, or a new PostgreSQL database (the
    PostgreSQL case is skipped, with the reason, where no server can be started)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'survey.sqlite'}"
    cluster = request.getfixturevalue("postgresql_cluster")
    return new_database(cluster)
