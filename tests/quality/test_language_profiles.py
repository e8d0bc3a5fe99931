"""The language profile tables: built from langdetect, cached on disk, read back unchanged."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from pipeline.quality.language import profile_cache
from pipeline.quality.language.profiles import LanguageProfiles, build_profiles, load_profiles


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CRAWLSIEVE_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def assert_same(left: LanguageProfiles, right: LanguageProfiles) -> None:
    assert left.languages == right.languages
    for name, array in left.arrays().items():
        other = right.arrays()[name]
        assert array.dtype == other.dtype, name
        assert np.array_equal(array, other), name


def test_cached_tables_equal_the_built_ones(cache_dir: Path) -> None:
    assert profile_cache.read_cached() is None
    built = build_profiles()
    profile_cache.write_cached(built.arrays())
    assert [path.name for path in cache_dir.iterdir()] == [profile_cache.cache_path().name]
    cached = profile_cache.read_cached()
    assert cached is not None
    assert_same(LanguageProfiles.from_arrays(cached), built)
    assert_same(load_profiles(), built)  # whatever cache this process loaded from


def test_an_unreadable_cache_file_is_ignored_and_replaced(cache_dir: Path) -> None:
    cache_dir.mkdir()
    profile_cache.cache_path().write_bytes(b"not a zip archive")
    assert profile_cache.read_cached() is None
    profile_cache.write_cached({"values": np.arange(3)})
    cached = profile_cache.read_cached()
    assert cached is not None
    assert cached["values"].tolist() == [0, 1, 2]


def test_an_unwritable_cache_directory_only_costs_the_rebuild(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a file"
    blocker.write_text("")
    monkeypatch.setenv("CRAWLSIEVE_CACHE_DIR", str(blocker / "cache"))
    profile_cache.write_cached({"values": np.arange(3)})  # logs, does not raise
    assert profile_cache.read_cached() is None


def test_the_cache_file_names_the_langdetect_version(cache_dir: Path) -> None:
    from importlib import metadata

    name = profile_cache.cache_path().name
    assert metadata.version("langdetect") in name
    assert f"v{profile_cache.TABLE_FORMAT}" in name
