"""Scores of line keep masks against labelled pages (`scripts/evaluate_boilerplate.py` and
`scripts/train_furniture_model.py`).

Per data set:

* boilerplate precision / recall / F1: removed lines against lines labelled 0, pooled over pages;
* content retention: kept share of the lines labelled 1, the mean over pages (`ret`) and pooled
  (`ret_all`);
* token precision / recall / F1: bag (multiset) of lower-cased words (`\\w+`) of the kept lines
  against `clean`, the mean over pages (`tok_p`, `tok_r`, `tok_f1`: WCXB's own word F1, as its
  `evaluate.py` computes it) and F1 pooled over all words (`tok_f1_all`); `tok_f1_set`: the mean
  F1 over each page's distinct words (a set of words instead of a bag);
* snippets (WCXB only): the share of the page's `with` snippets found in the kept text (`with`,
  higher is better) and of its `without` snippets still in it (`without`, lower is better), as
  case-insensitive substrings, the mean over the pages that list any.

Every score is computed from per-page counts (`page_scores`), so that a bootstrap over pages
(`intervals`) can recompute them on resampled pages.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

WORD = re.compile(r"\w+")
LINE_COLUMNS = ("pages", "bp_precision", "bp_recall", "bp_f1", "ret", "ret_all")
TEXT_COLUMNS = ("tok_p", "tok_r", "tok_f1", "tok_f1_all", "tok_f1_set", "with", "without")


class LabelledPage(Protocol):
    text: str
    clean: str
    labels: np.ndarray  # int8 per line of text.split("\n"): 1, 0, or -1 for unknown
    with_snippets: tuple[str, ...]
    without_snippets: tuple[str, ...]


@dataclass(frozen=True)
class PageScores:
    """Per-page counts and scores, one entry per page (NaN where a page has none)."""

    counts: np.ndarray  # int64 (pages x 8): tp, fp, fn, kept content, content, overlap, kept, clean
    retention: np.ndarray  # kept share of the content lines; NaN without content lines
    tokens: np.ndarray  # (pages x 3): word precision, recall, F1
    set_f1: np.ndarray  # F1 over the page's distinct words
    with_share: np.ndarray  # share of `with` snippets kept; NaN without snippets
    without_share: np.ndarray  # share of `without` snippets kept; NaN without snippets


def token_counts(text: str) -> Counter[str]:
    return Counter(WORD.findall(text.lower()))


def page_scores(pages: Sequence[LabelledPage], masks: Sequence[np.ndarray]) -> PageScores:
    """The counts and scores of every page under its keep mask."""
    counts = np.zeros((len(pages), 8), dtype=np.int64)
    retention = np.full(len(pages), np.nan)
    tokens = np.zeros((len(pages), 3), dtype=np.float64)
    set_f1 = np.zeros(len(pages), dtype=np.float64)
    with_share = np.full(len(pages), np.nan)
    without_share = np.full(len(pages), np.nan)
    for i, (page, keep) in enumerate(zip(pages, masks, strict=True)):
        labels = page.labels
        content = labels == 1
        lines = page.text.split("\n")
        kept_text = "\n".join(line for line, k in zip(lines, keep, strict=True) if k)
        kept, clean = token_counts(kept_text), token_counts(page.clean)
        overlap = sum((kept & clean).values())
        n_kept, n_clean = sum(kept.values()), sum(clean.values())
        counts[i] = (
            np.sum(~keep & (labels == 0)),
            np.sum(~keep & content),
            np.sum(keep & (labels == 0)),
            np.sum(keep & content),
            np.sum(content),
            overlap,
            n_kept,
            n_clean,
        )
        if content.any():
            retention[i] = float(np.mean(keep[content]))
        tokens[i] = token_scores_of(overlap, n_kept, n_clean)
        set_f1[i] = token_scores_of(len(kept.keys() & clean.keys()), len(kept), len(clean))[2]
        kept_lower = kept_text.lower()
        if page.with_snippets:
            with_share[i] = snippet_share(kept_lower, page.with_snippets)
        if page.without_snippets:
            without_share[i] = snippet_share(kept_lower, page.without_snippets)
    return PageScores(counts, retention, tokens, set_f1, with_share, without_share)


def summarize(scores: PageScores, index: np.ndarray | None = None) -> dict[str, float]:
    """The data set's scores over the pages in `index` (all pages when None; repeats count)."""
    pick = slice(None) if index is None else index
    tp, fp, fn, kept_content, content, overlap, n_kept, n_clean = scores.counts[pick].sum(axis=0)
    tokens = scores.tokens[pick]
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "pages": len(tokens),
        "bp_precision": float(precision),
        "bp_recall": float(recall),
        "bp_f1": float(f1),
        "ret": _mean(scores.retention[pick], empty=0.0),
        "ret_all": float(kept_content / content) if content else 0.0,
        "tok_p": float(tokens[:, 0].mean()) if len(tokens) else 0.0,
        "tok_r": float(tokens[:, 1].mean()) if len(tokens) else 0.0,
        "tok_f1": float(tokens[:, 2].mean()) if len(tokens) else 0.0,
        "tok_f1_all": token_scores_of(int(overlap), int(n_kept), int(n_clean))[2],
        "tok_f1_set": float(scores.set_f1[pick].mean()) if len(tokens) else 0.0,
        "with": _mean(scores.with_share[pick], empty=float("nan")),
        "without": _mean(scores.without_share[pick], empty=float("nan")),
    }


def score(pages: Sequence[LabelledPage], masks: Sequence[np.ndarray]) -> dict[str, float]:
    """Line, token and snippet scores of keep masks against the labels."""
    return summarize(page_scores(pages, masks))


def intervals(
    scores: PageScores, rounds: int, *, level: float = 0.95, seed: int = 0
) -> dict[str, tuple[float, float]]:
    """Percentile bootstrap intervals of every score: `rounds` resamples of the pages with
    replacement (seeded, so the same run prints the same intervals)."""
    pages = len(scores.tokens)
    rng = np.random.default_rng(seed)
    samples = [summarize(scores, rng.integers(0, pages, pages)) for _ in range(rounds)]
    tail = (1.0 - level) / 2 * 100
    out = {}
    for column in LINE_COLUMNS[1:] + TEXT_COLUMNS:
        values = np.array([sample[column] for sample in samples], dtype=np.float64)
        values = values[~np.isnan(values)]
        if values.size:
            low, high = np.percentile(values, [tail, 100 - tail])
            out[column] = (float(low), float(high))
    return out


def token_scores_of(overlap: int, n_kept: int, n_clean: int) -> tuple[float, float, float]:
    """Word precision, recall and F1 of one page, as WCXB's `evaluate.py` defines them: an empty
    reference scores 1 when nothing is kept and 0 otherwise; an empty kept text scores 0."""
    if n_clean == 0:
        return (1.0, 1.0, 1.0) if n_kept == 0 else (0.0, 0.0, 0.0)
    if n_kept == 0 or overlap == 0:
        return 0.0, 0.0, 0.0
    precision, recall = overlap / n_kept, overlap / n_clean
    return precision, recall, 2 * precision * recall / (precision + recall)


def snippet_share(kept_lower: str, snippets: Sequence[str]) -> float:
    """Share of `snippets` found, case-insensitively, in the lower-cased kept text."""
    return sum(snippet.lower() in kept_lower for snippet in snippets) / len(snippets)


def _mean(values: np.ndarray, *, empty: float) -> float:
    present = values[~np.isnan(values)]
    return float(present.mean()) if present.size else empty
