"""Discovery and reading from S3, against a local moto server."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import boto3
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from input_fixtures import compress, good_table, jsonl_bytes, news_records, positions
from moto.server import ThreadedMotoServer

from pipeline.io.discover import InputError, discover_inputs
from pipeline.io.readers import read_input
from pipeline.io.source import InputFile

pytestmark = pytest.mark.s3
BUCKET = "crawl-bucket"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture
def storage_options(s3_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Credentials come from the environment; the config only names the endpoint."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1")
    client.create_bucket(Bucket=BUCKET)
    objects = {
        "crawl/2024/part-0.jsonl.gz": compress(jsonl_bytes(news_records(3)), "gzip"),
        "crawl/2024/part-1.jsonl.zst": compress(jsonl_bytes(news_records(2, start=3)), "zstd"),
        "crawl/2024/_SUCCESS": b"",
        "crawl/.staging/part-9.jsonl": b"",
        "crawl/notes/part-2.parquet": parquet_bytes(),
    }
    for key, body in objects.items():
        client.put_object(Bucket=BUCKET, Key=key, Body=body)
    yield {"endpoint_url": s3_endpoint}
    for key in objects:
        client.delete_object(Bucket=BUCKET, Key=key)
    client.delete_bucket(Bucket=BUCKET)


def parquet_bytes() -> bytes:
    sink = pa.BufferOutputStream()
    pq.write_table(pa.table({"text": ["from parquet"], "id": ["p-0"]}), sink)
    return sink.getvalue().to_pybytes()


def test_s3_prefix_is_walked_and_hidden_keys_skipped(storage_options: dict[str, Any]) -> None:
    files = discover_inputs([f"s3://{BUCKET}/crawl"], storage_options=storage_options)
    assert [(f.uri, f.format, f.compression) for f in files] == [
        (f"s3://{BUCKET}/crawl/2024/part-0.jsonl.gz", "jsonl", "gzip"),
        (f"s3://{BUCKET}/crawl/2024/part-1.jsonl.zst", "jsonl", "zstd"),
        (f"s3://{BUCKET}/crawl/notes/part-2.parquet", "parquet", None),
    ]
    assert all(f.size is not None and f.size > 0 for f in files)


def test_s3_glob_and_reading_every_format(storage_options: dict[str, Any]) -> None:
    files = discover_inputs(
        [f"s3://{BUCKET}/crawl/**/part-*", f"s3://{BUCKET}/crawl/2024/part-0.jsonl.gz"],
        storage_options=storage_options,
    )
    assert len(files) == 3
    texts = []
    for index, file in enumerate(files):
        chunks = list(read_input(file, index, storage_options=storage_options))
        assert positions(chunks) == []
        texts.extend(good_table(chunks)["id"].to_pylist())
    assert texts == ["doc-0", "doc-1", "doc-2", "doc-3", "doc-4", "p-0"]


def test_s3_missing_prefix_and_missing_object(storage_options: dict[str, Any]) -> None:
    with pytest.raises(InputError, match=f"no input files match 's3://{BUCKET}/nothing/'"):
        discover_inputs([f"s3://{BUCKET}/nothing/"], storage_options=storage_options)
    gone = InputFile(f"s3://{BUCKET}/crawl/gone.jsonl", "jsonl")
    [(position, error)] = positions(list(read_input(gone, 0, storage_options=storage_options)))
    assert position == "file"
    assert error.startswith("read error: ")


def test_misspelt_storage_option_is_an_input_error(storage_options: dict[str, Any]) -> None:
    with pytest.raises(InputError) as error:
        discover_inputs(
            [f"s3://{BUCKET}/crawl"], storage_options={"endpont_url": "http://127.0.0.1:9"}
        )
    assert str(error.value).startswith(f"cannot list 's3://{BUCKET}/crawl': TypeError: ")
    assert "endpont_url" in str(error.value)
