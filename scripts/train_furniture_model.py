"""Train the `page_furniture` model on WCXB dev, with cross-validation grouped by site.

Data: `../shared/data/wcxb-dev` (1,497 full pages with per-line labels, see the data README).
Every page goes through the default cleaning stages up to `line_rules` (normalize, block_rules,
then line_rules' rules other than `page_furniture`, with the default `disabled_rules`: the
`page_structure` rules are off); the lines still kept are the training rows
(features: `pipeline.clean.line_context.FEATURES`; label: 1 boilerplate, 0 content; lines labelled
unknown are not used). The model is the mean log-odds of `--members` scikit-learn
`HistGradientBoostingClassifier`s that differ by random state (each split sees half of the
features), exported as one forest (a training dependency only: crawlsieve reads the exported
trees with numpy/numba). A second pass of the same kind reads the features and
`line_content_words`' (how many of a line's words the lines the first pass is sure are content
use); it is trained on the first pass's out-of-fold probabilities (`furniture_passes`), and
`--one-pass` leaves it out.

Honest figures: pages are split into `--folds` folds grouped by host (`GroupKFold` on the URL's
host, so no site is in both the training and the scoring fold), each fold scored by a model
trained on the others (both passes: nested, see `furniture_passes`; ~17 minutes on 2 cores, 4
with `--one-pass`), and the whole pipeline (block_rules -> line_rules -> repeated_blocks) is
scored with `scripts/evaluate_boilerplate.py`'s metrics for each threshold of `--thresholds`.
The threshold written to the docs is the lowest whose cross-validated mean retention stays at
least `--min-retention`. The in-sample figures (the final model scored on its own training pages)
are printed next to them.

Usage:
    python scripts/train_furniture_model.py [--folds 5] [--out pipeline/clean/furniture_model.json]
        [--thresholds 0.5 0.6 0.7] [--min-retention 0.952] [--no-write]
        [--members 3] [--boilerplate-weight line|words] [--no-blank-copies]
        [--disable-rules RULE ...] [--one-pass]

The shipped models: the default run writes `pipeline/clean/furniture_model.json`;
`--no-blank-copies --out pipeline/clean/furniture_model_flat.json` the model for texts without
blank lines between blocks.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
import pyarrow as pa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from boilerplate_scores import score  # noqa: E402
from evaluate_boilerplate import Page, load_pages  # noqa: E402
from furniture_passes import (  # noqa: E402
    CONTENT_CUT,
    SURE_CUT,
    combined,
    nested_two_pass,
    out_of_fold,
    second_pass_features,
)

from pipeline.clean.config import (  # noqa: E402
    BlockRulesConfig,
    LineRulesConfig,
    NormalizeConfig,
    PageFurnitureConfig,
    RepeatedBlocksConfig,
)
from pipeline.clean.furniture_model import SECOND_PASS_FEATURES, FurnitureModel  # noqa: E402
from pipeline.clean.line_context import FEATURES, SHORT_WORDS  # noqa: E402
from pipeline.clean.line_table import LineTable, subset  # noqa: E402
from pipeline.clean.normalize import normalize_text  # noqa: E402

PARAMS = {
    "max_iter": 100,
    "learning_rate": 0.12,
    "max_leaf_nodes": 31,
    "min_samples_leaf": 80,
    "l2_regularization": 1.0,
    "max_features": 0.5,
    "random_state": 0,
}
# Models averaged into the shipped one (random states 0, 1, ...: each tree split draws half of
# the features at random, so the members differ); their mean log-odds is the model's.
MEMBERS = 3
NODE_ARRAYS = ("feature", "threshold", "left", "right", "value")


class Prepared:
    """The pages run up to `line_rules`: features and labels of the lines the model would see."""

    def __init__(self, pages: list[Page], disabled_rules: Sequence[str] = ()) -> None:
        self.pages = pages
        texts = [page.text for page in pages]
        lines = LineTable.from_text(pa.array(texts, pa.string()))
        lines = LineTable(normalize_text(lines.lines, NormalizeConfig()), lines.offsets)
        self.lines = lines
        alive = np.ones(lines.num_lines, dtype=bool)
        block = BlockRulesConfig().build()
        block.setup()
        remaining, index = subset(lines, alive)
        alive[index[block.find_removals(remaining) > 0]] = False
        disabled = [*LineRulesConfig().disabled_rules, "page_furniture", *disabled_rules]
        stage = LineRulesConfig(disabled_rules=disabled).build()
        remaining, index = subset(lines, alive)
        codes = stage.rule_removals(remaining)
        alive[index[codes > 0]] = False
        self.after_rules = alive
        urls = pa.array([page.url for page in pages], pa.string())
        self.features = stage.context_features(remaining, codes, urls)
        self.remaining = remaining  # the lines of the feature rows
        labels = np.concatenate([page.labels for page in pages])
        self.row_line = index  # line (in `lines`) of each feature row
        self.candidate = (codes == 0) & ~remaining.blank & (labels[index] >= 0)
        self.label = labels[index]
        self.row_page = remaining.doc
        text = ~remaining.blank
        short = text & (remaining.words <= SHORT_WORDS) & ~remaining.ends_sentence
        gate = PageFurnitureConfig()
        page_lines = np.bincount(remaining.doc[text], minlength=len(pages))
        short_lines = np.bincount(remaining.doc[short], minlength=len(pages))
        page = (page_lines >= gate.min_lines) & (short_lines >= gate.min_short_lines)
        self.row_scored = text & page[remaining.doc]  # rows `line_rules` gives the model
        # Lines the rules removed are never removed by the model; kept lines with an unknown
        # label are, as in a real run. Short and prose-only texts are not scored (`line_rules`).
        self.eligible = alive[index] & self.row_scored

    def masks(self, furniture_rows: np.ndarray) -> list[np.ndarray]:
        """Keep masks per page once the rows in `furniture_rows` are removed, and repeated_blocks
        has run (the evaluation pipeline)."""
        alive = self.after_rules.copy()
        alive[self.row_line[furniture_rows]] = False
        repeated = RepeatedBlocksConfig().build()
        repeated.setup()
        remaining, index = subset(self.lines, alive)
        alive[index[repeated.find_removals(remaining) > 0]] = False
        offsets = self.lines.offsets
        return [alive[offsets[i] : offsets[i + 1]] for i in range(len(self.pages))]


def without_blank_lines(page: Page) -> Page:
    """`page` with its blank (whitespace-only) lines and their labels taken out."""
    lines = page.text.split("\n")
    keep = np.array([line.strip() != "" for line in lines], dtype=bool)
    text = "\n".join(line for line, kept in zip(lines, keep, strict=True) if kept)
    return dataclasses.replace(page, text=text, labels=page.labels[keep])


def host(page: Page) -> str:
    netloc = urlsplit(page.url or "").netloc.lower()
    return netloc.removeprefix("www.") or page.id


def sample_weights(
    label: np.ndarray, page: np.ndarray, log_words: np.ndarray | None = None
) -> np.ndarray:
    """Sample weights. A content line weighs the mean number of content lines per page divided by
    its page's number (capped at 10), so that losing one line of a page with three content lines
    costs what retention (a mean over pages) says it costs. A boilerplate line weighs 1, or, given
    `log_words` (`--boilerplate-weight words`), its `log1p(words)` over the mean of that on
    boilerplate lines, so that a kept 40-word comment costs more than a kept "Home", as in token
    F1."""
    content = label == 0
    per_page = np.bincount(page[content], minlength=int(page.max()) + 1).astype(np.float64)
    mean = per_page[per_page > 0].mean()
    weight = np.ones(label.size, dtype=np.float64)
    weight[content] = np.minimum(mean / per_page[page[content]], 10.0)
    boilerplate = ~content
    if log_words is not None and boilerplate.any():
        size = log_words[boilerplate].astype(np.float64)
        weight[boilerplate] = size / size.mean()
    return weight


def fit(
    features: np.ndarray,
    label: np.ndarray,
    page: np.ndarray,
    *,
    by_words: bool = False,
    members: int = MEMBERS,
) -> list:
    """`members` fitted scikit-learn `HistGradientBoostingClassifier`s (label 1 = boilerplate),
    random states `PARAMS["random_state"]` and up; `by_words`: boilerplate lines weigh by their
    words (`sample_weights`)."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    log_words = features[:, FEATURES.index("log_words")] if by_words else None
    weights = sample_weights(label, page, log_words)
    rows = features.astype(np.float64)
    models = []
    for member in range(members):
        params = {**PARAMS, "random_state": PARAMS["random_state"] + member}
        models.append(HistGradientBoostingClassifier(**params).fit(rows, label, weights))
    return models


