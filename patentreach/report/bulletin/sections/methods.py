"""The bulletin's methods annex and provenance footer, built after every other section.

* sources and their coverage: per source format the files, records and dates in the warehouse
  (``methods.sources``), and how many publications lack an origin country or a sector
  (``methods.coverage``);
* counting rules: the distinct definitions behind the figures of each built section
  (``methods.rules``), from the figures themselves, so the annex cannot describe a rule the
  bulletin did not use;
* survey design and weighting: the stored weight run's specification and diagnostics
  (``methods.weighting``), when the bulletin has a survey;
* data vintage: when the inputs were ingested and the dates they cover;
* provenance (``methods.provenance``): every input file with its sha256 as the ingest log
  recorded it (and the survey weights files the bulletin wrote), the software version and the
  command that made the bulletin.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from patentreach.report.bulletin.context import BulletinContext
from patentreach.report.bulletin.model import N_, Column, Section, SectionUnavailable, Table, Text
from patentreach.report.bulletin.sections.method_sources import coverage_rows, ingested, source_rows

TITLE = N_("Methods and sources")
SOURCES_CAPTION = N_("Sources in the warehouse")
COVERAGE_CAPTION = N_("Coverage: publications without an origin country or a sector")
RULES_CAPTION = N_("Counting rules of the figures")
WEIGHTING_CAPTION = N_("Survey design and weighting")
PROVENANCE_CAPTION = N_("Provenance: inputs and their SHA-256")
SOFTWARE_CAPTION = N_("Provenance: software and command")
NO_INPUTS = N_("The warehouse's ingest log is empty: the bulletin cannot say which files its figures come from.")
VINTAGE = N_("Data vintage: %(files)s input files, ingested from %(first)s to %(last)s; the records are dated "
             "from %(from)s to %(to)s.")
SOFTWARE = N_("Made by patentreach %(version)s with the command: %(command)s")
NO_SURVEY = N_("The bulletin has no survey, so no survey design or weighting is described.")
SURVEY_DESIGN = N_(
    "Survey: a stratified random sample of enterprises; the weights of run %(run)s (%(date)s) are design weights "
    "adjusted for non-response within weighting classes (%(classes)s)%(calibration)s; estimates are weighted "
    "proportions with %(level)s confidence intervals by the logit method.")
CALIBRATED = N_(", then calibrated to the frame's counts by %(variables)s (%(method)s)")
NO_RULES = N_("No section printed a figure, so no counting rule is listed.")
ROW_SOFTWARE = N_("Software version")
ROW_COMMAND = N_("Command")
ROW_SURVEY_WEIGHTS = N_("Survey weights written by the bulletin")
MEASURES = {
    "sampled": N_("Enterprises sampled"), "respondents": N_("Respondents"),
    "weighted_response_rate": N_("Weighted response rate (per cent)"), "min": N_("Smallest weight"),
    "max": N_("Largest weight"), "kish_deff": N_("Design effect of weighting (Kish)"),
    "sum_weights": N_("Sum of the weights"), "frame_total": N_("Enterprises in the frame"),
}
COLUMNS = {
    "source": N_("Source"), "files": N_("Files"), "records": N_("Records stored"), "quarantined": N_("Quarantined"),
    "first": N_("First date"), "last": N_("Last date"), "office": N_("Office"), "pubs": N_("Publications"),
    "no_origin_pct": N_("Without origin country (per cent)"), "no_sector_pct": N_("Without sector (per cent)"),
    "section": N_("Section"),
    "figures": N_("Figures"), "rule": N_("Definition"), "measure": N_("Measure"), "value": N_("Value"),
    "input": N_("Input"), "reader": N_("Reader"), "sha256": N_("SHA-256"),
}
CELL_KEYS = {"computed", "column", "row", "group", "breakdown", "se", "df", "n", "n_missing", "note", "stratum",
             "invited", "complete", "change", "label"}
"""Definition keys that vary from cell to cell of one rule (or repeat it): left out of the rules table."""


def _software_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("patentreach")
    except PackageNotFoundError:
        return "unknown"


def _rule(definition: dict[str, Any]) -> str:
    kept = {k: v for k, v in definition.items() if k not in CELL_KEYS and v not in (None, "", [], {})}
    return "; ".join(f"{k}: {json.dumps(v, ensure_ascii=False, default=str) if not isinstance(v, str) else v}"
                     for k, v in sorted(kept.items()))


def _rules(built: dict[str, Section]) -> Table | None:
    rows = []
    for section in built.values():
        if section.omitted is not None or section.name == "methods":
            continue
        counted: dict[str, int] = {}
        for figure in section.figures:
            rule = _rule(figure.definition)
            counted[rule] = counted.get(rule, 0) + 1
        rows += [{"section": Text(section.title), "figures": n, "rule": rule} for rule, n in counted.items()]
    if not rows:
        return None
    return Table("methods.rules", RULES_CAPTION, [Column("section", COLUMNS["section"]),
                                                  Column("figures", COLUMNS["figures"], "count"),
                                                  Column("rule", COLUMNS["rule"])], rows)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _survey(ctx: BulletinContext, section: Section) -> list[dict[str, Any]]:
    """The weighting table and design note; the rows of the weights files for the provenance."""
    from patentreach.report.bulletin.sections.survey_inputs import survey_inputs

    if not ctx.request.survey:
        section.notes.append(Text(NO_SURVEY))
        return []
    try:
        inputs = survey_inputs(ctx)
    except SectionUnavailable as missing:
        section.notes.append(missing.note)
        return []
    files = []
    for unit, run in inputs.runs.items():
        spec, diagnostics = run.specification, run.diagnostics
        calibration = Text(CALIBRATED, {"variables": ", ".join(spec.get("calibrate") or []),
                                        "method": str(spec.get("method", ""))}) if spec.get("calibrate") else ""
        section.sentences.append(Text(SURVEY_DESIGN, {
            "run": str(run.run_id), "date": run.created_at.date().isoformat(),
            "classes": ", ".join(spec.get("classes") or []) or "-", "calibration": calibration,
            "level": f"{inputs.level * 100:g}%"}))
        rows = []
        for key, measure in MEASURES.items():
            value = diagnostics.get(key)
            if isinstance(value, int | float):
                value = round(value * 100, 1) if key == "weighted_response_rate" else round(value, 3)
                rows.append({"measure": Text(measure), "value": value})
        columns = [Column("measure", COLUMNS["measure"]), Column("value", COLUMNS["value"], "number")]
        section.tables.append(Table(f"methods.weighting.{unit}", WEIGHTING_CAPTION, columns, rows))
        path = inputs.weight_files[unit]
        files.append({"input": str(path), "reader": Text(ROW_SURVEY_WEIGHTS), "records": len(run.weights),
                      "sha256": _sha256(path)})
    return files


def build(ctx: BulletinContext, options: dict[str, Any], built: dict[str, Section]) -> Section:
    section = Section("methods", TITLE)
    entries = ingested(ctx.warehouse)
    sources = source_rows(ctx.warehouse, ctx.engine)
    section.tables.append(Table("methods.sources", SOURCES_CAPTION, [
        Column("source", COLUMNS["source"]), Column("files", COLUMNS["files"], "count"),
        Column("stored", COLUMNS["records"], "count"), Column("quarantined", COLUMNS["quarantined"], "count"),
        Column("first", COLUMNS["first"]), Column("last", COLUMNS["last"])], sources))
    coverage = [r for r in coverage_rows(ctx.warehouse) if r["pubs"]]
    if coverage:
        section.tables.append(Table("methods.coverage", COVERAGE_CAPTION, [
            Column("source", COLUMNS["source"]), Column("office", COLUMNS["office"]),
            Column("pubs", COLUMNS["pubs"], "count"), Column("no_origin_pct", COLUMNS["no_origin_pct"], "number"),
            Column("no_sector_pct", COLUMNS["no_sector_pct"], "number")], coverage))
    rules = _rules(built)
    if rules is not None:
        section.tables.append(rules)
    else:
        section.notes.append(Text(NO_RULES))
    survey_files = _survey(ctx, section)
    if entries:
        dates = [d for row in sources for d in (row["first"], row["last"]) if d]
        section.sentences.insert(0, Text(VINTAGE, {
            "files": len(entries), "first": min(e["finished_at"] for e in entries).date().isoformat(),
            "last": max(e["finished_at"] for e in entries).date().isoformat(),
            "from": min(dates) if dates else "-", "to": max(dates) if dates else "-"}))
    else:
        section.notes.append(Text(NO_INPUTS))
    inputs = [{"input": e["path"], "reader": e["reader"], "records": int(e["stored"] or 0), "sha256": e["sha256"]}
              for e in entries]
    version, command = _software_version(), ctx.request.command()
    section.tables.append(Table("methods.provenance", PROVENANCE_CAPTION, [
        Column("input", COLUMNS["input"]), Column("reader", COLUMNS["reader"]),
        Column("records", COLUMNS["records"], "count"), Column("sha256", COLUMNS["sha256"])],
        inputs + survey_files, [Text(SOFTWARE, {"version": version, "command": command})]))
    section.tables.append(Table("methods.software", SOFTWARE_CAPTION, [
        Column("item", COLUMNS["measure"]), Column("value", COLUMNS["value"])],
        [{"item": Text(ROW_SOFTWARE), "value": f"patentreach {version}"},
         {"item": Text(ROW_COMMAND), "value": command}]))
    return section
