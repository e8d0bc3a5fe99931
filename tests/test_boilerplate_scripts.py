"""Options of the boilerplate evaluation and training scripts (`scripts/evaluate_boilerplate.py`,
`scripts/train_furniture_model.py`) that change which `line_rules` rules run, on a page written
here."""

from __future__ import annotations

import argparse
import importlib
from pathlib import Path
from types import ModuleType

import numpy as np
import pyarrow as pa
import pytest

from pipeline.clean.config import LineRulesConfig
from pipeline.clean.furniture_model import FurnitureModel
from pipeline.clean.line_context import FEATURES

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"
MENU = ["Skip to content", "Home", "World", "Business", "Sport", "Weather", "Sign in", "Search"]
BODY = [
    "The harbour authority said on Tuesday that the coastal road would stay closed for a week "
    "while engineers inspect the sea wall.",
    "Residents were told to use the inland route, which adds about twenty minutes to most "
    "journeys into town.",
    "A spokesperson said the repairs would be paid for from the council's emergency budget.",
]


@pytest.fixture
def scripts(monkeypatch: pytest.MonkeyPatch) -> dict[str, ModuleType]:
    monkeypatch.syspath_prepend(str(SCRIPTS))
    names = (
        "boilerplate_scores",
        "evaluate_boilerplate",
        "furniture_passes",
        "train_furniture_model",
    )
    return {name: importlib.import_module(name) for name in names}


def options(**changed: object) -> argparse.Namespace:
    values = {"disable_rules": [], "furniture_model": None, "furniture_threshold": None}
    return argparse.Namespace(**{**values, **changed})


def test_no_options_give_the_default_line_rules(scripts: dict[str, ModuleType]) -> None:
    config = scripts["evaluate_boilerplate"].line_rules_config(options())
    assert config == LineRulesConfig()


def test_options_disable_rules_and_set_the_model(scripts: dict[str, ModuleType]) -> None:
    config = scripts["evaluate_boilerplate"].line_rules_config(
        options(disable_rules=["image_credit"], furniture_threshold=0.9, furniture_model="m.json")
    )
    assert config.disabled_rules == [*LineRulesConfig().disabled_rules, "image_credit"]
    assert config.page_furniture.threshold == 0.9
    assert config.page_furniture.model_path == "m.json"
    assert "image_credit" not in config.build().rules


def test_training_rows_without_a_disabled_rule(scripts: dict[str, ModuleType]) -> None:
    evaluate, train = scripts["evaluate_boilerplate"], scripts["train_furniture_model"]
    labels = np.array([0] * len(MENU) + [1] * len(BODY), dtype=np.int8)
    page = evaluate.Page("a", "https://a.example/x", "\n".join(MENU + BODY), "", labels, "article")
    default = train.Prepared([page]).after_rules
    without_login = train.Prepared([page], ["login_cart"]).after_rules
    # page_header is off by default: only the pattern lines go ("Skip to content", "Home",
    # "Sign in", "Search"); without login_cart, "Sign in" stays for the model to judge.
    assert default.tolist() == (
        [False, False, True, True, True, True, False, False] + [True] * len(BODY)
    )
    assert without_login.tolist() == (
        [False, False, True, True, True, True, True, False] + [True] * len(BODY)
    )


def test_sample_weights_price_retention_and_optionally_words(
    scripts: dict[str, ModuleType],
) -> None:
    train = scripts["train_furniture_model"]
    # Page 0: 1 content line and 2 boilerplate lines; page 1: 3 content lines.
    label = np.array([0, 1, 1, 0, 0, 0], dtype=np.int8)  # 1 = boilerplate
    page = np.array([0, 0, 0, 1, 1, 1])
    log_words = np.log1p(np.array([12, 1, 40, 9, 9, 9], dtype=np.float64))
    by_line = train.sample_weights(label, page)
    # Mean content lines per page is 2: the lone content line weighs 2, the others 2/3.
    assert by_line.tolist() == pytest.approx([2.0, 1.0, 1.0, 2 / 3, 2 / 3, 2 / 3])
    by_words = train.sample_weights(label, page, log_words)
    assert by_words[[0, 3, 4, 5]].tolist() == by_line[[0, 3, 4, 5]].tolist()
    # Boilerplate lines weigh log1p(words) over its mean: the 40-word line 5.4x the 1-word one.
    assert by_words[[1, 2]].mean() == pytest.approx(1.0)
    assert by_words[2] / by_words[1] == pytest.approx(np.log1p(40) / np.log1p(1))


