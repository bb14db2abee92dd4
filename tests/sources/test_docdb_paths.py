"""``docdb.paths``: plain paths found step by step give exactly what ElementPath gives (issue 20).

The tree has the awkward cases: several parents at a step, the first parent without the child,
blank and padded text; both element kinds the readers map from are checked."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

import pytest
from lxml import etree

from patentreach.sources.docdb.paths import all_at, first_at, text_at

DOCUMENT = (
    b"<r><a><c>skip</c></a><a><b>  one\n two </b><b>second</b></a><a><b>third</b></a>"
    b"<x><a><b>nested</b></a></x><e><f> </f></e><e><f>late</f></e></r>"
)
TREES = {"ElementTree": ElementTree.fromstring(DOCUMENT), "lxml": etree.fromstring(DOCUMENT)}


@pytest.mark.parametrize("kind", TREES)
@pytest.mark.parametrize("path", ["a", "a/b", "a/c", "x/a/b", "e/f", "a/missing", "missing/b"])
def test_all_and_first_equal_findall_and_find(kind, path):
    root = TREES[kind]
    assert all_at(root, path) == root.findall(path)
    assert first_at(root, path) == root.find(path)


@pytest.mark.parametrize("kind", TREES)
def test_text_at_is_the_squeezed_text_of_the_first_match(kind):
    root = TREES[kind]
    assert [b.text for b in all_at(root, "a/b")] == ["  one\n two ", "second", "third"]
    assert text_at(root, "a/b") == "one two"  # under the second <a>: the first has no <b>
    assert text_at(root, "x/a/b") == "nested"
    assert text_at(root, "e/f") is None  # the first <f> is blank; ElementPath's find stops there too
    assert text_at(root, "a/missing") is None
    assert text_at(None, "a/b") is None
    assert text_at(root, "e") is None  # one step: findtext, no text of its own
