"""IPC and CPC symbols as EPO files print them: fixed-width text with flags after the symbol.

DOCDB and EP publication XML print ``A61K   9/16        20060101AFI20051008RMEP``: the symbol,
the version date, then the level (``A`` advanced / ``C`` core), the position (``F`` first, ``L``
later, blank when not given) and the value (``I`` inventive, ``N`` non-inventive). OPS pads the
group differently (``H04W  84/    20            A I``). CPC text has the same shape with a blank
level and ``I``/``A`` values (``C12N2310/141       20130101 LA...``). Before 2006 (IPC
editions 1-7) the symbol is printed with its edition in front, ``" 7C 07C  29/44   A"``, or
compactly, ``H04N7/24``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from patentreach.model.ipc import normalise_ipc

_SYMBOL = re.compile(r"^\s*([A-H]\d\d[A-Z])\s*(\d{1,4})\s*/\s*(\d{1,6})")
_FLAGS = re.compile(r"^\s*(?:\d{8})?\s*([AC ])([FL ])([INA])")
_OLD_EDITION = re.compile(r"^\s*(\d{0,2})\s*([A-H])\s*(\d\d)\s*([A-Z])\s*(\d{1,4})\s*/\s*(\d{1,6})")


@dataclass(frozen=True, slots=True)
class FixedWidthSymbol:
    symbol: str
    first: bool  # printed as the first (main) symbol
    inventive: bool | None  # None when the text carries no value flag


@lru_cache(maxsize=1 << 16)
def parse_fixed_width(text: str | None) -> FixedWidthSymbol | None:
    """The canonical symbol and flags of one fixed-width IPCR/CPC text; None if not a symbol.

    Remembered per text (the result is immutable): a bulk file prints the same few thousand
    classification texts over and over, and three regular expressions per text were a tenth of
    mapping a DOCDB document."""
    if not text:
        return None
    match = _SYMBOL.match(text.upper())
    if match is None:
        return None
    symbol = normalise_ipc(match.group(0))
    if symbol is None:
        return None
    flags = _FLAGS.match(text[match.end() :])
    if flags is None:
        return FixedWidthSymbol(symbol, first=False, inventive=None)
    _level, position, value = flags.groups()
    return FixedWidthSymbol(symbol, first=position == "F", inventive=value == "I")


def parse_old_ipc(text: str | None) -> str | None:
    """Canonical symbol from pre-2006 text: ``" 7C 07C  29/44   A"`` or ``H04N7/24``."""
    if not text:
        return None
    match = _OLD_EDITION.match(text.upper())
    if match is None:
        return normalise_ipc(text)
    _edition, section, klass, subclass, group, subgroup = match.groups()
    return normalise_ipc(f"{section}{klass}{subclass} {group}/{subgroup}")
