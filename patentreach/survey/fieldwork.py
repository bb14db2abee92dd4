"""Online fieldwork: invitations with single-use tokens, saved drafts, submissions, closing.

The life of a sampled unit (an enterprise for the holder form, a patent within its enterprise for
the patent form):

1. :func:`invite` gives it an unguessable token (128 random bits, URL-safe) and records what the
   sample already knows (its ids, locked on the web form, and its classifiers, offered as
   answers). Inviting the same sample again keeps the existing tokens: the mail merge can be re-run.
2. The respondent opens ``/survey/{token}``, answers page by page; :func:`save_draft` keeps what
   was typed (status ``partial``), so the same link resumes where they left.
3. :func:`submit` validates the answers with the response import itself
   (:func:`patentreach.survey.responses.import_responses` on one row: whatever the web form
   accepts, a file import accepts, and the other way round) and stores them as an import of one
   row with source ``web``, in the same transaction that marks the invitation complete. The
   database decides races: the invitation moves to ``complete`` by a conditional update that only
   one writer can win, and ``survey_responses`` has a unique index on (form, unit), so a second
   submission, or a paper return of the same unit, is refused instead of counted twice.
4. :func:`close_fieldwork` stops drafts and submissions for a form; paper returns can still be
   imported by the survey team.

Everything takes an SQLAlchemy ``Engine`` from :func:`patentreach.survey.store.open_store`, so the
same code runs on the SQLite default and on PostgreSQL.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine, and_, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from patentreach.survey.instrument.form import Form, load_form
from patentreach.survey.responses import SAMPLE_KEYS, UNIT_KEYS, ImportResult, import_responses
from patentreach.survey.store import (
    StoreError,
    chunks,
    drafts,
    fieldwork_log,
    invitations,
    prepare_import,
    retrying,
    save_import_in,
)

TOKEN_BYTES = 16  # 128 bits: not guessable, short enough for a printed letter
CONTACT_COLUMNS = ("name", "contact_name", "email", "phone", "address", "postcode")
STATUSES = ("invited", "opened", "partial", "complete")
RATE_DEFINITION = (
    "response rate = complete / invited: a unit is complete once its questionnaire is stored, submitted "
    "on the web or imported from paper (counted once); opened = link visited, nothing saved; "
    "partial = answers saved, not submitted"
)


class FieldworkError(RuntimeError):
    """The request does not fit the fieldwork's state (closed, already submitted, unknown token)."""


class UnknownToken(FieldworkError):
    pass


class AlreadySubmitted(FieldworkError):
    pass


class FieldworkClosed(FieldworkError):
    pass


class InvalidAnswers(FieldworkError):
    """The answers break the form's rules; ``result`` is the one-row import with the issues."""

    def __init__(self, result: ImportResult) -> None:
        self.result = result
        super().__init__("; ".join(str(i) for i in result.issues) or "the answers were not accepted")


@dataclass(frozen=True)
class Invitation:
    token: str
    form_id: str
    unit_key: str
    enterprise_id: str
    stratum: str | None
    prefill: dict[str, str]
    contact: dict[str, str]
    status: str
    channel: str | None
    reminders: int

    @property
    def locked(self) -> tuple[str, ...]:
        """Answers the respondent may not change: the unit's ids (they tie the answers to the sample)."""
        return tuple(k for k in SAMPLE_KEYS.get(self.form_id, ("enterprise_id",)) if k in self.prefill)


def new_token() -> str:
    """128 random bits, URL-safe, never starting with ``-``: a token is written into mail-merge
    spreadsheets, where a leading ``-`` would be read as a formula (and quoted by the
    neutraliser, which would corrupt the token). Drawing again costs 0.05 of the 128 bits."""
    while True:
        token = secrets.token_urlsafe(TOKEN_BYTES)
        if token[0].isalnum():
            return token


def _now() -> datetime:
    return datetime.now(UTC)


