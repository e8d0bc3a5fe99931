"""Per-line features for the `page_furniture` model: the line itself, its neighbours, its page.

A menu entry, a breadcrumb or a footer link is rarely recognisable on its own ("Pricing",
"Contact"); it is recognisable from where it sits: in a run of short lines, before the page's
first substantial paragraph or after its last one, outside the page's densest region of prose,
in a page whose lines repeat a shape. `line_context_features` turns a `LineTable` into one row of
`FEATURES` per line (float32; blank lines get a row of zeros and are never scored): the line's
own text features come from byte loops over the batch's UTF-8 buffer (`line_context_text`), its
context from compiled loops over the batch's lines (`line_context_kernels`); numpy only divides
and takes logarithms. The features equal, bit for bit, those of the Arrow-kernel definitions the
model was trained on (the regular expressions are in `line_context_text`).

Context is taken over the non-blank lines of the same document, so a blank line between two menu
entries does not hide the run.
"""

from __future__ import annotations

import numpy as np

from pipeline.clean.line_context_kernels import (
    CONTEXT_FEATURES,
    context_features,
    scatter_columns,
)
from pipeline.clean.line_context_text import TEXT_COLUMNS, text_features
from pipeline.clean.line_hashes import line_hashes
from pipeline.clean.line_table import LineTable

SHORT_WORDS = 4  # a "short" line: at most this many words and no sentence ending

# The line itself; then its context (`CONTEXT_FEATURES`). The model reads them in this order.
LINE_FEATURES: tuple[str, ...] = (
    "log_words",
    "log_chars",
    "ends_sentence",
    "ends_clause",
    "bullet",
    "pattern_matched",
    "structural",
    "capitalised_share",
    "digit_share",
    "punct_share",
    "separator",
    "count_in_brackets",
    "date_or_time",
    "link_like",
    "all_caps",
    "starts_lower",
)
FEATURES: tuple[str, ...] = LINE_FEATURES + CONTEXT_FEATURES


def line_context_features(
    lines: LineTable,
    matched: np.ndarray,
    structural: np.ndarray,
    *,
    sentence_min_words: int = 8,
    prose_min_words: int = 20,
) -> np.ndarray:
    """A float32 matrix (lines x `FEATURES`): the features of every line of `lines`.

    Args:
        lines: the batch's lines.
        matched: lines a pattern rule removes.
        structural: lines a structural rule (`page_header`, `page_footer`, ...) removes.
        sentence_min_words / prose_min_words: what a prose line is (as in `page_structure`).
    """
    # Column-major, as the model reads it; rows of non-blank lines only are filled.
    out = np.zeros((len(FEATURES), lines.num_lines), dtype=np.float32).T
    index = np.flatnonzero(~lines.blank)
    if index.size == 0:
        return out
    words = lines.words[index].astype(np.float64)
    chars = lines.chars[index].astype(np.float64)
    ends_sentence = lines.ends_sentence[index]
    hit = matched[index] | structural[index]
    prose = ((words >= sentence_min_words) & lines.ends_clause[index]) | (words >= prose_min_words)
    short = (words <= SHORT_WORDS) & ~ends_sentence
    text, first_word_key = text_features(lines.stripped, index)
    count = {name: text[i].astype(np.float64) for i, name in enumerate(TEXT_COLUMNS)}

    line = {
        "log_words": words,  # `log_*` columns hold counts here, their log1p below
        "log_chars": chars,
        "ends_sentence": ends_sentence,
        "ends_clause": lines.ends_clause[index],
        "bullet": lines.bullet[index],
        "pattern_matched": matched[index],
        "structural": structural[index],
        "capitalised_share": np.minimum(count["capitalised_words"] / words, 1.0),
        "digit_share": count["digits"] / chars,
        "punct_share": count["punctuation"] / words,
        "separator": count["separator"],
        "count_in_brackets": count["count_in_brackets"],
        "date_or_time": count["date_or_time"],
        "link_like": count["link_like"],
        "all_caps": (count["all_upper"] > 0) & (chars > 3),
        "starts_lower": count["starts_lower"],
    }
    rows = np.empty((len(FEATURES), index.size), dtype=np.float64)  # one row per feature
    for row, name in enumerate(LINE_FEATURES):
        rows[row] = line[name]
    rows[len(LINE_FEATURES) :] = context_features(
        lines.doc[index],
        lines.words[index],
        prose,
        short,
        hit,
        line_hashes(lines.stripped, ~lines.blank)[index],
        first_word_key,
        lines.num_docs,
    )
    logs = [i for i, name in enumerate(FEATURES) if "log_" in name]
    rows[logs] = np.log1p(rows[logs])
    scatter_columns(out.T, index, rows)
    return out
