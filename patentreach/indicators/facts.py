"""The two fact tables every outbound figure is counted from.

``origin_facts(tables, rule)``: one row per publication and origin party under ``rule``, with
everything a count can filter or break down by, so a count needs no join:

    pub_id, office, kind, doc_type, pub_date, application_date, earliest_priority_date,
    family      DOCDB family id where known, else the application (office:number), else pub_id
    route       'pct' for a PCT national phase (``route = 'pct'``, or a regional publication
                claiming a PCT application: Euro-PCT), else 'direct'
    origin      the party's country under the rule (null: unknown)
    sector, entity_id, share   from ``origin_shares`` (share 1.0 when the publication has no row)

``document_fields(tables)``: one row per publication and WIPO technology field of its IPC
symbols: pub_id, field, weight (1 / number of distinct fields), first (the field of the first
IPC symbol; when several symbols share the first place, the lowest of their fields, so that a
document has at most one first field).

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
    "family", "route", "origin", "sector", "entity_id", "share",
)
ORIGIN_RULES = ("first_applicant", "applicants", "inventors")


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
        family=family, stored_route=pubs.route,
    )
    with_route = base.left_join(pct_claims, base.pub_id == pct_claims.pct_pub)
    route = ibis.cases(
        (with_route.stored_route == "pct", "pct"),
        (with_route.pct_pub.notnull() & (with_route.office != "WO"), "pct"),
        else_="direct",
    )
    documents = with_route.select(*FACT_COLUMNS[:8], route=route)
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
    )


def document_fields(engine: EngineLike) -> ir.Table:
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
        field_list=entry.collect(), first_field=fields.field.cast("int64").min(where=fields.first)
    )
    joined = facts.left_join(lists, facts.pub_id == lists.l_pub)
    unknown = ibis.array([ibis.struct({"field": ibis.null("int64"), "weight": ibis.literal(1.0, "float64")})])
    return joined.mutate(field_list=joined.field_list.fill_null(unknown)).drop("l_pub")
