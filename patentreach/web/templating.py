"""The Jinja2 environment every page is rendered with.

Templates get, besides their own values: ``_``/``gettext``/``ngettext`` in the request's
language (Jinja's ``{% trans %}`` works too), ``lang``, ``request``, ``csrf_token`` (for forms),
``user`` (or None), and the callables ``number(v, digits=None, compact=False)``,
``percent(v)``, ``change(v)`` (``+14.1%``), ``day(v)`` (per locale; the functions of
``patentreach.present.formats``, which the bulletin uses too) and ``name(kind, code)`` (an office,
country, field, sector, group or applicant sector code's display name).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from patentreach.present import formats
from patentreach.refdata.names import display_name
from patentreach.web.i18n import translations

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


def number(value: Any, lang: str, digits: int | None = None, compact: bool = False) -> str:
    """A count as the locale writes it (``46,000``; compact in Chinese: ten-thousands, see formats)."""
    return formats.number(value, lang, digits, compact)


def percent(value: Any, lang: str, digits: int = 1) -> str:
    """A share (0.125) as ``12.5%``."""
    return formats.percent(value, lang, digits)


def change(value: Any, lang: str, digits: int = 1) -> str:
    """A relative change (0.141) as ``+14.1%``."""
    return formats.change(value, lang, digits)


def day(value: Any, lang: str) -> str:
    """A date as the locale writes it (``31 Dec 2021`` in English)."""
    return formats.day(value, lang)


def formatting(lang: str) -> dict[str, Any]:
    """The formatting callables a template gets, bound to ``lang`` (also for other renderers)."""
    return {
        "number": lambda v, digits=None, compact=False: number(v, lang, digits, compact),
        "percent": lambda v, digits=1: percent(v, lang, digits),
        "change": lambda v, digits=1: change(v, lang, digits),
        "day": lambda v: day(v, lang),
        "name": lambda kind, code: display_name(kind, code, lang),
    }


def render(request: Request, template: str, status_code: int = 200, **values: Any) -> HTMLResponse:
    """``template`` rendered in the request's language, with the common values."""
    lang = getattr(request.state, "lang", "zh")
    context: dict[str, Any] = {
        "request": request,
        "lang": lang,
        "user": getattr(request.state, "user", None),
        "csrf_token": getattr(request.state, "csrf_token", ""),
        **formatting(lang),
        **_gettext_callables(lang),
        **values,
    }
    body = environment().get_template(template).render(context)
    return HTMLResponse(body, status_code=status_code)
