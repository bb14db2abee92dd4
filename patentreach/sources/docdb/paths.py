"""Plain element paths (``a/b/c``) of the exchange mapping, looked up with one C ``findall`` per
step and returned as lists.

``ice_v4.each`` yields the same elements in the same order through nested Python generators; a
DOCDB document walks a dozen such paths for every party, claim and classification, and the
generator frames cost more than the C lookups (an EP document's parties mapped 1.7x faster). Both
element kinds the readers use (C ``ElementTree``, lxml after ``local_names``) match a plain tag
in ``findall``. Order is ElementPath's: depth-first over the matches of each step.
"""

from __future__ import annotations

from functools import lru_cache

from lxml import etree

from patentreach.sources.uspto_common.ice_v4 import text


@lru_cache(maxsize=256)
def _steps(path: str) -> tuple[str, ...]:
    return tuple(path.split("/"))


def all_at(element: etree._Element, path: str) -> list[etree._Element]:
    """Every element at ``path`` (what ``element.findall(path)`` returns), in document order."""
    steps = _steps(path)
    found = element.findall(steps[0])
    for step in steps[1:]:
        if not found:
            break
        found = [child for parent in found for child in parent.findall(step)]
    return found


def first_at(element: etree._Element, path: str) -> etree._Element | None:
    """The first element at ``path`` (``element.find(path)``): the first match of the last step
    under the first parent that has one."""
    steps = _steps(path)
    if len(steps) == 1:
        return element.find(path)
    for parent in _parents(element, steps):
        found = parent.find(steps[-1])
        if found is not None:
            return found
    return None


def text_at(element: etree._Element | None, path: str) -> str | None:
    """``ice_v4.text``: the stripped text at ``path``, None if absent or blank."""
    if element is None or "/" not in path:
        return text(element, path)
    steps = _steps(path)
    for parent in _parents(element, steps):
        if parent.find(steps[-1]) is not None:
            return text(parent, steps[-1])
    return None


def _parents(element: etree._Element, steps: tuple[str, ...]) -> list[etree._Element]:
    """The elements at every step but the last, in document order."""
    found = element.findall(steps[0])
    for step in steps[1:-1]:
        if not found:
            break
        found = [child for parent in found for child in parent.findall(step)]
    return found
