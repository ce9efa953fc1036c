"""`tests/data/make_dump_samples.py` on a catalog and dumps of our own: the draw is the same
in every run, one dump's rows do not move when another dump is added, and every storage
service of a dump is sampled (the regenerated CSV once lost its Google snapshot rows)."""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.conftest import REPO


@pytest.fixture()
def script() -> Iterator[ModuleType]:
    spec = importlib.util.spec_from_file_location(
        "make_dump_samples_under_test", REPO / "tests" / "data" / "make_dump_samples.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    yield module


def price(service: str, product: str, region: str, source: str, value: int) -> dict[str, Any]:
    return {
        "service": service,
        "product": product,
        "region": region,
        "kind": "on_demand",
        "price": str(value),
        "source": source,
    }


GPU_DUMP = [price("compute", "a2-highgpu-1g", f"r{i:02}", "dump-a", i) for i in range(30)]
MACHINES = [price("compute", "a3-highgpu-8g", f"r{i:02}", "dump-b", i) for i in range(30)]
STORAGE = [price("disk", f"pd-kind{i:02}", "r00", "dump-c", i) for i in range(60)] + [
    price("snapshot", "snapshot", "r00", "dump-c", 99),
    price("gcs", "STANDARD", "r00", "dump-c", 98),
]


def fake_repo(tmp: Path, dumps: Sequence[str]) -> Path:
    """A repository with a manifest of *dumps*, one region shard and each dump as a JSON
    map `product/region/kind` -> value (what the fake locator reads)."""
    prices = GPU_DUMP + MACHINES + STORAGE
    manifest = {
        "dumps": [
            {"id": d, "provider": "google", "reader": "fake", "path": f"{d}.json"} for d in dumps
        ]
    }
    (tmp / "pricing" / "sources").mkdir(parents=True)
    (tmp / "pricing" / "sources" / "manifest.json").write_text(json.dumps(manifest))
    (tmp / "pricing" / "google" / "regions").mkdir(parents=True)
    shard = {"prices": [p for p in prices if p["source"] in dumps]}
    (tmp / "pricing" / "google" / "regions" / "r.json").write_text(json.dumps(shard))
    (tmp / "dumps").mkdir()
    for d in dumps:
        table = {
            f"{p['product']}/{p['region']}/{p['kind']}": p["price"]
            for p in prices
            if p["source"] == d
        }
        (tmp / "dumps" / f"{d}.json").write_text(json.dumps(table))
    return tmp


def sample(script: ModuleType, repo: Path, monkeypatch: pytest.MonkeyPatch) -> list[dict]:
    def fake(path: Path) -> Any:
        table = json.loads(path.read_text())

        def find(e: dict) -> tuple[str, str] | None:
            key = f"{e['product']}/{e['region']}/{e['kind']}"
            return (table[key], key) if key in table else None

        return find

    monkeypatch.setattr(script, "REPO", repo)
    monkeypatch.setitem(script.LOCATORS, "fake", fake)
    return list(script.rows(repo / "dumps"))


def test_a_dump_added_leaves_the_other_dumps_rows_unchanged(
    script: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = sample(script, fake_repo(tmp_path / "one", ["dump-b"]), monkeypatch)
    again = sample(script, fake_repo(tmp_path / "again", ["dump-b"]), monkeypatch)
    after = sample(script, fake_repo(tmp_path / "two", ["dump-a", "dump-b"]), monkeypatch)
    assert len(before) == 8  # 8 of the 30 A3 prices (one accelerated family)
    assert before == again
    assert [r for r in after if r["dump"] == "dump-b"] == before
    assert len([r for r in after if r["dump"] == "dump-a"]) == 8


def test_every_storage_service_of_a_dump_is_sampled(
    script: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = sample(script, fake_repo(tmp_path, ["dump-c"]), monkeypatch)
    assert {r["service"] for r in rows} == {"disk", "snapshot", "gcs"}
    assert len(rows) == script.OTHERS_PER_DUMP
    assert rows == sorted(rows, key=lambda r: tuple(r[f] for f in script.FIELDS))


def test_unit_map_locator_sums_a_fee_and_reads_global_locations(
    script: ModuleType, tmp_path: Path
) -> None:
    path = tmp_path / "map.json"
    regions = {
        "US East (Ohio)": {"Std": {"price": "0.1000"}, "Fee": {"price": "0.5000"}},
        "Any": {"Zone": {"price": "0.5000"}},
        "": {"Query": {"price": "0.0000004"}},
    }
    path.write_text(json.dumps({"manifest": {}, "regions": regions}))
    find = script.aws_unit_map(path)
    assert find({"region": "us-east-2", "note": "eks.json @0: Std + Fee"}) == (
        "0.6",
        "regions > US East (Ohio) > Std > price + regions > US East (Ohio) > Fee > price",
    )
    assert find({"region": "us-east-1", "note": "r.json @0: Zone"}) == (
        "0.5",
        "regions > Any > Zone > price",
    )
    assert find({"region": "us-east-1", "note": "r.json @0: Query x 1000000"}) == (
        "0.4",
        "regions >  > Query > price x 1000000",
    )
    assert find({"region": "us-east-2", "note": "r.json @0: Missing"}) is None
