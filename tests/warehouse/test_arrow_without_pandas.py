"""Arrow conversion of a batch: no pandas import for lists (issue 20), exact columns.

pyarrow imports pandas the first time it converts a list (0.5-1.5 s per process) only to ask
whether the list is a pandas object; ``spare_pandas_import`` avoids that, and must not change how
pandas objects convert once pandas is imported. Both run in a fresh interpreter: the test process
itself has long imported pandas.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyarrow as pa

from patentreach.model.records import Party, PartyKind, Role
from patentreach.model.schema import PATENT_TABLES
from patentreach.warehouse.arrow_batches import _table
from tests.conftest import shared_path

REPO = Path(__file__).resolve().parents[2]

SCRIPT = """
import sys
import pyarrow as pa
from patentreach.warehouse.arrow_batches import collect
from patentreach.sources.uspto_grant import UsptoGrantXml
reader = UsptoGrantXml()
with open(sys.argv[1], "rb") as handle:
    parsed = [reader.parse(u, "f") for u in reader.units(handle)]
result = collect(parsed, "f", reader.name, "i")
print(result.stored, result.tables["publications"].num_rows, "pandas" in sys.modules)
import importlib.util
assert importlib.util.find_spec("pandas") is not None  # looking pandas up is not importing it
import pandas as pd
print(pa.array(pd.Series(pd.Categorical(["a", "b", "a"]))).type)
print(pa.array(pd.Series([1, None], dtype="Int64")).to_pylist())
"""


def test_a_batch_converts_without_importing_pandas_and_pandas_objects_convert_as_usual_after():
    sample = shared_path("data", "uspto-grant-xml", "ipg-weekly-samples", "ipg050104.small.xml")
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(sample)], capture_output=True, text=True, cwd=REPO, check=True
    ).stdout.splitlines()
    stored, rows, pandas_imported = out[0].split()
    assert stored == rows and int(stored) > 0
    assert pandas_imported == "False"
    assert out[1].startswith("dictionary<")  # a categorical, not a plain string column
    assert out[2] == "[1, None]"


def test_table_columns_come_from_the_rows_with_enum_members_as_plain_text():
    rows = [
        Party("US-1-B2", Role.INVENTOR, 1, "Ann Lee", PartyKind.PERSON, city="Austin", country="US"),
        Party("US-1-B2", Role.ASSIGNEE, 1, "Acme", PartyKind.ORGANISATION),
    ]
    schema = PATENT_TABLES["parties"]
    table = _table(rows, schema, {"record_index": [7, 7], "ingest_id": ["i", "i"]})
    assert table.schema == schema
    assert table.column("role").to_pylist() == ["inventor", "assignee"]
    assert table.column("kind").to_pylist() == ["person", "organisation"]
    assert table.column("city").to_pylist() == ["Austin", None]
    assert table.column("record_index").to_pylist() == [7, 7]
    assert type(table.column("role").to_pylist()[0]) is str


def test_a_table_without_rows_is_empty_with_its_schema():
    schema = PATENT_TABLES["publications"]
    table = _table([], schema, {"ingest_id": []})
    assert (table.num_rows, table.schema) == (0, schema)
    assert pa.Table.from_pylist([], schema=schema).equals(table)
