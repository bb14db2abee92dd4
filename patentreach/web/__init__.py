"""``patentreach serve``: the web dashboard and the HTTP API, over the same library functions as the CLI.

    app.py              create_app(config): one FastAPI application, every router and middleware
    config.py           ServeConfig: the warehouse, the state folder (users, secret), the limits
    warehouse_access.py a read-only engine per request, and the warehouse's version (cache key)
    cache.py            results cached per warehouse version
    errors.py           the library's refusals as 4xx with the CLI's one-line messages
    i18n.py             language negotiation (?lang=, cookie, Accept-Language) and Babel catalogs
    templating.py       the Jinja2 environment: translations, locale-aware numbers and dates, names
    api/                /api/v1/...: JSON (the CLI's --format json) and file downloads
    pages/              the dashboard's server-rendered pages (Jinja2 templates in templates/)
    security/           users and roles, sessions, CSRF, rate limits, security headers, upload limits

A route handler, like a command body, parses and delegates: no indicator is computed here. The
survey's collection pages (``/survey/...``) and the bulletin's links build on the same app.
"""