def unit_key(form: Form, row: Mapping[str, object]) -> str:
    """The unit a sample row or an answer row is about: ``enterprise_id`` for the holder form,
    ``patent_id`` for the patent form (as :data:`UNIT_KEYS` says), joined by ``/``."""
    keys = UNIT_KEYS.get(form.form_id, ("enterprise_id",))
    return "/".join(str(row[k]) for k in keys)


def invite(engine: Engine, form: Form | str, sample: pd.DataFrame) -> pd.DataFrame:
    """One invitation per row of ``sample`` (the sample CSV: enterprises for the holder form,
    patents within enterprises for the patent form) and the table of all of this form's
    invitations: ``token``, the unit's ids, ``stratum``, contact columns, ``status``.

    Units already invited keep their token (and status); new units get a new one."""
    form = form if isinstance(form, Form) else load_form(form)
    keys = UNIT_KEYS.get(form.form_id, ("enterprise_id",))
    lacking = [k for k in (*keys, "enterprise_id") if k not in sample.columns]
    if lacking:
        hint = (" (each drawn patent's publication number, from the patent register)"
                if lacking[0] == "patent_id" else "")
        raise StoreError(
            f"the sample has no column {lacking[0]!r}{hint}, needed to invite units of form {form.form_id}"
        )
    answer_names = {f.name for f in form.answers}
    with engine.begin() as conn:
        known = set(conn.execute(select(invitations.c.unit_key).where(invitations.c.form_id == form.form_id)).scalars())
        rows = []
        now = _now()
        for record in sample.astype(object).where(sample.notna(), None).to_dict("records"):
            key = unit_key(form, record)
            if key in known:
                continue
            known.add(key)
            rows.append(
                {
                    "token": new_token(),
                    "form_id": form.form_id,
                    "unit_key": key,
                    "enterprise_id": str(record["enterprise_id"]),
                    "stratum": None if record.get("stratum") is None else str(record["stratum"]),
                    "prefill": {k: str(v) for k, v in record.items() if k in answer_names and v not in (None, "")},
                    "contact": {k: str(v) for k, v in record.items() if k in CONTACT_COLUMNS and v not in (None, "")},
                    "status": "invited",
                    "channel": None,
                    "created_at": now,
                    "reminders": 0,
                }
            )
        if rows:
            try:
                conn.execute(insert(invitations), rows)
            except IntegrityError:  # PostgreSQL: another invite of the same units committed first
                raise StoreError(
                    f"another `survey invite` of form {form.form_id} stored some of these units meanwhile; "
                    "run it again (units already invited keep their links)"
                ) from None
    return invitation_table(engine, form)


def invitation_table(engine: Engine, form: Form | str) -> pd.DataFrame:
    """Every invitation of ``form``, one row each, in the order they were made."""
    form_id = form.form_id if isinstance(form, Form) else load_form(form).form_id
    with engine.connect() as conn:
        rows = conn.execute(
            select(invitations).where(invitations.c.form_id == form_id).order_by(invitations.c.created_at)
        ).mappings().all()
    return pd.DataFrame([dict(r) for r in rows], columns=[c.name for c in invitations.columns])


def find_invitation(engine: Engine, token: str) -> Invitation:
    """The invitation of ``token``; :class:`UnknownToken` when there is none."""
    with engine.connect() as conn:
        row = conn.execute(select(invitations).where(invitations.c.token == token)).mappings().first()
    if row is None:
        raise UnknownToken("this survey link is not valid")
    return Invitation(
        token=row["token"],
        form_id=row["form_id"],
        unit_key=row["unit_key"],
        enterprise_id=row["enterprise_id"],
        stratum=row["stratum"],
        prefill=dict(row["prefill"] or {}),
        contact=dict(row["contact"] or {}),
        status=row["status"],
        channel=row["channel"],
        reminders=int(row["reminders"] or 0),
    )


