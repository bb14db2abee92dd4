"""Entity resolution measured on a labelled benchmark, and sector rules against PatentsView codes.

Linkage: the NBER assignee benchmark shipped in the PyPI package ``pv-evaluation`` 2.1.1
(``pv_evaluation/data/assignee/nber-subset-assignees-benchmark.csv``: 216,847 assignee mentions
with their true entity). The wheel is fetched with ``pip download --no-deps`` into ``--cache``
(default /tmp/pv) when it is not there, and the CSV is read from inside the wheel; nothing is
installed and nothing is committed. ``--benchmark CSV`` runs on any CSV with the columns
mention_id, unique_id, organization instead.

The resolver is the one ``patentreach harmonize`` runs: every organisation name normalised, one
record per linkage key (weighted by its mentions), Splink, best-heavier-link clustering. The
baseline, measured in the same run on the same mentions: upper case, punctuation removed, legal
forms removed from the end (same legal-form table), exact match.

Printed: pairwise and B-cubed precision, recall and F1 and the seconds taken, for both; then the
agreement of the sector rules (names and name form only, codes withheld) with the PatentsView
assignee type codes of ``../shared/data/patentsview-tsv/``. ``--json`` prints one JSON object.

Run: ``.venv/bin/python bench/linkage.py [--json] [--benchmark CSV] [--cache DIR]``
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import subprocess
import sys
import time
import unicodedata
import zipfile
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
sys.path.insert(0, str(REPO))

from patentreach.harmonize import linkage_records, linker, sector  # noqa: E402
from patentreach.harmonize.name_normalisation import clean, normalise_name  # noqa: E402
from patentreach.harmonize.name_tables import legal_forms  # noqa: E402

WHEEL = "pv_evaluation-2.1.1-py3-none-any.whl"
MEMBER = "pv_evaluation/data/assignee/nber-subset-assignees-benchmark.csv"
ASSIGNEE_TSV = SHARED / "data" / "patentsview-tsv" / "legacy" / "assignee.tuhh-reduced.subset.tsv"

# Sectors compatible with each PatentsView type-code group: USPTO codes universities and
# hospitals as companies (they are corporations) or, for public ones, as government bodies.
COMPATIBLE = {
    "company": {"company", "university", "hospital"},
    "government": {"government", "university", "hospital"},
    "individual": {"individual"},
}


def benchmark_rows(path: Path | None, cache: Path) -> list[dict[str, str]]:
    if path is not None:
        with path.open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))
    wheel = cache / WHEEL
    if not wheel.is_file():
        cache.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "pv-evaluation==2.1.1", "-d", str(cache)],
            check=True,
        )
    with zipfile.ZipFile(wheel) as archive, archive.open(MEMBER) as raw:
        return list(csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8", newline="")))


def metrics(truth: list[str], predicted: list[str]) -> dict[str, float]:
    """Pairwise and B-cubed precision / recall / F1 (mention-averaged B-cubed)."""
    n = len(truth)
    cells = Counter(zip(truth, predicted, strict=True))
    true_sizes, predicted_sizes = Counter(truth), Counter(predicted)
    both = sum(c * (c - 1) / 2 for c in cells.values())
    predicted_pairs = sum(c * (c - 1) / 2 for c in predicted_sizes.values())
    true_pairs = sum(c * (c - 1) / 2 for c in true_sizes.values())
    bp = sum(c * c / predicted_sizes[p] for (_, p), c in cells.items()) / n
    br = sum(c * c / true_sizes[t] for (t, _), c in cells.items()) / n
    pp = both / predicted_pairs if predicted_pairs else 1.0
    pr = both / true_pairs if true_pairs else 1.0

    def f1(a: float, b: float) -> float:
        return 2 * a * b / (a + b) if a + b else 0.0

    return {
        "pairwise_precision": pp,
        "pairwise_recall": pr,
        "pairwise_f1": f1(pp, pr),
        "bcubed_precision": bp,
        "bcubed_recall": br,
        "bcubed_f1": f1(bp, br),
    }


def resolve(organizations: list[str]) -> tuple[list[str], str]:
    keys = {name: normalise_name(name).match_key or name.upper() for name in set(organizations)}
    weights = Counter(keys[name] for name in organizations)
    ordered = sorted(weights)
    records = linkage_records.build(
        ordered, ["organisation"] * len(ordered), ordered, weights=[weights[k] for k in ordered]
    )
    resolution = linker.resolve(records)
    return [resolution.clusters[keys[name]] for name in organizations], resolution.parameters


def baseline(organizations: list[str]) -> list[str]:
    index = legal_forms(clean)
    out = {}
    for name in set(organizations):
        text = unicodedata.normalize("NFKC", name).upper()
        tokens = "".join(ch if ch.isalnum() else " " for ch in text).split()
        stripped = True
        while stripped and len(tokens) > 1:
            stripped = False
            for form in index.by_last.get(tokens[-1], ()):
                n = len(form.tokens)
                if n < len(tokens) and tuple(tokens[-n:]) == form.tokens:
                    tokens, stripped = tokens[:-n], True
                    break
        out[name] = " ".join(tokens)
    return [out[name] for name in organizations]


def sector_agreement() -> dict[str, object]:
    """Sector from the name alone (codes withheld) against the PatentsView type code."""
    if not ASSIGNEE_TSV.is_file():
        return {"error": f"{ASSIGNEE_TSV} is missing (needs ../shared)"}
    with ASSIGNEE_TSV.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    per_code: dict[str, list[int]] = {}
    agree = total = agree_named = total_named = 0
    for row in rows:
        group = sector.type_group(row["type"])
        if group is None:
            continue
        name = row["organization"]
        unnamed = name == "NA"  # the table's individuals: their name is in name_first / name_last
        normalised = normalise_name("" if unnamed else name)
        decision = sector.decide(
            sector.Evidence(
                normalised_name=normalised.normalised,
                kind="person" if unnamed else "organisation",
                legal_sector=normalised.legal_sector,
            )
        )
        ok = decision.sector in COMPATIBLE[group]
        counts = per_code.setdefault(row["type"], [0, 0])
        counts[0] += ok
        counts[1] += 1
        agree += ok
        total += 1
        if not unnamed:
            agree_named += ok
            total_named += 1
    return {
        "rows": total,
        "agreement": agree / total,
        "agreement_named_rows": agree_named / total_named,
        "per_type_code": {code: {"rows": n, "agreement": a / n} for code, (a, n) in sorted(per_code.items())},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--benchmark", type=Path, help="CSV with mention_id, unique_id, organization")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/pv"), help="where the pv-evaluation wheel is kept")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()

    rows = benchmark_rows(args.benchmark, args.cache)
    truth = [row["unique_id"] for row in rows]
    organizations = [row["organization"] or "" for row in rows]

    started = time.perf_counter()
    predicted, parameters = resolve(organizations)
    result = {**metrics(truth, predicted), "seconds": round(time.perf_counter() - started, 2)}
    started = time.perf_counter()
    naive = baseline(organizations)
    base = {**metrics(truth, naive), "seconds": round(time.perf_counter() - started, 2)}
    agreement = sector_agreement()
    output = {
        **result,
        "mentions": len(rows),
        "splink_parameters": parameters,
        "baseline": base,
        "sector_agreement": agreement,
    }
    if args.json:
        print(json.dumps(output, indent=2))
        return
    print(f"{len(rows):,} mentions, {len(set(truth)):,} true entities; Splink parameters: {parameters}")
    print(f"{'':22s}{'resolver':>10s}{'baseline':>10s}")
    for key in ("pairwise_precision", "pairwise_recall", "pairwise_f1",
                "bcubed_precision", "bcubed_recall", "bcubed_f1", "seconds"):
        print(f"{key:22s}{result[key]:10.4f}{base[key]:10.4f}")
    if "error" in agreement:
        print(f"sector agreement: {agreement['error']}")
        return
    print(f"sector agreement with PatentsView type codes: {agreement['agreement']:.4f} "
          f"({agreement['rows']} rows; {agreement['agreement_named_rows']:.4f} on rows with a name)")
    for code, figures in agreement["per_type_code"].items():  # type: ignore[union-attr]
        print(f"  type {code:>3s}: {figures['agreement']:.4f} of {figures['rows']}")


if __name__ == "__main__":
    main()
