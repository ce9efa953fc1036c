"""Module source addresses split as go-getter splits them."""

from __future__ import annotations

import pytest

from costgate.inputs.terraform.modules.sources import (
    BadSource,
    RegistrySource,
    RemoteSource,
    parse_source,
    split_subdir,
)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "terraform-aws-modules/eks/aws",
            RegistrySource("registry.terraform.io", "terraform-aws-modules", "eks", "aws"),
        ),
        (
            "registry.example.test/acme/gpu/aws//modules/node",
            RegistrySource("registry.example.test", "acme", "gpu", "aws", "modules/node"),
        ),
        (
            "app.terraform.io/acme/gpu/aws",
            RegistrySource("app.terraform.io", "acme", "gpu", "aws"),
        ),
        (
            "git::https://example.com/infra/modules.git//gpu/node?ref=v1.2.0",
            RemoteSource("git", "https://example.com/infra/modules.git", "v1.2.0", "gpu/node"),
        ),
        (
            "github.com/acme/terraform-gpu//modules/node?ref=abc123",
            RemoteSource(
                "git", "https://github.com/acme/terraform-gpu.git", "abc123", "modules/node"
            ),
        ),
        (
            "git@github.com:acme/terraform-gpu.git?ref=v2",
            RemoteSource("git", "ssh://git@github.com/acme/terraform-gpu.git", "v2"),
        ),
        (
            "https://example.com/gpu-1.0.0.tar.gz//modules/node",
            RemoteSource(
                "http", "https://example.com/gpu-1.0.0.tar.gz", "", "modules/node", "tar.gz"
            ),
        ),
        (
            "https://example.com/download?archive=zip&v=1",
            RemoteSource("http", "https://example.com/download?v=1", "", "", "zip"),
        ),
    ],
)
def test_sources(source: str, expected: object) -> None:
    assert parse_source(source) == expected


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("s3::https://s3.amazonaws.com/bucket/gpu.zip", "credentials"),
        ("acme-bucket.s3-eu-west-1.amazonaws.com/gpu.zip", "credentials"),
        ("gcs::https://www.googleapis.com/storage/v1/b/gpu.zip", "credentials"),
        ("bitbucket.org/acme/gpu", "Bitbucket"),
        ("git::https://example.com/m.git//../../etc", "leaves"),
        ("git::https://example.com/m.git?ref=--upload-pack=evil", "not a git reference"),
        ("git::ext::sh -c touch% /tmp/pwned", "scheme"),
        ("git::file:///etc", "scheme"),
        ("git::https://example.com/m.git?sshkey=AAAA", "sshkey"),
        ("ftp://example.com/gpu.zip", "recognises"),
    ],
)
def test_sources_that_are_not_fetched(source: str, message: str) -> None:
    with pytest.raises(BadSource, match=message):
        parse_source(source)


def test_split_subdir_keeps_the_scheme_and_the_query() -> None:
    assert split_subdir("https://h/a.tgz//x/y?archive=tgz") == (
        "https://h/a.tgz?archive=tgz",
        "x/y",
    )
    assert split_subdir("https://h/a.tgz") == ("https://h/a.tgz", "")
