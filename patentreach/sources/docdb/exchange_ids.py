"""Document identifiers in the exchange format, where one reference is printed in several forms.

DOCDB repeats a reference once per form (``<publication-reference data-format="docdb">``, then
``"epodoc"``, then ``"original"``); OPS puts the forms side by side inside one reference
(``<document-id document-id-type="docdb">``). ``forms`` gathers either spelling into one mapping,
form name -> ``document-id`` element, keeping the first of each form.
"""

from __future__ import annotations

from collections.abc import Iterable

from lxml import etree

from patentreach.sources.uspto_common.ice_v4 import text


def forms(references: Iterable[etree._Element]) -> dict[str, etree._Element]:
    found: dict[str, etree._Element] = {}
    for reference in references:
        outer = reference.get("data-format")
        for document_id in reference.findall("document-id"):
            form = document_id.get("document-id-type") or outer or "docdb"
            found.setdefault(form, document_id)
    return found


def first_text(ids: dict[str, etree._Element], path: str, order: tuple[str, ...]) -> str | None:
    """The first non-blank ``path`` text among the forms, in ``order``."""
    for form in order:
        value = text(ids.get(form), path)
        if value:
            return value
    return None