def probability(models: Sequence, features: np.ndarray) -> np.ndarray:
    """Probability of boilerplate by the members' mean log-odds (what the export scores)."""
    rows = features.astype(np.float64)
    margin = np.mean([model.decision_function(rows) for model in models], axis=0)
    return 1.0 / (1.0 + np.exp(-margin))


def forest(model) -> dict:  # noqa: ANN001
    """One fitted model's trees as flat node arrays (`pipeline.clean.furniture_model`'s layout)."""
    out: dict = {
        "baseline": float(np.ravel(model._baseline_prediction)[0]),
        "roots": [],
        "feature": [],
        "threshold": [],
        "left": [],
        "right": [],
        "value": [],
    }
    for (predictor,) in model._predictors:
        base = len(out["feature"])
        out["roots"].append(base)
        for node in predictor.nodes:
            leaf = bool(node["is_leaf"])
            out["feature"].append(-1 if leaf else int(node["feature_idx"]))
            out["threshold"].append(0.0 if leaf else float(node["num_threshold"]))
            out["left"].append(-1 if leaf else base + int(node["left"]))
            out["right"].append(-1 if leaf else base + int(node["right"]))
            out["value"].append(float(node["value"]) if leaf else 0.0)
    return out


def average(forests: Sequence[dict]) -> dict:
    """One forest whose log-odds is the mean of `forests`' (same layout): their trees one after
    the other, every leaf and the baseline divided by their number."""
    share = 1.0 / len(forests)
    out: dict = {"baseline": 0.0, **{key: [] for key in NODE_ARRAYS}, "roots": []}
    for part in forests:
        base = len(out["feature"])
        out["baseline"] += part["baseline"] * share
        out["roots"] += [root + base for root in part["roots"]]
        out["feature"] += part["feature"]
        out["threshold"] += part["threshold"]
        out["left"] += [node + base if node >= 0 else -1 for node in part["left"]]
        out["right"] += [node + base if node >= 0 else -1 for node in part["right"]]
        out["value"] += [round(value * share, 7) for value in part["value"]]
    return out


