"""The bulletin as one self-contained HTML file per language: Jinja2 templates, the bulletin's
message catalogs, inline CSS and inline SVG charts.

The templates are the user's to edit: ``--templates DIR`` is searched before the bundled ones
(``templates/bulletin.html``, ``section.html``, ``bulletin.css``), so an office can change wording
and layout without touching code. Every value is autoescaped; the charts' SVG (made here from the
sections' data) is the only markup passed through. A template that does not parse, or fails while
rendering, is a ``TemplateError`` naming the template file and line.

Reproducible: the same bulletin gives the same bytes. The generation time is the only field that
varies between runs, and ``BulletinRequest.generated_at`` pins it.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from patentreach.present import formats
from patentreach.report.bulletin import catalogs
from patentreach.report.bulletin.cells import Writer
from patentreach.report.bulletin.chart_svg import chart_svg
from patentreach.report.bulletin.model import N_, Bulletin, Name, Section, Text

TEMPLATES_DIR = Path(__file__).parent / "templates"
HTML_LANG = {"zh": "zh-CN", "en": "en"}
TITLE = N_("Patents abroad of applicants from %(origin)s: statistical bulletin %(year)s")
SUBTITLE = N_("Applicants from %(origin)s in %(offices)s, %(year)s")
NO_CHART = N_("The chart has nothing to draw for these inputs.")
OFFICE_GROUPS = {
    "major_offices": N_("major foreign offices"), "ip5": N_("the IP5 offices"),
    "bri": N_("Belt and Road countries"), "epc": N_("EPC member states"),
}
"""Office groups as the dashboard's headline names them (``present/headline.py``: same msgids)."""
LIST_SEPARATOR = N_(", ")


class TemplateError(ValueError):
    """A template cannot be used; the message names the template file and line."""


def translate(lang: str, msgid: str) -> str:
    """``msgid`` in ``lang`` from the bulletin's catalogs (English is the msgids' language)."""
    return catalogs.translate(lang, msgid)


def generated_at(bulletin: Bulletin) -> str:
    """The generation time as printed (UTC, ISO 8601 to the second): pinned by the request, else now."""
    when = getattr(bulletin.request, "generated_at", None) or datetime.now(UTC)
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(slots=True)
class _Frame:
    """A rendering failure's place in a template."""

    filename: str
    lineno: int


def _template_frame(exc: BaseException) -> _Frame | None:
    """The innermost template frame of a rendering error (Jinja rewrites tracebacks so that
    template code shows with the template's file and line)."""
    found = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.endswith((".html", ".css", ".j2")) or frame.filename == "<template>":
            found = _Frame(frame.filename, frame.lineno or 0)
    return found


def environment(user_dir: Path | None = None) -> Any:
    """The Jinja2 environment: the user's folder first, then the bundled templates; autoescaped,
    undefined names fail (a typo in a template is an error, not a blank)."""
    import jinja2

    if user_dir is not None and not Path(user_dir).is_dir():
        raise TemplateError(f"{user_dir}: the templates folder does not exist")
    folders = [str(user_dir)] if user_dir is not None else []
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader([*folders, str(TEMPLATES_DIR)]),
        autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
        trim_blocks=True, lstrip_blocks=True,
    )


def _offices(request: Any, writer: Writer) -> str:
    from patentreach.indicators.spec import parse_offices

    names = []
    for item in parse_offices(getattr(request, "offices", "") or ""):
        if item in OFFICE_GROUPS:
            names.append(writer.gettext(OFFICE_GROUPS[item]))
        else:
            names.append(writer.text(Name("office" if len(item) == 2 else "group", item)))
    return writer.gettext(LIST_SEPARATOR).join(names)


def _provenance(bulletin: Bulletin) -> dict[str, Any]:
    """What the footer says: the command, the software version, the inputs' sha256 (from the
    warehouse's ingest log, when the warehouse has one), the generation time."""
    from patentreach import __version__

    request = bulletin.request
    inputs: list[dict[str, Any]] = []
    warehouse_path = getattr(request, "warehouse", None)
    if warehouse_path is not None and Path(warehouse_path).is_dir():
        from patentreach.warehouse import Warehouse
        from patentreach.warehouse.ingest_log import read_entries

        entries = read_entries(Warehouse(Path(warehouse_path)))
        inputs = sorted(({"path": e["path"], "sha256": e["sha256"], "stored": e["stored"]} for e in entries),
                        key=lambda e: (e["path"], e["sha256"]))
    command = request.command() if hasattr(request, "command") else ""
    return {"command": command, "version": __version__, "generated_at": generated_at(bulletin),
            "inputs": inputs}


