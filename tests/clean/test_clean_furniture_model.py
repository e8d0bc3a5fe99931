"""`page_furniture`: context features, the compiled tree and region loops against plain references,
the shipped model's contract, and what the rule does (and never does) on pages."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest
from clean_fixtures import (
    BODY_HEAD,
    BODY_TAIL,
    BYLINE,
    DOUBLED_ARTICLE,
    REWRITE_LINES,
    make_table,
)

from pipeline.clean.config import LineRulesConfig
from pipeline.clean.furniture_model import (
    DEFAULT_MODEL,
    FLAT_MODEL,
    SECOND_PASS_FEATURES,
    FurnitureModel,
    forest_margin_py,
)
from pipeline.clean.line_context import FEATURES, line_context_features
from pipeline.clean.line_context_kernels import densest_regions
from pipeline.clean.line_rules import LineRulesStage
from pipeline.clean.line_table import LineTable
from pipeline.schema import REMOVED_LINES

PROSE = [
    "The harbour board met on Tuesday to discuss the repairs the winter storms made necessary.",
    "Engineers told members that the north wall would need new foundations before next autumn.",
    "The board agreed to ask the council for a loan, and to publish the survey in full next week.",
    "Residents who live near the wall will be invited to a public meeting about the work.",
]
MENU = ["Home", "News", "Sport", "Weather", "Contact us", "Login", "Search"]
FOOTER = [
    "About us",
    "Careers",
    "Advertise",
    "Privacy Policy",
    "Terms of Use",
    "© 2025 Harbour Post",
]


def densest_reference(doc: np.ndarray, score: np.ndarray, num_docs: int) -> list[tuple[int, int]]:
    """Brute force: the earliest maximum-sum run of each document, (-1, -1) if none is positive."""
    out = []
    for d in range(num_docs):
        index = np.flatnonzero(doc == d)
        best, span = 0.0, (-1, -1)
        for i in range(index.size):
            for j in range(i, index.size):
                total = float(score[index[i] : index[j] + 1].sum())
                if total > best:
                    best, span = total, (int(index[i]), int(index[j]))
        out.append(span)
    return out


def test_densest_regions_match_brute_force() -> None:
    rng = np.random.default_rng(7)
    for _ in range(50):
        sizes = rng.integers(0, 9, size=4)
        doc = np.repeat(np.arange(4), sizes)
        score = rng.integers(-4, 5, size=doc.size).astype(np.float64)
        start, end = densest_regions(doc, score, 4)
        expected = densest_reference(doc, score, 4)
        got = list(zip(start.tolist(), end.tolist(), strict=True))
        # Equal sums may be reached by different spans: compare the sums and the earliest end.
        for (s, e), (rs, re_) in zip(got, expected, strict=True):
            if rs < 0:
                assert (s, e) == (-1, -1)
            else:
                assert score[s : e + 1].sum() == score[rs : re_ + 1].sum()


def test_context_features_describe_a_menu_and_the_body() -> None:
    text = "\n".join(MENU + PROSE + FOOTER)
    lines = LineTable.from_text(pa.array([text, ""]))
    none = np.zeros(lines.num_lines, dtype=bool)
    features = line_context_features(lines, none, none)
    column = {name: i for i, name in enumerate(FEATURES)}
    assert features.shape == (lines.num_lines, len(FEATURES))
    assert not features[-1].any()  # the empty document's blank line
    menu, body = slice(0, len(MENU)), slice(len(MENU), len(MENU) + len(PROSE))
    assert (features[menu, column["before_first_prose"]] == 1).all()
    assert (features[body, column["in_densest_region"]] == 1).all()
    assert (features[menu, column["in_densest_region"]] == 0).all()
    assert features[0, column["log_short_run"]] == pytest.approx(np.log1p(len(MENU)))
    assert features[len(MENU) + len(PROSE), column["after_last_prose"]] == 1
    assert features[len(MENU), column["prev_prose"]] == 0
    assert features[len(MENU) + 1, column["prev_prose"]] == 1


@pytest.fixture(scope="module")
def model() -> FurnitureModel:
    return FurnitureModel.load()


def test_compiled_forest_equals_plain_reference(model: FurnitureModel) -> None:
    rng = np.random.default_rng(3)
    rows = rng.normal(0.5, 1.0, size=(400, len(FEATURES))).astype(np.float32)
    rows[:, 2:7] = rng.integers(0, 2, size=(400, 5))
    rows[:7, 10] = np.nan
    assert np.array_equal(model.margin(rows), model.baseline + forest_margin_py(rows, model))


def test_shipped_model_names_the_features_it_was_trained_on() -> None:
    data = json.loads(DEFAULT_MODEL.read_text(encoding="utf-8"))
    assert tuple(data["features"]) == FEATURES
    data["features"] = list(reversed(FEATURES))
    with pytest.raises(ValueError, match="retrain"):
        FurnitureModel.from_dict(data)


def run_stage(
    texts: list[str], urls: list[str | None] | None = None, **config: object
) -> tuple[list[str], list[list[dict]]]:
    stage = LineRulesConfig(**config).build()
    assert isinstance(stage, LineRulesStage)
    result = stage.process(make_table(texts, urls=urls))
    if REMOVED_LINES not in result.table.column_names:  # nothing removed from the batch
        return result.table["text"].to_pylist(), [[] for _ in texts]
    removed = [rows or [] for rows in result.table[REMOVED_LINES].to_pylist()]
    return result.table["text"].to_pylist(), removed


CATEGORIES = [
    "Categories",
    "Harbours (12)",
    "Boats (7)",
    "Weather (31)",
    "Fishing (4)",
    "Events (9)",
]
NAVIGATION = ["Home", "News", "Sport", "Weather", "Business", "Travel", "Culture"]


def test_menu_and_category_list_of_a_full_page_go_body_stays() -> None:
    headline = "Harbour wall needs new foundations"
    page = "\n".join(NAVIGATION + [headline] + PROSE + CATEGORIES)
    texts, removed = run_stage([page], page_furniture={"threshold": 0.5})
    kept = texts[0].split("\n")
    assert [line for line in kept if line in PROSE or line == headline] == [headline, *PROSE]
    gone = {item["text"]: item["rule"] for item in removed[0]}
    assert {"News", "Sport", "Events (9)", "Fishing (4)"} <= set(gone)
    assert gone["News"] == gone["Events (9)"] == "page_furniture"
    # The default threshold is more cautious: part of the furniture, never the body; more of the
    # menu above the title goes when the URL names the title (here with the menu, the headline,
    # each paragraph and the category list as blocks, as extractors write a page).
    page = "\n\n".join(["\n".join(NAVIGATION), headline, *PROSE, "\n".join(CATEGORIES)])
    url = "https://example.com/2024/05/harbour-wall-needs-new-foundations/"
    texts, removed = run_stage([page, page], urls=[url, None])
    with_url, without_url = ({item["text"] for item in rows} for rows in removed)
    assert {"Home", "News", "Sport", "Weather"} <= with_url
    assert {"Home"} <= without_url < with_url < set(NAVIGATION + CATEGORIES)
    for text in texts:
        kept = text.split("\n")
        assert [line for line in kept if line in PROSE or line == headline] == [headline, *PROSE]
    # A short text the model does not score, first in the batch, leaves each page its own URL.
    _, after_short = run_stage(["Home\nNews", page], urls=["/p/other-page-title", url])
    assert {item["text"] for item in after_short[1]} == with_url


def test_short_texts_are_left_to_the_other_rules() -> None:
    page = "\n".join(["Home", "News", "Sport"] + PROSE[:2])
    _, removed = run_stage([page], page_furniture={"threshold": 0.01})
    assert all(item["rule"] != "page_furniture" for item in removed[0])


def test_disabled_rule_keeps_the_lines() -> None:
    page = "\n".join(NAVIGATION + PROSE + CATEGORIES)
    config = {"threshold": 0.5}
    _, removed = run_stage([page], page_furniture=config)
    assert any(item["rule"] == "page_furniture" for item in removed[0])
    disabled = ["furniture_block", "page_furniture"]
    _, removed = run_stage([page], page_furniture=config, disabled_rules=disabled)
    assert all(item["rule"] != "page_furniture" for item in removed[0])


def test_news_article_hard_negatives_survive() -> None:
    texts, removed = run_stage([DOUBLED_ARTICLE, "\n".join(REWRITE_LINES)])
    by_model = {
        item["text"] for rows in removed for item in rows if item["rule"] == "page_furniture"
    }
    # The model may take the byline (in a pipeline `block_rules` removes it first); nothing else:
    # headlines, subheadings without punctuation and quoted speech stay.
    assert by_model <= set(BYLINE)
    for line in BODY_HEAD + BODY_TAIL:
        assert line in texts[0].split("\n")
    for line in REWRITE_LINES[:-1]:
        assert line in texts[1].split("\n")


def test_genuine_list_inside_an_article_survives() -> None:
    article = "\n".join(
        PROSE[:2]
        + ["You will need:", "- 200g plain flour", "- 2 eggs", "- 300ml milk", "- a pinch of salt"]
        + PROSE[2:]
    )
    texts, removed = run_stage([article])
    assert texts[0] == article
    assert removed[0] == []


def test_config_validation_does_not_import_pandas() -> None:
    code = (
        "import sys\n"
        "from pipeline.clean.config import BlockRulesConfig, LineRulesConfig\n"
        "LineRulesConfig(extra_rules={'mine': ['^x$']}); BlockRulesConfig()\n"
        "print('pandas' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_at_least_is_the_probability_threshold(model: FurnitureModel) -> None:
    rng = np.random.default_rng(5)
    rows = rng.normal(0.5, 1.5, size=(2000, len(FEATURES))).astype(np.float32)
    rows[:, 2:7] = rng.integers(0, 2, size=(2000, 5))
    probability = model.probability(rows)
    for threshold in (0.1, 0.5, 0.9, 0.97):
        assert np.array_equal(model.at_least(rows, threshold), probability >= threshold)


def test_prose_only_texts_are_not_scored() -> None:
    # Ten prose lines and two short ones: fewer than `min_short_lines`, so even a threshold that
    # would take every line leaves the text to the other rules.
    story = "\n".join(["Harbour wall needs repairs", *PROSE, *PROSE, *PROSE[:2], "Reuter"])
    texts, _ = run_stage([story], page_furniture={"threshold": 0.01})
    assert texts == [story]
    texts, removed = run_stage([story], page_furniture={"threshold": 0.01, "min_short_lines": 2})
    assert any(item["rule"] == "page_furniture" for item in removed[0])


@pytest.mark.parametrize(
    "gap", [[], [""]], ids=["one block: the flat model", "blocks: the default model"]
)
def test_a_line_goes_just_below_its_probability_and_stays_just_above_it(gap: list[str]) -> None:
    parts = (NAVIGATION, ["Harbour wall needs new foundations", *PROSE], CATEGORIES)
    page = "\n".join(parts[0] + gap + parts[1] + gap + parts[2])
    stage = LineRulesConfig().build()
    assert isinstance(stage, LineRulesStage)
    lines = LineTable.from_table(make_table([page]))
    scores = stage.furniture_probability(lines)
    assert np.isnan(scores[lines.blank | (stage.rule_removals(lines) > 0)]).all()
    news = float(scores[lines.lines.to_pylist().index("News")])
    assert 0.0 < news < 1.0
    # The rule compares log-odds, so the boundary itself is subject to rounding: 1e-6 either side.
    _, removed = run_stage([page], page_furniture={"threshold": news * (1 - 1e-6)})
    assert _rule_of(removed[0], "News") == "page_furniture"
    _, removed = run_stage([page], page_furniture={"threshold": news * (1 + 1e-6)})
    assert _rule_of(removed[0], "News") is None


def _rule_of(removed: list[dict], text: str) -> str | None:
    return next((item["rule"] for item in removed if item["text"] == text), None)


def constant_model(path: Path, log_odds: float) -> str:
    """A one-tree model file that gives every line the same log-odds."""
    model = {
        "features": list(FEATURES),
        "baseline": 0.0,
        "roots": [0],
        "feature": [0, -1, -1],
        "threshold": [1e9, 0.0, 0.0],
        "left": [1, -1, -1],
        "right": [2, -1, -1],
        "value": [0.0, log_odds, log_odds],
    }
    path.write_text(json.dumps(model), encoding="utf-8")
    return str(path)


def test_texts_without_block_breaks_go_to_the_flat_model(tmp_path: Path) -> None:
    blocked = "\n".join(NAVIGATION + [""] + PROSE + [""] + CATEGORIES)
    flat = "\n".join(NAVIGATION + PROSE + CATEGORIES)
    edge_blanks = "\n".join(["", *NAVIGATION, *PROSE, *CATEGORIES, ""])  # still one block
    config = {
        "model_path": constant_model(tmp_path / "keep.json", -5.0),
        "flat_model_path": constant_model(tmp_path / "remove.json", 5.0),
    }
    texts, removed = run_stage([blocked, flat, edge_blanks], page_furniture=config)
    assert all(item["rule"] != "page_furniture" for item in removed[0])
    assert all(line in texts[0].split("\n") for line in PROSE + CATEGORIES)
    for text, rows in zip(texts[1:], removed[1:], strict=True):
        assert text.strip() == ""
        by_model = [item["text"] for item in rows if item["rule"] == "page_furniture"]
        assert set(PROSE + CATEGORIES) <= set(by_model)


def test_the_shipped_flat_model_matches_the_features() -> None:
    assert FurnitureModel.load(FLAT_MODEL).roots.size > 0


def stump(features: tuple[str, ...], feature: str, split: float, low: float, high: float) -> dict:
    """A one-tree forest: log-odds `low` when `feature` <= `split`, else `high`."""
    return {
        "features": list(features),
        "baseline": 0.0,
        "roots": [0],
        "feature": [features.index(feature), -1, -1],
        "threshold": [split, 0.0, 0.0],
        "left": [1, -1, -1],
        "right": [2, -1, -1],
        "value": [0.0, low, high],
    }


def two_pass_model(path: Path, content_cut: float = 0.3) -> str:
    """First pass: a line ending a sentence is sure content (log-odds -5), any other line a
    coin toss (0). Second pass: furniture when at most 20% of its words are the content's."""
    model = stump(FEATURES, "ends_sentence", 0.5, 0.0, -5.0)
    second = stump(SECOND_PASS_FEATURES, "words_in_content", 0.2, 5.0, -5.0)
    model["second_pass"] = {**second, "content_cut": content_cut}
    path.write_text(json.dumps(model), encoding="utf-8")
    return str(path)


