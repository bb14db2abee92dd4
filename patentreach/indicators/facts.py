"""The two fact tables every outbound figure is counted from.

``origin_facts(tables, rule)``: one row per publication and origin party under ``rule``, with
everything a count can filter or break down by, so a count needs no join:

    pub_id, office, kind, doc_type, pub_date, application_date, earliest_priority_date,
    family      DOCDB family id where known, else the application (office:number), else pub_id
    route       'pct' for a PCT national phase (``route = 'pct'``, or a regional publication
                claiming a PCT application: Euro-PCT), else 'direct'
    origin      the party's country under the rule (null: unknown)
    sector, entity_id, share   from ``origin_shares`` (share 1.0 when the publication has no row)
    doc_type_rule   which rule typed the document: ``kind_code`` (also for rows stored before the
                column existed) or a source's own flag (``source:patstat`` ...)
    fields_source   where its technology fields come from: the ``source`` of its
                ``technology_fields`` rows (``patstat:tls230``), or null: from its IPC symbols

``document_fields(tables)``: one row per publication and WIPO technology field: pub_id, field,
weight, first. A publication whose source gives field weights (``technology_fields``, PATSTAT
tls230) has those fields and weights (rescaled to sum to 1, which tls230 weights do already to
rounding); every other publication has the fields of its IPC symbols through the WIPO
concordance, weight 1 / number of distinct fields. ``first`` marks the field of the first IPC
symbol (when several symbols share the first place, the lowest of their fields, so that a
document has at most one first field) for every publication: the source's weights say nothing
about which field comes first. When a source's fields leave out the first IPC symbol's field,
that field gets a row of weight 0, only so that counting by first field finds it.

``with_field_lists(facts, fields)``: the facts with each document's fields attached, so that a
count by field unnests the rows it kept instead of joining them to the whole field table (at 100
million publications that join was most of the time of a field breakdown):

    field_list   [{field, weight}, ...]; never empty: a document without an IPC symbol of known
                 field has [{null, 1.0}], so that unnesting keeps it, with field unknown
    first_field  the field of the first IPC symbol (null: none)

Both are plain Ibis expressions over the warehouse views and the harmonisation tables; ``prepare``
may materialise them (see ``prepared.py``) and the counts read whichever is there.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from patentreach.indicators.reference_tables import concordance_tables
from patentreach.indicators.tables import EngineLike

FACT_COLUMNS = (
    "pub_id", "office", "kind", "doc_type", "pub_date", "application_date", "earliest_priority_date",
    "family", "route", "origin", "sector", "entity_id", "share", "doc_type_rule", "fields_source",
)
ORIGIN_RULES = ("first_applicant", "applicants", "inventors")
KIND_CODE_RULE = "kind_code"  # model.records.DOC_TYPE_RULES: the fallback rule
SOURCE_FIELDS_TABLE = "technology_fields"


def origin_facts(engine: EngineLike, rule: str) -> ir.Table:
    pubs = engine.table("publications")
    priorities = engine.table("priorities")
    shares = engine.table("origin_shares")
    pct_claims = (
        priorities.filter(priorities.kind == "pct").select(pct_pub=priorities.pub_id).distinct()
    )
    family = ibis.coalesce(
        pubs.family_id,
        pubs.office.concat(":", pubs.application_number),
        pubs.pub_id,
    )
    base = pubs.select(
        "pub_id", "office", "kind", "doc_type", "pub_date", "application_date", "earliest_priority_date",
        family=family, stored_route=pubs.route, doc_type_rule=_doc_type_rule(pubs),
    )
    with_route = base.left_join(pct_claims, base.pub_id == pct_claims.pct_pub)
    with_route = _with_fields_source(engine, with_route)
    route = ibis.cases(
        (with_route.stored_route == "pct", "pct"),
        (with_route.pct_pub.notnull() & (with_route.office != "WO"), "pct"),
        else_="direct",
    )
    documents = with_route.select(*FACT_COLUMNS[:8], "doc_type_rule", "fields_source", route=route)
    origin = shares.filter(shares.rule == rule).select(
        o_pub=shares.pub_id, origin=shares.country, sector=shares.sector, entity_id=shares.entity_id,
        share=shares.share,
    )
    joined = documents.left_join(origin, documents.pub_id == origin.o_pub)
    return joined.select(
        *FACT_COLUMNS[:9],
        origin=joined.origin,
        sector=joined.sector,
        entity_id=joined.entity_id,
        share=joined.share.fill_null(1.0).cast("float64"),
        doc_type_rule=joined.doc_type_rule,
        fields_source=joined.fields_source,
    )


def _doc_type_rule(pubs: ir.Table) -> ir.StringValue:
    """The rule that typed each publication; null (a part stored before the column existed, which
    a DuckDB view over such parts lacks altogether) means the kind-code table."""
    if "doc_type_rule" not in pubs.columns:
        return ibis.literal(KIND_CODE_RULE, "string")
    return pubs.doc_type_rule.fill_null(KIND_CODE_RULE)


def _source_rows(engine: EngineLike) -> ir.Table | None:
    """The usable rows of ``technology_fields`` (a positive weight), or None without the table."""
    if not engine.has_table(SOURCE_FIELDS_TABLE):
        return None
    given = engine.table(SOURCE_FIELDS_TABLE)
    return given.filter(given.weight > 0, given.field.notnull())


def _with_fields_source(engine: EngineLike, documents: ir.Table) -> ir.Table:
    """``documents`` with ``fields_source``: the source of the publication's field weights, or null."""
    given = _source_rows(engine)
    if given is None:
        return documents.mutate(fields_source=ibis.null("string"))
    sources = given.group_by(s_pub="pub_id").agg(fields_source=given.source.min())
    joined = documents.left_join(sources, documents.pub_id == sources.s_pub)
    return joined.drop("s_pub")


