"""The README stays true: its config reference is current and its quick start is what CI runs."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_config_reference_is_current() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "config_reference.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_quick_start_matches_ci() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "    pip install -e '.[dev]'\n" in README
    assert "pip install -q -e '.[dev]'" in ci
    assert "crawlsieve run configs/news.yaml --input examples/sample-crawl/ --output out/" in README
    assert "\n    pytest\n" in README
    assert ci.rstrip().endswith("\npytest")  # the README's test command, exactly
    assert (ROOT / "configs" / "news.yaml").exists()
    assert any((ROOT / "examples" / "sample-crawl").glob("*.jsonl.gz"))


def test_linked_documents_exist() -> None:
    links = re.findall(r"\]\(([^)#]+)\)", README)
    assert links
    missing = [link for link in links if not (ROOT / link).exists()]
    assert missing == []
