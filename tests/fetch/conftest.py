"""Fixtures of the fetch tests: the loopback server (see ``loopback.py``), the guard that fails any
connection to an address other than the loopback, and the real weekly samples zipped as weekly files."""

from __future__ import annotations

import socket
import zipfile

import pytest

from tests.conftest import shared_path
from tests.fetch.loopback import LOOPBACK_HOSTS, Loopback

WEEKLY = shared_path("data", "uspto-grant-xml", "ipg-weekly-samples")


@pytest.fixture
def loopback():
    server = Loopback()
    server.thread.start()
    yield server
    server.server.shutdown()
    server.server.server_close()


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Any name or address other than the loopback fails the connection, and is recorded."""
    refused: list[str] = []
    real_getaddrinfo = socket.getaddrinfo
    real_create_connection = socket.create_connection

    def guarded_getaddrinfo(host, *args, **kwargs):
        if str(host) not in LOOPBACK_HOSTS:
            refused.append(str(host))
            raise socket.gaierror(f"test guard: no network ({host})")
        return real_getaddrinfo(host, *args, **kwargs)

    def guarded_create_connection(address, *args, **kwargs):
        if str(address[0]) not in LOOPBACK_HOSTS:
            refused.append(str(address[0]))
            raise OSError(f"test guard: no network ({address[0]})")
        return real_create_connection(address, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", guarded_getaddrinfo)
    monkeypatch.setattr(socket, "create_connection", guarded_create_connection)
    return refused


@pytest.fixture(scope="session")
def weekly_zips(tmp_path_factory) -> dict[str, bytes]:
    """The real weekly samples zipped as the weekly ``ipgYYMMDD.zip`` files they stand for."""
    folder = tmp_path_factory.mktemp("weekly")
    zips = {}
    for stem in ("ipg050104", "ipg060103", "ipg070102"):
        path = folder / f"{stem}.zip"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.write(WEEKLY / f"{stem}.small.xml", f"{stem}.xml")
        zips[f"{stem}.zip"] = path.read_bytes()
    return zips