def test_a_second_pass_keeps_the_lines_that_share_the_articles_words(tmp_path: Path) -> None:
    headline = "Harbour wall needs new foundations"
    blocks = [NAVIGATION, [headline], *([line] for line in PROSE), ["Crossword puzzles daily"]]
    page = "\n\n".join("\n".join(block) for block in blocks)
    path = two_pass_model(tmp_path / "two.json")
    config = {"threshold": 0.5, "model_path": path, "min_short_lines": 1}
    texts, removed = run_stage([page], page_furniture=config)
    by_model = {item["text"] for item in removed[0] if item["rule"] == "page_furniture"}
    # The first pass alone would remove every line not ending a sentence (log-odds 0 is p 0.5);
    # the second keeps the headline, whose words the paragraphs use, and no menu entry.
    assert headline in texts[0].split("\n") and headline not in by_model
    assert set(NAVIGATION) - {"Home"} <= by_model  # "Home" is a `navigation` pattern's
    assert "Crossword puzzles daily" in by_model
    assert all(line in texts[0].split("\n") for line in PROSE)
    # With no line sure enough to vouch (a cut under the paragraphs' probability), no word is
    # the content's and the second pass removes every line, the paragraphs too.
    path = two_pass_model(tmp_path / "strict.json", content_cut=0.001)
    texts, _ = run_stage([page], page_furniture={**config, "model_path": path})
    assert texts[0].strip() == ""


