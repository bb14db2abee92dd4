"""The synthetic national enterprise patent survey, end to end, in a few seconds.

The steps are those of the real survey, with invented data standing in for the register and the
returned questionnaires (:mod:`synthetic`), so every file the demo writes has the shape a real
run produces:

1. ``frame.csv`` - 60,000 patent-holding enterprises (sector, size, region, industry, patents),
   stratified by size x region (16 strata);
2. ``sample_enterprises.csv`` - 15,000 enterprises, Neyman allocation on the number of patents
   held, at least 30 per stratum (large enterprises come out take-all), with ``fpc`` and
   ``design_weight``; ``sample_patents.csv`` - up to 3 patents drawn in each sampled enterprise;
3. ``responses_enterprise.csv`` / ``responses_patent.csv`` - what came back: about 85% of
   enterprises (response depends on size and region), 94% of their patent questionnaires, and a
   few keyed-in mistakes and one questionnaire entered twice;
4. the import validates both files against the XLSForms; bad rows go to ``rejects_*.csv`` (with
   ``*.issues.csv``) and everything is stored in ``survey.sqlite``;
5. weights: design weight x weighting-class non-response adjustment within strata (a rejected
   questionnaire counts as non-response); patents: the enterprise's final weight x M_i / m_i, then
   the same adjustment; ``weights_enterprises.csv`` / ``weights_patents.csv`` hold them (the input
   of ``survey headlines``) and ``design_enterprise.yaml`` / ``design_patent.yaml`` say how to
   analyse them;
6. ``estimates.csv`` and ``headlines.md`` - the headline figures of ``instrument/headlines.yaml``
   with 95% CIs, in Chinese and English.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from patentreach.model.spreadsheet_cells import neutralise_frame
from patentreach.survey import fieldwork, synthetic
from patentreach.survey.frame import add_strata, check_frame
from patentreach.survey.instrument.form import load_form
from patentreach.survey.report import derive_enterprise, derive_patent, headline_estimates
from patentreach.survey.responses import ROW, ImportResult, import_responses, write_rejects
from patentreach.survey.sampling import draw_patents, draw_sample, write_sample
from patentreach.survey.store import load_responses, open_store, save_import

STRATA = ("size", "region")
DEMO_BASE_URL = "http://127.0.0.1:8000"  # `patentreach serve`'s default address
ENTERPRISE_DESIGN = {"ids": [], "strata": "stratum", "weights": "final_weight", "fpc": ["fpc"]}
# Patents: enterprises are the clusters; analysed "with replacement" at the first stage (no fpc),
# which carries the within-enterprise sampling of patents into the variance (ultimate clusters).
PATENT_DESIGN = {"ids": ["enterprise_id"], "strata": "stratum", "weights": "final_weight"}


@dataclass
class SurveyDemo:
    """Everything the demo produced, for tests and for callers that want more than sentences."""

    out_dir: Path
    frame: pd.DataFrame
    sample: pd.DataFrame
    patent_sample: pd.DataFrame
    enterprise_import: ImportResult
    patent_import: ImportResult
    enterprises: pd.DataFrame
    patents: pd.DataFrame
    estimates: pd.DataFrame
    files: dict[str, Path] = field(default_factory=dict)
    web_statuses: list[int] = field(default_factory=list)  # one HTTP status per web submission
    rates: pd.DataFrame | None = None  # response rates of the holder questionnaire, per stratum

    @property
    def sentences(self) -> list[str]:
        """The headline sentences in English."""
        return [str(s) for s in self.estimates["sentence_en"]]

    @property
    def sentences_zh(self) -> list[str]:
        """The headline sentences in Chinese (the same figures)."""
        return [str(s) for s in self.estimates["sentence_zh"]]


def _csv(table: pd.DataFrame, path: Path) -> Path:
    neutralise_frame(table).to_csv(path, index=False)
    return path


def _store_weights(engine: Any, files: dict[str, Path], holder_form: Any, patent_form: Any) -> None:
    """Store a weight run, as ``survey weight --store`` does, so that what reads the store's
    weights (the bulletin's survey section) finds them: design weights from the sample files with
    non-response adjustment within strata."""
    from patentreach.survey.table_files import read_table
    from patentreach.survey.weight_store import save_weights
    from patentreach.survey.weighting import weight_patents, weight_survey

    sample = read_table(files["sample_enterprises"], dtype=str, keep_default_na=False, what="sampled units")
    patents = read_table(files["sample_patents"], dtype=str, keep_default_na=False, what="sampled patents")
    holders = weight_survey(sample, load_responses(engine, holder_form))
    holders.specification["files"] = {"sample": str(files["sample_enterprises"]), "frame": None}
    save_weights(engine, holder_form, holders)
    patent_result = weight_patents(patents, load_responses(engine, patent_form), holders, None, classes=("stratum",))
    patent_result.specification["files"] = {"sample": str(files["sample_enterprises"]), "frame": None,
                                            "patent_sample": str(files["sample_patents"])}
    save_weights(engine, patent_form, patent_result)


def _weights(units: pd.DataFrame, respondent: pd.Series, base: str, classes: str = "stratum") -> pd.Series:
    """Base weight x non-response adjustment within ``classes`` (the estimation engine's)."""
    from patentreach.survey.weights import nonresponse_adjust

    data = units.assign(_respondent=respondent.to_numpy())
    return nonresponse_adjust(data, base, "_respondent", [classes])


WebSubmit = Callable[[str, list[tuple[str, dict[str, str]]]], list[int]]
"""``(store, [(token, answers), ...]) -> HTTP statuses``: questionnaires answered through the web
form (``patentreach.web.survey_submissions.submit_through_web``; the survey layer cannot import
the web, so the command passes it in)."""


def survey_demo(
    out_dir: Path,
    seed: int = 2021,
    frame_size: int = 60_000,
    sample_size: int = 15_000,
    patents_per_enterprise: int = 3,
    web_submit: WebSubmit | None = None,
    web_answers: int = 300,
) -> SurveyDemo:
    """Run the synthetic survey into ``out_dir`` (created) and return what it produced.

    Every sampled enterprise is invited (``invitations.csv``: token and link for the mail merge).
    With ``web_submit``, ``web_answers`` of the returned questionnaires are answered through the
    web form over HTTP and the rest come back as a keyed-in paper batch (``survey import``); the
    analysis then reads the store, where both kinds sit side by side, each unit once."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    files: dict[str, Path] = {}
    holder_form, patent_form = load_form("holder"), load_form("patent")

    frame = add_strata(check_frame(synthetic.make_frame(frame_size, seed)), STRATA)
    files["frame"] = _csv(frame, out_dir / "frame.csv")
    sample = draw_sample(frame, sample_size, "neyman", seed, minimum=30)
    files["sample_enterprises"] = write_sample(sample, out_dir / "sample_enterprises.csv")
    drawn = draw_patents(sample, patents_per_enterprise, seed)
    patent_sample = synthetic.name_patents(drawn, seed)
    files["sample_patents"] = write_sample(patent_sample, out_dir / "sample_patents.csv")

    files["store"] = out_dir / "survey.sqlite"
    files["store"].unlink(missing_ok=True)
    engine = open_store(files["store"])
    invitations = fieldwork.invite(engine, holder_form, sample)
    mail_merge = invitations[["token", "enterprise_id", "stratum", "status"]].assign(
        link=DEMO_BASE_URL + "/survey/" + invitations["token"]
    )
    files["invitations"] = _csv(mail_merge, out_dir / "invitations.csv")

    # Fieldwork: who answers, and what the keyed-in files look like.
    responded = synthetic.respond(sample, seed)
    answers = synthetic.holder_answers(sample[responded], seed, holder_form)
    answers = synthetic.spoil(answers, 36, seed)
    answers = pd.concat([answers, answers.iloc[[100]]], ignore_index=True)  # entered twice
    web_statuses: list[int] = []
    if web_submit is not None and web_answers > 0:
        # The first web_answers questionnaires the import would accept are answered online instead.
        whole = import_responses(answers, holder_form, sample=sample)
        once = ~answers["enterprise_id"].duplicated(keep=False)  # a questionnaire keyed in twice stays on paper
        accepted_rows = set(int(r) for r in whole.accepted[ROW])  # a DataFrame's rows: its index
        online = [r for r in answers.index[once] if r in accepted_rows][:web_answers]
        tokens = invitations.set_index("enterprise_id")["token"]
        web_rows = answers.loc[online]
        web_statuses = web_submit(
            str(files["store"]),
            [(str(tokens[row["enterprise_id"]]), row) for row in web_rows.to_dict("records")],
        )
        answers = answers.drop(index=online).reset_index(drop=True)
    files["responses_enterprise"] = out_dir / "responses_enterprise.csv"
    neutralise_frame(answers).to_csv(files["responses_enterprise"], index=False)
    enterprise_import = import_responses(files["responses_enterprise"], holder_form, sample=sample)
    files["rejects_enterprise"], _ = write_rejects(enterprise_import, out_dir / "rejects_enterprise.csv")
    save_import(engine, enterprise_import)
    if web_statuses:
        stored = load_responses(engine, holder_form).drop(columns=["_import_id"])
    else:
        stored = enterprise_import.accepted

    accepted_ids = set(stored["enterprise_id"].astype(str))
    returned = patent_sample[patent_sample["enterprise_id"].isin(accepted_ids)]
    returned = returned[synthetic.respond_patents(returned, seed)]
    sizes = sample.set_index("enterprise_id")["size"]
    patent_rows = synthetic.patent_answers(
        returned.assign(size=returned["enterprise_id"].map(sizes)), seed, patent_form
    )
    files["responses_patent"] = out_dir / "responses_patent.csv"
    neutralise_frame(patent_rows).to_csv(files["responses_patent"], index=False)
    patent_import = import_responses(files["responses_patent"], patent_form, sample=patent_sample)
    files["rejects_patent"], _ = write_rejects(patent_import, out_dir / "rejects_patent.csv")

    save_import(engine, patent_import)
    rates = fieldwork.response_rates(engine, holder_form)
    _store_weights(engine, files, holder_form, patent_form)
    engine.dispose()

    # Weights: enterprises, then patents within responding enterprises.
    design_columns = ["enterprise_id", "stratum", "fpc", "n_h", "design_weight"]
    sample = sample.assign(final_weight=_weights(sample, sample["enterprise_id"].isin(accepted_ids), "design_weight"))
    enterprises = derive_enterprise(
        stored.merge(sample[[*design_columns, "final_weight"]], on="enterprise_id", how="left"),
        holder_form,
    )
    in_scope = patent_sample[patent_sample["enterprise_id"].isin(accepted_ids)].copy()
    in_scope["base_weight"] = (
        in_scope["enterprise_id"].map(sample.set_index("enterprise_id")["final_weight"])
        * in_scope["patents"]
        / in_scope["m_i"]
    )
    answered = set(patent_import.accepted["patent_id"].astype(str))
    in_scope["final_weight"] = _weights(in_scope, in_scope["patent_id"].isin(answered), "base_weight")
    patents = derive_patent(
        patent_import.accepted.merge(
            in_scope[["patent_id", "stratum", "patents", "m_i", "base_weight", "final_weight"]],
            on="patent_id",
            how="left",
        )
    )

    files["design_enterprise"] = out_dir / "design_enterprise.yaml"
    files["design_enterprise"].write_text(yaml.safe_dump(ENTERPRISE_DESIGN), encoding="utf-8")
    files["design_patent"] = out_dir / "design_patent.yaml"
    files["design_patent"].write_text(yaml.safe_dump(PATENT_DESIGN), encoding="utf-8")
    # The weights files `survey headlines --weights / --patent-weights` read (the shape `survey
    # weight` writes): one row per responding unit.
    files["weights_enterprises"] = _csv(
        enterprises[["enterprise_id", "stratum", "fpc", "final_weight"]], out_dir / "weights_enterprises.csv"
    )
    files["weights_patents"] = _csv(
        patents[["patent_id", "enterprise_id", "stratum", "final_weight"]], out_dir / "weights_patents.csv"
    )
    files["enterprises"] = _csv(enterprises, out_dir / "analysis_enterprises.csv")
    files["patents"] = _csv(patents, out_dir / "analysis_patents.csv")

    from patentreach.survey.design import load_design

    estimates = headline_estimates(enterprises, load_design(ENTERPRISE_DESIGN), patents, load_design(PATENT_DESIGN))
    files["estimates"] = _csv(estimates, out_dir / "estimates.csv")
    result = SurveyDemo(
        out_dir,
        frame,
        sample,
        patent_sample,
        enterprise_import,
        patent_import,
        enterprises,
        patents,
        estimates,
        files,
        web_statuses=web_statuses,
        rates=rates,
    )
    files["headlines"] = out_dir / "headlines.md"
    files["headlines"].write_text(_headlines_markdown(result), encoding="utf-8")
    return result


def _headlines_markdown(result: SurveyDemo) -> str:
    e, p = result.enterprise_import, result.patent_import
    lines = [
        "# Enterprise patent survey (synthetic) - headline figures",
        "",
        f"Frame {len(result.frame):,} enterprises; sample {len(result.sample):,} enterprises and "
        f"{len(result.patent_sample):,} patents.",
        f"Enterprise questionnaires: {e.rows_in:,} rows in = {len(e.accepted):,} accepted + "
        f"{len(e.rejected):,} rejected; patent questionnaires: {p.rows_in:,} = "
        f"{len(p.accepted):,} + {len(p.rejected):,}.",
        *_fieldwork_lines(result),
        "",
        *[f"- {s}" for s in result.sentences_zh],
        "",
        *[f"- {s}" for s in result.sentences],
        "",
    ]
    return "\n".join(lines)


def _fieldwork_lines(result: SurveyDemo) -> list[str]:
    if result.rates is None or result.rates.empty:
        return []
    total = result.rates.iloc[-1]
    accepted = sum(1 for status in result.web_statuses if status == 303)
    return [
        f"Fieldwork: {int(total['invited']):,} enterprises invited; {int(total['complete']):,} questionnaires "
        f"complete ({int(total['web']):,} through the web form, {int(total['paper']):,} on paper): "
        f"response rate {total['response_rate']:.1%}; web submissions accepted {accepted:,} of "
        f"{len(result.web_statuses):,}."
    ]


def run_survey_demo(out_dir: Path, seed: int = 2021, web_submit: WebSubmit | None = None, **sizes: int) -> list[str]:
    """Run the synthetic national survey into ``out_dir`` and return the fieldwork line and the
    headline sentences, Chinese first, then English (with ``web_submit``, a few hundred
    questionnaires are answered through the web form). ``sizes`` (``frame_size``, ``sample_size``,
    ``web_answers`` ...) shrink it for tests of what runs around it; the demo uses the national sizes."""
    result = survey_demo(out_dir, seed, web_submit=web_submit, **sizes)
    return [*_fieldwork_lines(result), *result.sentences_zh, *result.sentences]
