"""Import survey responses from CSV or XLSX, validated against the form, losing nothing.

A response file has one row per unit and one column per answer, named by the form's ``name``s
(Kobo's ``group/name`` headers are accepted too). Every row ends up either accepted (typed,
ready to store and estimate) or rejected (kept verbatim with its issues, ready to fix and
re-import): ``rows_in == accepted + rejected`` is checked on every import, and a fully blank row
is a reject too, not silently skipped.

Row numbers are those a spreadsheet shows: the header is row 1, the first response row 2.

File-level problems - a missing answer column, a column the form does not know, a duplicated
header - stop the import with :class:`ResponseFileError` before any row is judged: they mean the
file belongs to another form or version, and judging its rows would produce thousands of
misleading issues. Columns starting with ``_`` (Kobo's ``_uuid``, ``_submission_time``) and the
form's metadata fields are carried along unvalidated.

Repeat groups are wide columns, one set per instance (``market_1_country``, ``market_1_share``,
``market_2_country`` ...; see :mod:`patentreach.survey.instrument.form`); the ODK/Kobo wide-export
headers ``market[2]/country`` (with or without the ``group/`` path) are read as
``market_2_country``. A file may leave out whole instances (a paper batch whose enterprises name at
most two markets has no ``market_3_...`` columns): they are blank. An instance with some of its
columns and not others is a missing column, as for any field.

Enterprise ids follow the rule of the frame they were sampled from
(:mod:`patentreach.survey.enterprise_ids`): with a sample, the strictest rule its ids follow;
without, the rule detected from the answered ids, or the one given. An answered ``enterprise_id``
breaking it is an issue of rule ``id`` that says why (a credit code's wrong check character is
named with the character it should be), instead of only "not in the sample".
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from patentreach.model.spreadsheet_cells import neutralise_frame
from patentreach.sources import limits
from patentreach.survey.enterprise_ids import IdRule, IdRuleError, resolve_rule, strictest_rule
from patentreach.survey.instrument.form import Form, load_form
from patentreach.survey.table_files import check_text_file, workbook_rows
from patentreach.survey.validation import Issue, validate

# Unit keys of the bundled questionnaires: duplicates of these are rejected.
UNIT_KEYS = {
    "patentreach_enterprise_holder": ("enterprise_id",),
    "patentreach_enterprise_patent": ("patent_id",),
}
# Columns a response must share with a row of the sample file.
SAMPLE_KEYS = {
    "patentreach_enterprise_holder": ("enterprise_id",),
    "patentreach_enterprise_patent": ("enterprise_id", "patent_id"),
}
ROW = "_row"
ISSUES = "_issues"
ID_COLUMN = "enterprise_id"


class ResponseFileError(ValueError):
    """The file as a whole does not match the form (columns), or cannot be read."""


@dataclass(frozen=True)
class ImportResult:
    """Outcome of one import. ``accepted`` holds typed answers (plus ``_row`` and pass-through
    columns); ``rejected`` the raw strings of each bad row with ``_row`` and ``_issues``."""

    form: Form
    source: str
    rows_in: int
    accepted: pd.DataFrame
    rejected: pd.DataFrame
    issues: list[Issue] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.rows_in != len(self.accepted) + len(self.rejected):
            raise AssertionError(
                f"{self.source}: {self.rows_in} rows in but {len(self.accepted)} accepted + "
                f"{len(self.rejected)} rejected"
            )

    def summary(self) -> str:
        return (
            f"{self.source}: {self.rows_in} rows in = {len(self.accepted)} accepted + "
            f"{len(self.rejected)} rejected ({len(self.issues)} issues)"
        )


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_csv(path: Path) -> pd.DataFrame:
    """The C parser, all cells as text; blank lines are kept so row numbers stay true."""
    check_text_file(path)
    with path.open(newline="", encoding="utf-8-sig") as handle:
        header = [c.strip() for c in next(csv.reader(handle), [])]
    repeated = sorted({c for c in header if c and header.count(c) > 1})
    if repeated:
        raise ResponseFileError(f"{path}: columns appear more than once: {repeated}")
    try:
        frame = pd.read_csv(
            path,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            encoding="utf-8-sig",
            nrows=limits.current().max_records_per_file + 1,
        )
    except pd.errors.EmptyDataError:
        raise ResponseFileError(f"{path}: the file is empty (no header row)") from None
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise ResponseFileError(f"{path}: not a readable CSV file: {str(exc).strip().splitlines()[0]}") from None
    unnamed = [c for c in frame.columns if c.startswith("Unnamed: ") and (frame[c] == "").all()]
    frame = frame.drop(columns=unnamed).fillna("")
    frame = frame.apply(lambda column: column.str.strip()).astype(object)  # vectorised on str
    while len(frame) and (frame.iloc[-1] == "").all():
        frame = frame.iloc[:-1]
    frame.index = pd.RangeIndex(2, 2 + len(frame))
    return frame


def read_response_file(path: Path) -> pd.DataFrame:
    """Every cell of a CSV (UTF-8, BOM allowed) or XLSX (first sheet) as a string, ``""`` for
    empty; the index is the spreadsheet row number. Nothing is parsed yet."""
    path = Path(path)
    if not path.exists():
        raise ResponseFileError(f"{path}: no such file")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        rows = [[_cell_text(v) for v in row] for row in workbook_rows(path)]
    elif path.suffix.lower() in (".csv", ".txt"):
        return _bounded(_read_csv(path), path)
    else:
        raise ResponseFileError(f"{path}: expected a .csv or .xlsx file")
    if not rows:
        raise ResponseFileError(f"{path}: the file is empty (no header row)")
    header = rows[0]
    while header and header[-1] == "":
        header = header[:-1]
    body = []
    for number, row in enumerate(rows[1:], start=2):
        if len(row) > len(header) and any(row[len(header) :]):
            raise ResponseFileError(f"{path}: row {number} has more cells than the header")
        body.append((row + [""] * len(header))[: len(header)])
    # Trailing rows that are entirely empty are the end of the sheet, not responses.
    while body and not any(body[-1]):
        body.pop()
    frame = pd.DataFrame(body, columns=header, dtype=object)
    frame.index = pd.RangeIndex(2, 2 + len(frame))
    return _bounded(frame, path)


def _bounded(frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    """A file with no response row, or more rows than the limit, is refused by name."""
    most = limits.current().max_records_per_file
    if len(frame) > most:
        raise ResponseFileError(f"{path}: more than {most:,} rows, over the limit max_records_per_file "
                                "(lift it with PATENTREACH_LIMITS=max_records_per_file=N)")
    if frame.empty:
        raise ResponseFileError(f"{path}: a header but no response rows")
    return frame


_KOBO_REPEAT = re.compile(r"^(?:.*/)?([A-Za-z_][\w.-]*)\[(\d+)\]/([A-Za-z_][\w.-]*)$")


def _header(column: str, known: set[str]) -> str:
    """A form's column name for a header: Kobo's ``group/name`` and ``group/repeat[2]/name``."""
    repeat = _KOBO_REPEAT.match(column)
    if repeat:
        flat = f"{repeat.group(1)}_{int(repeat.group(2))}_{repeat.group(3)}"
        return flat if flat in known else column
    last = column.rsplit("/", 1)[-1]
    return last if last in known else column


def _absent_instances(form: Form, columns: set[str]) -> list[str]:
    """The columns of repeat instances the file leaves out entirely (read as blank)."""
    out: list[str] = []
    for repeat in form.repeats:
        for index in range(1, repeat.instances + 1):
            names = repeat.columns(index)
            if not any(n in columns for n in names):
                out += names
    return out


def _match_columns(raw: pd.DataFrame, form: Form, source: str) -> pd.DataFrame:
    """Rename Kobo ``group/name`` headers to ``name`` and check the columns against the form;
    add the repeat instances the file leaves out, blank."""
    known = {f.name for f in form.answers} | {f.name for f in form.meta}
    renamed = [_header(str(c), known) for c in raw.columns]
    duplicated = sorted({c for c in renamed if renamed.count(c) > 1})
    if duplicated:
        raise ResponseFileError(f"{source}: columns appear more than once: {duplicated}")
    raw = raw.set_axis(renamed, axis=1)
    absent = _absent_instances(form, set(raw.columns))
    if absent:
        raw = pd.concat([raw, pd.DataFrame("", index=raw.index, columns=absent, dtype=object)], axis=1)
    missing = [f.name for f in form.answers if f.name not in raw.columns]
    unknown = [c for c in raw.columns if c not in known and not c.startswith("_")]
    problems = []
    if missing:
        problems.append(f"missing columns for form fields {missing}")
    if unknown:
        problems.append(
            f"columns {unknown} are not fields of form {form.form_id} (version {form.version}); "
            f"rename them or prefix them with '_' to carry them along unvalidated"
        )
    if problems:
        raise ResponseFileError(f"{source}: " + "; ".join(problems))
    return raw


def import_responses(
    source: Path | str | pd.DataFrame,
    form: Form | str,
    *,
    key: Iterable[str] | None = None,
    sample: pd.DataFrame | None = None,
    sample_columns: Iterable[str] | None = None,
    language: str = "en",
    sample_name: str = "sample",
    id_rule: IdRule | str | None = None,
) -> ImportResult:
    """Validate a response file (or a DataFrame of strings, index = row numbers) against ``form``.

    ``key``: columns that identify a unit; a repeated key is rejected (rule ``duplicate``); by
    default the bundled forms' unit ids. ``sample``: a response whose ``sample_columns`` (by
    default :data:`SAMPLE_KEYS` of the form) are not a row of the sample is rejected (rule
    ``sample``). ``sample_name`` (the sample's file) names it in errors. ``id_rule`` (``uscc``,
    ``demo``, ``free``): the rule of the answered ``enterprise_id`` (rule ``id``); by default the
    frame's rule when the sample carries it (``sample.attrs["id_rule"]``, set by ``check_frame``),
    else the strictest rule the sample's ids follow, without a sample the rule detected from the
    answers.
    """
    form = form if isinstance(form, Form) else load_form(form)
    if isinstance(source, pd.DataFrame):
        raw, name = source.astype(object).fillna("").astype(str), "<DataFrame>"
    else:
        raw, name = read_response_file(Path(source)), str(source)
    raw = _match_columns(raw, form, name)
    # A corrected rejects file carries the previous import's bookkeeping: keep it, renamed.
    raw = raw.rename(columns={ROW: f"_previous{ROW}", ISSUES: f"_previous{ISSUES}"})
    rows = [int(i) for i in raw.index]
    result = validate(raw, form, rows, language)
    empty = _empty_rows(raw, rows)
    blank = {i.row for i in empty}
    issues = [i for i in result.issues if i.row not in blank] + empty
    keys = tuple(key) if key is not None else UNIT_KEYS.get(form.form_id, ())
    issues += _duplicates(raw, rows, keys)
    id_issues = _id_issues(raw, rows, form, issues, id_rule, sample)
    issues += id_issues
    if sample is not None:
        columns = tuple(sample_columns or SAMPLE_KEYS.get(form.form_id, keys))
        lacking = [c for c in columns if c not in sample.columns]
        if lacking:
            raise ResponseFileError(f"{sample_name}: missing columns {lacking}, needed to match the responses")
        wrong_id = {i.row for i in id_issues}  # "not in the sample" would only repeat it
        issues += [i for i in _outside_sample(raw, rows, sample, columns) if i.row not in wrong_id]
    bad = {i.row for i in issues}
    is_bad = np.array([r in bad for r in rows], dtype=bool)

    passthrough = [c for c in raw.columns if c not in {f.name for f in form.answers}]
    accepted = result.typed.loc[~is_bad].copy()
    for column in passthrough:
        accepted[column] = raw.loc[~is_bad, column].astype("string")
    accepted.insert(0, ROW, raw.index[~is_bad].astype("int64"))

    rejected = raw.loc[is_bad].copy()
    by_row: dict[int, list[str]] = {}
    for issue in sorted(issues, key=lambda i: i.row):
        by_row.setdefault(issue.row, []).append(f"{issue.column}: {issue.rule}: {issue.message}")
    rejected.insert(0, ROW, rejected.index.astype("int64"))
    rejected.insert(1, ISSUES, ["; ".join(by_row[int(r)]) for r in rejected.index])
    return ImportResult(form, name, len(raw), accepted, rejected, sorted(issues, key=lambda i: i.row))


def _id_issues(
    raw: pd.DataFrame,
    rows: list[int],
    form: Form,
    issues: list[Issue],
    id_rule: IdRule | str | None,
    sample: pd.DataFrame | None,
) -> list[Issue]:
    """Answered ids breaking the id rule; rows whose id the form already refused (its constraint)
    are left alone, so one mistake is reported once."""
    if ID_COLUMN not in raw.columns or ID_COLUMN not in {f.name for f in form.answers}:
        return []
    values = raw[ID_COLUMN].astype(str).tolist()
    try:
        if id_rule is None and sample is not None and "id_rule" in sample.attrs:
            rule = resolve_rule(str(sample.attrs["id_rule"]), [])  # drawn in this session from a checked frame
        elif id_rule is None and sample is not None and ID_COLUMN in sample.columns:
            rule = strictest_rule(sample[ID_COLUMN].tolist())  # a sample file: its ids say
        else:
            rule = resolve_rule(id_rule, values)
    except IdRuleError as exc:
        raise ResponseFileError(str(exc)) from None
    judged = {i.row for i in issues if i.column == ID_COLUMN}
    out = []
    for row, value, reason in zip(rows, values, rule.check(values), strict=True):
        if reason and row not in judged:
            out.append(Issue(row, ID_COLUMN, "id", value, reason))
    return out


def _empty_rows(raw: pd.DataFrame, rows: list[int]) -> list[Issue]:
    empty = np.all(raw.to_numpy(dtype=object) == "", axis=1)  # numpy: a wide one-row frame is common
    return [Issue(rows[i], "*", "empty_row", "", "the row is empty") for i in np.flatnonzero(empty)]


def _duplicates(raw: pd.DataFrame, rows: list[int], keys: tuple[str, ...]) -> list[Issue]:
    if not keys:
        return []
    values = raw[list(keys)]
    present = (values != "").all(axis=1).to_numpy()
    repeated = values.duplicated(keep="first").to_numpy() & present
    tuples = list(values.itertuples(index=False, name=None))
    first: dict[tuple[str, ...], int] = {}
    for i in np.flatnonzero(present):
        first.setdefault(tuples[i], rows[i])
    out = []
    for i in np.flatnonzero(repeated):
        shown = "/".join(tuples[i])
        message = f"{shown} was already answered in row {first[tuples[i]]}"
        out.append(Issue(rows[i], "/".join(keys), "duplicate", shown, message))
    return out


def _outside_sample(raw: pd.DataFrame, rows: list[int], sample: pd.DataFrame, columns: tuple[str, ...]) -> list[Issue]:
    if not columns:
        return []
    keys = raw[list(columns)].reset_index(drop=True)
    known = sample[list(columns)].astype(str).drop_duplicates().assign(_in_sample=True)
    found = keys.merge(known, on=list(columns), how="left")["_in_sample"].notna().to_numpy()
    given = (keys != "").all(axis=1).to_numpy()
    out = []
    for i in np.flatnonzero(given & ~found):
        shown = "/".join(keys.iloc[i])
        out.append(Issue(rows[i], "/".join(columns), "sample", shown, f"{shown} is not in the sample"))
    return out


def write_rejects(result: ImportResult, path: Path) -> tuple[Path, Path]:
    """Write the rejected rows (verbatim, plus ``_row`` and ``_issues``) to ``path`` and one line
    per issue (row, column, rule, value, message) beside it as ``<stem>.issues.csv``. The rejects
    file can be corrected and imported again: ``_`` columns are carried along. Both are opened in
    spreadsheets, so formula-like text (``=HYPERLINK(...)``) is quoted by ``neutralise_frame``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    neutralise_frame(result.rejected).to_csv(path, index=False)
    issues_path = path.with_name(f"{path.stem}.issues.csv")
    issues = pd.DataFrame(
        [(i.row, i.column, i.rule, i.value, i.message) for i in result.issues],
        columns=["row", "column", "rule", "value", "message"],
    )
    neutralise_frame(issues).to_csv(issues_path, index=False)
    return path, issues_path


def with_choice_indicators(data: pd.DataFrame, form: Form) -> pd.DataFrame:
    """Add a 0/1 column ``<question>__<choice>`` for every choice of every ``select_multiple``
    question (``<NA>`` where the question was not answered), so that "share choosing X" is an
    ordinary mean or proportion for the estimator."""
    columns = {}
    for f in form.answers:
        if f.type != "select_multiple" or f.name not in data.columns:
            continue
        answered = data[f.name].notna().to_numpy()
        tokens = [set(v.split()) if isinstance(v, str) else set() for v in data[f.name]]
        for choice in form.choice_names(f.list_name or ""):
            flags = np.array([choice in t for t in tokens], dtype=float)
            columns[f"{f.name}__{choice}"] = pd.array(np.where(answered, flags, np.nan), dtype="Float64")
    return pd.concat([data, pd.DataFrame(columns, index=data.index)], axis=1)