def test_averaged_forest_scores_the_members_mean_log_odds(
    scripts: dict[str, ModuleType],
) -> None:
    train = scripts["train_furniture_model"]
    # Two members as `forest` writes them: one tree, then two trees (one of depth 2).
    first = {
        "baseline": -1.0,
        "roots": [0],
        "feature": [0, -1, -1],
        "threshold": [0.5, 0.0, 0.0],
        "left": [1, -1, -1],
        "right": [2, -1, -1],
        "value": [0.0, 0.2, -0.3],
    }
    second = {
        "baseline": 0.5,
        "roots": [0, 5],
        "feature": [3, -1, 5, -1, -1, 0, -1, -1],
        "threshold": [1.0, 0.0, 2.0, 0.0, 0.0, 0.5, 0.0, 0.0],
        "left": [1, -1, 3, -1, -1, 6, -1, -1],
        "right": [2, -1, 4, -1, -1, 7, -1, -1],
        "value": [0.0, 0.4, 0.0, 0.1, -0.6, 0.0, -0.2, 0.7],
    }
    features = {"features": list(FEATURES)}
    merged = train.average([first, second])
    assert merged["roots"] == [0, 3, 8]
    rows = np.random.default_rng(7).uniform(0.0, 3.0, size=(200, len(FEATURES)))
    rows[:, 0] = np.repeat([0.2, 0.9], 100)
    margins = [
        FurnitureModel.from_dict({**features, **part}).margin(rows) for part in (first, second)
    ]
    mean = (margins[0] + margins[1]) / 2
    # Both sides of every split are reached, so every leaf of both members is checked.
    assert len(np.unique(mean.round(9))) == 6
    assert FurnitureModel.from_dict({**features, **merged}).margin(rows) == pytest.approx(mean)
    # One member averages to itself.
    assert train.average([second]) == second


def test_copies_without_blank_lines_keep_the_labels_of_their_lines(
    scripts: dict[str, ModuleType],
) -> None:
    evaluate, train = scripts["evaluate_boilerplate"], scripts["train_furniture_model"]
    text = "\n".join(["Home", "", *BODY[:2], "  ", "", BODY[2], ""])
    labels = np.array([0, -1, 1, 1, -1, -1, 1, -1], dtype=np.int8)
    page = evaluate.Page("p", "https://example.org/a", text, " ".join(BODY), labels, "article")
    copy = train.without_blank_lines(page)
    assert copy.text.split("\n") == ["Home", *BODY]
    assert copy.labels.tolist() == [0, 1, 1, 1]
    assert (copy.id, copy.url, copy.clean) == (page.id, page.url, page.clean)


def test_scores_are_line_token_and_snippet_shares(scripts: dict[str, ModuleType]) -> None:
    evaluate, scores = scripts["evaluate_boilerplate"], scripts["boilerplate_scores"]
    words = [len(scores.WORD.findall(line)) for line in BODY]
    # Page 1 keeps its body and one menu line; page 2 loses its only content line.
    first = evaluate.Page(
        "1",
        None,
        "\n".join(["Home", "Weather", *BODY[:2]]),
        "\n".join(BODY[:2]),
        np.array([0, 0, 1, 1], dtype=np.int8),
        "article",
        with_snippets=("HARBOUR authority", "not on the page"),
        without_snippets=("weather", "Home"),
    )
    second = evaluate.Page("2", None, BODY[2], BODY[2], np.array([1], dtype=np.int8), "article")
    masks = [np.array([False, True, True, True]), np.array([False])]
    result = scores.score([first, second], masks)
    body = words[0] + words[1]
    assert (result["bp_precision"], result["bp_recall"], result["bp_f1"]) == (0.5, 0.5, 0.5)
    assert (result["ret"], result["ret_all"]) == (0.5, pytest.approx(2 / 3))
    # Token scores are means over pages (page 2 scores 0), F1 "all" pools the words.
    assert result["tok_p"] == pytest.approx(body / (body + 1) / 2)
    assert result["tok_r"] == pytest.approx(0.5)
    assert result["tok_f1"] == pytest.approx(2 * body / (2 * body + 1) / 2)
    pooled_p, pooled_r = body / (body + 1), body / (body + words[2])
    assert result["tok_f1_all"] == pytest.approx(2 * pooled_p * pooled_r / (pooled_p + pooled_r))
    # Over distinct words: page 1 keeps one word ("weather") the reference lacks, page 2 none.
    distinct = len(set(scores.WORD.findall(" ".join(BODY[:2]).lower())))
    assert result["tok_f1_set"] == pytest.approx(2 * distinct / (2 * distinct + 1) / 2)
    # Snippets: only page 1 lists any; one of two found, one of two unwanted still kept.
    assert (result["with"], result["without"]) == (0.5, 0.5)


