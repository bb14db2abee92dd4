"""From counted rows to cell counts: documents or families, whole or fractional.

Each row is (publication, origin party[, field]) with ``w``, its origin weight (the share under
fractional counting, else 1), and ``fw``, its field share under fractional field counting (the
weight its source gives, PATSTAT tls230, else 1 / the distinct fields of its IPC symbols), else 1.
A document's weight in a cell is
``sum(w * fw)`` over its rows there (fractional) or ``max(fw)`` (whole: it counts once however many
of its applicants fall in the cell).

* documents: the sum of the documents' weights (without a fractional field split, whole counting
  is just the number of distinct documents);
* families, whole: distinct families; with a fractional field split, each family counts the mean
  field share of its documents in the cell, so a family weighs 1 over all fields;
* families, fractional: each family counts the mean weight of its documents in the cell, those
  documents counted before any origin filter (a family with two US grants in 2021, one wholly and
  one half Chinese, is 0.75 Chinese), so a family weighs 1 in total.

Cells summed over origins and fields therefore give back documents (or families) exactly under
fractional counting.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from patentreach.indicators.spec import OutboundSpec

# Breakdown key -> column. Document keys describe the publication; the others split it.
KEY_COLUMNS = {
    "office": "office", "year": "year", "route": "route", "destination": "destination",
    "origin": "origin", "entity": "entity_id", "sector": "sector", "field": "field", "residence": "residence",
}
DOCUMENT_KEYS = ("office", "year", "route", "destination")


def key_columns(spec: OutboundSpec) -> list[str]:
    return [KEY_COLUMNS[k] for k in spec.by]


def _fractional_fields(spec: OutboundSpec) -> bool:
    return "field" in spec.by and spec.field_counting == "fractional"


def split_by_field(rows: ir.Table, fields: ir.Table, spec: OutboundSpec) -> ir.Table:
    """Rows per technology field, with ``fw`` the document's share of that field (the source's
    weight where it gives one, else an equal share of its IPC symbols' fields: ``facts.document_fields``;
    all of it to the first IPC symbol's field under ``first``). A document without a known field
    keeps one row with field null and ``fw`` 1.

    Prepared facts carry each document's fields (``field_list``, ``first_field``): their rows are
    unnested after the filters; facts computed on the fly are joined to ``fields``."""
    if "field" not in spec.by:
        return rows  # fw is 1 (``field_share``)
    if "field_list" in rows.columns:
        return _unnest_fields(rows, spec)
    # (a row of weight 0 only marks a first field: no field of the split)
    fields = fields.filter(fields.first if spec.field_counting == "first" else fields.weight > 0)
    picked = fields.select(f_pub=fields.pub_id, field=fields.field.cast("int64"), f_weight=fields.weight)
    joined = rows.left_join(picked, rows.pub_id == picked.f_pub)
    share = joined.f_weight.fill_null(1.0) if _fractional_fields(spec) else ibis.literal(1.0)
    return joined.mutate(fw=share.cast("float64")).drop("f_pub", "f_weight")


def _unnest_fields(rows: ir.Table, spec: OutboundSpec) -> ir.Table:
    if spec.field_counting == "first":
        kept = [c for c in rows.columns if c not in ("field_list", "first_field")]
        return rows.select(*kept, field=rows.first_field)
    # a column unnest (never empty: see facts.with_field_lists); a table unnest compiles to a
    # lateral join, four times slower on DuckDB
    # (one unnest per projection: Spark allows no more, hence the entry column)
    split = rows.mutate(f_entry=rows.field_list.unnest())
    share = split.f_entry["weight"] if _fractional_fields(spec) else ibis.literal(1.0)
    kept = [c for c in split.columns if c not in ("f_entry", "field_list", "first_field")]
    return split.select(*kept, field=split.f_entry["field"], fw=share.cast("float64"))


def field_share(rows: ir.Table) -> ir.FloatingValue:
    """A row's share of its document under the field split (1 without one)."""
    return rows.fw if "fw" in rows.columns else ibis.literal(1.0)


def one_row_per_document(spec: OutboundSpec) -> bool:
    """Whether each document has at most one row per cell, so that counting rows counts
    documents (the first-applicant rule gives one origin row per publication)."""
    one_field = "field" not in spec.by or spec.field_counting == "first"
    return spec.origin_rule == "first_applicant" and one_field


def _same(left: ir.Table, right: ir.Table, columns: list[str], prefix: str) -> list[ir.BooleanValue]:
    """Join predicates on ``columns`` that hold for nulls too (an unknown origin is a cell)."""
    return [left[c].identical_to(right[f"{prefix}{c}"]) for c in columns]


def cells(rows: ir.Table, documents: ir.Table, spec: OutboundSpec) -> ir.Table:
    """``rows`` counted per cell of ``spec.by``; ``documents`` (before origin filters) gives the
    number of a family's documents per cell for fractional family counts."""
    keys = key_columns(spec)
    if spec.unit == "documents":
        if spec.counting == "fractional":
            return rows.group_by(keys).agg(count=(rows.w * field_share(rows)).sum())
        if not _fractional_fields(spec):
            count = rows.count() if one_row_per_document(spec) else rows.pub_id.nunique()
            return rows.group_by(keys).agg(count=count)
        if spec.origin_rule == "first_applicant":
            # one origin row per document and one field row per (document, field): a document's
            # rows in a cell are one row, so its weight there is that row's share
            return rows.group_by(keys).agg(count=rows.fw.sum())
        docs = rows.group_by([*keys, "pub_id"]).agg(fw=rows.fw.max())
        return docs.group_by(keys).agg(count=docs.fw.sum())
    if spec.counting == "whole":
        if not _fractional_fields(spec):
            return rows.group_by(keys).agg(count=rows.family.nunique())
        docs = rows.group_by([*keys, "family", "pub_id"]).agg(fw=rows.fw.max())
        outer = [k for k in keys if k != "field"] + ["family"]
        distinct = docs.select(*outer, "pub_id").distinct()
        sizes = distinct.group_by(outer).agg(n_docs=distinct.count())
        sizes = sizes.rename({f"s_{c}": c for c in outer})
        joined = docs.join(sizes, _same(docs, sizes, outer, "s_"))
        return joined.group_by(keys).agg(count=(joined.fw / joined.n_docs).sum())
    doc_keys = [KEY_COLUMNS[k] for k in spec.by if k in DOCUMENT_KEYS] + ["family"]
    sizes = documents.group_by(doc_keys).agg(n_docs=documents.pub_id.nunique())
    sizes = sizes.rename({f"s_{c}": c for c in doc_keys})
    joined = rows.join(sizes, _same(rows, sizes, doc_keys, "s_"))
    return joined.group_by(keys).agg(count=(joined.w * field_share(joined) / joined.n_docs).sum())