def export(models: Sequence, second: Sequence = ()) -> dict:
    """The fitted members as one model in the JSON layout of `pipeline.clean.furniture_model`,
    with the `second` pass's members (when given) under `second_pass`."""
    out = {
        "features": list(FEATURES),
        "trained_by": "scripts/train_furniture_model.py",
        "params": PARAMS,
        "members": len(models),
        **average([forest(model) for model in models]),
    }
    if second:
        forests = average([forest(model) for model in second])
        features = list(SECOND_PASS_FEATURES)
        cuts = {"content_cut": CONTENT_CUT, "sure_cut": SURE_CUT}
        out["second_pass"] = {"features": features, **cuts, **forests}
    return out


def table_row(name: str, result: dict[str, float]) -> str:
    keys = ("bp_precision", "bp_recall", "bp_f1", "ret", "ret_all", "tok_f1", "tok_f1_all")
    return f"{name:<26}" + "".join(f"{result[k]:>11.3f}" for k in keys)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--out", default=str(ROOT / "pipeline" / "clean" / "furniture_model.json"))
    parser.add_argument(
        "--thresholds", type=float, nargs="+", default=[0.8, 0.85, 0.9, 0.92, 0.94, 0.96]
    )
    parser.add_argument("--min-retention", type=float, default=0.952)
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument(
        "--no-blank-copies",
        action="store_true",
        help="also train on a copy of every page without its blank lines (text extracted without "
        "blank lines between blocks, as in WET files); figures are printed for both",
    )
    parser.add_argument(
        "--boilerplate-weight",
        choices=("line", "words"),
        default="line",
        help="what a boilerplate line weighs in training: 1 (the shipped model; best line-level "
        "F1) or log1p of its words (better token F1, lower line-level F1; docs/cleaning.md)",
    )
    parser.add_argument(
        "--members",
        type=int,
        default=MEMBERS,
        help="models averaged into the shipped one (random states 0, 1, ...); fewer trees score "
        "faster, one model is less accurate on unseen sites (docs/cleaning.md)",
    )
    parser.add_argument(
        "--disable-rules",
        nargs="*",
        default=[],
        help="line_rules rules to switch off before the model (e.g. page_header page_footer), to "
        "measure the model in their place; a model trained so needs the same disabled_rules",
    )
    parser.add_argument(
        "--one-pass",
        action="store_true",
        help="train the first pass only, without the second pass over the words of the lines it "
        "is sure are content: cross-validates in a fifth of the time, less accurate",
    )
    args = parser.parse_args(argv)
    by_words = args.boilerplate_weight == "words"

    pages = load_pages("wcxb-dev", None)
    copies = [without_blank_lines(page) for page in pages] if args.no_blank_copies else []
    copies = [page for page in copies if page.labels.size]
    data = Prepared(pages + copies, args.disable_rules)
    rows = np.flatnonzero(data.candidate)
    groups = np.array([host(data.pages[data.row_page[r]]) for r in rows])
    label = (data.label[rows] == 0).astype(np.int8)  # 1 = boilerplate
    print(f"{len(pages)} pages, {len(set(groups))} hosts, {rows.size} rows, {label.mean():.3f} bp")

    def fit_members(features: np.ndarray, label: np.ndarray, page: np.ndarray) -> list:
        return fit(features, label, page, by_words=by_words, members=args.members)

    def report(fold: int, held: int) -> None:
        print(f"fold {fold}: {held} pages", flush=True)

    if args.one_pass:
        first = out_of_fold(
            data, data.features, rows, label, groups, args.folds, fit_members, probability
        )
        oof = first
    else:
        first, oof = nested_two_pass(
            data, rows, label, groups, args.folds, fit_members, probability, report
        )
    base = score(pages, data.masks(np.zeros(data.label.size, dtype=bool))[: len(pages)])
    print(f"\n{'':<26}" + "".join(f"{k:>11}" for k in ("bp_P", "bp_R", "bp_F1", "ret")), end="")
    print("".join(f"{k:>11}" for k in ("ret_all", "tok_f1", "tok_f1_all")))
    print(table_row("rules only", base))
    chosen = None
    for threshold in args.thresholds:
        masks = data.masks(data.eligible & (oof >= threshold))
        result = score(pages, masks[: len(pages)])
        print(table_row(f"CV threshold {threshold}", result))
        if copies:
            print(table_row("  without blank lines", score(copies, masks[len(pages) :])))
        if not args.one_pass:
            masks = data.masks(data.eligible & (first >= threshold))
            print(table_row("  first pass only", score(pages, masks[: len(pages)])))
        if result["ret"] >= args.min_retention and chosen is None:
            chosen = threshold

    final = fit_members(data.features[rows], label, data.row_page[rows])
    second, both = [], data.features
    if not args.one_pass:
        # The second pass learns from first-pass probabilities of pages the first pass did not
        # see (`furniture_passes`), as it will meet them in a real run.
        both = second_pass_features(data, first)
        second = fit_members(both[rows], label, data.row_page[rows])
    exported = export(final, second)
    check = FurnitureModel.from_dict(exported)
    sample = rows[:5000]
    expected = probability(final, data.features[sample])
    assert np.allclose(check.probability(data.features[sample]), expected, atol=1e-5), "export"
    in_sample = check.probability(data.features)
    if check.second_pass is not None:
        expected = probability(second, both[sample])
        assert np.allclose(check.second_pass.probability(both[sample]), expected, atol=1e-5)
        again = check.second_pass.probability(second_pass_features(data, in_sample))
        in_sample = combined(in_sample, again)
    for threshold in args.thresholds:
        masks = data.masks(data.eligible & (in_sample >= threshold))
        print(table_row(f"in-sample threshold {threshold}", score(pages, masks[: len(pages)])))
        if copies:
            print(table_row("  without blank lines", score(copies, masks[len(pages) :])))
    print(f"\nlowest threshold with CV mean retention >= {args.min_retention}: {chosen}")
    if not args.no_write:
        Path(args.out).write_text(json.dumps(exported, separators=(",", ":")) + "\n")
        print(f"wrote {args.out} ({len(exported['roots'])} trees, second pass: {bool(second)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
