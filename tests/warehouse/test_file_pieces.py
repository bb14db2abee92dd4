"""``--jobs N`` cuts a plain file into pieces from its size alone (``warehouse/file_pieces``).

Each worker finds its own cut (the first ``<?xml`` at or after its hint) and learns the record
index and line its piece starts at from scans of the pieces before it. Whatever the hints, the
pieces' units must be exactly the units one process splits from the whole file: same record
indices, same line numbers, same bytes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from patentreach.sources.base import Quarantined
from patentreach.sources.concatenated_xml import RangeReader, split_documents
from patentreach.warehouse import file_pieces
from tests.conftest import shared_path

GRANTS = ("data", "uspto-grant-xml")
WEEKLY = (*GRANTS, "ipg-weekly-samples", "ipg120103.small.xml")
PATDOC = (*GRANTS, "pg-v2.5-2002", "pg020507hundred.xml")

# Blank lines between documents, CRLF line ends, and a declaration quoted inside a comment and a
# CDATA section: the splitter cuts there too (it does not parse), so the pieces must cut alike.
SYNTHETIC = (
    b"\n\n<?xml version='1.0'?>\n<a>one</a>\n"
    b"<?xml version='1.0'?>\r\n<b><!-- a quoted <?xml declaration --></b>\r\n\n"
    b"<?xml version='1.0'?><c><![CDATA[ <?xml in CDATA ]]></c>"
    b"<?xml version='1.0'?>\n\n\n<d>\nlast\n</d>\n\n"
)


def _unit(unit) -> tuple:  # type: ignore[no-untyped-def]
    data = unit.data
    if isinstance(data, Quarantined):
        return unit.index, unit.line, (data.index, data.line, tuple(data.reasons), data.raw)
    return unit.index, unit.line, data


def _whole(path: Path, max_document_bytes: int | None = None) -> list[tuple]:
    with open(path, "rb") as handle:
        return [_unit(u) for u in split_documents(handle, 4_096, max_document_bytes)]


def _by_pieces(path: Path, cut_hints: list[int], max_document_bytes: int | None = None) -> list[tuple]:
    """What the workers split, each piece started at the index and line the scans before it give."""
    units, index, line = [], 0, 1
    for number in range(len(cut_hints) - 1):
        scan = file_pieces.scan(str(path), cut_hints, number)
        with RangeReader(str(path), scan.start, scan.end - scan.start) as stream:
            found = [_unit(u) for u in split_documents(stream, 4_096, max_document_bytes, index, line)]
        assert len(found) == scan.units
        units.extend(found)
        index, line = index + scan.units, line + scan.newlines
    return units


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("pieces") / "synthetic.xml"
    path.write_bytes(SYNTHETIC)
    return path


def test_the_synthetic_file_is_cut_at_every_declaration_even_quoted_ones(synthetic):
    whole = _whole(synthetic)
    assert [(index, line) for index, line, _ in whole] == [(0, 3), (1, 5), (2, 6), (3, 8), (4, 8), (5, 8)]
    assert whole[2][2] == b"<?xml declaration --></b>\r\n\n"


def test_two_pieces_yield_the_whole_files_units_wherever_the_hint_falls(synthetic):
    whole = _whole(synthetic)
    for hint in range(len(SYNTHETIC) + 1):  # every byte: inside a declaration, at it, just after
        assert _by_pieces(synthetic, [0, hint, len(SYNTHETIC)]) == whole, hint


def test_three_pieces_yield_the_whole_files_units_for_every_pair_of_hints(synthetic):
    whole = _whole(synthetic)
    for low in range(0, len(SYNTHETIC) + 1, 7):
        for high in range(low, len(SYNTHETIC) + 1, 11):
            assert _by_pieces(synthetic, [0, low, high, len(SYNTHETIC)]) == whole, (low, high)


def test_a_declaration_straddling_a_hint_belongs_to_the_piece_it_starts_in(synthetic):
    second = SYNTHETIC.index(b"<?xml", 3)
    for hint in range(second + 1, second + 5):  # the hint cuts the declaration's five bytes
        start, end = file_pieces.bounds(SYNTHETIC, [0, hint, len(SYNTHETIC)], 0)
        assert (start, end) == (0, SYNTHETIC.index(b"<?xml", second + 1))
    assert file_pieces.bounds(SYNTHETIC, [0, second, len(SYNTHETIC)], 1)[0] == second


def test_a_piece_without_a_declaration_is_empty_and_the_next_starts_where_it_would(synthetic):
    last = SYNTHETIC.rindex(b"<?xml")
    hints = [0, last + 1, last + 2, len(SYNTHETIC)]  # pieces 1 and 2 fall inside the last document
    assert [file_pieces.bounds(SYNTHETIC, hints, n) for n in range(3)] == [
        (0, len(SYNTHETIC)), (len(SYNTHETIC), len(SYNTHETIC)), (len(SYNTHETIC), len(SYNTHETIC))
    ]
    assert _by_pieces(synthetic, hints) == _whole(synthetic)


@pytest.mark.parametrize("parts", [WEEKLY, PATDOC])
@pytest.mark.parametrize("pieces", [2, 3, 5, 16])
def test_real_weekly_files_cut_into_pieces_yield_the_units_of_the_whole_file(parts, pieces):
    path = shared_path(*parts)
    size = path.stat().st_size
    assert _by_pieces(path, file_pieces.hints(size, pieces)) == _whole(path)


def test_hints_next_to_the_declarations_of_a_real_file_cut_it_alike():
    path = shared_path(*WEEKLY)
    content = path.read_bytes()
    whole = _whole(path)
    declarations = [i for i in range(len(content)) if content.startswith(b"<?xml", i)][1:5]
    for at in declarations:
        for hint in (at - 1, at, at + 1, at + 4):
            assert _by_pieces(path, [0, hint, len(content)]) == whole, hint


def test_an_oversized_document_across_a_hint_is_quarantined_alike():
    path = shared_path(*WEEKLY)
    whole = _whole(path, 70_000)
    oversized = [u for u in whole if not isinstance(u[2], bytes)]
    assert len(oversized) == 15  # the sample grants over 70,000 bytes
    content = path.read_bytes()
    first = content.index(b"<?xml", content.index(oversized[0][2][3][:200]))
    for hint in (first + 1, first + 50_000, first + 100_000):  # inside the 114,068-byte document
        assert _by_pieces(path, [0, hint, len(content)], 70_000) == whole


def test_piece_zero_is_larger_by_the_scan_share_and_the_hints_cover_the_file():
    assert file_pieces.hints(1_000, 1) == [0, 1_000]
    assert file_pieces.hints(2_080, 2, 0.08) == [0, 1_080, 2_080]
    assert file_pieces.hints(3_100, 3, 0.1) == [0, 1_100, 2_100, 3_100]
    assert file_pieces.hints(0, 3) == [0, 0, 0, 0]


def test_counting_finds_declarations_and_newlines_across_count_blocks(monkeypatch):
    monkeypatch.setattr(file_pieces, "COUNT_BLOCK", 7)
    assert file_pieces.count_newlines(SYNTHETIC, 0, len(SYNTHETIC)) == SYNTHETIC.count(b"\n")
    assert file_pieces.count_newlines(SYNTHETIC, 5, 40) == SYNTHETIC.count(b"\n", 5, 40)
    cuts = [0] + [i for i in range(1, len(SYNTHETIC)) if SYNTHETIC.startswith(b"<?xml", i)] + [len(SYNTHETIC)]
    for block in (5, 6, 7, 64):
        monkeypatch.setattr(file_pieces, "COUNT_BLOCK", block)
        for low in cuts:
            for high in (c for c in cuts if c >= low):
                assert file_pieces.count_declarations(SYNTHETIC, low, high) == SYNTHETIC.count(b"<?xml", low, high)


def _peak_rss_kb() -> int:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))


def test_a_scan_leaves_the_mapped_pages_out_of_the_workers_resident_memory(tmp_path):
    path = tmp_path / "big.xml"
    document = b"<?xml version='1.0'?>\n<a>" + b"x" * 100_000 + b"</a>\n"
    path.write_bytes(document * 400)  # 40 MB
    try:
        with open("/proc/self/clear_refs", "w") as clear:
            clear.write("5")  # resets the peak resident size (Linux)
    except OSError:
        pytest.skip("the peak resident size cannot be reset here")
    before = _peak_rss_kb()
    scan = file_pieces.scan(str(path), [0, path.stat().st_size], 0)
    assert (scan.units, scan.newlines) == (400, 800)
    assert _peak_rss_kb() - before < 20_000  # KB: well under the 40 MB file
