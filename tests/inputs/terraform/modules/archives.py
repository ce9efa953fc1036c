"""Build module archives for the tests: a GPU module, and malicious ones."""

from __future__ import annotations

import gzip
import io
import tarfile
import zipfile

GPU_MODULE = {
    "modules/gpu/variables.tf": (
        'variable "instance_type" {\n  type    = string\n  default = "p4d.24xlarge"\n}\n'
    ),
    "modules/gpu/main.tf": (
        'resource "aws_instance" "gpu" {\n'
        '  ami           = "ami-0123456789abcdef0"\n'
        "  instance_type = var.instance_type\n"
        "}\n"
    ),
    "README.md": "a GPU module\n",
}


def tar_gz(files: dict[str, str]) -> bytes:
    """A gzipped tar of *files*, the same bytes in every process (gzip's mtime is 0: the
    tests' parameter ids include archives, and xdist workers must collect equal ids)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        for name, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return gzip.compress(buffer.getvalue(), mtime=0)


def tar_with(info: tarfile.TarInfo, data: bytes = b"") -> bytes:
    """A .tar.gz with main.tf and *info*; byte-for-byte the same on every call (gzip
    mtime 0), because pytest names parametrized cases after these bytes and every xdist
    worker must collect the same names."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        ok = tarfile.TarInfo("main.tf")
        ok.size = 0
        archive.addfile(ok, io.BytesIO(b""))
        info.size = len(data) if info.isreg() else 0
        archive.addfile(info, io.BytesIO(data) if info.isreg() else None)
    return gzip.compress(buffer.getvalue(), mtime=0)


def zip_with(name: str, data: bytes = b"x", mode: int = 0o100644) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        info = zipfile.ZipInfo(name)
        info.external_attr = mode << 16
        archive.writestr(info, data)
    return buffer.getvalue()