def closed_at(engine: Engine, form_id: str) -> datetime | None:
    """When the fieldwork of ``form_id`` was closed (UTC), or None while it is open."""
    with engine.connect() as conn:
        closed = conn.execute(select(fieldwork_log.c.closed_at).where(fieldwork_log.c.form_id == form_id)).scalar()
    if closed is not None and closed.tzinfo is None:  # SQLite keeps no zone; we always write UTC
        closed = closed.replace(tzinfo=UTC)
    return closed


def is_closed(engine: Engine, form_id: str) -> bool:
    return closed_at(engine, form_id) is not None


def _open_for_answers(engine: Engine, invitation: Invitation) -> None:
    if invitation.status == "complete":
        raise AlreadySubmitted("this questionnaire has already been submitted")
    if is_closed(engine, invitation.form_id):
        raise FieldworkClosed("the survey is closed")


def mark_opened(engine: Engine, token: str) -> None:
    """First visit of a link: ``invited`` becomes ``opened`` (later statuses are kept)."""
    with engine.begin() as conn:
        conn.execute(
            update(invitations)
            .where(invitations.c.token == token, invitations.c.status == "invited")
            .values(status="opened", opened_at=_now())
        )


def load_draft(engine: Engine, token: str) -> tuple[dict[str, str], int]:
    """The saved answers (strings, as typed) and the page the respondent was on; the invitation's
    prefilled answers under them."""
    invitation = find_invitation(engine, token)
    with engine.connect() as conn:
        row = conn.execute(select(drafts.c.answers, drafts.c.page).where(drafts.c.token == token)).first()
    answers = dict(invitation.prefill)
    page = 0
    if row is not None:
        answers.update(row.answers or {})
        page = int(row.page)
    answers.update({k: invitation.prefill[k] for k in invitation.locked})
    return answers, page


def save_draft(engine: Engine, token: str, answers: Mapping[str, str], page: int) -> None:
    """Keep ``answers`` (all the answers so far, strings) and ``page`` for ``token``: the
    respondent can leave and resume. Refused once submitted or closed."""
    invitation = find_invitation(engine, token)
    _open_for_answers(engine, invitation)
    document = {str(k): str(v) for k, v in answers.items()}
    document.update({k: invitation.prefill[k] for k in invitation.locked})
    now = _now()
    with engine.begin() as conn:
        changed = conn.execute(
            update(drafts).where(drafts.c.token == token).values(answers=document, page=page, updated_at=now)
        ).rowcount
        if not changed:
            try:
                with conn.begin_nested():
                    conn.execute(insert(drafts).values(token=token, answers=document, page=page, updated_at=now))
            except IntegrityError:  # a concurrent first save of the same token: update theirs
                conn.execute(
                    update(drafts).where(drafts.c.token == token).values(answers=document, page=page, updated_at=now)
                )
        conn.execute(
            update(invitations)
            .where(invitations.c.token == token, invitations.c.status.in_(("invited", "opened")))
            .values(status="partial", opened_at=func.coalesce(invitations.c.opened_at, now))
        )


def check_submission(form: Form, invitation: Invitation, answers: Mapping[str, str]) -> ImportResult:
    """The one-row import of ``answers`` (the invitation's ids forced): exactly what
    ``survey import`` would decide for the same row. Row number 2, as in a one-row file."""
    row = {f.name: str(answers.get(f.name, "") or "") for f in form.answers}
    row.update({k: invitation.prefill[k] for k in invitation.locked})
    frame = pd.DataFrame([row], index=pd.Index([2]), dtype=object)
    return import_responses(frame, form)


def submit(engine: Engine, token: str, answers: Mapping[str, str], form: Form | None = None) -> int:
    """Validate and store the answers of ``token``; return the ``import_id``.

    :class:`InvalidAnswers` (with the issues) when the form's rules are broken,
    :class:`AlreadySubmitted` when this unit was already submitted or returned on paper,
    :class:`FieldworkClosed` after :func:`close_fieldwork`."""
    invitation = find_invitation(engine, token)
    _open_for_answers(engine, invitation)
    form = form or _form_of(invitation.form_id)
    result = check_submission(form, invitation, answers)
    if len(result.rejected):
        raise InvalidAnswers(result)
    return record_submission(engine, token, result)


