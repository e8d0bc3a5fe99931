"""The report of a run on the sample crawl, rendered by headless Chromium: charts drawn, no errors.

Chromium runs twice with the same window width: `--dump-dom` gives the DOM after the page's own
script has run (it records how many charts were drawn and where), `--screenshot` gives the pixels,
which are decoded and checked inside every chart's box.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from png_pixels import read_png
from report_fixture import fixture_output

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "sample-crawl"
WIDTH = 1000
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--enable-logging=stderr",
    "--v=0",
]
GREEN, RED, BLUE = (59, 138, 85), (200, 85, 61), (76, 120, 168)
CHART_COLOURS = {
    "funnel-docs": [GREEN],
    "funnel-chars": [GREEN, RED],
    "drop-reasons": [RED],
    "rules": [BLUE],
    "hist-quality.word_count": [BLUE, RED],
    "hist-quality.mean_word_length": [BLUE],
    "clusters": [BLUE],
    "languages": [BLUE],
    "sites": [BLUE],
    "timing": [BLUE],
}

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    raise AssertionError("headless Chromium is needed: apt-get install -y chromium chromium-driver")


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, Any]]]:
    assert SAMPLE.is_dir(), f"{SAMPLE} is missing"
    yield from fixture_output(tmp_path_factory, SAMPLE)


def render(page: Path, profile: Path, height: int, *extra: str) -> subprocess.CompletedProcess:
    command = [chromium(), *FLAGS, f"--user-data-dir={profile}", f"--window-size={WIDTH},{height}"]
    return subprocess.run(
        [*command, *extra, page.as_uri()], capture_output=True, text=True, timeout=120, check=True
    )


def console_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


def body_attribute(dom: str, name: str) -> str:
    match = re.search(rf'<body[^>]*\b{name}="([^"]*)"', dom)
    assert match, f"the page's script did not set {name} (did it run?)"
    return html.unescape(match.group(1))


def test_report_renders_with_every_chart_drawn(
    run: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    out, summary = run
    assert summary["records"]["read"] == 265
    page = out / "report.html"
    dumped = render(page, tmp_path / "profile-dom", 1200, "--dump-dom")
    assert console_lines(dumped.stderr) == []
    boxes = json.loads(body_attribute(dumped.stdout, "data-chart-boxes"))
    assert int(body_attribute(dumped.stdout, "data-charts-drawn")) == len(CHART_COLOURS)
    assert sorted(box["chart"] for box in boxes) == sorted(CHART_COLOURS)
    height = int(body_attribute(dumped.stdout, "data-page-height"))

    shot = tmp_path / "report.png"
    captured = render(page, tmp_path / "profile-shot", height, f"--screenshot={shot}")
    assert console_lines(captured.stderr) == []
    image = read_png(shot)[:, :, :3].astype(np.int16)
    assert image.shape[:2] == (height, WIDTH)
    for box in boxes:
        region = image[box["y"] : box["y"] + box["h"], box["x"] : box["x"] + box["w"]]
        assert region.size, box
        ink = np.abs(region - 255).max(axis=2) > 40
        assert ink.mean() > 0.01, f"{box['chart']} looks blank"
        assert region.std() > 10, f"{box['chart']} has no contrast"
        for colour in CHART_COLOURS[box["chart"]]:
            near = np.abs(region - np.array(colour)).max(axis=2) <= 12
            assert near.sum() >= 20, f"{box['chart']}: no pixels of colour {colour}"
