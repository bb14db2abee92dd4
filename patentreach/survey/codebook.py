"""The codebook of a questionnaire: every variable of a response export, described from the XLSForm.

A statistician who opens ``responses.sav`` or ``responses.dta`` needs to know, for each column,
which question it holds, when the question was asked (``relevant``), what was allowed
(``constraint``, ``required``) and what the codes mean. All of that is in the XLSForm, so the
codebook is derived from it, never written by hand, and the exports
(:mod:`patentreach.survey.exports`) take their variable names, labels and value codes from the
same :func:`variables` list: the codebook and the files cannot disagree.

Conventions the exports follow (the codebook states them per variable):

* ``select_one`` answers are stored in SPSS and Stata files as integer codes ``1..k`` in the order
  of the form's choices sheet, with the choice labels as value labels (Stata labels integers only);
  CSV, XLSX and Parquet keep the choice names as typed.
* ``select_multiple`` answers keep the space-separated choice names and gain one 0/1 indicator
  per choice, ``<question>__<choice>`` (empty where the question was not asked), as
  :func:`patentreach.survey.responses.with_choice_indicators` makes them for estimation.
* a repeat group's instances are columns ``<repeat>_<n>_<question>`` (``market_2_share``), labelled
  with the repeat's label and the instance number ("Export market 2: Share of the enterprise's
  exports (%)"), their group ``export/export_detail/market[2]``;
* Names in SPSS and Stata files are at most 28 characters and start with a letter (Stata allows 32,
  but pyreadstat names each value-label set after its variable plus a counter, and those names
  must fit in 32 too):
  longer names are cut and numbered (``export_name``); labels there are at most 80 characters
  (the codebook keeps them whole).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from patentreach.survey.instrument.form import TRUE_CELLS, Field, Form
from patentreach.survey.instrument.form import pick_label as _language_key  # the labels' own language rule

NAME_LIMIT = 28  # Stata allows 32; pyreadstat names a value-label set <variable><counter>, also <= 32
LABEL_LIMIT = 80  # Stata's variable labels
RECORD_COLUMNS = {"_import_id": "import_id", "_row": "source_row"}
"""The store's bookkeeping columns and their names in SPSS/Stata (which dislike a leading ``_``)."""
CODEBOOK_FORMATS = ("csv", "xlsx", "md")


@dataclass(frozen=True)
class Variable:
    """One column of a response export. ``codes`` maps the stored value to its integer code in
    SPSS/Stata (empty for a column written as it is); ``value_labels`` labels those codes."""

    column: str
    export_name: str
    label: str
    type: str
    group: str = ""
    relevant: str = ""
    constraint: str = ""
    required: str = ""
    codes: dict[str, int] = field(default_factory=dict)
    value_labels: dict[int, str] = field(default_factory=dict)

    @property
    def export_label(self) -> str:
        """The label in SPSS/Stata: at most 80 characters, cut with an ellipsis."""
        return self.label if len(self.label) <= LABEL_LIMIT else self.label[: LABEL_LIMIT - 1] + "…"


def _required(f: Field) -> str:
    """The ``required`` cell as written; in a repeat it holds in an answered instance only."""
    if not f.required:
        return ""
    cell = f.required_cell if f.repeat else f.required
    shown = "yes" if cell.lower() in TRUE_CELLS else cell
    return f"{shown} (if the instance is answered)" if f.repeat else shown


def _group(f: Field) -> str:
    """The field's groups as a path; a repeat's instance numbered as ODK's wide export does."""
    if f.repeat is None:
        return "/".join(f.groups)
    return "/".join(f"{g}[{f.repeat.index}]" if g == f.repeat.repeat else g for g in f.groups)


def _choice_codes(form: Form, list_name: str, language: str) -> tuple[dict[str, int], dict[int, str]]:
    choices = form.choices[list_name]
    codes = {c.name: number for number, c in enumerate(choices, start=1)}
    labels = {number: _language_key(c.labels, language) or c.name for number, c in enumerate(choices, start=1)}
    return codes, labels


def _indicator_labels(form: Form, language: str) -> dict[int, str]:
    """0/1 labelled with the form's own ``no``/``yes`` choices (so they are in the form's
    languages), or ``0``/``1`` when the form has no such list."""
    for list_name in ("yes_no", "yes_no_unknown"):
        names = {c.name: c for c in form.choices.get(list_name, ())}
        if "yes" in names and "no" in names:
            return {0: _language_key(names["no"].labels, language), 1: _language_key(names["yes"].labels, language)}
    return {0: "0", 1: "1"}


def export_names(columns: list[str]) -> dict[str, str]:
    """Names SPSS and Stata accept, unique: at most 32 characters, a letter first; a cut name
    that would clash is numbered (``..._2``)."""
    taken: set[str] = set()
    out: dict[str, str] = {}
    for column in columns:
        name = RECORD_COLUMNS.get(column, column)
        if not name[:1].isalpha():
            name = "v" + name
        candidate = name[:NAME_LIMIT]
        number = 1
        while candidate.lower() in taken:
            number += 1
            suffix = f"_{number}"
            candidate = name[: NAME_LIMIT - len(suffix)] + suffix
        taken.add(candidate.lower())
        out[column] = candidate
    return out


