"""A year without data, a warehouse without harmonised tables: each outbound section is left out
with a note saying what the warehouse holds instead, or what to run."""

from __future__ import annotations

from pathlib import Path

import pytest

from patentreach.report.bulletin.model import SectionUnavailable
from patentreach.report.bulletin.sections import outbound_query
from patentreach.warehouse import Warehouse
from tests.report.bulletin.outbound.conftest import OUTBOUND, build_all


def test_a_year_without_data_is_left_out_saying_which_years_the_warehouse_holds(sample_warehouse: Warehouse) -> None:
    built = build_all(sample_warehouse.root, "JP", 2011)
    for name in OUTBOUND:
        missing = built[name]
        assert isinstance(missing, SectionUnavailable), name
        assert missing.note.msgid == outbound_query.NO_YEAR
        # JP enterprises' grants at the major offices in the samples: 2005-2010 and 2012
        assert missing.note.params["years"] == "2005-2010, 2012"
        assert missing.note.params["year"] == "2011"


def test_an_origin_without_any_data_says_so(sample_warehouse: Warehouse) -> None:
    built = build_all(sample_warehouse.root, "CN", 2021)
    assert {type(built[name]) for name in OUTBOUND} == {SectionUnavailable}
    assert built["offices"].note.msgid == outbound_query.NO_YEAR_AT_ALL


def test_a_warehouse_without_harmonised_tables_says_what_to_run(ingested_samples: Path) -> None:
    built = build_all(ingested_samples, "JP", 2009)
    for name in OUTBOUND:
        assert isinstance(built[name], SectionUnavailable)
        assert built[name].note.msgid == outbound_query.NOT_HARMONISED
        assert built[name].note.params["warehouse"] == str(ingested_samples)


def test_years_are_written_as_runs() -> None:
    assert outbound_query.years_text([2005, 2006, 2007, 2009, 2011, 2012]) == "2005-2007, 2009, 2011-2012"


@pytest.mark.parametrize("top", [0, "ten", True])
def test_a_bad_top_is_a_configuration_error(top: object) -> None:
    from patentreach.report.bulletin.config import ConfigError

    with pytest.raises(ConfigError, match="option top"):
        outbound_query.top_option("fields", {"top": top})


def test_the_bulletin_prints_the_sections_as_omitted_with_the_note(sample_warehouse: Warehouse) -> None:
    from patentreach.report.bulletin.build import build_bulletin
    from patentreach.report.bulletin.config import BulletinConfig, SectionConfig
    from patentreach.report.bulletin.request import BulletinRequest

    config = BulletinConfig(tuple(SectionConfig(name) for name in OUTBOUND))
    bulletin = build_bulletin(BulletinRequest(warehouse=sample_warehouse.root, origin="JP", year=2011), config)
    assert [s.name for s in bulletin.sections] == list(OUTBOUND)
    assert all(s.omitted is not None and s.omitted.msgid == outbound_query.NO_YEAR for s in bulletin.sections)
    assert bulletin.figures == []
