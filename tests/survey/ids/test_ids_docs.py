"""docs/survey-ids.md: its Python example runs and says what it shows."""

from __future__ import annotations

import re
from pathlib import Path

DOC = (Path(__file__).resolve().parents[3] / "docs" / "survey-ids.md").read_text(encoding="utf-8")


def test_the_python_example_runs_as_documented():
    [code] = re.findall(r"```python\n(.*?)```", DOC, re.S)
    names: dict[str, object] = {}
    exec(compile(code, "survey-ids.md", "exec"), names)  # the documentation's own example
    assert names["frame"].attrs["id_rule"] == "uscc"
    assert names["result"].summary() == "<DataFrame>: 300 rows in = 300 accepted + 0 rejected (0 issues)"


def test_the_documented_messages_are_the_real_ones():
    from patentreach.survey.enterprise_ids import IdRule

    [reason] = IdRule("uscc").check(["914403001922038217"])
    assert " ".join(reason.split()) in " ".join(DOC.split())
