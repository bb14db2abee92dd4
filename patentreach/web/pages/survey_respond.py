"""``/survey/{token}``: the questionnaire a sampled enterprise answers, one page per group.

The handlers parse the request and delegate: the invitation, drafts and submissions to
:mod:`patentreach.survey.fieldwork`, what the answers make of a page (relevance, calculated
values, choice filters, problems) to :mod:`patentreach.survey.instrument.pages`, which asks the
response import itself. The page works with JavaScript off: every button posts the page, the
server saves the draft and answers with the next page (303, so a reload never posts again) or
the same page with its problems (422). With JavaScript, ``/static/survey.js`` posts the page's
answers to ``/survey/{token}/check`` as the respondent types and applies the server's answer
(questions shown or hidden, calculated values, allowed choices, messages): one evaluator, in
Python.

The respondent is anonymous: the link's token is their credential. The session cookie still
carries a CSRF token (``SessionContext`` makes one for every page visitor), every form posts it
and ``/check`` sends it as ``X-CSRF-Token``; ``CsrfGuard`` refuses writes whose Origin or Referer
names another site.

Repeat groups (the export markets of the holder form) show their answered instances, at least
one, each under its heading with a "remove" button, and an "add another" button after the last:
both are submit buttons (``action=add:<repeat>``, ``action=remove:<repeat>:<n>``), so they work
with JavaScript off and on alike. The server saves the draft and answers with the same page
showing one instance more (the count travels as ``shown.<repeat>`` in the query and in a hidden
field) or with the later instances moved up one; a blank instance is absent, never a problem.

Refusals are pages in the respondent's language: an unknown link 404, a questionnaire already
submitted (on the web or on paper) 409 with a link to the printable copy, a closed survey 410.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from patentreach.web.i18n import gettext
from patentreach.web.security import check_csrf
from patentreach.web.security.csrf import CSRF_FIELD, CSRF_HEADER
from patentreach.web.security.refusals import N_
from patentreach.web.survey_store import survey_engine
from patentreach.web.templating import render as render_page

router = APIRouter()
ACTIONS = ("back", "next", "save", "submit")
UNKNOWN = N_("This survey link is not valid. Please check the link in your invitation letter.")
SUBMITTED = N_("This questionnaire has already been submitted. Thank you.")
CLOSED = N_("The survey is closed: answers are no longer accepted.")
NO_FORM = N_("The form of this questionnaire is not installed on this server.")
NO_STORE = N_("The survey cannot be reached at the moment: your answers are safe, please try again later.")
INSTANCE = N_("%(item)s %(number)s")
ADD_INSTANCE = N_("Add another: %(item)s")
REMOVE_INSTANCE = N_("Remove %(item)s %(number)s")
RULE_MESSAGES = {
    "required": N_("This question needs an answer."),
    "choice": N_("Choose one of the listed answers."),
    "choice_filter": N_("This choice does not fit your other answers."),
    "relevance": N_("This question does not apply to your answers."),
    "constraint": N_("This answer is not accepted."),
    "integer": N_("Enter a whole number."),
    "decimal": N_("Enter a number."),
    "date": N_("Enter a date as YYYY-MM-DD."),
}


def render(request: Request, template: str, status_code: int = 200, **values: Any) -> HTMLResponse:
    """A survey page, never kept by a cache: it shows one enterprise's answers, to whoever holds
    the link (a shared proxy must not keep them for the next visitor)."""
    response = render_page(request, template, status_code=status_code, **values)
    response.headers["Cache-Control"] = "no-store"
    return response


@dataclass
class Visit:
    """The engine, invitation and form of a request's token."""

    engine: Any
    invitation: Any
    form: Any


