"""The two passes of the `page_furniture` model, as `scripts/train_furniture_model.py` fits and
cross-validates them.

The second pass reads `line_content_words`' features, which come from the first pass's
probabilities. It is trained on first-pass probabilities the first pass did not see the labels of
(out of fold, grouped by host), as it will meet them on new pages: trained on in-sample
probabilities, which are sharper than any it would meet in a real run, it would learn to trust
them too much. Cross-validating both passes honestly therefore nests: for each outer fold, the
first pass's out-of-fold probabilities over the other folds (inner folds) train its second pass,
and the first pass trained on all of the other folds scores the held-out pages.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

import numpy as np

from pipeline.clean.line_content_words import CONTENT_WORD_FEATURES, content_word_matrix
from pipeline.clean.line_rules import FIRST_IN_BLOCK
from pipeline.clean.line_table import LineTable

CONTENT_CUT = 0.3  # first-pass probability under which a line vouches for its words
SURE_CUT = 0.99  # ... and at or above which the second pass does not score it again
Fit = Callable[[np.ndarray, np.ndarray, np.ndarray], list]
Score = Callable[[Sequence, np.ndarray], np.ndarray]


class Rows(Protocol):
    """What the passes need of `train_furniture_model.Prepared`."""

    features: np.ndarray  # per row (a line of `remaining`), `FEATURES`
    remaining: LineTable  # the lines the features are of
    row_page: np.ndarray  # the page of each row
    eligible: np.ndarray  # rows the model scores in a real run (kept by the rules, non-blank)


def second_pass_features(data: Rows, first: np.ndarray, cut: float = CONTENT_CUT) -> np.ndarray:
    """Every row's `FEATURES` and `CONTENT_WORD_FEATURES`, given the first pass's probability
    of furniture `first` per row (what `line_rules` computes in a real run)."""
    confident = data.eligible & (first < cut)
    words = content_word_matrix(data.remaining, data.features[:, FIRST_IN_BLOCK], confident)
    assert words.shape[1] == len(CONTENT_WORD_FEATURES)
    return np.hstack([data.features, words])


def combined(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """The model's probability: the second pass's where the first pass is unsure (at least
    `CONTENT_CUT`, under `SURE_CUT`), as `FurnitureModel.combine` takes it in a real run."""
    return np.where((first >= CONTENT_CUT) & (first < SURE_CUT), second, first)


def page_rows(data: Rows, rows: np.ndarray) -> np.ndarray:
    """Every row of the pages the `rows` are on (unknown-label rows too, as in a real run)."""
    return np.flatnonzero(np.isin(data.row_page, np.unique(data.row_page[rows])))


def out_of_fold(
    data: Rows,
    features: np.ndarray,
    rows: np.ndarray,
    label: np.ndarray,
    groups: np.ndarray,
    folds: int,
    fit: Fit,
    probability: Score,
) -> np.ndarray:
    """Per row, the probability given by a model fitted on the other folds of `rows` (grouped by
    `groups`); 0 on the pages of no row."""
    from sklearn.model_selection import GroupKFold

    out = np.zeros(features.shape[0], dtype=np.float64)
    for train, test in GroupKFold(folds).split(rows, label, groups):
        fit_and_score(data, features, rows[train], label[train], rows[test], out, fit, probability)
    return out


def fit_and_score(
    data: Rows,
    features: np.ndarray,
    train: np.ndarray,
    label: np.ndarray,
    test: np.ndarray,
    out: np.ndarray,
    fit: Fit,
    probability: Score,
) -> np.ndarray:
    """Fit on the rows `train` (labels `label`), write the probabilities of every row of the
    pages of `test` into `out`; return those rows."""
    models = fit(features[train], label, data.row_page[train])
    held = page_rows(data, test)
    out[held] = probability(models, features[held])
    return held


def nested_two_pass(
    data: Rows,
    rows: np.ndarray,
    label: np.ndarray,
    groups: np.ndarray,
    folds: int,
    fit: Fit,
    probability: Score,
    report: Callable[[int, int], None] = lambda fold, pages: None,
) -> tuple[np.ndarray, np.ndarray]:
    """Cross-validated probabilities of the first pass and of the model (`combined`), per row:
    each outer fold's pages are scored by passes that never saw them (see the module docstring).
    Costs `folds + 2` fits per fold."""
    from sklearn.model_selection import GroupKFold

    first = np.zeros(data.features.shape[0], dtype=np.float64)
    final = np.zeros_like(first)
    for fold, (train, test) in enumerate(GroupKFold(folds).split(rows, label, groups)):
        inner = out_of_fold(
            data, data.features, rows[train], label[train], groups[train], folds, fit, probability
        )
        args = (rows[train], label[train], rows[test])
        held = fit_and_score(data, data.features, *args, first, fit, probability)
        inner[held] = first[held]
        fit_and_score(data, second_pass_features(data, inner), *args, final, fit, probability)
        final[held] = combined(first[held], final[held])
        report(fold, int(np.unique(data.row_page[held]).size))
    return first, final
