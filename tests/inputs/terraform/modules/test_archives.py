"""Archive extraction writes regular files inside the target, or refuses the archive."""

from __future__ import annotations

import io
import tarfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO

import pytest

from costgate.inputs.terraform.modules.archives import UnsafeArchive, extract, write_objects
from costgate.inputs.terraform.modules.failures import FetchLimit
from tests.inputs.terraform.modules.archives import GPU_MODULE, tar_gz, tar_with, zip_with


def test_a_module_archive_is_unpacked(tmp_path: Path) -> None:
    extract(tar_gz(GPU_MODULE), "tar.gz", tmp_path)
    assert (tmp_path / "modules/gpu/main.tf").read_text() == GPU_MODULE["modules/gpu/main.tf"]
    assert (tmp_path / "modules/gpu/main.tf").stat().st_mode & 0o777 == 0o644
    extract(zip_with("./a/b.tf", b"# b"), "zip", tmp_path / "z")
    assert (tmp_path / "z/a/b.tf").read_bytes() == b"# b"


def _member(name: str, kind: bytes = tarfile.REGTYPE, link: str = "") -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = link
    return info


@pytest.mark.parametrize(
    ("archive", "kind", "message"),
    [
        (tar_with(_member("../evil.tf"), b"x"), "tar.gz", "leaves the target"),
        (tar_with(_member("a/../../evil.tf"), b"x"), "tar.gz", "leaves the target"),
        (tar_with(_member("/tmp/evil.tf"), b"x"), "tar.gz", "absolute"),
        (tar_with(_member("link", tarfile.SYMTYPE, "/etc/passwd")), "tar.gz", "link"),
        (tar_with(_member("inside", tarfile.SYMTYPE, "sub/ok")), "tar.gz", "link"),
        (tar_with(_member("hard", tarfile.LNKTYPE, "main.tf")), "tar.gz", "link"),
        (tar_with(_member("dev", tarfile.CHRTYPE)), "tar.gz", "device"),
        (tar_with(_member("fifo", tarfile.FIFOTYPE)), "tar.gz", "device"),
        (zip_with("../evil.tf"), "zip", "leaves the target"),
        (zip_with("/abs.tf"), "zip", "absolute"),
        (zip_with("C:/x.tf"), "zip", "absolute"),
        (zip_with("link", b"/etc/passwd", 0o120777), "zip", "link"),
        (b"not an archive", "tar.gz", "not a readable"),
        (b"not an archive", "zip", "not a readable"),
    ],
)
def test_malicious_archives_are_refused(
    tmp_path: Path, archive: bytes, kind: str, message: str
) -> None:
    target = tmp_path / "target"
    target.mkdir()
    with pytest.raises(UnsafeArchive, match=message):
        extract(archive, kind, target)
    assert not (tmp_path / "evil.tf").exists()
    assert not list(target.rglob("link")) and not list(target.rglob("dev"))


def test_size_and_count_limits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from costgate.inputs.terraform.modules import archives

    monkeypatch.setattr(archives, "MAX_MODULE_TREE_BYTES", 100)
    with pytest.raises(FetchLimit, match="more than 100 bytes unpacked"):
        extract(tar_gz({"big.tf": "#" * 1000}), "tar.gz", tmp_path / "a")
    monkeypatch.setattr(archives, "MAX_MODULE_FILES", 2)
    with pytest.raises(FetchLimit, match="more than 2 files"):
        extract(tar_gz({"a.tf": "", "b.tf": "", "c.tf": ""}), "tar.gz", tmp_path / "b")


def _objects(files: dict[str, bytes]) -> tuple[list[str], Callable[[str], IO[bytes]]]:
    return list(files), lambda name: io.BytesIO(files[name])


def test_objects_of_a_prefix_are_written_with_a_content_key(tmp_path: Path) -> None:
    names, open_object = _objects({"main.tf": b"# a", "sub/x.tf": b"# b"})
    key = write_objects(names, open_object, tmp_path / "a", time.monotonic() + 60)
    assert (tmp_path / "a" / "sub" / "x.tf").read_bytes() == b"# b"
    same = write_objects(reversed(names), open_object, tmp_path / "b", time.monotonic() + 60)
    assert key == same  # named by content, not by listing order
    names, open_object = _objects({"main.tf": b"# a", "sub/x.tf": b"# changed"})
    assert write_objects(names, open_object, tmp_path / "c", time.monotonic() + 60) != key


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"../evil.tf": b"x"}, "leaves the target"),
        ({"/etc/evil.tf": b"x"}, "absolute"),
        ({"a": b"x", "a/b.tf": b"y"}, "clashes"),
        ({}, "no objects"),
    ],
)
def test_objects_that_would_escape_or_clash_are_refused(
    tmp_path: Path, files: dict[str, bytes], message: str
) -> None:
    names, open_object = _objects(files)
    with pytest.raises(UnsafeArchive, match=message):
        write_objects(names, open_object, tmp_path / "t", time.monotonic() + 60)
    assert not (tmp_path / "evil.tf").exists()


def test_objects_stop_at_the_deadline_and_the_file_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from costgate.inputs.terraform.modules import archives

    names, open_object = _objects({"a.tf": b"", "b.tf": b""})
    with pytest.raises(FetchLimit, match="fetch budget"):
        write_objects(names, open_object, tmp_path / "a", time.monotonic() - 1)
    monkeypatch.setattr(archives, "MAX_MODULE_FILES", 1)
    with pytest.raises(FetchLimit, match="more than 1 files"):
        write_objects(names, open_object, tmp_path / "b", time.monotonic() + 60)
