"""The Arrow schema Arrow's JSON reader reads a block of Google Patents JSON Lines with.

Every column and struct field ``record_from_row`` reads is named (other keys are skipped), so
the native mapping sees all a row holds that the reader would use. Arrow's reader is strict: a
value of another JSON type than the schema's (a number where text is declared, a string in a
list of objects) fails the block, which then goes to the reader's own ``parse``. Two of the
table's types arrive in two spellings, so the schema follows the block's bytes: INT64 dates are
JSON strings in BigQuery's JSON export and the console's "save as JSON" but numbers from the
client library; BOOL ``first``/``inventive`` are JSON booleans in the export, ``"true"`` in the
console. The block's first value of each says which (``read_block``; a scan of the whole block
for either spelling cost 70% of Arrow's parse); a block that mixes spellings fails and goes to
``parse``, never to a wrong value.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyarrow as pa

DATES = ("publication_date", "filing_date", "priority_date", "grant_date")
TEXTS = ("publication_number", "country_code", "kind_code", "application_kind", "application_number",
         "pct_number", "family_id")
FLAGS = ("first", "inventive")
# Arrow's message when a value is not of the declared JSON type: the column path and field name
_CHANGED = re.compile(r"Column\((?:/[^)]*)?/(\w+)\) changed from")


def read_block(data: bytes) -> pa.Table:
    """Arrow's rows of a block of JSON Lines, with the spellings the block's first dates and
    flags have; where a later value is spelled the other way, Arrow's error names its field and
    the block is read once more with that spelling (a block that mixes them raises
    ``pyarrow.ArrowInvalid``, as any block Arrow cannot read)."""
    import pyarrow as pa
    import pyarrow.json as pajson

    numbers = {"dates": _first_value(data, DATES) == "number", "flags": _first_value(data, FLAGS) != "string"}
    tried: set[str] = set()
    while True:
        options = pajson.ParseOptions(explicit_schema=block_schema(numbers["dates"], numbers["flags"]),
                                      unexpected_field_behavior="ignore")
        try:
            return pajson.read_json(pa.py_buffer(data), parse_options=options)
        except pa.ArrowInvalid as exc:
            changed = _CHANGED.search(str(exc))
            family = None if changed is None else "dates" if changed[1] in DATES else (
                "flags" if changed[1] in FLAGS else None)
            if family is None or family in tried:
                raise
            tried.add(family)
            numbers[family] = not numbers[family]


def _first_value(data: bytes, keys: tuple[str, ...]) -> str | None:
    """``number`` or ``string`` (or another JSON type's first letter) for the first value of any
    of ``keys`` in the block, as written after its key; None when none is there. A guess only:
    Arrow checks every value against the schema the guess makes."""
    found = [i for i in (data.find(b'"' + key.encode() + b'"') for key in keys) if i >= 0]
    if not found:
        return None
    at = min(found)
    value = data[data.find(b":", at) + 1:][:64].lstrip()[:1]
    return "number" if value in b"-0123456789" and value else "string" if value == b'"' else value.decode("latin-1")


def block_schema(number_dates: bool = False, boolean_flags: bool = True) -> pa.Schema:
    """The schema: every column and struct field the reader reads, dates as numbers or text,
    flags as booleans or text."""
    import pyarrow as pa

    day = pa.int64() if number_dates else pa.string()
    flag = pa.bool_() if boolean_flags else pa.string()
    entry = pa.list_(pa.struct([("name", pa.string()), ("country_code", pa.string())]))
    symbols = pa.list_(pa.struct([("code", pa.string()), ("inventive", flag), ("first", flag)]))
    return pa.schema([
        *((name, pa.string()) for name in TEXTS),
        *((name, day) for name in DATES),
        ("title_localized", pa.list_(pa.struct([("text", pa.string()), ("language", pa.string())]))),
        ("assignee_harmonized", entry), ("inventor_harmonized", entry),
        ("ipc", symbols), ("cpc", symbols),
        ("priority_claim", pa.list_(pa.struct([("application_number", pa.string()), ("filing_date", day)]))),
    ])
