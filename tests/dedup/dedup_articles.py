"""Synthetic news-like articles and planted duplicates for the dedup tests.

The text is generated, not taken from any corpus: words are pseudo-words built from syllables and
drawn with Zipf-like frequencies, so unrelated articles share common words but hardly any 5-gram,
as real articles do. Everything is seeded, so every test sees the same text.
"""

from __future__ import annotations

import itertools
import random

_ONSETS = ["b", "c", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "z"]
_VOWELS = ["a", "e", "i", "o", "u", "ai", "ou", "ea"]
_CODAS = ["", "", "n", "r", "s", "t", "l", "m"]


def vocabulary(size: int = 6000, seed: int = 7) -> list[str]:
    """`size` distinct pseudo-words, most frequent first."""
    rng = random.Random(seed)
    words: list[str] = []
    seen: set[str] = set()
    while len(words) < size:
        syllables = rng.choice([1, 1, 2, 2, 2, 3, 3, 4])
        word = "".join(
            rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS) for _ in range(syllables)
        )
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


_VOCABULARY = vocabulary()
_CUMULATIVE = list(itertools.accumulate(1.0 / (rank + 10) for rank in range(len(_VOCABULARY))))


def sentence(rng: random.Random) -> str:
    words = rng.choices(_VOCABULARY, cum_weights=_CUMULATIVE, k=rng.randint(8, 20))
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def paragraph(rng: random.Random) -> str:
    return " ".join(sentence(rng) for _ in range(rng.randint(4, 6)))


def article(seed: int, paragraphs: int = 8) -> str:
    """A ~3 KB article: a headline line and `paragraphs` paragraphs separated by blank lines."""
    rng = random.Random(seed)
    headline = " ".join(w.capitalize() for w in rng.choices(_VOCABULARY[:800], k=7))
    return "\n\n".join([headline, *(paragraph(rng) for _ in range(paragraphs))])


def footer(seed: int, lines: int = 10) -> str:
    """A site footer of `lines` short lines (navigation, copyright, links)."""
    rng = random.Random(seed)
    return "\n".join(
        " ".join(w.capitalize() for w in rng.choices(_VOCABULARY[:300], k=rng.randint(3, 7)))
        for _ in range(lines)
    )


def edit_words(text: str, fraction: float, seed: int, *, runs: int = 3) -> str:
    """Replace `fraction` of the words by other words, in `runs` contiguous stretches.

    Sub-editors rewrite phrases and sentences rather than scattered single words, so the edits come
    in runs; paragraph breaks are kept.
    """
    rng = random.Random(seed)
    paragraphs = [p.split(" ") for p in text.split("\n\n")]
    positions = [(i, j) for i, words in enumerate(paragraphs) for j in range(len(words))]
    total = max(1, round(len(positions) * fraction))
    per_run = max(1, total // runs)
    starts = sorted(rng.sample(range(0, len(positions) - per_run, per_run), runs))
    chosen = [positions[k] for start in starts for k in range(start, start + per_run)]
    for i, j in chosen[:total]:
        paragraphs[i][j] = rng.choice(_VOCABULARY[1000:])
    return "\n\n".join(" ".join(words) for words in paragraphs)


def reorder_paragraphs(text: str, seed: int) -> str:
    """The same paragraphs in another order (the headline stays first)."""
    rng = random.Random(seed)
    headline, *body = text.split("\n\n")
    rng.shuffle(body)
    return "\n\n".join([headline, *body])


def with_trailer(text: str, trailer: str) -> str:
    return f"{text}\n\n{trailer}"
