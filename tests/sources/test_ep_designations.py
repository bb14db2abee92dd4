"""EP publications carry their designated, extension and validation states and the language of
proceedings."""

from patentreach.sources.ep_publication import EpPublicationXml
from tests.conftest import shared_path

READER = EpPublicationXml()


def _record(relative: str):
    path = shared_path("data", "epo-ep-publication-xml", relative)
    with open(path, "rb") as handle:
        (unit,) = list(READER.units(handle))
    return READER.parse(unit, str(path)).record


def test_extension_and_validation_states_are_kept_apart_from_designated_states():
    record = _record("application/v1-5-1-A1-3.xml")
    by_kind = {}
    for d in record.designations:
        by_kind.setdefault(d.kind, []).append(d.country)
    assert len(by_kind["designated"]) == 38
    assert by_kind["extension"] == ["BA", "ME"]
    assert by_kind["validation"] == ["KH", "MA", "MD", "TN"]
    assert record.publication.language == "de"


def test_an_old_grant_lists_only_its_designated_states():
    record = _record("grant/v1-0-B1-1.xml")
    assert [(d.country, d.kind) for d in record.designations] == [
        ("DE", "designated"), ("FR", "designated"), ("GB", "designated"), ("IT", "designated")
    ]
