"""The C-decoder fast path of ``json_array_records`` cuts exactly the units the byte scanner cuts.

The fast path only decides where a well-formed element ends; every other case falls back to the
byte scanner. These tests run both on the real JSON-array samples and on synthetic arrays whose
multi-byte UTF-8 characters straddle the block boundary, and compare unit by unit (index, line,
bytes).
"""

from __future__ import annotations

import io
import json
import random
import re
from types import SimpleNamespace

import pytest

from patentreach.sources import json_array_records
from patentreach.sources.base import Unit
from patentreach.sources.json_array_records import array_units
from patentreach.sources.json_nesting import deeper_than
from patentreach.sources.uspto_odp.json_bag import _BAG
from tests.conftest import shared_path
from tests.sources.samples import SAMPLES

JSON_ARRAY_READERS = ("google-patents", "lens-json", "uspto-odp-json", "cnipa-cpquery-json")
SAMPLE_FILES = [path for reader in JSON_ARRAY_READERS for path in SAMPLES[reader]]
LENS_OPENING = re.compile(rb'"data"\s*:\s*\[')


def _units(data: bytes, *, fast: bool, monkeypatch: pytest.MonkeyPatch, **kwargs: object) -> list[Unit]:
    with monkeypatch.context() as patch:
        if not fast:
            patch.setattr(json_array_records, "_decoded_end", lambda *_args: None)
        return list(array_units(io.BytesIO(data), **kwargs))  # type: ignore[arg-type]


def _multibyte_array(records: int = 40) -> bytes:
    """An array whose strings hold 2-, 3- and 4-byte characters, one record per line."""
    rows = [
        {
            "publication_number": f"EP-{n}-A1",
            "title": "é" * (n % 5) + "中文" * (n % 3) + "😀" * (n % 2),
            "n": [n, {"k": "ü"}],
        }
        for n in range(records)
    ]
    return ("[\n" + ",\n".join(json.dumps(row, ensure_ascii=False) for row in rows) + "\n]\n").encode()