def document_fields(engine: EngineLike) -> ir.Table:
    """The fields of every publication: the source's weights where given, else the IPC-derived
    ones; ``first`` always from the IPC symbols (see the module doc)."""
    ipc = ipc_fields(engine)
    given = _source_rows(engine)
    if given is None:
        return ipc
    summed = given.group_by("pub_id", field=given.field.cast("int64")).agg(weight=given.weight.sum())
    totals = summed.group_by(t_pub="pub_id").agg(total=summed.weight.sum())
    firsts = ipc.filter(ipc.first).select(i_pub=ipc.pub_id, i_field=ipc.field)
    weighted = summed.join(totals, summed.pub_id == totals.t_pub)
    weighted = weighted.left_join(firsts, weighted.pub_id == firsts.i_pub)
    from_source = weighted.select(
        "pub_id", "field", weight=(weighted.weight / weighted.total).cast("float64"),
        first=(weighted.field == weighted.i_field).fill_null(False),
    )
    # the first IPC field, where the source gives it no weight: a row of weight 0 (see the module doc)
    missing = firsts.filter(firsts.i_field.notnull()).semi_join(totals, firsts.i_pub == totals.t_pub)
    missing = missing.anti_join(summed, (missing.i_pub == summed.pub_id) & (missing.i_field == summed.field))
    first_only = missing.select(
        pub_id=missing.i_pub, field=missing.i_field, weight=ibis.literal(0.0, "float64"), first=ibis.literal(True)
    )
    from_ipc = ipc.anti_join(totals, ipc.pub_id == totals.t_pub)
    return from_ipc.union(from_source).union(first_only)


def ipc_fields(engine: EngineLike) -> ir.Table:
    """The fields of each publication's IPC symbols through the WIPO concordance (module doc)."""
    classes = engine.table("classifications")
    ipc = classes.filter(classes.scheme == "IPC")
    parsed = ipc.select(
        pub_id=ipc.pub_id,
        subclass=ipc.symbol.substr(0, 4),
        main=ipc.symbol.re_extract(r"^[A-HY][0-9][0-9][A-Z] ?([0-9]+)", 1).nullif("").cast("int64"),
        order=ibis.cases((ipc.position == "first", 0), else_=1) * 1_000_000 + ipc.sequence.fill_null(0),
    )
    exact, whole = concordance_tables()
    step = parsed.left_join(exact, (parsed.subclass == exact.c_subclass) & (parsed.main == exact.c_main))
    step = step.left_join(whole, step.subclass == whole.w_subclass)
    mapped = step.select("pub_id", "order", field=ibis.coalesce(step.c_field, step.w_field))
    # The first symbol is the one listed first (position 'first', then the lowest sequence); its
    # field may be unknown, and then no field is "first".
    lowest = mapped.group_by(m_pub="pub_id").agg(min_order=mapped.order.min())
    flagged = mapped.join(lowest, mapped.pub_id == lowest.m_pub)
    flagged = flagged.select("pub_id", "field", is_first=flagged.order == flagged.min_order)
    per_field = (
        flagged.filter(flagged.field.notnull()).group_by("pub_id", "field").agg(is_first=flagged.is_first.any())
    )
    counts = per_field.group_by(n_pub="pub_id").agg(
        n=per_field.count(), first_field=per_field.field.min(where=per_field.is_first)
    )
    out = per_field.join(counts, per_field.pub_id == counts.n_pub)
    # n cast first: Ibis drops a cast to the type it already infers, and Spark divides a decimal
    # literal by an integer in DECIMAL, which would then be written to Parquet as such
    first = out.first_field.notnull() & (out.field == out.first_field)
    return out.select("pub_id", "field", weight=1.0 / out.n.cast("float64"), first=first)


def with_field_lists(facts: ir.Table, fields: ir.Table) -> ir.Table:
    """``facts`` with ``field_list`` and ``first_field`` of each document (see the module doc)."""
    entry = ibis.struct({"field": fields.field.cast("int64"), "weight": fields.weight.cast("float64")})
    lists = fields.group_by(l_pub="pub_id").agg(
        # (a row of weight 0 only marks the first field: it is no field of the split)
        field_list=entry.collect(where=fields.weight > 0),
        first_field=fields.field.cast("int64").min(where=fields.first),
    )
    joined = facts.left_join(lists, facts.pub_id == lists.l_pub)
    unknown = ibis.array([ibis.struct({"field": ibis.null("int64"), "weight": ibis.literal(1.0, "float64")})])
    return joined.mutate(field_list=joined.field_list.fill_null(unknown)).drop("l_pub")