def record_submission(engine: Engine, token: str, result: ImportResult) -> int:
    """Store ``result`` (the accepted one-row import of :func:`check_submission` for ``token``)
    as the unit's response; return its ``import_id``. The web page validates once, shows the
    issues if any, and stores with this, without validating the same answers twice.

    One transaction: the invitation moves to ``complete`` only if it was not (a conditional
    update; concurrent submissions of one token queue on its row and all but one find it
    complete), then the response is stored under the unique (form, unit) index (a paper return
    of the same unit stored first makes it refuse). Losers get :class:`AlreadySubmitted`."""
    invitation = find_invitation(engine, token)
    _open_for_answers(engine, invitation)
    if len(result.rejected) or len(result.accepted) != 1:
        raise InvalidAnswers(result)
    keys = UNIT_KEYS.get(invitation.form_id, ("enterprise_id",))
    unit = "/".join(str(result.accepted[k].iloc[0]) for k in keys)
    if result.form.form_id != invitation.form_id or unit != invitation.unit_key:
        raise FieldworkError(f"these answers are for {result.form.form_id} {unit}, not for this link's unit")
    result = ImportResult(result.form, "web", 1, result.accepted, result.rejected, result.issues)
    prepared = prepare_import(result)

    def store() -> int:
        with engine.begin() as conn:
            won = conn.execute(
                update(invitations)
                .where(invitations.c.token == token, invitations.c.status != "complete")
                .values(status="complete", channel="web", completed_at=_now())
            ).rowcount
            if won != 1:
                raise AlreadySubmitted("this questionnaire has already been submitted")
            import_id = save_import_in(conn, result, channel="web", prepared=prepared)
            conn.execute(delete(drafts).where(drafts.c.token == token))
            return import_id

    try:
        return retrying(store)
    except (IntegrityError, StoreError):
        raise AlreadySubmitted("this questionnaire has already been submitted (or returned on paper)") from None


def _form_of(form_id: str) -> Form:
    from patentreach.survey.instrument.form import BUNDLED_FORMS

    for name in BUNDLED_FORMS:
        form = load_form(name)
        if form.form_id == form_id:
            return form
    raise FieldworkError(f"form {form_id!r} is not a bundled form; pass the form to submit")


def close_fieldwork(engine: Engine, form: Form | str, by: str = "") -> None:
    """No more drafts or web submissions for ``form`` (paper returns can still be imported)."""
    form_id = form.form_id if isinstance(form, Form) else load_form(form).form_id
    with engine.begin() as conn:
        changed = conn.execute(
            update(fieldwork_log).where(fieldwork_log.c.form_id == form_id).values(closed_at=_now(), closed_by=by)
        ).rowcount
        if not changed:
            conn.execute(insert(fieldwork_log).values(form_id=form_id, closed_at=_now(), closed_by=by))


def response_rates(engine: Engine, form: Form | str) -> pd.DataFrame:
    """Per stratum and overall (``stratum`` = ``"all"``, last): invited, opened, partial, complete
    (web and paper), and ``response_rate`` = complete / invited."""
    form_id = form.form_id if isinstance(form, Form) else load_form(form).form_id
    query = (
        select(invitations.c.stratum, invitations.c.status, invitations.c.channel, func.count().label("n"))
        .where(invitations.c.form_id == form_id)
        .group_by(invitations.c.stratum, invitations.c.status, invitations.c.channel)
    )
    with engine.connect() as conn:
        counts = pd.DataFrame(conn.execute(query).mappings().all(), columns=["stratum", "status", "channel", "n"])
    columns = ["stratum", "invited", "opened", "partial", "complete", "web", "paper", "response_rate"]
    if counts.empty:
        return pd.DataFrame(columns=columns)
    counts["stratum"] = counts["stratum"].fillna("")
    table = counts.pivot_table(index="stratum", columns="status", values="n", aggfunc="sum", fill_value=0)
    channels = counts[counts["status"] == "complete"].pivot_table(
        index="stratum", columns="channel", values="n", aggfunc="sum", fill_value=0
    )
    out = pd.DataFrame(index=table.index)
    out["invited"] = table.sum(axis=1)
    for status in STATUSES[1:]:
        out[status] = table[status] if status in table.columns else 0
    for channel in ("web", "paper"):
        out[channel] = channels[channel].reindex(out.index, fill_value=0) if channel in channels.columns else 0
    out = out.astype("int64").sort_index()
    total = out.sum().to_frame().T.astype("int64")
    total.index = pd.Index(["all"])
    out = pd.concat([out, total])
    out["response_rate"] = out["complete"] / out["invited"]
    return out.rename_axis("stratum").reset_index()[columns]


