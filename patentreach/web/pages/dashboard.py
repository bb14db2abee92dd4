"""``/``: the outbound dashboard. A filter bar (a plain GET form: it works without JavaScript),
the headline sentence, the chart, the table whose every count links to its records, the
definition, downloads of the same figure from the API, and what the warehouse lacks for the
selection.

The form's fields are named as the API's parameters, so a page's query string is also an API
query string (``/api/v1/outbound?<the same>``) and a ``stats outbound`` command line.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from patentreach.indicators.options import DEFAULTS, outbound_spec
from patentreach.web import errors, service
from patentreach.web.security import csrf_token
from patentreach.web.templating import render

router = APIRouter()


def N_(message: str) -> str:  # gettext's marker for the catalog extractor
    return message


DASHBOARD_DEFAULTS: dict[str, Any] = {
    **DEFAULTS, "origin": "CN", "sector": "company", "offices": "major", "by": "office,year",
}
"""What the dashboard shows before anything is chosen (the demo's question: Chinese enterprises'
invention grants at the major foreign offices, by office and year). Every other option keeps the
CLI's default."""

FORM_FIELDS = ("origin", "offices", "years", "unit", "counting", "sector", "basis", "stage", "by", "top")
"""The filter bar's fields; the other options keep their defaults unless the query string sets them."""
PARAMETERS = {name: ("type" if name == "types" else name) for name in DEFAULTS}
"""Option name -> query parameter (the API's: ``--type`` is ``type``)."""

CHOICES: dict[str, list[tuple[str, str]]] = {
    "offices": [("major", N_("Major offices")), ("ip5", N_("IP5 offices")), ("bri", N_("Belt and Road countries")),
                ("", N_("All offices"))],
    "unit": [("documents", N_("Documents")), ("families", N_("Families"))],
    "counting": [("whole", N_("Whole counting")), ("fractional", N_("Fractional counting"))],
    "sector": [("", N_("All sectors")), ("company", N_("Enterprises")), ("university", N_("Universities")),
               ("government", N_("Government bodies")), ("hospital", N_("Hospitals")),
               ("individual", N_("Individuals"))],
    "basis": [("grant", N_("Grant year")), ("filing", N_("Filing year")), ("priority", N_("Priority year"))],
    "stage": [("grants", N_("Grants")), ("applications", N_("Applications"))],
    "by": [("office,year", N_("Office and year")), ("office", N_("Office")), ("year", N_("Year")),
           ("field", N_("Technology field")), ("field,year", N_("Technology field and year")),
           ("entity", N_("Applicant")), ("route", N_("Route (direct or PCT)")),
           ("office,route", N_("Office and route")), ("route,year", N_("Route and year")),
           ("origin", N_("Origin")), ("sector", N_("Sector"))],
}
"""The select boxes' choices (value, catalog label); a value typed in the URL that is not listed
is added to its box as it is."""

COLUMN_TITLES = {
    "office": N_("Office"), "year": N_("Year"), "count": N_("Count"), "yoy_abs": N_("Change on previous year"),
    "yoy_pct": N_("Change (%)"), "share": N_("Share"), "entity_id": N_("Applicant ID"),
    "entity_name": N_("Applicant"), "entity_rank": N_("Rank"), "field": N_("Technology field"),
    "origin": N_("Origin"), "sector": N_("Sector"), "route": N_("Route"), "destination": N_("Destination"),
    "residence": N_("Residence"), "pub_id": N_("Publication number"), "day": N_("Date"), "weight": N_("Weight"),
    "family": N_("Family"), "kind": N_("Kind code"), "doc_type": N_("Document type"),
}

SWITCH_TITLES = {
    "origin_rule": N_("Origin rule"), "counting": N_("Counting"), "basis": N_("Date basis"), "unit": N_("Unit"),
    "stage": N_("Stage"), "scope": N_("Scope"), "types": N_("Types"), "field_counting": N_("Field counting"),
    "by.office": N_("By office"), "by.year": N_("By year"), "by.origin": N_("By origin"),
    "by.field": N_("By technology field"), "by.entity": N_("By applicant"), "by.sector": N_("By sector"),
    "by.route": N_("By route"), "by.destination": N_("By destination"), "by.residence": N_("By residence"),
}
"""The definition's switches (``definition["meaning"]`` keys) as the definition block names them."""


