"""Module source addresses split as go-getter splits them."""

from __future__ import annotations

import pytest

from costgate.inputs.terraform.modules.sources import (
    BadSource,
    GcsLocation,
    RegistrySource,
    RemoteSource,
    S3Location,
    gcs_location,
    parse_source,
    s3_location,
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
        ("s3::https://s3.amazonaws.com/bucket/gpu.zip?aws_access_key_id=AKIA", "credentials"),
        ("s3::https://s3.amazonaws.com/bucket-only", "no bucket and key"),
        ("s3::ftp://s3.amazonaws.com/bucket/gpu.zip", "not an http"),
        ("a.b.c.d.e.f.amazonaws.com/gpu.zip", "not a valid S3 address"),
        ("gcs::https://www.googleapis.com/storage/v1/b", "not a GCS source"),
        ("gcs::https://evil.example/storage/v1/b/gpu.zip", "not a GCS source"),
        ("gcs::http://www.googleapis.com/storage/v1/b/gpu.zip", "not a GCS source"),
        ("hg::https://example.com/repo", "Mercurial"),
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


@pytest.mark.parametrize(
    "source",
    [
        # Terraform's S3 detector: path style, old and new virtual-hosted style
        "s3-eu-west-1.amazonaws.com/acme-modules/gpu.zip",
        "acme-modules.s3-eu-west-1.amazonaws.com/gpu.zip",
        "acme-modules.s3.eu-west-1.amazonaws.com/gpu.zip",
        # what `terraform init` records in modules.json, and other spellings of the URL
        "s3::https://s3-eu-west-1.amazonaws.com/acme-modules/gpu.zip",
        "s3::https://s3.eu-west-1.amazonaws.com/acme-modules/gpu.zip",
        "s3::https://acme-modules.s3.eu-west-1.amazonaws.com/gpu.zip",
    ],
)
def test_s3_spellings_are_one_source(source: str) -> None:
    assert parse_source(source) == RemoteSource(
        "s3", "https://s3.eu-west-1.amazonaws.com/acme-modules/gpu.zip", "", "", "zip"
    )
    assert s3_location(parse_source(source).url) == S3Location(
        None, "eu-west-1", "acme-modules", "gpu.zip"
    )


@pytest.mark.parametrize(
    ("host", "region"),
    [
        ("s3.amazonaws.com", "us-east-1"),
        ("s3-us-west-2.amazonaws.com", "us-west-2"),
        ("s3.dualstack.ap-south-1.amazonaws.com", "ap-south-1"),
        ("s3.cn-north-1.amazonaws.com.cn", "cn-north-1"),
    ],
)
def test_s3_regions_from_the_host(host: str, region: str) -> None:
    parsed = parse_source(f"s3::https://{host}/acme/gpu.zip")
    domain = "amazonaws.com.cn" if host.endswith(".cn") else "amazonaws.com"
    assert parsed.url == f"https://s3.{region}.{domain}/acme/gpu.zip"
    location = s3_location(parsed.url)
    assert (location.region, location.bucket, location.key) == (region, "acme", "gpu.zip")


def test_s3_us_east_1_prefix_and_custom_endpoint() -> None:
    prefix = parse_source("acme-modules.s3.amazonaws.com/modules/gpu//node")
    assert prefix == RemoteSource(
        "s3", "https://s3.us-east-1.amazonaws.com/acme-modules/modules/gpu", "", "node", ""
    )
    custom = parse_source("s3::http://127.0.0.1:9000/acme/gpu.tgz?version=7&region=eu-north-1")
    assert custom.kind == "s3" and custom.archive == "tgz"
    assert s3_location(custom.url) == S3Location(
        "http://127.0.0.1:9000", "eu-north-1", "acme", "gpu.tgz", "7"
    )
    # no region: us-east-1, written into the URL so that both spellings compare equal
    assert parse_source("s3::http://127.0.0.1:9000/acme/gpu.zip") == parse_source(
        "s3::http://127.0.0.1:9000/acme/gpu.zip?region=us-east-1"
    )


def test_gcs_sources() -> None:
    implied = parse_source("www.googleapis.com/storage/v1/acme-modules/gpu/module.zip//node")
    forced = parse_source(
        "gcs::https://www.googleapis.com/storage/v1/acme-modules/gpu/module.zip//node"
    )
    assert (
        implied
        == forced
        == RemoteSource(
            "gcs",
            "https://www.googleapis.com/storage/v1/acme-modules/gpu/module.zip",
            "",
            "node",
            "zip",
        )
    )
    assert gcs_location(forced.url) == GcsLocation("acme-modules", "gpu/module.zip")
    prefix = parse_source("gcs::https://www.googleapis.com/storage/v1/acme-modules/gpu#12")
    assert prefix.archive == ""
    assert gcs_location(prefix.url) == GcsLocation("acme-modules", "gpu", "12")


@pytest.mark.parametrize(
    ("written", "recorded"),
    [
        (
            "github.com/acme/gpu//modules/node?ref=v1",
            "git::https://github.com/acme/gpu.git//modules/node?ref=v1",
        ),
        ("git@github.com:acme/gpu.git", "git::ssh://git@github.com/acme/gpu.git"),
        ("git::git@example.com:code/baz.git//x", "git::ssh://git@example.com/code/baz.git//x"),
        ("acme.s3.amazonaws.com/gpu.zip", "s3::https://s3.amazonaws.com/acme/gpu.zip"),
        (
            "www.googleapis.com/storage/v1/acme/gpu",
            "gcs::https://www.googleapis.com/storage/v1/acme/gpu",
        ),
        ("acme/gpu/aws", "registry.terraform.io/acme/gpu/aws"),
    ],
)
def test_terraform_init_spelling_is_the_same_source(written: str, recorded: str) -> None:
    """modules.json records the source as Terraform normalises it (addrs.ModuleSource)."""
    assert parse_source(written) == parse_source(recorded)


def test_split_subdir_keeps_the_scheme_and_the_query() -> None:
    assert split_subdir("https://h/a.tgz//x/y?archive=tgz") == (
        "https://h/a.tgz?archive=tgz",
        "x/y",
    )
    assert split_subdir("https://h/a.tgz") == ("https://h/a.tgz", "")
