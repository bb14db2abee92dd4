"""headlines.yaml: what it ships, and a broken definition is one line naming the indicator and line."""

from __future__ import annotations

import pytest

from patentreach.survey.headlines import HeadlineError, default_path, load_indicators


def test_the_shipped_indicators_and_their_published_figures():
    indicators = load_indicators()
    assert indicators.version == "1"
    shipped = {i.key: (i.unit, i.published["figure"], i.published["verified"]) for i in indicators.indicators}
    assert shipped == {
        "bri_transfer": ("holder", "38%", False),
        "self_innovation": ("holder", "84.1%", False),
        "export_unprotected_none": ("holder", "two-thirds", False),
        "export_unprotected_any": ("holder", "two-thirds", False),
        "industrialisation": ("patent", "48.1% (enterprises, 2022)", True),
        "licence_rate": ("patent", "12.1% (all patentees, 2022)", True),
    }
    self_innovation = indicators.get("self_innovation")
    assert self_innovation.denominator.text == "${difficulty_us_europe} = 'yes'"
    assert self_innovation.numerator.text == "selected(${difficulty_response}, 'self_innovation')"
    assert all(i.breakdowns == ("sector", "size") for i in indicators.indicators)
    assert indicators.derived["bri_partners"].source == "transfer_out_countries"
    for i in indicators.indicators:
        assert "{estimate}" in i.sentence["zh"] and "{estimate}" in i.sentence["en"]


def _broken(tmp_path, old: str, new: str):
    text = default_path().read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "headlines.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "key: export_unprotected_none" in row)
    return path, line


def test_an_unknown_variable_names_the_indicator_and_its_line(tmp_path):
    path, line = _broken(
        tmp_path, "numerator: \"${export_protection} = 'none'\"", "numerator: \"${export_protect} = 'none'\""
    )
    with pytest.raises(HeadlineError) as error:
        load_indicators(path)
    assert str(error.value) == (
        f"{path}, line {line}: indicator 'export_unprotected_none': numerator \"${{export_protect}} = 'none'\" "
        "names export_protect, not a variable of the holder form"
    )
    assert "\n" not in str(error.value)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("denominator: \"${exports} = 'yes'\"", "denominator: \"${exports} = = 'yes'\"", "denominator: "),
        (
            "unit: holder\n    label:\n      en: Exporters with patent protection in none",
            "unit: firm\n    label:\n      en: Exporters with patent protection in none",
            "unit 'firm' is not one of",
        ),
        (
            "numerator: \"${export_protection} = 'none'\"",
            "numerator: \"${export_protection} = 'none'\"\n    weight: 2",
            r"unknown keys \['weight'\]",
        ),
    ],
)
def test_other_broken_definitions_are_one_line(tmp_path, old, new, message):
    path, line = _broken(tmp_path, old, new)
    with pytest.raises(HeadlineError, match=rf"line {line}: indicator 'export_unprotected_none': .*{message}"):
        load_indicators(path)


def test_a_file_that_is_not_yaml_names_its_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("version: 1\nindicators: [\n  - key: x\n", encoding="utf-8")
    with pytest.raises(HeadlineError, match=r"bad.yaml, line \d+: cannot read the indicator file"):
        load_indicators(path)
