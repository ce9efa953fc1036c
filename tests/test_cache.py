"""costgate's on-disk cache: a private directory, and entries that are data, never code."""

from __future__ import annotations

import os
import pickle
from decimal import Decimal
from pathlib import Path

import pytest

from costgate import cache
from costgate.inputs.terraform.hcl import codec, parsing
from costgate.inputs.terraform.hcl.syntax import Attribute, Block, Body, parse_file
from tests.conftest import FIXTURES


@pytest.fixture
def cache_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "c"
    monkeypatch.setenv("COSTGATE_CACHE_DIR", str(directory))
    monkeypatch.setattr(cache, "_verdicts", {})
    return directory


class _Planted:
    """Unpickling this runs code: what a planted entry would do."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, ...]:
        return (Path.write_text, (self.marker, "pwned"))


def test_a_planted_pickle_entry_is_not_executed(cache_root: Path, tmp_path: Path) -> None:
    # issue 17: the parse cache unpickled whatever sat under the key of a file's content
    tf = tmp_path / "main.tf"
    tf.write_text('resource "aws_instance" "a" {\n  instance_type = "t3.micro"\n}\n')
    marker = tmp_path / "pwned"
    cache.write(parsing._CACHE, parsing.cache_key(tf.read_bytes()), pickle.dumps(_Planted(marker)))
    [body] = parsing.parse_files([(tf, "main.tf")])
    assert not marker.exists()
    assert [b.labels for b in body.blocks] == [("aws_instance", "a")]


def test_the_cache_directory_is_created_private(cache_root: Path) -> None:
    assert cache.cache_dir() == cache_root
    assert (cache_root.stat().st_mode & 0o777) == 0o700


def test_a_world_writable_cache_directory_is_not_used(cache_root: Path) -> None:
    cache_root.mkdir()
    cache_root.chmod(0o777)
    assert cache.cache_dir() is None
    [problem] = cache.problems()
    assert "group or others can write to it (mode 777)" in problem
    cache.write("ns", "ab" * 32, b"x")
    assert not list(cache_root.rglob("*"))


def test_a_symlinked_cache_directory_is_not_used(cache_root: Path, tmp_path: Path) -> None:
    (tmp_path / "elsewhere").mkdir(mode=0o700)
    cache_root.symlink_to(tmp_path / "elsewhere")
    assert cache.cache_dir() is None


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0, reason="needs root to chown")
def test_a_cache_directory_owned_by_another_user_is_not_used(cache_root: Path) -> None:
    cache_root.mkdir(mode=0o700)
    os.chown(cache_root, 12345, 12345)
    assert cache.cache_dir() is None
    assert "owned by another user (uid 12345)" in cache.problems()[0]


def test_a_readable_cache_directory_of_ours_is_tightened(cache_root: Path) -> None:
    cache_root.mkdir()
    cache_root.chmod(0o755)
    assert cache.cache_dir() == cache_root
    assert (cache_root.stat().st_mode & 0o777) == 0o700


def test_codec_round_trips_every_fixture_file() -> None:
    files = [*FIXTURES.rglob("*.tf"), *FIXTURES.rglob("*.tf.json")]
    assert files
    for path in files:
        body = parse_file(path, str(path), path.read_bytes())
        assert codec.loads(codec.dumps(body)) == body


def test_codec_keeps_types_json_lacks() -> None:
    expr = ("lit", Decimal("1.50"), [1, (2,)], {"k": ("v",)}, None, True)
    body = Body(
        {"x": Attribute("x", expr, "a.tf", 3)},
        (Block("resource", ("t", "n"), Body(), "a.tf", 5, ("skip=x y",)),),
    )
    back = codec.loads(codec.dumps(body))
    assert back == body
    assert type(back.attributes["x"].expr[2]) is list
    assert str(back.attributes["x"].expr[1]) == "1.50"


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\x80\x04K\x01.",  # a pickle
        b"[]",
        b'[[["x", "x", "notatuple", "a.tf", 1]], []]',
        b'[[["x", "x", ["lit", {"q": 1}], "a.tf", 1]], []]',
        b'[[], [["resource", [1], [[], []], "a.tf", 1, []]]]',
        b'[[["x", "x", ["lit", {"d": "nan?"}], "a.tf", 1]], []]',
    ],
)
def test_codec_rejects_malformed_entries(data: bytes) -> None:
    with pytest.raises(ValueError):
        codec.loads(data)
