"""A synthetic national enterprise patent survey: frame, answers and non-response.

Used by the demo and the tests; needs nothing outside the package. The numbers are invented but
shaped like the real thing (see ``docs/survey.md``): a frame dominated by small and micro
enterprises in the eastern region, a very skewed number of patents per enterprise, and behaviour
that depends on size and region - large enterprises export, transfer and hold patents abroad far
more often, western and north-eastern enterprises lean more towards Belt and Road partners - so
that unweighted sample shares are visibly wrong and the design weights matter. The response
propensity also varies by size and region (about 85% overall, as in the national survey).

Every answer row follows the form's skip logic and constraints; :func:`spoil` then damages a few
rows the way keyed-in questionnaires are damaged, so the import has something to reject.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from patentreach.survey.instrument.form import Form, load_form

SIZES = ("large", "medium", "small", "micro")
SIZE_SHARE = (0.03, 0.12, 0.45, 0.40)
REGIONS = ("east", "central", "west", "northeast")
REGION_SHARE = (0.62, 0.17, 0.14, 0.07)
SECTORS = ("state_owned", "private", "foreign", "hmt")
INDUSTRY_SHARE = {
    "electronics": 0.14,
    "electrical": 0.11,
    "machinery": 0.20,
    "transport": 0.07,
    "chemicals": 0.07,
    "pharma": 0.04,
    "materials": 0.08,
    "light": 0.12,
    "software": 0.09,
    "research": 0.04,
    "other": 0.04,
}
# Per size (large, medium, small, micro).
MEDIAN_PATENTS = (120.0, 25.0, 8.0, 3.0)
EMPLOYEES = ((1000, 60000), (300, 999), (20, 299), (1, 19))
P_EXPORTS = (0.78, 0.60, 0.40, 0.25)
P_NO_PROTECTION = (0.35, 0.55, 0.70, 0.78)
P_TRANSFER = (0.55, 0.32, 0.16, 0.08)
P_TRANSFER_ABROAD = (0.42, 0.22, 0.11, 0.08)
P_DIFFICULTY = (0.48, 0.36, 0.25, 0.15)
P_SELF_INNOVATION = (0.93, 0.88, 0.85, 0.81)
P_US_EUROPE = (0.75, 0.65, 0.55, 0.45)  # of those with difficulties abroad: with the US or Europe
P_HOLDS_FOREIGN = (0.65, 0.30, 0.12, 0.05)
P_RESPONSE = (0.80, 0.86, 0.87, 0.82)
# Per region (east, central, west, northeast).
P_BRI_PARTNER = (0.30, 0.38, 0.48, 0.43)
RESPONSE_SHIFT = (0.02, -0.01, -0.05, -0.04)

BRI_COUNTRIES = ("kr", "ru", "sg", "my", "th", "vn", "id", "tr", "ae", "sa", "pk", "kz", "it", "pl")
OTHER_COUNTRIES = ("us", "jp", "de", "fr", "gb", "nl", "in", "br", "au", "ca", "hk", "mx")
PATENT_ID_BLOCK = 5000  # patents per enterprise at most; keeps synthetic patent ids unique


def make_frame(n: int = 60_000, seed: int = 2021, id_style: str = "demo") -> pd.DataFrame:
    """``n`` patent-holding enterprises with sector, size, region, industry and patents held.

    ``id_style``: ``demo`` (``E000001``...) or ``uscc`` (valid unified social credit codes in each
    enterprise's region, as a real register extract has them)."""
    rng = np.random.default_rng(seed)
    size_i = rng.choice(4, size=n, p=SIZE_SHARE)
    region_i = rng.choice(4, size=n, p=REGION_SHARE)
    state_share = np.array([0.30, 0.10, 0.04, 0.02])[size_i]
    u = rng.random(n)
    sector = np.where(
        u < state_share,
        "state_owned",
        np.where(u < state_share + 0.08, "foreign", np.where(u < state_share + 0.14, "hmt", "private")),
    )
    industries = list(INDUSTRY_SHARE)
    industry = rng.choice(industries, size=n, p=list(INDUSTRY_SHARE.values()))
    median = np.array(MEDIAN_PATENTS)[size_i]
    patents = np.minimum(np.ceil(median * rng.lognormal(0.0, 1.0, size=n)), PATENT_ID_BLOCK)
    ids = rng.permutation(n) + 1
    frame = pd.DataFrame(
        {
            "enterprise_id": [f"E{i:06d}" for i in ids],
            "sector": sector,
            "size": np.array(SIZES)[size_i],
            "region": np.array(REGIONS)[region_i],
            "industry": industry,
            "patents": patents.astype("int64"),
        }
    ).sort_values("enterprise_id", ignore_index=True)
    if id_style == "uscc":
        from patentreach.survey.enterprise_ids import make_uscc

        codes = make_uscc(np.random.default_rng([seed, 9]), n, frame["region"].tolist())
        frame["enterprise_id"] = codes
        frame = frame.sort_values("enterprise_id", ignore_index=True)
    elif id_style != "demo":
        raise ValueError(f"id_style {id_style!r}: expected demo or uscc")
    return frame


def respond_patents(patents: pd.DataFrame, seed: int, rate: float = 0.94) -> pd.Series:
    """Whether each patent questionnaire of a responding enterprise comes back."""
    rng = np.random.default_rng([seed, 6])
    return pd.Series(rng.random(len(patents)) < rate, index=patents.index, name="responded")


def respond(sample: pd.DataFrame, seed: int) -> pd.Series:
    """Whether each sampled enterprise returns its questionnaire (depends on size and region)."""
    rng = np.random.default_rng([seed, 1])
    size_i = sample["size"].map({s: i for i, s in enumerate(SIZES)}).to_numpy()
    region_i = sample["region"].map({r: i for i, r in enumerate(REGIONS)}).to_numpy()
    p = np.array(P_RESPONSE)[size_i] + np.array(RESPONSE_SHIFT)[region_i]
    return pd.Series(rng.random(len(sample)) < p, index=sample.index, name="responded")


class _Draw:
    """Vectorised draws for ``n`` units: every answer column is generated at once."""

    def __init__(self, rng: np.random.Generator, n: int) -> None:
        self.rng, self.n = rng, n

    def flag(self, p: np.ndarray | float, where: np.ndarray | None = None) -> np.ndarray:
        hit = self.rng.random(self.n) < p
        return hit if where is None else hit & where

    def one_of(self, options: tuple[str, ...], p: tuple[float, ...]) -> np.ndarray:
        return np.asarray(options, dtype=object)[self.rng.choice(len(options), size=self.n, p=p)]

    def some_of(self, pool: tuple[str, ...], low: int, high: int) -> list[list[str]]:
        """Between ``low`` and ``high`` distinct items of ``pool`` per unit, in random order."""
        order = self.rng.random((self.n, len(pool))).argsort(axis=1)
        k = self.rng.integers(low, high + 1, size=self.n)
        return [[pool[j] for j in order[i, : k[i]]] for i in range(self.n)]


def _text(values: object, where: np.ndarray) -> np.ndarray:
    """Strings where ``where`` holds, ``""`` elsewhere (the question was skipped)."""
    array = np.asarray(values, dtype=object)
    if array.ndim == 0:
        array = np.full(len(where), array.item(), dtype=object)
    return np.where(where, array, "").astype(object)


def _yes(flags: np.ndarray, where: np.ndarray | None = None) -> np.ndarray:
    answer = np.where(flags, "yes", "no").astype(object)
    return answer if where is None else _text(answer, where)


def _joined(lists: list[list[str]], where: np.ndarray) -> np.ndarray:
    return _text(np.array([" ".join(x) for x in lists] + [""], dtype=object)[:-1], where)


def _per(values: tuple[float, ...], index: np.ndarray) -> np.ndarray:
    return np.asarray(values, dtype=float)[index]


def holder_answers(units: pd.DataFrame, seed: int, form: Form | None = None) -> pd.DataFrame:
    """Answers (strings, ``""`` when skipped, in form column order) for each enterprise of
    ``units`` (frame columns), following the holder form's skip logic and constraints."""
    form = form or load_form("holder")
    n = len(units)
    d = _Draw(np.random.default_rng([seed, 2]), n)
    s = units["size"].map({v: i for i, v in enumerate(SIZES)}).to_numpy()
    r = units["region"].map({v: i for i, v in enumerate(REGIONS)}).to_numpy()
    a: dict[str, object] = {
        k: units[k].astype(str).to_numpy() for k in ("enterprise_id", "size", "sector", "industry", "region")
    }
    low = np.array([e[0] for e in EMPLOYEES])[s]
    high = np.array([e[1] for e in EMPLOYEES])[s]
    employees = np.clip(np.round(np.exp(d.rng.uniform(np.log(low), np.log(high)))), low, high).astype(int)
    a["employees"] = employees.astype(str)
    a["rd_staff"] = d.rng.binomial(employees, 0.12).astype(str)
    a["revenue_mcny"] = np.char.mod("%.1f", employees * d.rng.lognormal(-0.3, 0.6, n))
    a["high_tech"] = _yes(d.flag(_per((0.75, 0.6, 0.45, 0.3), s)))
    patents = units["patents"].to_numpy(dtype=int)
    invention = 1 + d.rng.binomial(patents - 1, 0.3)
    utility = d.rng.binomial(patents - invention, 0.55 / 0.7)
    a["inv_patents_cn"] = invention.astype(str)
    a["um_patents_cn"] = utility.astype(str)
    a["design_patents_cn"] = (patents - invention - utility).astype(str)
    foreign = d.flag(_per(P_HOLDS_FOREIGN, s))
    a["holds_foreign"] = _yes(foreign)
    a["foreign_patents"] = _text((1 + d.rng.poisson(_per((40, 8, 3, 1), s))).astype(str), foreign)
    offices = ("us", "ep", "jp", "kr", "ru", "in", "vn")
    a["foreign_offices"] = _joined(d.some_of(offices, 1, 4), foreign)
    a["pct_filed"] = _yes(foreign & d.flag(0.6), d.flag(0.9))

    transfer = d.flag(_per(P_TRANSFER, s))
    a["transfer_out"] = _yes(transfer)
    modes = ("assignment", "exclusive", "sole", "ordinary", "open", "cross")
    a["transfer_out_mode"] = _joined(d.some_of(modes, 1, 2), transfer)
    abroad = d.flag(_per(P_TRANSFER_ABROAD, s), transfer)
    a["transfer_out_abroad"] = _yes(abroad, transfer)
    bri = d.flag(_per(P_BRI_PARTNER, r))
    also_other = ~bri | d.flag(0.3)
    partners = [
        (b if has_bri else []) + (o if other else [])
        for b, o, has_bri, other in zip(
            d.some_of(BRI_COUNTRIES, 1, 2),
            d.some_of(OTHER_COUNTRIES, 1, 2),
            bri,
            also_other,
            strict=True,
        )
    ]
    a["transfer_out_countries"] = _joined(partners, abroad)
    license_in = d.flag(_per((0.30, 0.18, 0.08, 0.04), s))
    a["license_in"] = _yes(license_in)
    license_abroad = d.flag(0.3, license_in)
    a["license_in_abroad"] = _yes(license_abroad, license_in)
    sources = ("us", "jp", "de", "kr", "fr")
    a["license_in_countries"] = _joined(d.some_of(sources, 1, 2), license_abroad)

    exports = d.flag(_per(P_EXPORTS, s))
    a["exports"] = _yes(exports)
    a["export_share_pct"] = _text(np.char.mod("%.1f", d.rng.uniform(2, 80, n)), exports)
    markets = d.some_of(BRI_COUNTRIES + OTHER_COUNTRIES, 1, 5)
    a["export_markets"] = _joined(markets, exports)
    several = np.array([len(m) > 1 for m in markets])
    none = d.flag(_per(P_NO_PROTECTION, s))
    some = ~none & several & d.flag(0.6)
    protection = np.where(none, "none", np.where(some, "some", "all"))
    a["export_protection"] = _text(protection, exports)
    covered = [m[: int(k)] for m, k in zip(markets, d.rng.random(n) * 10, strict=True)]
    covered = [c if 0 < len(c) < len(m) else m[:1] for c, m in zip(covered, markets, strict=True)]
    a["protected_markets"] = _joined(covered, exports & some)
    reasons = ("cost", "not_needed", "unfamiliar", "too_slow", "enforcement")
    a["no_protection_reason"] = _joined(d.some_of(reasons, 1, 2), exports & (protection != "all"))
    a["overseas_dispute"] = _text(d.one_of(("yes", "no", "unknown"), (0.06, 0.84, 0.10)), exports)

    difficulty = d.flag(_per(P_DIFFICULTY, s))
    a["tech_import_difficulty"] = _yes(difficulty)
    # Its own random stream, so adding the question (form 2021.2) left every other answer as it was.
    us_europe = _Draw(np.random.default_rng([seed, 7]), n).flag(_per(P_US_EUROPE, s), difficulty)
    a["difficulty_us_europe"] = _yes(us_europe, difficulty)
    causes = ("export_control", "refusal", "price", "terms", "negotiation")
    a["difficulty_reasons"] = _joined(d.some_of(causes, 1, 3), difficulty)
    innovate = d.flag(_per(P_SELF_INNOVATION, s))
    other_moves = (
        "domestic_source",
        "university_coop",
        "other_countries",
        "acquisition",
        "postpone",
    )
    moves = d.some_of(other_moves, 0, 2)
    also = d.flag(0.02)
    chosen = [
        (["self_innovation"] if i else []) + (m if (m or i) else [other_moves[0]]) + (["other"] if o else [])
        for i, m, o in zip(innovate, moves, also, strict=True)
    ]
    a["difficulty_response"] = _joined(chosen, difficulty)
    a["difficulty_response_other"] = _text("Joint lab with a domestic supplier", difficulty & also)

    fte = np.minimum(employees, np.round(d.rng.lognormal(np.log(_per((12, 3, 1, 0.3), s)), 0.7), 1))
    a["ip_staff_fte"] = np.char.mod("%.1f", fte)
    a["ip_department"] = _yes(d.flag(_per((0.85, 0.5, 0.2, 0.05), s)))
    a["ip_budget_kcny"] = np.char.mod("%.0f", d.rng.lognormal(np.log(_per((3000, 400, 80, 15), s)), 0.8))
    a["ip_budget_change"] = d.one_of(("increase", "same", "decrease"), (0.45, 0.42, 0.13))
    frame = pd.DataFrame({k: np.asarray(v, dtype=object) for k, v in a.items()})
    from patentreach.survey.synthetic_markets import with_markets  # the repeat group of form 2021.3

    return with_markets(frame, form, seed)


def patent_id(enterprise_id: str, index: int, patent_type: str, ordinal: int | None = None) -> str:
    """A synthetic, unique CN publication number for patent ``index`` of an enterprise: numbered
    from the demo id's digits, or from ``ordinal`` (the enterprise's 1-based position) for codes."""
    kind = {"invention": "B", "utility_model": "U", "design": "S"}[patent_type]
    position = ordinal if ordinal is not None else int(enterprise_id[1:])
    number = 100_000_000 + (position - 1) * PATENT_ID_BLOCK + index
    return f"CN{number:09d}{kind}"


def name_patents(patents: pd.DataFrame, seed: int) -> pd.DataFrame:
    """Give drawn patents (``enterprise_id``, ``patent_index``) the publication number and type
    the office's register would list for them."""
    rng = np.random.default_rng([seed, 5])
    kinds = np.array(["invention", "utility_model", "design"], dtype=object)
    kind = kinds[rng.choice(3, size=len(patents), p=(0.3, 0.55, 0.15))]
    out = patents.copy()
    out["patent_type"] = kind
    enterprises = out["enterprise_id"].astype(str)
    demo = enterprises.str.fullmatch(r"E[0-9]{6}").all()
    ordinals = None if demo else {e: i + 1 for i, e in enumerate(sorted(enterprises.unique()))}
    out["patent_id"] = [
        patent_id(e, int(k), str(t), None if ordinals is None else ordinals[e])
        for e, k, t in zip(enterprises, out["patent_index"], kind, strict=True)
    ]
    return out


def patent_answers(patents: pd.DataFrame, seed: int, form: Form | None = None) -> pd.DataFrame:
    """Answers for each drawn patent (columns ``enterprise_id``, ``patent_id``, ``patent_type``
    and the enterprise's ``size``)."""
    form = form or load_form("patent")
    n = len(patents)
    d = _Draw(np.random.default_rng([seed, 3]), n)
    s = patents["size"].map({v: i for i, v in enumerate(SIZES)}).to_numpy()
    kind = patents["patent_type"].astype(str).to_numpy()
    a: dict[str, object] = {
        "enterprise_id": patents["enterprise_id"].astype(str).to_numpy(),
        "patent_id": patents["patent_id"].astype(str).to_numpy(),
        "patent_type": kind,
    }
    a["grant_year"] = d.rng.integers(2008, 2022, size=n).astype(str)
    base = np.select([kind == "invention", kind == "utility_model"], [0.46, 0.58], 0.62)
    implemented = d.flag(base + _per((0.08, 0.05, 0.0, -0.06), s))
    a["implemented"] = _yes(implemented)
    modes = ("own", "licensing", "assignment", "equity", "cooperation")
    own_only = d.flag(0.8)
    mixed = d.some_of(modes, 1, 2)
    a["implementation_mode"] = _joined([["own"] if o else m for o, m in zip(own_only, mixed, strict=True)], implemented)
    bands = ("lt1m", "1m_10m", "10m_100m", "ge100m", "unknown")
    a["implementation_revenue"] = _text(d.one_of(bands, (0.35, 0.3, 0.15, 0.05, 0.15)), implemented)
    partners = BRI_COUNTRIES + OTHER_COUNTRIES
    for verb, p, abroad_column, country_column in (
        ("licensed", 0.10, "licensed_abroad", "licensee_country"),
        ("transferred", 0.04, "transferred_abroad", "assignee_country"),
    ):
        done = d.flag(p)
        abroad = d.flag(0.06, done)
        a[verb] = _yes(done)
        a[abroad_column] = _yes(abroad, done)
        a[country_column] = _text(d.one_of(partners, (1 / len(partners),) * len(partners)), abroad)
    family = d.flag(_per((0.35, 0.15, 0.06, 0.03), s), kind == "invention")
    a["family_abroad"] = _yes(family)
    a["family_offices"] = _joined(d.some_of(("us", "ep", "jp", "kr", "in"), 1, 3), family)
    infringed = d.one_of(("yes", "no", "unknown"), (0.07, 0.83, 0.10))
    a["infringed"] = infringed
    actions = d.some_of(("negotiation", "administrative", "litigation", "arbitration"), 1, 2)
    passive = d.flag(0.3)
    a["enforcement"] = _joined(
        [["none"] if p else x for p, x in zip(passive, actions, strict=True)], infringed == "yes"
    )
    frame = pd.DataFrame({k: np.asarray(v, dtype=object) for k, v in a.items()})
    return frame[[f.name for f in form.answers]]


def spoil(answers: pd.DataFrame, count: int, seed: int) -> pd.DataFrame:
    """Damage ``count`` holder rows the way keyed-in paper questionnaires go wrong, cycling through
    one mistake per rule the import checks; returns a copy."""
    rng = np.random.default_rng([seed, 4])
    out = answers.copy()
    rows = rng.choice(len(out), size=min(count, len(out)), replace=False)
    mistakes = [
        ("size", lambda row: ""),  # required answer missing
        ("employees", lambda row: "about 50"),  # not an integer
        ("region", lambda row: "south"),  # not a choice
        ("ip_budget_kcny", lambda row: "-20"),  # constraint
        ("rd_staff", lambda row: str(int(row["employees"]) + 5)),  # cross-field constraint
        (
            "export_share_pct",
            lambda row: "120" if row["exports"] == "yes" else "35",
        ),  # constraint or relevance
        (
            "transfer_out_countries",
            lambda row: "ru" if row["transfer_out_abroad"] != "yes" else "xx",
        ),
    ]
    column_at = {c: out.columns.get_loc(c) for c, _ in mistakes}
    for k, i in enumerate(rows):
        column, damage = mistakes[k % len(mistakes)]
        out.iat[i, column_at[column]] = damage(out.iloc[i])
    return out