class Stop(Exception):
    """The link cannot be answered now; ``status`` and the message say why."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _visit(request: Request, token: str, answering: bool = True) -> Visit:
    """The token's invitation; :class:`Stop` when it is unknown, or (``answering``) already
    submitted or closed."""
    from patentreach.survey import fieldwork

    engine = survey_engine(request)
    try:
        invitation = fieldwork.find_invitation(engine, token)
    except fieldwork.UnknownToken:
        raise Stop(404, UNKNOWN) from None
    if answering:
        if invitation.status == "complete":
            raise Stop(409, SUBMITTED)
        if fieldwork.is_closed(engine, invitation.form_id):
            raise Stop(410, CLOSED)
    try:
        form = fieldwork._form_of(invitation.form_id)
    except fieldwork.FieldworkError:  # invited with an XLSForm of its own: not served here
        raise Stop(503, NO_FORM) from None
    return Visit(engine, invitation, form)


def _guarded(work: Callable[..., Response], request: Request, token: str, *args: Any) -> Response:
    """``work``, with a store that cannot be reached (a database down, a locked file) answered by
    a 503 page in the respondent's language instead of a traceback."""
    from sqlalchemy.exc import OperationalError

    from patentreach.survey.store import StoreError

    try:
        return work(request, token, *args)
    except (OperationalError, StoreError, OSError):
        if request.url.path.endswith("/check"):
            return JSONResponse({"error": gettext(_lang(request), NO_STORE), "status": 503}, status_code=503)
        return _stopped(request, token, Stop(503, NO_STORE))


def _stopped(request: Request, token: str, stop: Stop) -> HTMLResponse:
    return render(request, "survey_message.html", status_code=stop.status, status=stop.status,
                  message=gettext(_lang(request), stop.message), token=token if stop.status == 409 else None)


def _lang(request: Request) -> str:
    return getattr(request.state, "lang", "zh")


def _message(form: Any, issue: Any, lang: str) -> str:
    """An import issue as the respondent reads it: the form's own constraint message in the
    language, else the rule's message from the catalogs."""
    field = form.field(issue.column)
    if issue.rule == "constraint":
        return field.message(lang) or gettext(lang, RULE_MESSAGES["constraint"])
    if issue.rule == "type":
        return gettext(lang, RULE_MESSAGES.get(field.type, RULE_MESSAGES["constraint"]))
    key = RULE_MESSAGES.get(issue.rule)
    return gettext(lang, key) if key else issue.message


def _shown(calculated: str) -> str:
    """A calculated value as the respondent reads it: XPath's ``NaN`` (a division by a blank
    answer) and infinities are left blank."""
    return "" if calculated in ("NaN", "Infinity", "-Infinity") else calculated


def _page_number(text: object, pages: int) -> int:
    try:
        number = int(str(text))
    except ValueError:
        return 0
    return min(max(number, 0), pages - 1)


def _posted_answers(visit: Visit, data: FormData, page: int) -> dict[str, str]:
    """The answers a post changes: every answer field of the posted page (absent: blank, as an
    unticked checkbox or a question not shown), and any other answer field the post names. The
    invitation's locked ids are never taken from a post."""
    from patentreach.survey.instrument.pages import layout

    form = visit.form
    locked = set(visit.invitation.locked)
    on_page = set(layout(form).pages[page].answer_names)
    out: dict[str, str] = {}
    for f in form.answers:
        if f.name in locked or (f.name not in on_page and f.name not in data):
            continue
        values = [str(v).strip() for v in data.getlist(f.name) if str(v).strip()]
        out[f.name] = " ".join(values) if f.type == "select_multiple" else (values[0] if values else "")
    return out


def _instance_marks(form: Any, f: Any, fields: tuple, shown: dict[str, int], lang: str,
                    relevant: bool) -> dict[str, Any]:
    """A repeat question's place among its instances: the heading and "remove" button before an
    instance's first question, the "add another" button after the last shown instance's last."""
    if f.repeat is None:
        return {"instance": None, "add": None}
    repeat = form.repeat(f.repeat.repeat)
    item = repeat.label(lang)
    instance = add = None
    same = [g for g in fields if g.repeat is not None and g.repeat.repeat == repeat.name]
    if next(g for g in same if g.repeat.index == f.repeat.index) is f:
        instance = {"label": gettext(lang, INSTANCE, item=item, number=f.repeat.index),
                    "action": f"remove:{repeat.name}:{f.repeat.index}", "relevant": relevant,
                    "remove": gettext(lang, REMOVE_INSTANCE, item=item, number=f.repeat.index)}
    if same[-1] is f and shown[repeat.name] < repeat.instances:
        add = {"label": gettext(lang, ADD_INSTANCE, item=item), "action": f"add:{repeat.name}",
               "relevant": relevant}
    return {"instance": instance, "add": add}


