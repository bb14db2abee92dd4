"""The Arrow schema Arrow's JSON reader reads a block of Google Patents JSON Lines with.

Every column and struct field ``record_from_row`` reads is named (other keys are skipped), so
the native mapping sees all a row holds that the reader would use. Arrow's reader is strict: a
value of another JSON type than the schema's (a number where text is declared, a string in a
list of objects) fails the block, which then goes to the reader's own ``parse``. Two of the
table's types arrive in two spellings, so the schema follows the block's bytes: INT64 dates are
JSON strings in BigQuery's JSON export and the console's "save as JSON" but numbers from the
client library; BOOL ``first``/``inventive`` are JSON booleans in the export, ``"true"`` in the
console. A block that mixes spellings fails and goes to ``parse``, never to a wrong value.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyarrow as pa

DATES = ("publication_date", "filing_date", "priority_date", "grant_date")
TEXTS = ("publication_number", "country_code", "kind_code", "application_kind", "application_number",
         "pct_number", "family_id")
_NUMBER_DATE = re.compile(rb'"(?:publication|filing|priority|grant)_date"\s*:\s*-?[0-9]')
_BOOLEAN_FLAG = re.compile(rb'"(?:first|inventive)"\s*:\s*(?:true|false)')


def block_schema(data: bytes) -> pa.Schema:
    """The schema for a block: dates as numbers or text, flags as booleans or text, as the
    block's bytes spell them."""
    import pyarrow as pa

    day = pa.int64() if _NUMBER_DATE.search(data) else pa.string()
    flag = pa.bool_() if _BOOLEAN_FLAG.search(data) else pa.string()
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
