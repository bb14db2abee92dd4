"""CPC symbols in the canonical ``H04L 9/32`` spelling, including CPC's own section Y.

``model.ipc.normalise_ipc`` knows sections A-H (the IPC); CPC adds Y (``Y02E 10/46``, tagging
cross-sectional technologies such as climate-change mitigation), which vendor exports (Google,
Lens, PatentsView ``g_cpc_current``) carry. Shared by those readers until the model's
normaliser learns section Y.
"""

from __future__ import annotations

import re

from patentreach.model.ipc import normalise_ipc

_Y_SECTION = re.compile(r"^(Y\d\d[A-Z])\s*(\d{1,4})\s*/\s*(\d{1,6})$")
_Y_SUBCLASS = re.compile(r"^Y\d\d[A-Z]$")


def cpc_symbol(code: str | None) -> str | None:
    """Canonical symbol for an IPC or CPC code; None when it is not one."""
    symbol = normalise_ipc(code)
    if symbol is not None or not code:
        return symbol
    raw = " ".join(code.strip().upper().split())
    m = _Y_SECTION.match(raw)
    if m:
        subclass, group, sub = m.groups()
        return f"{subclass} {group.lstrip('0') or '0'}/{sub}"
    return raw if _Y_SUBCLASS.match(raw) else None
