"""Reader bugs found by the reliability suite, each pinned by a test."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.io.readers import read_input
from pipeline.io.source import InputFile


def test_parquet_id_and_url_columns_of_null_type_are_read_as_null_strings(tmp_path: Path) -> None:
    path = tmp_path / "nulls.parquet"
    pq.write_table(pa.table({"id": [None, None], "text": ["a", "b"], "url": [None, None]}), path)
    assert pq.read_schema(path).field("url").type == pa.null()
    chunks = list(read_input(InputFile(uri=str(path), format="parquet"), 0))
    assert [c.unreadable for c in chunks] == [[]]
    table = chunks[0].table
    assert table["id"].to_pylist() == ["nulls.parquet:0", "nulls.parquet:1"]
    assert table["url"].type == pa.string()
    assert table["url"].to_pylist() == [None, None]
