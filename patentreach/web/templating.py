"""The Jinja2 environment every page is rendered with.

Templates get, besides their own values: ``_``/``gettext``/``ngettext`` in the request's
language (Jinja's ``{% trans %}`` works too), ``lang``, ``request``, ``csrf_token`` (for forms),
``user`` (or None), and the filters ``number``, ``percent``, ``date`` (per locale) and
``name(kind)`` (an office, country, field, group or sector code's display name).
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent
from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from patentreach.refdata.names import display_name
from patentreach.web.i18n import babel_locale, translations

TEMPLATES_DIR = Path(__file__).parent / "templates"


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(("html", "xml", "svg")),
        extensions=["jinja2.ext.i18n"],
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_null_translations(newstyle=True)  # replaced per render by the request's language
    return env


def _gettext_callables(lang: str) -> dict[str, Any]:
    catalog = translations(lang)

    def gettext(message: str, **values: Any) -> str:
        text = Markup(catalog.gettext(message))
        return text % values if values else text

    def ngettext(singular: str, plural: str, n: int, **values: Any) -> str:
        values.setdefault("num", n)
        return Markup(catalog.ngettext(singular, plural, n)) % values

    return {"gettext": gettext, "ngettext": ngettext, "_": gettext}


def number(value: Any, lang: str, digits: int | None = None) -> str:
    """A count or fractional count as the locale writes it (``46,000``; ``12.5``)."""
    if value is None or value == "":
        return ""
    if isinstance(value, float) and digits is None:
        digits = 0 if value == int(value) else 3
    pattern = None if digits is None else "#,##0" + ("." + "#" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=babel_locale(lang))


def percent(value: Any, lang: str, digits: int = 1) -> str:
    """A share (0.125) as ``12.5%``."""
    if value is None or value == "":
        return ""
    return format_percent(value, format="#,##0." + "0" * digits + "%", locale=babel_locale(lang))


def day(value: Any, lang: str) -> str:
    """A date as the locale writes it (``6 Dec 2026``; ``2026年12月6日``)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    if isinstance(value, datetime):
        value = value.date()
    return format_date(value, format="medium", locale=babel_locale(lang))


def render(request: Request, template: str, status_code: int = 200, **values: Any) -> HTMLResponse:
    """``template`` rendered in the request's language, with the common values."""
    lang = getattr(request.state, "lang", "zh")
    context: dict[str, Any] = {
        "request": request,
        "lang": lang,
        "user": getattr(request.state, "user", None),
        "csrf_token": getattr(request.state, "csrf_token", ""),
        "number": lambda v, digits=None: number(v, lang, digits),
        "percent": lambda v, digits=1: percent(v, lang, digits),
        "day": lambda v: day(v, lang),
        "name": lambda kind, code: display_name(kind, code, lang),
        **_gettext_callables(lang),
        **values,
    }
    body = environment().get_template(template).render(context)
    return HTMLResponse(body, status_code=status_code)