def _view(visit: Visit, answers: dict[str, str], page: int, lang: str, issues: list | None = None,
          all_issues: list | None = None, asked: Any = None) -> dict[str, Any]:
    """What the template shows of ``page``: its questions with their state and messages (of a
    repeat, the instances :func:`instances_shown` counts)."""
    from patentreach.survey.instrument.form import pick_label
    from patentreach.survey.instrument.pages import evaluate, instances_shown, layout

    form = visit.form
    lay = layout(form)
    state = evaluate(form, answers)
    shown = lay.pages[page]
    counts = instances_shown(form, answers, asked or {})
    fields = tuple(f for f in shown.fields if f.repeat is None or f.repeat.index <= counts[f.repeat.repeat])
    messages = {i.column: _message(form, i, lang) for i in issues or []}
    questions = []
    previous: tuple[str, ...] = shown.fields[0].groups[:1] if shown.fields else ()
    for f in fields:
        subgroup = ""
        if f.groups != previous and len(f.groups) > 1 and f.repeat is None:
            subgroup = lay.group_label(f.groups[-1], lang)
        previous = f.groups
        extras = lay.extras.get(f.name)
        allowed = state.allowed.get(f.name)
        value = answers.get(f.name, "")
        choices = []
        if f.list_name:
            chosen = set(value.split()) if f.type == "select_multiple" else {value}
            for choice in form.choices[f.list_name]:
                choices.append({"name": choice.name, "label": pick_label(choice.labels, lang) or choice.name,
                                "checked": choice.name in chosen,
                                "allowed": allowed is None or choice.name in allowed})
        questions.append({
            **_instance_marks(form, f, fields, counts, lang, state.relevant.get(f.name, True)),
            "name": f.name,
            "type": f.type,
            "label": f.question_label(lang) if f.repeat else pick_label(f.labels, lang),
            "hint": extras.hint(lang) if extras else "",
            "required": bool(f.required),
            "relevant": state.relevant.get(f.name, True),
            "locked": f.name in visit.invitation.locked,
            "value": _shown(state.calculated.get(f.name, "")) if f.type == "calculate" else value,
            "choices": choices,
            "message": messages.get(f.name, ""),
            "subgroup": subgroup,
        })
    summary = []
    for issue in all_issues or []:
        summary.append({"page": lay.page_of(issue.column), "label": form.field(issue.column).label(lang),
                        "message": _message(form, issue, lang)})
    return {
        "token": visit.invitation.token,
        "page": page,
        "pages": len(lay.pages),
        "page_label": shown.label(lang),
        "page_labels": [p.label(lang) for p in lay.pages],
        "questions": questions,
        "summary": summary,
        "last": page == len(lay.pages) - 1,
        "shown": {r.name: counts[r.name] for r in form.repeats if any(f.repeat and f.repeat.repeat == r.name
                                                                       for f in fields)},
    }


def _show(request: Request, visit: Visit, answers: dict[str, str], page: int, status_code: int = 200,
          **extra: Any) -> HTMLResponse:
    lang = _lang(request)
    values = _view(visit, answers, page, lang, extra.pop("issues", None), extra.pop("all_issues", None),
                   extra.pop("asked", None))
    values.setdefault("saved", False)
    values.update(extra)
    return render(request, "survey_form.html", status_code=status_code, **values)


@router.get("/survey/{token}", response_class=HTMLResponse)
def survey_page(request: Request, token: str) -> Response:
    return _guarded(_open_page, request, token)


def _open_page(request: Request, token: str) -> Response:
    from patentreach.survey import fieldwork
    from patentreach.survey.instrument.pages import layout

    try:
        visit = _visit(request, token)
    except Stop as stop:
        return _stopped(request, token, stop)
    if visit.invitation.status == "invited":
        fieldwork.mark_opened(visit.engine, token)
    answers, saved_page = fieldwork.load_draft(visit.engine, token)
    pages = len(layout(visit.form).pages)
    asked = request.query_params.get("page")
    page = _page_number(asked, pages) if asked is not None else _page_number(saved_page, pages)
    return _show(request, visit, answers, page, saved=request.query_params.get("saved") == "1",
                 asked=request.query_params)


