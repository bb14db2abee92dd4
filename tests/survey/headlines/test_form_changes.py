"""The 2021.2 form changes: real enterprise ids, the US/Europe licensing-in question, one calculate."""

import pytest

from patentreach.survey.instrument.form import load_form, to_xform
from patentreach.survey.xpath_subset import evaluate_row


@pytest.mark.parametrize("name", ["holder", "patent"])
@pytest.mark.parametrize(
    ("value", "accepted"),
    [
        ("E123456", True),
        ("91350100M000100Y43", True),  # an 18-character unified social credit code
        ("91110000100000942Y", True),
        ("91350100M000100I43", False),  # I is never used in a credit code
        ("91350100M000100Y4", False),  # 17 characters
        ("9135010AM000100Y43", False),  # the division code is six digits
        ("E12345", False),
    ],
)
def test_enterprise_id_accepts_credit_codes_and_demo_ids(name, value, accepted):
    field = load_form(name).field("enterprise_id")
    assert field.constraint is not None
    assert evaluate_row(field.constraint.text, {"enterprise_id": value}, current="enterprise_id") is accepted
    assert "18" in field.message("en") and "18" in field.message("zh")


def test_holder_asks_about_the_united_states_and_europe_then_the_response():
    form = load_form("holder")
    assert form.version == "2021.3" and form.form_id == "patentreach_enterprise_holder"
    us_eu = form.field("difficulty_us_europe")
    assert "United States or Europe" in us_eu.label("en")
    assert "美国或欧洲" in us_eu.label("zh")
    assert [c.text for c in us_eu.relevant] == ["${tech_import_difficulty} = 'yes'"]
    assert "self_innovation" in form.choice_names("difficulty_response")


def test_holder_has_one_calculate_field_that_odk_accepts():
    form = load_form("holder")
    calculated = [f for f in form.fields if f.type == "calculate"]
    assert [f.name for f in calculated] == ["total_patents_cn"]
    xform = to_xform("holder")
    assert 'calculate=" /data/patents/inv_patents_cn  +  /data/patents/um_patents_cn ' in xform
