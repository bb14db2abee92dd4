"""Inputs of the section tests, built once: a warehouse of real transfer records with transfers
from China to a Belt and Road country, and a small real-shaped survey store.

``bri_warehouse``: the real transfer records of ``tests/transfers/conftest.py`` (none of which goes
from China to a Belt and Road country) plus three EDITED copies of one real record of the daily
assignment file ad20160101.xml (reel/frame 037389/0087: EFUN TECHNOLOGY CO., LTD. to MIGHTY ACE
LIMITED, Apia, Samoa, a Belt and Road partner): its assignor replaced by VERSITECH LIMITED, which
the day's record 037390/0601 prints with a Chinese address, so the copies go from CN to WS. Two are
recorded on 2015-12-31 (as the original), one on 2014-12-30 (a year before, for the change). They
are the only constructed records; every other value comes from real files.

``survey_files`` (the store, its weights) is in ``tests/report/bulletin/conftest.py``, shared with
the whole bulletin's test.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from patentreach.warehouse.ingest import ingest
from patentreach.warehouse.layout import Warehouse
from tests.conftest import shared_path
from tests.transfers.conftest import DAILY

EDITS = (("99998", "1", "20151231", "20151223"), ("99998", "2", "20151231", "20151223"),
         ("99998", "3", "20141230", "20141223"))


def edited_to_samoa(target: Path) -> Path:
    """The day's record 037389/0087, copied per ``EDITS`` (reel, frame, recorded, executed), its
    assignor VERSITECH LIMITED."""
    data = shared_path(*DAILY).read_text(encoding="utf-8")
    head = data[: data.index("<patent-assignment>")]
    record = re.search(r"<patent-assignment>(?:(?!</patent-assignment>).)*?<reel-no>37389</reel-no>\s*"
                       r"<frame-no>87</frame-no>.*?</patent-assignment>", data, re.S).group(0)
    record = record.replace("EFUN TECHNOLOGY CO., LTD.", "VERSITECH LIMITED")
    copies = []
    for reel, frame, recorded, executed in EDITS:
        copy = record.replace("<reel-no>37389</reel-no>", f"<reel-no>{reel}</reel-no>")
        copy = copy.replace("<frame-no>87</frame-no>", f"<frame-no>{frame}</frame-no>")
        copy = copy.replace("<date>20151231</date>", f"<date>{recorded}</date>")
        copies.append(copy.replace("<date>20151223</date>", f"<date>{executed}</date>"))
    body = "\n    ".join(copies)
    target.write_text(head + body + "\n  </patent-assignments>\n</us-patent-assignments>\n", encoding="utf-8")
    return target


@pytest.fixture(scope="session")
def bri_warehouse(tmp_path_factory, real_warehouse) -> Warehouse:
    folder = tmp_path_factory.mktemp("bulletin-transfers")
    warehouse = Warehouse(folder / "bri")
    shutil.copytree(real_warehouse.root, warehouse.root)
    report = ingest([edited_to_samoa(folder / "ad-edited-samoa.xml")], warehouse)
    assert report.failed == []
    return warehouse
