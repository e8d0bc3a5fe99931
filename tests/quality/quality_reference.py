"""Plain-Python definitions of every quality feature, one document at a time, and project-written
texts to compare them with the batch kernels (unicode, empty, single-word, repeated paragraphs)."""

from __future__ import annotations

import random
import re
import unicodedata
from collections import Counter

from pipeline.quality.features import FeatureSettings
from pipeline.quality.repetition import DUPLICATE_NGRAM_SIZES, TOP_NGRAM_SIZES
from pipeline.quality.words import PUNCTUATION

PARAGRAPH_BREAK = re.compile(r"\n[\t\n\f\r ]*\n")  # RE2's \s is ASCII: [\t\n\f\r ]
SENTENCE_END = re.compile(r"[.!?…]+[\"'”’»)\]]*(?:[\t\n\f\r ]|$)")

# Pieces the random texts are made of: words in several scripts, punctuation, every kind of
# whitespace (ASCII, Unicode, vertical tab, zero-width space, which is not whitespace), marks.
FRAGMENTS = (
    "the", "The", "and", "of", "harbour", "ferry", "Straße", "café", "naïve", "ÉCOLE", "日本語",
    "Привет", "مرحبا", "東京", "🙂", "x", "be", "to", "123", "U.S.", "#tag", "{", "}", "...",
    "…", "—", "“quoted”", "«ça»", "¿qué?", "•", "-", "*", "!", "?", ".", ",", "lorem ipsum",
    "Lorem Ipsum",
)  # fmt: skip
SPACES = (
    " ", " ", " ", "  ", "\t", "\n", "\n", "\n\n", "\n \n", "\r\n", "\r\n\r\n", "\n\t\n  \n",
    "\x0b", "\x0c", "\x1c", "\x85", "\u00a0", "\u1680", "\u2003", "\u2028", "\u2029", "\u202f",
    "\u205f", "\u3000", "\u200b", "\n\x0b\n", "\n\u00a0\n",
)  # fmt: skip


def random_texts(count: int, seed: int = 7) -> list[str]:
    """Seeded random texts of fragments and whitespace, with some edge cases added."""
    rng = random.Random(seed)
    texts = ["", " ", "\n\n", "word", "  word  ", "…", "...", "a\n", "\u3000x\u3000", "日本"]
    texts += ["a " + "y" * 70 + " bb ccc", "z" * 65 + " " + "w" * 80]  # medians of long words
    paragraph = "The ferry left at noon. The harbour was quiet and the pier was empty."
    texts += [
        "\n\n".join([paragraph] * 3),
        (paragraph + "\n") * 4 + "A different closing line.",
        " ".join(["the cat sat on the mat"] * 5),
        "one two three four five six seven eight nine ten eleven " * 3,
    ]
    for _ in range(count - len(texts)):
        parts = []
        for _ in range(rng.randint(0, 60)):
            parts.append(rng.choice(FRAGMENTS))
            parts.append(rng.choice(SPACES))
        if rng.random() < 0.3 and parts:  # repeat a block of the text, as a scraper does
            cut = rng.randint(0, len(parts))
            parts += parts[:cut]
        texts.append("".join(parts))
    return texts


def lines_of(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()]


def paragraphs_of(text: str) -> list[str]:
    return [part.strip() for part in PARAGRAPH_BREAK.split(text) if part.strip()]


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else 0.0


def _duplicates(pieces: list[str]) -> tuple[float, float]:
    seen: set[str] = set()
    repeated = repeated_chars = 0
    for piece in pieces:
        if piece in seen:
            repeated += 1
            repeated_chars += len(piece)
        seen.add(piece)
    return _ratio(repeated, len(pieces)), _ratio(repeated_chars, sum(map(len, pieces)))


def _ngram_features(tokens: list[str]) -> dict[str, float]:
    word_chars = sum(map(len, tokens))
    out = {}
    for n in (*TOP_NGRAM_SIZES, *DUPLICATE_NGRAM_SIZES):
        grams = [tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]
        counts = Counter(grams)
        if n in TOP_NGRAM_SIZES:
            most = max(counts.values(), default=0)
            best = max((sum(map(len, g)) * c for g, c in counts.items() if c == most), default=0)
            out[f"top_{n}gram_char_frac"] = _ratio(best if most >= 2 else 0, word_chars)
        else:
            covered = {i + k for i, g in enumerate(grams) if counts[g] > 1 for k in range(n)}
            out[f"dup_{n}gram_char_frac"] = _ratio(sum(len(tokens[i]) for i in covered), word_chars)
    return out


def reference_features(
    text: str, settings: FeatureSettings, original_chars: int | None = None
) -> dict[str, object]:
    """Every feature of one document, by its definition in docs/quality.md."""
    tokens = text.split()
    lengths = sorted(len(t.strip(PUNCTUATION)) for t in tokens if t.strip(PUNCTUATION))
    words = len(lengths)
    median = (lengths[(words - 1) // 2] + lengths[words // 2]) / 2.0 if words else 0.0
    lines, paragraphs = lines_of(text), paragraphs_of(text)
    letters = sum(any(unicodedata.category(c).startswith("L") for c in t) for t in tokens)
    stops = sum(t.strip(PUNCTUATION).lower() in settings.stop_words for t in tokens)
    line_dups, para_dups = _duplicates(lines), _duplicates(paragraphs)
    removed = 0.0
    if original_chars:
        removed = min(max(_ratio(original_chars - len(text), original_chars), 0.0), 1.0)
    return {
        "char_count": len(text),
        "word_count": words,
        "line_count": len(lines),
        "mean_word_length": _ratio(sum(lengths), words),
        "median_word_length": median,
        "hash_word_ratio": _ratio(text.count("#"), words),
        "ellipsis_word_ratio": _ratio(text.count("...") + text.count("…"), words),
        "bullet_line_frac": _ratio(
            sum(ln[0] in settings.bullet_characters for ln in lines), len(lines)
        ),
        "ellipsis_line_frac": _ratio(sum(ln.endswith(("...", "…")) for ln in lines), len(lines)),
        "alpha_word_frac": _ratio(letters, len(tokens)),
        "stop_word_count": stops,
        "dup_line_frac": line_dups[0],
        "dup_para_frac": para_dups[0],
        "dup_line_char_frac": line_dups[1],
        "dup_para_char_frac": para_dups[1],
        **_ngram_features(tokens),
        "line_punct_frac": _ratio(
            sum(ln[-1] in settings.terminal_punctuation for ln in lines), len(lines)
        ),
        "short_line_frac": _ratio(
            sum(len(ln) <= settings.short_line_chars for ln in lines), len(lines)
        ),
        "newline_word_ratio": _ratio(text.count("\n"), words),
        "sentence_count": len(SENTENCE_END.findall(text)),
        "has_lorem_ipsum": "lorem ipsum" in text.lower(),
        "has_curly_bracket": "{" in text,
        "removed_char_frac": removed,
    }