@pytest.mark.parametrize("sample", SAMPLE_FILES)
@pytest.mark.parametrize("opening", [None, _BAG, LENS_OPENING], ids=["file-array", "odp-bag", "lens-data"])
@pytest.mark.parametrize("block_size", [61, 4096, json_array_records.BLOCK_SIZE])
def test_real_samples_are_cut_identically_by_fast_path_and_byte_scanner(
    sample: str, opening: re.Pattern[bytes] | None, block_size: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = shared_path("data", sample).read_bytes()
    kwargs = {"opening": opening, "block_size": block_size}
    assert _units(data, fast=True, monkeypatch=monkeypatch, **kwargs) == _units(
        data, fast=False, monkeypatch=monkeypatch, **kwargs
    )


@pytest.mark.parametrize("block_size", [1, 2, 3, 5, 13, 64])
def test_multibyte_characters_straddling_the_block_boundary_are_cut_identically(
    block_size: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _multibyte_array()
    fast = _units(data, fast=True, monkeypatch=monkeypatch, block_size=block_size)
    assert fast == _units(data, fast=False, monkeypatch=monkeypatch, block_size=block_size)
    assert [unit.line for unit in fast] == list(range(2, 42))
    assert [json.loads(unit.data)["publication_number"] for unit in fast] == [f"EP-{n}-A1" for n in range(40)]


def test_well_formed_array_never_reaches_the_byte_scanner(monkeypatch: pytest.MonkeyPatch) -> None:
    def scanner_called(*_args: object) -> None:
        raise AssertionError("the byte scanner ran on a well-formed element")

    monkeypatch.setattr(json_array_records, "_element_end", scanner_called)
    units = list(array_units(io.BytesIO(_multibyte_array()), block_size=5))
    assert len(units) == 40


def test_invalid_utf8_inside_a_string_is_cut_exactly_as_the_byte_scanner_does(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = b'[{"a": "ok"},\n{"a": "bad \xff\xfe byte", "b": [1]},\n{"a": "\xe4\xb8"}]'
    for block_size in (1, 4, 1 << 20):
        fast = _units(data, fast=True, monkeypatch=monkeypatch, block_size=block_size)
        assert fast == _units(data, fast=False, monkeypatch=monkeypatch, block_size=block_size)
        assert [unit.data for unit in fast] == [
            b'{"a": "ok"}',
            b'{"a": "bad \xff\xfe byte", "b": [1]}',
            b'{"a": "\xe4\xb8"}',
        ]


@pytest.mark.parametrize(
    "damaged",
    [
        b'[{"id": 1}, {"id": 2 "x": 3}, {"id": 3}]',  # syntax error inside balanced brackets
        b'[{"id": 1}, {"id": "2}, {"id": 3}]',  # unbalanced quote
        b'[{"id": 1}, {"id": [2}, {"id": 3}]',  # unbalanced bracket
        b'[{"id": 1}, junk {"id": 3}]',  # junk between records
        b'[{"id": 1}, {"id": 2, "s": "cut',  # file cut short inside a string
        b'[{"id": 1}, {"id": tr',  # file cut short inside a literal
        b'[{"id": 1}, ' + b"[" * 5000 + b"]" * 5000 + b', {"id": 3}]',  # deeper than the C decoder recurses
    ],
)
def test_damaged_arrays_fall_back_to_the_byte_scanner_unchanged(
    damaged: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    for block_size in (3, 1 << 20):
        fast = _units(damaged, fast=True, monkeypatch=monkeypatch, block_size=block_size)
        assert fast == _units(damaged, fast=False, monkeypatch=monkeypatch, block_size=block_size)


def _deeper_than_reference(data: bytes, limit: int) -> bool:
    """The byte-by-byte depth scan ``json_nesting.deeper_than`` replaced, kept as the spec."""
    structure, in_string = re.compile(rb'[\[\]{}"]'), re.compile(rb'["\\]')
    depth, pos = 0, 0
    while pos < len(data):
        hit = structure.search(data, pos)
        if hit is None:
            return False
        char, pos = data[hit.start()], hit.start() + 1
        if char == 0x22:
            while True:
                end = in_string.search(data, pos)
                if end is None:
                    return False
                pos = end.start() + (2 if data[end.start()] == 0x5C else 1)
                if data[end.start()] == 0x22:
                    break
        elif char in b"[{":
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


def test_nesting_check_agrees_with_the_byte_scan_on_random_bracket_soup() -> None:
    rng = random.Random(15)
    alphabet = b'[[[{{]]}}""\\\\ax\n'
    for _ in range(3000):
        data = bytes(rng.choice(alphabet) for _ in range(rng.randrange(0, 60)))
        for limit in (0, 1, 2, 3, 5):
            assert deeper_than(data, limit) == _deeper_than_reference(data, limit), (data, limit)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b'{"a": "[[[[[[", "b": [[1]]}', False),  # brackets inside a string do not count
        (b'{"a": "x\\"[[[[[[", "b": 1}', False),  # nor after an escaped quote
        (b'{"a": [[[1]]], "b": [[[2]]]}', False),  # 7 brackets in total, 4 deep
        (b'{"a": [[[[1]]]]}', True),  # 5 deep
        (b'{"a": [[[1]]], "s": "unterminated [[[[[[', False),  # nothing after an open string counts
        (b'{"a": "x\\', False),  # a trailing lone backslash
    ],
)
def test_nesting_check_counts_only_structure(data: bytes, expected: bool) -> None:
    assert deeper_than(data, 4) is expected
    assert _deeper_than_reference(data, 4) is expected


@pytest.mark.parametrize("max_bytes", [50, 100, 128, 200, 10_000])
def test_a_record_past_max_document_bytes_is_cut_as_the_byte_scanner_cuts_it(
    max_bytes: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = json.dumps({"id": 2, "text": "x" * 150}).encode()
    data = b'[{"id": 1},\n' + big + b',\n{"id": 3}]'
    monkeypatch.setattr(json_array_records.limits, "current", lambda: SimpleNamespace(max_document_bytes=max_bytes))
    fast = _units(data, fast=True, monkeypatch=monkeypatch, block_size=64)
    assert fast == _units(data, fast=False, monkeypatch=monkeypatch, block_size=64)
    assert len(fast) == 3