def test_token_scores_of_empty_texts_follow_wcxb(scripts: dict[str, ModuleType]) -> None:
    scores = scripts["boilerplate_scores"].token_scores_of
    assert scores(0, 0, 0) == (1.0, 1.0, 1.0)
    assert scores(0, 5, 0) == (0.0, 0.0, 0.0)
    assert scores(0, 0, 5) == (0.0, 0.0, 0.0)
    assert scores(3, 4, 6) == (0.75, 0.5, pytest.approx(0.6))


def test_bootstrap_intervals_resample_pages(scripts: dict[str, ModuleType]) -> None:
    evaluate, scores = scripts["evaluate_boilerplate"], scripts["boilerplate_scores"]
    text = "\n".join(["Home", *BODY])
    labels = np.array([0, 1, 1, 1], dtype=np.int8)
    page = evaluate.Page("p", None, text, "\n".join(BODY), labels, "article")
    # Page 1 keeps everything, page 2 removes "Home" and loses one content line.
    per_page = scores.page_scores(
        [page, page], [np.ones(4, dtype=bool), np.array([False, True, False, True])]
    )
    whole = scores.summarize(per_page)
    assert whole["ret"] == pytest.approx((1.0 + 2 / 3) / 2)
    # Resampled page indices repeat pages: both kept twice is retention 1, page 2 twice 2/3.
    assert scores.summarize(per_page, np.array([0, 0]))["ret"] == 1.0
    assert scores.summarize(per_page, np.array([1, 1]))["ret"] == pytest.approx(2 / 3)
    found = scores.intervals(per_page, 400, seed=3)
    assert found == scores.intervals(per_page, 400, seed=3)
    assert found["ret"] == (pytest.approx(2 / 3), 1.0)
    assert found["tok_r"][0] < whole["tok_r"] < found["tok_r"][1]
    # No page lists snippets: no interval for them.
    assert "with" not in found and "without" not in found
    # The same page twice: every resample scores alike.
    same = scores.intervals(scores.page_scores([page, page], [np.ones(4, dtype=bool)] * 2), 50)
    assert same["bp_recall"] == (0.0, 0.0) and same["ret"] == (1.0, 1.0)


def test_training_rows_of_the_second_pass_are_what_line_rules_scores(
    scripts: dict[str, ModuleType],
) -> None:
    evaluate, train = scripts["evaluate_boilerplate"], scripts["train_furniture_model"]
    passes = scripts["furniture_passes"]
    footer = ["About us", "Careers", "Contact", "Privacy", "Crossword", "Puzzles", "Horoscopes"]
    blocks = [MENU, ["Coastal road closed for a week"], *([line] for line in BODY), footer]
    text = "\n\n".join("\n".join(block) for block in blocks)
    labels = np.zeros(text.count("\n") + 1, dtype=np.int8)
    page = evaluate.Page(
        "p", "https://example.org/coastal-road-closed", text, "", labels, "article"
    )
    data = train.Prepared([page])
    model = FurnitureModel.load()
    assert model.second_pass is not None  # the shipped model has two passes
    # The training script's way: first-pass probabilities, the second pass's rows, combined.
    first = model.probability(data.features)
    both = passes.second_pass_features(data, first)
    final = passes.combined(first, model.second_pass.probability(both))
    expected = data.eligible & (final >= 0.5)
    assert (model.undecided(model.margin(data.features)) & data.eligible).any()
    assert expected.any() and (data.eligible & ~expected).any()
    # A real run's way.
    stage = LineRulesConfig(page_furniture={"threshold": 0.5}).build()
    codes = stage.find_removals(data.remaining, pa.array([page.url]))
    assert (codes == len(stage.rules)).tolist() == expected.tolist()
