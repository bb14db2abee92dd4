"""``protect_demo`` runs the packaged sample with nothing from outside the package."""

from __future__ import annotations

from patentreach.protect import protect_demo


def test_the_demo_writes_its_outputs_and_returns_summary_lines(tmp_path):
    lines = protect_demo(tmp_path)
    assert lines[0] == "export protection gaps for Example Pumps Co. as of 2026-06-01 (sample data)"
    assert lines[1] == ("20 product-line markets: 3 protected, 1 pending, 16 without protection; "
                        "export value exposed: EUR 2,370,000; USD 6,200,000")
    assert lines[3] == "next: 2026-06-20 DRIVE-5 unitary_effect at EP for FR, IT"
    assert lines[-2].startswith("national indicator on 300 synthetic exporters")  # protect national's demo
    names = sorted(path.name for path in (tmp_path / "protect").iterdir())
    assert names == ["deadlines.ics", "exports.csv", "gaps.json", "gaps.xlsx", "national", "portfolio.csv",
                     "routes.csv"]