def _section(section: Section, writer: Writer, gettext: Any) -> dict[str, Any]:
    title = writer.text(Text(section.title))
    if section.omitted is not None:
        return {"id": f"section-{section.name}", "name": section.name, "title": title,
                "omitted": writer.text(section.omitted), "sentences": [], "tables": [], "charts": [], "notes": []}
    tables = [{
        "key": table.key, "caption": writer.text(Text(table.caption)),
        "columns": [{"title": writer.text(Text(c.title)), "kind": c.kind.split(":", 1)[0]} for c in table.columns],
        "rows": [[writer.cell(c, row.get(c.key)) for c in table.columns] for row in table.rows],
        "notes": [writer.text(note) for note in table.notes],
    } for table in section.tables]
    charts = []
    for chart in section.charts:
        svg = chart_svg(chart, writer.lang, gettext)
        charts.append({"key": chart.key, "title": writer.text(Text(chart.title)),
                       "svg": svg, "empty": None if svg is not None else gettext(NO_CHART)})
    return {"id": f"section-{section.name}", "name": section.name, "title": title, "omitted": None,
            "sentences": [_sentence(writer.text(s), writer.lang) for s in section.sentences], "tables": tables,
            "charts": charts, "notes": [_sentence(writer.text(note), writer.lang) for note in section.notes]}


def _sentence(text: str, lang: str) -> str:
    """A sentence starts with a capital in English, whatever its first placeholder holds (the
    headline's ``%(What)s`` is a lower-case phrase of the dashboard's catalog)."""
    return text[:1].upper() + text[1:] if lang == "en" else text


def context(bulletin: Bulletin, lang: str) -> dict[str, Any]:
    """What the templates see: every text already in ``lang`` (plain strings, escaped by the
    template), each chart's SVG, the provenance; plus ``_`` for the templates' own words and
    ``bulletin`` itself for templates that want the raw data."""
    from markupsafe import Markup

    gettext = catalogs.gettext(lang)
    writer = Writer(bulletin.figures, lang, gettext)
    request = bulletin.request
    origin = Name("country", getattr(request, "origin", "CN"))
    year = getattr(request, "year", "")
    sections = [_section(section, writer, gettext) for section in bulletin.sections]
    provenance = _provenance(bulletin)
    for item in provenance["inputs"]:
        item["stored"] = formats.number(item["stored"], lang)
    for section in sections:
        for chart in section["charts"]:
            chart["svg"] = Markup(chart["svg"]) if chart["svg"] is not None else None
    return {
        "lang": lang, "html_lang": HTML_LANG.get(lang, lang), "_": gettext, "bulletin": bulletin,
        "title": writer.text(Text(TITLE, {"origin": origin, "year": year})),
        "subtitle": writer.text(Text(SUBTITLE, {"origin": origin, "offices": _offices(request, writer),
                                                "year": year})),
        "sections": sections, "provenance": provenance,
    }


def render_html(bulletin: Bulletin, lang: str, templates: Path | None = None) -> str:
    """The bulletin in ``lang`` as one HTML document (styles and SVG charts inline); ``templates``
    (default: the request's ``--templates``) is searched before the bundled templates."""
    import jinja2

    if templates is None:
        templates = getattr(bulletin.request, "templates", None)
    env = environment(templates)
    try:
        template = env.get_template("bulletin.html")
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"{exc.filename or exc.name}, line {exc.lineno}: {exc.message}") from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"template {exc.name} not found in {templates or TEMPLATES_DIR}") from None
    data = context(bulletin, lang)
    try:
        return template.render(data)
    except jinja2.TemplateSyntaxError as exc:  # an included template
        raise TemplateError(f"{exc.filename or exc.name}, line {exc.lineno}: {exc.message}") from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"template {exc.name} not found in {templates or TEMPLATES_DIR}") from None
    except (jinja2.TemplateError, TypeError, AttributeError, KeyError) as exc:
        frame = _template_frame(exc)
        where = f"{frame.filename}, line {frame.lineno}" if frame else str(template.filename)
        message = getattr(exc, "message", None) or str(exc)
        raise TemplateError(f"{where}: {message}") from None