def _here(token: str, page: int, saved: bool = False, shown: dict[str, int] | None = None,
          anchor: str = "") -> RedirectResponse:
    from urllib.parse import urlencode

    query = {"page": page, **({"saved": 1} if saved else {}), **{f"shown.{k}": v for k, v in (shown or {}).items()}}
    return RedirectResponse(f"/survey/{token}?{urlencode(query)}" + (f"#{anchor}" if anchor else ""),
                            status_code=303, headers={"Cache-Control": "no-store"})


def _repeat_post(visit: Visit, token: str, data: FormData, answers: dict[str, str], page: int,
                 step: tuple[str, str, int]) -> Response:
    """An "add another" or "remove" button: the draft saved (without the removed instance), and
    the same page again with one instance more or less."""
    from patentreach.survey import fieldwork
    from patentreach.survey.instrument.pages import instances_shown, remove_instance

    kind, name, index = step
    shown = instances_shown(visit.form, answers, data)
    repeat = visit.form.repeat(name)
    if kind == "remove":
        answers = remove_instance(visit.form, answers, name, index)
        count = max(1, shown[name] - 1)
        anchor = f"q-{repeat.column(min(index, count), repeat.questions[0])}"
    else:
        count = min(shown[name] + 1, repeat.instances)
        anchor = f"q-{repeat.column(count, repeat.questions[0])}"
    fieldwork.save_draft(visit.engine, token, answers, page)
    return _here(token, page, shown={**shown, name: count}, anchor=anchor)


def _answer(request: Request, token: str, data: FormData) -> Response:
    """The work of a page post (in a worker thread: the store and the import are blocking)."""
    from patentreach.survey import fieldwork
    from patentreach.survey.instrument.pages import cleaned, issues, layout, repeat_action

    try:
        visit = _visit(request, token)
    except Stop as stop:
        return _stopped(request, token, stop)
    pages = len(layout(visit.form).pages)
    page = _page_number(data.get("page", 0), pages)
    action = str(data.get("action", "save"))
    answers, _ = fieldwork.load_draft(visit.engine, token)
    answers.update(_posted_answers(visit, data, page))
    step = repeat_action(visit.form, action)
    if step is not None:
        return _repeat_post(visit, token, data, answers, page, step)
    action = action if action in ACTIONS else "save"
    target = page
    problems: list = []
    if action == "back":
        target = max(page - 1, 0)
    elif action == "next":
        problems = issues(visit.form, visit.invitation, answers, page)
        target = page if problems else min(page + 1, pages - 1)
    try:
        fieldwork.save_draft(visit.engine, token, answers, target)
        if action == "submit":
            fieldwork.submit(visit.engine, token, cleaned(visit.form, answers), visit.form)
            return RedirectResponse(f"/survey/{token}/done", status_code=303)
    except fieldwork.InvalidAnswers as invalid:
        found = [i for i in invalid.result.issues if i.column in {f.name for f in visit.form.answers}]
        first = layout(visit.form).page_of(found[0].column) if found else page
        fieldwork.save_draft(visit.engine, token, answers, first)
        on_page = [i for i in found if i.column in set(layout(visit.form).pages[first].answer_names)]
        return _show(request, visit, answers, first, 422, issues=on_page, all_issues=found, asked=data)
    except fieldwork.AlreadySubmitted:
        return _stopped(request, token, Stop(409, SUBMITTED))
    except fieldwork.FieldworkClosed:
        return _stopped(request, token, Stop(410, CLOSED))
    if problems:
        return _show(request, visit, answers, page, 422, issues=problems, asked=data)
    return _here(token, target, saved=action == "save")


@router.post("/survey/{token}", response_class=HTMLResponse)
async def survey_post(request: Request, token: str) -> Response:
    data = await request.form()
    check_csrf(request, data.get(CSRF_FIELD) if isinstance(data.get(CSRF_FIELD), str) else None)
    return await run_in_threadpool(_guarded, _answer, request, token, data)