def outstanding(engine: Engine, form: Form | str) -> pd.DataFrame:
    """Invitations not yet complete (for reminders): the invitation table's rows."""
    table = invitation_table(engine, form)
    return table[table["status"] != "complete"].reset_index(drop=True)


def record_reminders(engine: Engine, tokens: list[str]) -> int:
    """Count a reminder sent to each of ``tokens`` (still outstanding ones only); how many."""
    if not tokens:
        return 0
    now = _now()
    counted = 0
    with engine.begin() as conn:
        for chunk in chunks(list(tokens)):  # 50,000 patent invitations exceed a statement's parameters
            counted += conn.execute(
                update(invitations)
                .where(and_(invitations.c.token.in_(chunk), invitations.c.status != "complete"))
                .values(reminders=invitations.c.reminders + 1, reminded_at=now)
            ).rowcount
    return counted


DEFAULT_BASE_URL = "http://127.0.0.1:8000"
MAIL_MERGE_FORMATS = (".csv", ".xlsx")


def survey_link(base_url: str, token: str) -> str:
    """The respondent's link: ``{base_url}/survey/{token}`` (the web service's page)."""
    return f"{base_url.rstrip('/')}/survey/{token}"


def mail_merge(table: pd.DataFrame, form: Form | str, base_url: str = DEFAULT_BASE_URL) -> pd.DataFrame:
    """The mail-merge rows of invitations ``table`` (rows of :func:`invitation_table`): ``token``,
    ``link``, the unit's ids (``enterprise_id``; ``patent_id`` too for the patent form),
    ``stratum``, the contact columns the sample had, ``status``, ``reminders``."""
    form = form if isinstance(form, Form) else load_form(form)
    keys = [k for k in SAMPLE_KEYS.get(form.form_id, ("enterprise_id",)) if k != "enterprise_id"]
    contacts = [c for c in CONTACT_COLUMNS if any(c in (d or {}) for d in table.get("contact", []))]
    out = pd.DataFrame(
        {
            "token": table["token"].astype(str),
            "link": [survey_link(base_url, t) for t in table["token"]],
            "enterprise_id": table["enterprise_id"].astype(str),
        },
        index=table.index,
    )
    for key in keys:
        out[key] = [(p or {}).get(key, "") for p in table["prefill"]]
    out["stratum"] = table["stratum"].fillna("").astype(str)
    for column in contacts:
        out[column] = [(c or {}).get(column, "") for c in table["contact"]]
    out["status"] = table["status"].astype(str)
    out["reminders"] = table["reminders"].fillna(0).astype("int64")
    return out.reset_index(drop=True)


def write_mail_merge(rows: pd.DataFrame, path: Path) -> Path:
    """Write mail-merge rows as CSV (UTF-8 with a byte-order mark, so Excel shows Chinese names
    right) or XLSX, by the extension; cells a spreadsheet would run as formulas are quoted."""
    from patentreach.model.spreadsheet_cells import neutralise_frame

    path = Path(path)
    safe = neutralise_frame(rows)
    if path.suffix.lower() == ".xlsx":
        safe.to_excel(path, index=False, sheet_name="invitations")
    else:
        safe.to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\n")
    return path