def test_a_second_pass_is_checked_like_the_first() -> None:
    model = stump(FEATURES, "ends_sentence", 0.5, 0.0, -5.0)
    second = stump(SECOND_PASS_FEATURES, "words_in_content", 0.2, 5.0, -5.0)
    loaded = FurnitureModel.from_dict({**model, "second_pass": {**second, "content_cut": 0.3}})
    assert loaded.second_pass is not None and loaded.second_pass.features == SECOND_PASS_FEATURES
    rows = np.zeros((3, len(FEATURES)), dtype=np.float32)
    rows[1, FEATURES.index("ends_sentence")] = 1.0
    first = loaded.margin(rows)
    assert loaded.vouching(first).tolist() == [False, True, False]
    assert loaded.undecided(first).tolist() == [True, False, True]
    assert loaded.combine(first, np.full(3, 7.0)).tolist() == [7.0, -5.0, 7.0]
    # Lines the first pass is sure are furniture (here: at least 0.4) keep its score.
    sure = FurnitureModel.from_dict(
        {**model, "second_pass": {**second, "content_cut": 0.3, "sure_cut": 0.4}}
    )
    assert sure.undecided(first).tolist() == [False, False, False]
    assert sure.combine(first, np.full(3, 7.0)).tolist() == [0.0, -5.0, 0.0]
    with pytest.raises(ValueError, match="retrain"):
        FurnitureModel.from_dict({**model, "second_pass": {**model, "content_cut": 0.3}})
    for cuts in ({"content_cut": 1.5}, {"content_cut": 0.5, "sure_cut": 0.4}):
        with pytest.raises(ValueError, match="content_cut < sure_cut"):
            FurnitureModel.from_dict({**model, "second_pass": {**second, **cuts}})
    with pytest.raises(ValueError, match="expected rows of"):
        loaded.second_pass.margin(rows)  # first-pass rows lack the content-word features
