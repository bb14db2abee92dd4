"""DOCDB reading costs (issue 20): the garbage collector paused per unit and always restored; the
namespace walk left out of elements the mapping never reads."""

from __future__ import annotations

import gc
import io

import pytest

from patentreach.sources import source_named
from patentreach.sources.docdb.collector import collector_paused
from tests.conftest import shared_path
from tests.sources.samples import SAMPLES


@pytest.fixture
def collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_the_collector_is_off_inside_and_on_again_after(collector_on):
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_the_collector_is_switched_back_on_when_the_block_raises(collector_on):
    with pytest.raises(KeyError), collector_paused():
        raise KeyError("x")
    assert gc.isenabled()


def test_a_collector_the_caller_switched_off_stays_off(collector_on):
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled()


def test_reading_every_docdb_sample_leaves_the_collector_on_and_pauses_it_per_unit(collector_on, monkeypatch):
    source = source_named("epo-docdb-xml")
    seen: list[bool] = []
    real = type(source)._parse

    def spying(self, unit, source_file):  # type: ignore[no-untyped-def]
        seen.append(gc.isenabled())
        return real(self, unit, source_file)

    monkeypatch.setattr(type(source), "_parse", spying)
    stored = 0
    for relative in SAMPLES["epo-docdb-xml"]:
        with open(shared_path("data", *relative.split("/")), "rb") as handle:
            stored += sum(source.parse(u, relative).stores for u in source.units(io.BufferedReader(handle)))
    # 14: the exchange-document elements of the five sample files (grep), each stored, each parsed
    # with the collector off
    assert stored == len(seen) == 14
    assert not any(seen)
    assert gc.isenabled()


def test_plain_names_leaves_only_the_inside_of_unused_elements_namespaced():
    import xml.etree.ElementTree as ElementTree

    from patentreach.sources.docdb.namespaces import plain_names

    root = ElementTree.fromstring(
        b'<e:docs xmlns:e="urn:e"><e:doc><e:biblio><e:refs><e:cit><e:x/></e:cit></e:refs>'
        b"<e:parties><e:party><e:name/></e:party></e:parties></e:biblio>"
        b"<e:family><e:member/></e:family></e:doc></e:docs>"
    )
    plain_names(root, containers=frozenset({"doc", "biblio"}), unused=frozenset({"refs", "family"}))
    assert [e.tag for e in root.iter()] == [
        "docs", "doc", "biblio", "refs", "{urn:e}cit", "{urn:e}x", "parties", "party", "name",
        "family", "{urn:e}member",
    ]