def variables(form: Form, language: str = "en") -> list[Variable]:
    """Every column of a response export, in order: the store's ``_import_id`` and ``_row``,
    each answer field, and after each ``select_multiple`` its 0/1 indicators."""
    rows: list[dict[str, object]] = [
        {"column": "_import_id", "label": "import_id", "type": "record"},
        {"column": "_row", "label": "source_row", "type": "record"},
    ]
    indicator_labels = _indicator_labels(form, language)
    for f in form.answers:
        common = {
            "group": _group(f),
            "relevant": " and ".join(e.text for e in f.relevant),
            "constraint": f.constraint.text if f.constraint else "",
            "required": _required(f),
        }
        label = f.label(language)
        kind = f.type + (f" {f.list_name}" if f.list_name else "")
        if f.type == "select_one" and f.list_name:
            codes, value_labels = _choice_codes(form, f.list_name, language)
            rows.append({"column": f.name, "label": label, "type": kind, "codes": codes,
                         "value_labels": value_labels, **common})
            continue
        rows.append({"column": f.name, "label": label, "type": kind, **common})
        if f.type == "select_multiple" and f.list_name:
            for choice in form.choices[f.list_name]:
                rows.append({
                    "column": f"{f.name}__{choice.name}",
                    "label": f"{label}: {_language_key(choice.labels, language) or choice.name}",
                    "type": "indicator 0/1",
                    "value_labels": indicator_labels,
                    **common,
                })
    names = export_names([str(r["column"]) for r in rows])
    return [
        Variable(export_name=names[str(r["column"])], **r)  # type: ignore[arg-type]
        for r in rows
    ]


def _codes_text(variable: Variable) -> str:
    if variable.codes:
        by_code = {code: name for name, code in variable.codes.items()}
        return "; ".join(f"{code} = {by_code[code]} ({text})" for code, text in variable.value_labels.items())
    if variable.value_labels:
        return "; ".join(f"{code} = {text}" for code, text in variable.value_labels.items())
    return ""


def codebook(form: Form, language: str = "en") -> pd.DataFrame:
    """One row per variable of a response export: ``name`` (the column in CSV/XLSX/Parquet),
    ``export_name`` (in SPSS/Stata), ``label`` (in ``language``), ``type``, ``group``,
    ``relevant``, ``constraint``, ``required`` and ``choices`` (``1 = yes (Yes); 2 = no (No)``:
    the integer code in SPSS/Stata, the choice name in the other formats, its label)."""
    rows = [
        {
            "name": v.column,
            "export_name": v.export_name,
            "label": v.label,
            "type": v.type,
            "group": v.group,
            "relevant": v.relevant,
            "constraint": v.constraint,
            "required": v.required,
            "choices": _codes_text(v),
        }
        for v in variables(form, language)
    ]
    return pd.DataFrame(rows, columns=["name", "export_name", "label", "type", "group", "relevant", "constraint",
                                       "required", "choices"])


def _markdown(table: pd.DataFrame, form: Form) -> str:
    def cell(value: object) -> str:
        return str(value).replace("|", "\\|").replace("\n", " ")

    lines = [
        f"# Codebook: {form.title} ({form.form_id}, version {form.version})",
        "",
        "select_one answers are integer codes 1..k in the form's choice order in .sav and .dta files, "
        "choice names in .csv, .xlsx and .parquet; each select_multiple choice has a 0/1 column "
        "`<question>__<choice>`; a repeat's instances are columns `<repeat>_<n>_<question>`; "
        "export_name is the variable's name in .sav and .dta files.",
        "",
        "| " + " | ".join(table.columns) + " |",
        "|" + "---|" * len(table.columns),
    ]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in table.itertuples(index=False)]
    return "\n".join(lines) + "\n"


def write_codebook(form: Form, path: str | Path, language: str = "en") -> Path:
    """Write :func:`codebook` to ``path``, the format from its extension (.csv, .xlsx, .md);
    spreadsheet cells neutralised (a constraint such as ``. >= 0`` stays text, and so does any
    formula-like label)."""
    from patentreach.model.spreadsheet_cells import neutralise_frame

    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in CODEBOOK_FORMATS:
        raise ValueError(f"{path}: a codebook is written as {', '.join('.' + f for f in CODEBOOK_FORMATS)}")
    table = codebook(form, language)
    if fmt == "csv":
        neutralise_frame(table).to_csv(path, index=False)
    elif fmt == "xlsx":
        neutralise_frame(table).to_excel(path, index=False, sheet_name="codebook")
    else:
        path.write_text(_markdown(table, form), encoding="utf-8")
    return path
