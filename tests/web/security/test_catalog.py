"""Every string of signing in, the users page and the refusals has its Chinese translation."""

from __future__ import annotations

import pytest
from babel.messages.extract import extract_from_file
from jinja2.ext import babel_extract

from patentreach.web.i18n import translations
from patentreach.web.pages import auth
from patentreach.web.security import csrf, rate_limit, sessions, uploads
from patentreach.web.security.users import ROLES
from patentreach.web.templating import TEMPLATES_DIR

REFUSALS = [csrf.EXPIRED, csrf.CROSS_SITE, rate_limit.TOO_MANY, uploads.TOO_LARGE, uploads.BODY_TOO_LARGE,
            uploads.BAD_LENGTH, uploads.WRONG_KIND, uploads.NOT_XLSX, uploads.NOT_CSV, auth.WRONG_CREDENTIALS,
            auth.THROTTLED, auth.NOT_YOURSELF, sessions.SIGN_IN_FIRST, sessions.NEEDS_ROLE, *auth.ROLE_NAMES]


def template_messages(name: str) -> list[str]:
    return [message for _, message, _, _ in extract_from_file(babel_extract, TEMPLATES_DIR / name)
            if isinstance(message, str)]


@pytest.mark.parametrize("message", sorted({*REFUSALS, *template_messages("login.html"),
                                            *template_messages("admin_users.html")}))
def test_translated(message: str) -> None:
    assert translations("zh").gettext(message) != message


def test_the_templates_were_read() -> None:
    assert {"User name", "Password", "Sign in"} <= set(template_messages("login.html"))


def test_the_role_names_are_the_stores() -> None:
    assert auth.ROLE_NAMES == ROLES