def read_options(request: Request, defaults: dict[str, Any] | None = None) -> dict[str, str]:
    """Every option as typed: the query parameter when present (an empty one clears the option),
    else the dashboard's default."""
    defaults = DASHBOARD_DEFAULTS if defaults is None else defaults
    options: dict[str, str] = {}
    for name, default in defaults.items():
        parameter = PARAMETERS[name]
        if parameter in request.query_params:
            options[name] = request.query_params[parameter].strip()
        else:
            options[name] = "" if default is None else str(default)
    return options


def spec_of(options: dict[str, str]):  # type: ignore[no-untyped-def]
    """The ``OutboundSpec`` of the typed options (``SpecError`` for a bad one, as the CLI)."""
    from patentreach.indicators.choices import SpecError

    values: dict[str, Any] = {name: (value or None) if DEFAULTS[name] is None else (value or DEFAULTS[name])
                              for name, value in options.items()}
    if values.get("top") is not None:
        try:
            values["top"] = int(values["top"])
        except ValueError:
            raise SpecError(f"top {options['top']!r}: expected a whole number") from None
    return outbound_spec(**values)


def query_string(options: dict[str, str], **extra: Any) -> str:
    """``options`` (and ``extra``; lists repeat the parameter) as a query string with the API's names."""
    def kept(name: str, value: str) -> bool:
        # an option away from the CLI's default, or one the dashboard defaults otherwise (kept even
        # when emptied: the link must not fall back to the dashboard's default)
        cli_default = "" if DEFAULTS[name] is None else str(DEFAULTS[name])
        return value != cli_default or DASHBOARD_DEFAULTS[name] != DEFAULTS[name]

    pairs = [(PARAMETERS[name], value) for name, value in options.items() if kept(name, value)]
    for name, value in extra.items():
        pairs.extend((name, item) for item in (value if isinstance(value, list) else [value]))
    return urlencode(pairs, safe="=,")  # readable: cell=office=US, by=office,year


def cell_keys(spec: Any, row: dict[str, Any]) -> list[str]:
    """The ``cell=KEY=VALUE`` items of a result row (an empty value is the cell of unknown values)."""
    from patentreach.indicators.counting import KEY_COLUMNS

    keys = []
    for key in spec.by:
        value = row.get(KEY_COLUMNS[key])
        keys.append(f"{key}={'' if value is None else value}")
    return keys


def problem_status(exc: Exception) -> int:
    """The status a refusal is answered with (400 bad option, 409 stale tables, 503 no warehouse)."""
    return errors.status_of(exc)


def _office_choices(request: Request, chosen: str) -> list[tuple[str, str]]:
    """The groups, then every office the warehouse holds publications of."""
    from patentreach.web.service_coverage import warehouse_coverage

    choices = list(CHOICES["offices"])
    try:
        sections = warehouse_coverage(request)["sections"]
        held = sorted({row[0] for row in sections[1]["rows"] if row[0]})
    except errors.refused_types():
        held = []
    choices += [(code, code) for code in held]
    if chosen not in {value for value, _label in choices}:
        choices.append((chosen, chosen))
    return choices


@router.get("/", response_class=HTMLResponse)
def dashboard(request: Request) -> HTMLResponse:
    from patentreach.web.charts import chart_svg
    from patentreach.web.headline import headline_in
    from patentreach.web.service_coverage import selection_coverage

    request.state.csrf_token = csrf_token(request)
    lang = request.state.lang
    options = read_options(request)
    choices = {name: list(listed) for name, listed in CHOICES.items()}
    choices["offices"] = _office_choices(request, options["offices"])
    for name, listed in choices.items():
        if options[name] not in {value for value, _label in listed}:
            listed.append((options[name], options[name]))
    values: dict[str, Any] = {"options": options, "choices": choices, "problem": None, "result": None,
                              "origins": []}
    try:
        spec = spec_of(options)
        result = service.outbound(request, spec)
        values |= {
            "spec": spec, "result": result, "headline": headline_in(result, lang),
            "chart": Markup(chart_svg(request, spec, result, lang)),
            "coverage": selection_coverage(request, spec),
        }
        values["origins"] = values["coverage"]["origins"]
    except errors.refused_types() as exc:
        values["problem"] = errors.message_of(exc)
        return render(request, "dashboard.html", status_code=problem_status(exc), **values, **_helpers(options))
    return render(request, "dashboard.html", **values, **_helpers(options))


def _helpers(options: dict[str, str]) -> dict[str, Any]:
    """What the templates call to build links and headers."""
    return {
        "query": lambda **extra: query_string(options, **extra),
        "cell_keys": cell_keys,
        "column_titles": COLUMN_TITLES,
        "switch_titles": SWITCH_TITLES,
        "defaults": {name: "" if value is None else str(value) for name, value in DASHBOARD_DEFAULTS.items()},
    }
