"""The benchmark corpus generator (`scripts/make_bench_corpus.py`) and the text edits it shares
with the sample crawl (`scripts/text_edits.py`), on small fixture data written here."""

from __future__ import annotations

import contextlib
import gzip
import importlib
import io
import json
import random
from pathlib import Path
from types import ModuleType

import pyarrow.parquet as pq
import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = ROOT / "scripts"
FIRMS = ["ALDERN", "BRISKO", "CALVERT", "DUNMOOR", "ESKER", "FALLOW", "GRANTLY", "HOLME"]
THINGS = ["grain", "steel", "copper", "coffee", "freight", "timber", "cotton", "sugar"]


def import_script(name: str) -> ModuleType:
    """Import a module of scripts/ (which imports its siblings by plain name)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(SCRIPTS))
        return importlib.import_module(name)


make_bench_corpus = import_script("make_bench_corpus")
text_edits = import_script("text_edits")
bench_sources = import_script("bench_sources")


def wrap(text: str, width: int = 60) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return lines + [line]


def wire_story(rng: random.Random, number: int) -> str:
    firm, thing = rng.choice(FIRMS), rng.choice(THINGS)
    paragraphs = []
    for _ in range(rng.randint(3, 5)):
        amount = rng.randint(2, 900)
        paragraphs.append(
            f"{firm.title()} Corp said its {thing} shipments rose {amount} pct in the quarter "
            f"to {amount * 7} tonnes, and the company said it expects demand for {thing} to "
            f"stay firm through number {number} of its reporting periods."
        )
    lines = [f"{firm} SAYS {thing.upper()} SHIPMENTS UP IN QUARTER {number}"]
    for index, paragraph in enumerate(paragraphs):
        wrapped = wrap(paragraph)
        if index:
            wrapped[0] = "    " + wrapped[0]
        lines.extend(wrapped)
    return "\n".join(lines) + "\n Reuter"


def web_page(rng: random.Random, number: int) -> tuple[str, list[int | None]]:
    lines: list[str] = []
    labels: list[int | None] = []
    for nav in ("Home", "Products", "About us", "Basket (0)"):
        lines.append(nav)
        labels.append(0)
    for index in range(rng.randint(8, 14)):
        lines.append(
            f"Guide {number}, step {index}: choose a {rng.choice(THINGS)} supplier with care, "
            f"compare at least {rng.randint(2, 9)} quotes and ask about delivery before you pay."
        )
        labels.append(1)
        lines.append("")
        labels.append(None)
    lines.append("Copyright Example Shop")
    labels.append(0)
    return "\n".join(lines), labels


def write_gz_jsonl(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wt", encoding="utf-8") as stream:
        for row in rows:
            stream.write(json.dumps(row) + "\n")


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("shared-data")
    rng = random.Random(5)
    stories = [{"id": f"r{i}", "text": wire_story(rng, i)} for i in range(120)]
    write_gz_jsonl(root / "reuters21578" / "docs.jsonl.gz", stories)
    pages = [web_page(rng, i) for i in range(15)]
    docs = [
        {"id": f"w{i}", "url": f"https://shop{i}.example/", "text": t}
        for i, (t, _) in enumerate(pages)
    ]
    labels = [{"id": f"w{i}", "line_labels": labels} for i, (_, labels) in enumerate(pages)]
    write_gz_jsonl(root / "wcxb-dev" / "docs.jsonl.gz", docs)
    write_gz_jsonl(root / "wcxb-dev" / "labels.jsonl.gz", labels)
    return root


def run_generator(*args: str) -> tuple[int, str, str]:
    """Run the generator in this process; return exit code, stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = make_bench_corpus.main(list(args))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def corpus(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bench") / "corpus"
    code, stdout, stderr = run_generator(
        "--docs", "600", "--data", str(data_dir), "--out", str(out)
    )
    assert code == 0, stderr
    assert "planted: near-copies" in stdout
    return out


def test_missing_data_is_reported_clearly(tmp_path: Path) -> None:
    code, _, stderr = run_generator("--data", str(tmp_path), "--out", str(tmp_path / "o"))
    assert code == 2
    assert "the shared evaluation data is missing" in stderr
    assert str(tmp_path / "reuters21578" / "docs.jsonl.gz") in stderr
    assert not (tmp_path / "o").exists()


def test_existing_output_is_not_overwritten(corpus: Path, data_dir: Path) -> None:
    code, _, stderr = run_generator("--docs", "200", "--data", str(data_dir), "--out", str(corpus))
    assert code == 2
    assert f"{corpus} is not empty (use --overwrite)" in stderr


@pytest.mark.slow
def test_same_arguments_give_identical_jsonl(corpus: Path, data_dir: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    code, _, stderr = run_generator("--docs", "600", "--data", str(data_dir), "--out", str(again))
    assert code == 0, stderr
    for path in sorted((corpus / "jsonl").iterdir()):
        assert path.read_bytes() == (again / "jsonl" / path.name).read_bytes()
    assert pq.read_table(corpus / "truth.parquet").equals(pq.read_table(again / "truth.parquet"))


def test_jsonl_parquet_and_truth_describe_the_same_documents(corpus: Path) -> None:
    with gzip.open(corpus / "jsonl" / "part-00000.jsonl.gz", "rt", encoding="utf-8") as stream:
        records = [json.loads(line) for line in stream]
    parquet = pq.read_table(corpus / "parquet" / "part-00000.parquet").to_pylist()
    truth = pq.read_table(corpus / "truth.parquet").to_pylist()
    assert records == parquet
    assert (
        [r["id"] for r in records]
        == [t["id"] for t in truth]
        == [f"bench-{i:07d}" for i in range(600)]
    )
    assert list(records[0]) == ["id", "url", "text", "source", "crawl_date"]
    for record, row in zip(records, truth, strict=True):
        assert len(row["line_roles"]) == len(record["text"].split("\n"))
        assert row["chars"] == len(record["text"])
    summary = json.loads((corpus / "summary.json").read_text())
    assert summary["documents"] == 600
    kinds = [row["kind"] for row in truth]
    assert summary["exact_copies"] == kinds.count("exact_copy") > 0
    assert summary["near_copies"] == kinds.count("near_copy") > 0
    assert summary["body_twice"] == sum(row["body_twice"] for row in truth)


def test_planted_copies_match_their_sources(corpus: Path) -> None:
    with gzip.open(corpus / "jsonl" / "part-00000.jsonl.gz", "rt", encoding="utf-8") as stream:
        text = {r["id"]: r["text"] for r in map(json.loads, stream)}
    truth = {row["id"]: row for row in pq.read_table(corpus / "truth.parquet").to_pylist()}
    for doc_id, row in truth.items():
        if row["kind"] == "original":
            assert row["copy_of"] is None
            continue
        source = truth[row["copy_of"]]
        assert source["kind"] == "original" and row["copy_of"] < doc_id
        if row["kind"] == "exact_copy":
            assert text[doc_id] == text[row["copy_of"]] and row["url"] != source["url"]
        else:
            assert row["site"] != source["site"]
            assert 0.05 <= row["edit_fraction"] <= 0.20
            assert 0 < row["shingle5_jaccard"] < 1


def test_every_page_carries_its_sites_lines(corpus: Path) -> None:
    with gzip.open(corpus / "jsonl" / "part-00000.jsonl.gz", "rt", encoding="utf-8") as stream:
        text = {r["id"]: r["text"] for r in map(json.loads, stream)}
    sites = {row["site"]: row for row in pq.read_table(corpus / "sites.parquet").to_pylist()}
    for row in pq.read_table(corpus / "truth.parquet").to_pylist():
        lines = text[row["id"]].split("\n")
        roles = row["line_roles"]
        site = sites[row["site"]]
        assert [line for line, r in zip(lines, roles, strict=True) if r == "n"] == site["nav"]
        assert [line for line, r in zip(lines, roles, strict=True) if r == "f"] == site["footer"]
        assert set(line for line, r in zip(lines, roles, strict=True) if r == "t") <= set(
            site["trailers"]
        )
        assert ("d" in roles) == row["body_twice"]


def test_reuters_story_is_unwrapped_into_paragraphs() -> None:
    filler = " ".join(["Shipments were steady."] * 12)
    text = (
        "ALDERN SAYS GRAIN UP\nAldern Corp said grain\nshipments rose.\n"
        f"    It expects more\nnext year.\n    {filler}\n Reuter"
    )
    story = bench_sources.parse_reuters(text)
    assert story.headline == "ALDERN SAYS GRAIN UP"
    assert story.paragraphs == (
        "Aldern Corp said grain shipments rose.",
        "It expects more next year.",
        filler,
    )
    assert story.trailer == "Reuter"
    assert bench_sources.parse_reuters("SHORT\nToo short.\n Reuter") is None


def test_edit_fraction_counts_changed_and_dropped_words() -> None:
    assert text_edits.edit_fraction("a b c d", "a x c d") == 0.25
    assert text_edits.edit_fraction("a b c d\ne f g h", "a b c d") == 0.5
    assert text_edits.edit_fraction("a b c d", "a b c d") == 0.0


def test_spelling_conversion_swaps_whole_words_only() -> None:
    swaps = text_edits.word_swaps()
    line = "The Theatre centre rose 4 per cent, said the theatregoer."
    assert text_edits.convert_spelling(line, swaps.uk_to_us) == (
        "The Theater center rose 4 percent, said the theatregoer."
    )


def test_near_copy_edits_stay_in_range_and_are_seeded() -> None:
    lines = [
        "Council approves new homes after long meeting",
        "The council said on Tuesday that the new homes would be built on farmland, a decision "
        "that residents had opposed for several years.",
        "Residents said the roads were already busy, and the local school was full.",
        "The company said work would start next year, with the first homes finished in 2027.",
        "Several residents said they would appeal, and the council said it would listen.",
        "The scheme includes a small park, a shop and new paths for walkers and cyclists.",
    ]
    first = text_edits.edit_words(lines, random.Random(3), fraction=0.12)
    assert first == text_edits.edit_words(lines, random.Random(3), fraction=0.12)
    assert first[0] is not None  # the headline is never cut
    edited = "\n".join(line for line in first if line is not None)
    assert 0.05 <= text_edits.edit_fraction("\n".join(lines), edited) <= 0.20
