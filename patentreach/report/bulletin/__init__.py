"""The bulletin: the press release and statistical report an IP office publishes, in HTML and PDF,
in Chinese and English, with every printed figure traced in ``figures.csv``/``figures.json``.

    model.py       what a section produces: figures, sentences, tables, charts, notes (no language)
    request.py     what the user asked for (origin, year, offices, survey store, languages ...)
    context.py     the open warehouse and survey store the sections read, opened once
    config.py      the section configuration (YAML, the user's to edit)
    sections/      one builder per section; each returns a ``Section`` or says why it is left out
    build.py       runs the configured sections in order and collects their figures
    figures.py     ``figures.csv`` and ``figures.json``: one row per printed figure
    render.py      Jinja2 templates + message catalogs -> one self-contained HTML file per language
    pdf.py         the HTML -> PDF (WeasyPrint), page numbers and contents

Sections compute language-free data; every word a reader sees comes from the bulletin's message
catalogs (``report/locales``) or the reference data's names, at rendering time.
"""