def _check(request: Request, token: str, data: FormData) -> Response:
    from patentreach.survey.instrument.pages import evaluate, issues, layout

    try:
        visit = _visit(request, token)
    except Stop as stop:
        return JSONResponse({"error": gettext(_lang(request), stop.message), "status": stop.status},
                            status_code=stop.status)
    from patentreach.survey import fieldwork

    lay = layout(visit.form)
    page = _page_number(data.get("page", 0), len(lay.pages))
    answers, _ = fieldwork.load_draft(visit.engine, token)
    answers.update(_posted_answers(visit, data, page))
    state = evaluate(visit.form, answers)
    names = [f.name for f in lay.pages[page].fields]
    lang = _lang(request)
    return JSONResponse(headers={"Cache-Control": "no-store"}, content={
        "page": page,
        "relevant": {n: state.relevant.get(n, True) for n in names},
        "calculated": {n: _shown(v) for n, v in state.calculated.items() if n in names},
        "allowed": {n: list(v) for n, v in state.allowed.items() if n in names},
        "issues": {i.column: _message(visit.form, i, lang)
                   for i in issues(visit.form, visit.invitation, answers, page)},
    })


@router.post("/survey/{token}/check")
async def survey_check(request: Request, token: str) -> Response:
    """The page's state for ``survey.js``: relevance, calculated values, allowed choices and the
    problems of the page's answers (not saved: the buttons save)."""
    data = await request.form()
    submitted = request.headers.get(CSRF_HEADER) or data.get(CSRF_FIELD)
    check_csrf(request, submitted if isinstance(submitted, str) else None)
    return await run_in_threadpool(_guarded, _check, request, token, data)


@router.get("/survey/{token}/done", response_class=HTMLResponse)
def survey_done(request: Request, token: str) -> Response:
    return _guarded(_done, request, token)


def _done(request: Request, token: str) -> Response:
    try:
        visit = _visit(request, token, answering=False)
    except Stop as stop:
        return _stopped(request, token, stop)
    if visit.invitation.status != "complete":
        return RedirectResponse(f"/survey/{token}", status_code=303)
    return render(request, "survey_done.html", token=token, channel=visit.invitation.channel or "web")


@router.get("/survey/{token}/print", response_class=HTMLResponse)
def survey_print(request: Request, token: str) -> Response:
    """The answers with their questions in the request's language: the submitted ones once the
    questionnaire is complete, else the draft (marked as not submitted)."""
    return _guarded(_print, request, token)


def _print(request: Request, token: str) -> Response:
    from patentreach.survey import fieldwork
    from patentreach.survey.instrument.form import pick_label
    from patentreach.survey.instrument.pages import answered_instances, evaluate, layout, stored_answers

    try:
        visit = _visit(request, token, answering=False)
    except Stop as stop:
        return _stopped(request, token, stop)
    lang = _lang(request)
    complete = visit.invitation.status == "complete"
    answers = stored_answers(visit.engine, visit.invitation) if complete else None
    if answers is None:
        answers, _ = fieldwork.load_draft(visit.engine, token)
    state = evaluate(visit.form, answers)
    sections = []
    for page in layout(visit.form).pages:
        rows = []
        for f in page.fields:
            if not f.is_answer and f.type != "calculate":
                continue
            if not state.relevant.get(f.name, True):
                continue
            if f.repeat and f.repeat.index not in answered_instances(visit.form, answers, f.repeat.repeat):
                continue  # a wholly blank instance is absent
            value = state.calculated.get(f.name, "") if f.type == "calculate" else answers.get(f.name, "")
            if f.list_name and value:
                labels = {c.name: pick_label(c.labels, lang) or c.name for c in visit.form.choices[f.list_name]}
                value = "; ".join(labels.get(v, v) for v in value.split())
            rows.append({"name": f.name, "label": f.label(lang), "value": value})
        if rows:
            sections.append({"label": page.label(lang), "rows": rows})
    return render(request, "survey_print.html", token=token, sections=sections, complete=complete,
                  unit=visit.invitation.unit_key)
