"""A policy or usage file that passed its schema once is not validated again until it changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from costgate import validation
from costgate.errors import ConfigError
from costgate.usage import load_usage

GOOD = "version: 1\ndefaults:\n  aws_s3_bucket:\n    storage_gb: 1000\n"
BAD = "version: 1\ndefaults:\n  aws_s3_bucket:\n    storage_gb: lots\n"


def _entries(cache: Path) -> list[Path]:
    return [p for p in (cache / validation._VALID).rglob("*") if p.is_file()]


def _no_jsonschema(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(schema_text: str) -> None:
        raise AssertionError("jsonschema ran for a document already known to be valid")

    monkeypatch.setattr(validation, "_validator", refuse)


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "cache"
    monkeypatch.setenv("COSTGATE_CACHE_DIR", str(directory))
    return directory


def test_a_valid_file_is_remembered_and_not_validated_again(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    usage = tmp_path / "usage.yml"
    usage.write_text(GOOD)
    assert load_usage(usage).defaults["aws_s3_bucket"]["storage_gb"] == 1000
    assert len(_entries(cache)) == 1
    _no_jsonschema(monkeypatch)
    assert load_usage(usage).defaults["aws_s3_bucket"]["storage_gb"] == 1000


def test_an_edited_file_is_validated_again_and_errors_are_never_remembered(
    cache: Path, tmp_path: Path
) -> None:
    usage = tmp_path / "usage.yml"
    usage.write_text(GOOD)
    load_usage(usage)
    usage.write_text(BAD)
    for _ in range(2):  # the failure is reported every time, with its line
        with pytest.raises(ConfigError) as err:
            load_usage(usage)
        assert err.value.location == "4:5"  # the offending key
        assert "storage_gb" in err.value.message
    assert len(_entries(cache)) == 1  # only the valid version


def test_the_cache_can_be_turned_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COSTGATE_CACHE_DIR", "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    usage = tmp_path / "usage.yml"
    usage.write_text(GOOD)
    load_usage(usage)
    assert not (tmp_path / "xdg").exists()
    _no_jsonschema(monkeypatch)
    with pytest.raises(AssertionError, match="already known to be valid"):
        load_usage(usage)


def test_an_unwritable_cache_does_not_break_a_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the cache directory should be")
    monkeypatch.setenv("COSTGATE_CACHE_DIR", str(blocker))
    usage = tmp_path / "usage.yml"
    usage.write_text(GOOD)
    assert load_usage(usage).defaults["aws_s3_bucket"]["storage_gb"] == 1000


def test_a_document_that_cannot_be_keyed_is_still_validated(cache: Path, tmp_path: Path) -> None:
    # YAML allows keys of mixed types; they cannot be sorted into a cache key
    usage = tmp_path / "usage.yml"
    usage.write_text("version: 1\nresources:\n  1: {storage_gb: 5}\n  b: {storage_gb: 5}\n")
    assert load_usage(usage).resources["b"]["storage_gb"] == 5
    assert _entries(cache) == []
