"""Cut the record array of a USPTO ODP JSON response into one raw unit per record, unparsed.

ODP responses and bulk files are one JSON object whose ``patentFileWrapperDataBag`` (or, in the
older shape, ``patentBag``) array holds the applications; a bulk file holds many thousands.
``units`` must be cheap and must not hold the file, so this is a byte scanner, not a JSON
parser (``json_array_records``, shared with the Google and Lens readers): it finds the array,
then tracks strings (with escapes) and bracket depth to cut each element's exact bytes, reading
the stream block by block, and resynchronises at the next record after a damaged one. ``parse``
then decodes one element.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import BinaryIO

from patentreach.sources.base import Unit
from patentreach.sources.json_array_records import array_units

BLOCK_SIZE = 4 * 1024 * 1024
BAG_KEYS = (b"patentFileWrapperDataBag", b"patentBag")
_BAG = re.compile(rb'"(' + b"|".join(BAG_KEYS) + rb')"\s*:\s*\[')
# How far into the file the bag key may start (after "count" and similar header fields).
HEADER_LIMIT = 1024 * 1024


def bag_items(stream: BinaryIO, block_size: int = BLOCK_SIZE) -> Iterator[Unit]:
    """One ``Unit`` per element of the record array: its index, start line and raw bytes.

    A file without the array yields its first bytes as one unit (``parse`` quarantines it); an
    element cut short by the end of the file is yielded as it is (``parse`` quarantines it too);
    a damaged element costs only itself: cutting resumes at the next record (see
    ``json_array_records``).
    """
    return array_units(stream, _BAG, block_size=block_size, search_limit=HEADER_LIMIT)
