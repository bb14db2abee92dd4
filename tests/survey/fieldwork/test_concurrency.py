"""Concurrent submissions never lose or duplicate an answer, on SQLite and on PostgreSQL.

Threads start together at a barrier so the writers really overlap. Every outcome is recorded:
the only exceptions allowed are the ones a respondent or the survey team is meant to see
(:class:`AlreadySubmitted`, the paper import's :class:`StoreError`); anything else, "database is
locked" above all, fails the test."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pandas as pd
import pytest
from sqlalchemy import func, select

from patentreach.survey import fieldwork as fw
from patentreach.survey.frame import add_strata
from patentreach.survey.responses import ImportResult, import_responses
from patentreach.survey.sampling import draw_sample
from patentreach.survey.store import StoreError, import_log, load_responses, responses, save_import
from patentreach.survey.synthetic import holder_answers, make_frame


def outcome(work: Callable[[], object]) -> str:
    """``"stored"``, or the name of the exception ``work`` raised."""
    try:
        work()
    except (fw.AlreadySubmitted, StoreError) as exc:
        return type(exc).__name__
    except Exception as exc:  # anything else ("database is locked") is shown in the failure
        return f"{type(exc).__name__}: {exc}"
    return "stored"


def together(jobs: list[Callable[[], object]], threads: int) -> list[str]:
    """Run ``jobs`` on ``threads`` threads, the first ``threads`` of them released at once."""
    gate = threading.Barrier(min(threads, len(jobs)))

    def run(job: Callable[[], object], index: int) -> str:
        if index < gate.parties:
            gate.wait()
        return outcome(job)

    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(run, jobs, range(len(jobs))))


def stored_units(engine) -> Counter:
    with engine.connect() as conn:
        return Counter(conn.execute(select(responses.c.unit_key)).scalars())


def test_twenty_submissions_of_one_token_store_exactly_one(engine, holder_form, sample, answers):
    fw.invite(engine, holder_form, sample)
    unit = sample["enterprise_id"].iloc[7]
    token = fw.invitation_table(engine, holder_form).set_index("enterprise_id").loc[unit, "token"]
    results = together([lambda: fw.submit(engine, token, answers[unit], holder_form)] * 20, threads=20)
    assert Counter(results) == {"stored": 1, "AlreadySubmitted": 19}
    assert stored_units(engine) == {unit: 1}
    log = import_log(engine)
    assert log[["source", "rows_in", "accepted"]].values.tolist() == [["web", 1, 1]]
    invitation = fw.find_invitation(engine, token)
    assert (invitation.status, invitation.channel) == ("complete", "web")


@pytest.fixture(scope="module")
def big_sample(holder_form) -> tuple[pd.DataFrame, list[ImportResult]]:
    """200 enterprises and each one's answers as the accepted one-row import a web page hands to
    :func:`fw.record_submission` (validated here in one batch: the race is in the storing)."""
    frame = add_strata(make_frame(1_000, seed=12), ["size", "region"])
    drawn = draw_sample(frame, 200, "proportional", 12, minimum=1).astype(str)
    table = holder_answers(drawn, seed=12, form=holder_form)
    table.index = range(2, 2 + len(table))
    result = import_responses(table, holder_form)
    assert len(result.accepted) == 200
    empty = result.rejected.iloc[0:0]
    rows = [ImportResult(holder_form, "web", 1, result.accepted.iloc[[i]], empty, []) for i in range(200)]
    return drawn, rows


def test_two_hundred_tokens_from_eight_threads_are_all_stored_once(engine, holder_form, big_sample):
    drawn, rows = big_sample
    table = fw.invite(engine, holder_form, drawn).set_index("enterprise_id")
    jobs = [
        (lambda t=table.loc[row.accepted["enterprise_id"].iloc[0], "token"], r=row: fw.record_submission(engine, t, r))
        for row in rows
    ]
    results = together(jobs, threads=8)
    assert Counter(results) == {"stored": 200}
    units = stored_units(engine)
    assert set(units) == set(drawn["enterprise_id"]) and set(units.values()) == {1}
    stored = load_responses(engine, holder_form).set_index("enterprise_id").sort_index()
    expected = pd.concat([r.accepted for r in rows]).set_index("enterprise_id").sort_index()
    assert stored["employees"].tolist() == expected["employees"].tolist()
    log = import_log(engine)
    assert len(log) == 200 and log["balanced"].all() and (log["source"] == "web").all()
    rates = fw.response_rates(engine, holder_form).set_index("stratum")
    assert rates.loc["all", ["invited", "complete", "web", "paper"]].tolist() == [200, 200, 200, 0]


def test_a_paper_import_racing_a_web_submission_of_the_same_unit_stores_one_response(
    engine, holder_form, sample, answers
):
    fw.invite(engine, holder_form, sample)
    token_of = fw.invitation_table(engine, holder_form).set_index("enterprise_id")["token"]
    units = sample["enterprise_id"].iloc[:12].tolist()
    winners = Counter()
    for unit in units:  # one race per unit, both writers validated first and released together
        row = pd.DataFrame([answers[unit]], index=[2], dtype=object)
        batch = import_responses(row, holder_form)
        online = fw.check_submission(holder_form, fw.find_invitation(engine, token_of[unit]), answers[unit])
        results = together(
            [
                lambda b=batch: save_import(engine, b),
                lambda u=unit, r=online: fw.record_submission(engine, token_of[u], r),
            ],
            threads=2,
        )
        assert sorted(results) in (["StoreError", "stored"], ["AlreadySubmitted", "stored"]), results
        winner = "paper" if results[0] == "stored" else "web"
        winners[winner] += 1
        assert fw.find_invitation(engine, token_of[unit]).channel == winner
    assert stored_units(engine) == dict.fromkeys(units, 1)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(responses)).scalar() == 12
    rates = fw.response_rates(engine, holder_form).set_index("stratum")
    assert rates.loc["all", ["complete", "web", "paper"]].tolist() == [12, winners["web"], winners["paper"]]


def test_sqlite_paper_imports_from_another_process_and_web_submissions_all_land(
    tmp_path, holder_form, big_sample
):
    """The deployment's case: `patentreach serve` answering respondents while the survey team runs
    `survey import` in another process on the same SQLite file. Neither side sees "database is
    locked": the other process waits for the write lock (busy timeout), threads of this one
    queue on theirs."""
    import subprocess
    import sys

    from patentreach.survey.store import open_store

    drawn, rows = big_sample
    url = f"sqlite:///{tmp_path / 'survey.sqlite'}"
    engine = open_store(url)
    table = fw.invite(engine, holder_form, drawn).set_index("enterprise_id")
    web_rows, paper_rows = rows[:60], rows[60:]
    batches = [pd.concat([r.accepted for r in paper_rows[i : i + 14]]) for i in range(0, len(paper_rows), 14)]
    for number, batch in enumerate(batches):
        batch.drop(columns="_row").to_csv(tmp_path / f"paper{number}.csv", index=False)
    script = (
        "import sys\n"
        "from patentreach.survey.responses import import_responses\n"
        "from patentreach.survey.store import open_store, save_import\n"
        "engine = open_store(sys.argv[1])\n"
        "print('ready', flush=True)\n"
        "sys.stdin.readline()\n"
        "for path in sys.argv[2:]:\n"
        "    save_import(engine, import_responses(path, 'holder'))\n"
        "print('imported', len(sys.argv) - 2)\n"
    )
    paper = subprocess.Popen(
        [sys.executable, "-c", script, url, *[str(tmp_path / f"paper{n}.csv") for n in range(len(batches))]],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    assert paper.stdout.readline().strip() == "ready"  # imports done: the writes start together
    jobs = [
        (lambda t=table.loc[r.accepted["enterprise_id"].iloc[0], "token"], r=r: fw.record_submission(engine, t, r))
        for r in web_rows
    ]
    paper.stdin.write("go\n")
    paper.stdin.flush()
    results = together(jobs, threads=8)
    out, err = paper.communicate(timeout=120)
    assert paper.returncode == 0, err
    assert out.strip() == f"imported {len(batches)}"
    assert Counter(results) == {"stored": 60}
    assert set(stored_units(engine).values()) == {1} and len(stored_units(engine)) == 200
    rates = fw.response_rates(engine, holder_form).set_index("stratum")
    assert rates.loc["all", ["complete", "web", "paper"]].tolist() == [200, 60, 140]
    engine.dispose()
