"""S3 and GCS module sources, fetched from fakes on 127.0.0.1 that speak the services'
wire protocols (storage.py): where requests go, which of them carry credentials, and that
a second run reads the cache with the servers stopped."""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from costgate.cli import main
from costgate.inputs import InputOptions, read_input
from costgate.model import NOT_EVALUATED
from costgate.pricing.catalog import Catalog
from tests.helpers.loopback import LoopbackServer, Response
from tests.inputs.terraform.modules.archives import GPU_MODULE, tar_gz
from tests.inputs.terraform.modules.storage import FakeGcs, FakeS3
from tests.inputs.terraform.modules.test_fetch import assert_gpu_priced, root

KEY_ID = "AKIDCOSTGATETEST"
SECRET = "costgate-test-secret-key"
SESSION = "costgate-test-session-token"
BUCKET = "acme-modules"


def zipped(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> None:
    """Credentials in the environment, as boto3's chain finds them first."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", KEY_ID)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    monkeypatch.setenv("AWS_SESSION_TOKEN", SESSION)


def headers_of(server: LoopbackServer) -> list[str]:
    return [" ".join(f"{k}: {v}" for k, v in r.headers.items()) for r in server.requests]


def test_s3_archive_on_an_aws_host_is_signed_for_its_region_then_cached(
    tmp_path: Path, online: Path, aws: None, monkeypatch: pytest.MonkeyPatch, catalog: Catalog
) -> None:
    """`s3::https://s3-eu-west-1.amazonaws.com/...` answered by the endpoint the runner
    configures (AWS_ENDPOINT_URL_S3, boto3's own setting): SigV4 for eu-west-1."""
    fake = FakeS3({(BUCKET, "gpu/v1.2.0.zip"): zipped(GPU_MODULE)})
    with LoopbackServer(fake) as server:
        monkeypatch.setenv("AWS_ENDPOINT_URL_S3", server.url)
        source = f"s3::https://s3-eu-west-1.amazonaws.com/{BUCKET}/gpu/v1.2.0.zip//modules/gpu"
        directory = root(tmp_path, source, None)
        stack = read_input(directory)
    assert_gpu_priced(stack, catalog)
    [request] = server.requests
    assert request.path == f"/{BUCKET}/gpu/v1.2.0.zip"
    authorization = request.headers["authorization"]
    assert authorization.startswith(f"AWS4-HMAC-SHA256 Credential={KEY_ID}/")
    assert "/eu-west-1/s3/aws4_request" in authorization
    assert request.headers["x-amz-security-token"] == SESSION
    assert not any(SECRET in h for h in headers_of(server))
    shown = f"s3 s3.eu-west-1.amazonaws.com/{BUCKET}/gpu/v1.2.0.zip/modules/gpu/main.tf"
    assert stack.resources[0].source is not None
    assert stack.resources[0].source.file == shown

    # the server is gone: the cache answers, also offline, without credentials and
    # without boto3 (a cache hit imports no fetching code)
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.setitem(sys.modules, "boto3", None)
    assert_gpu_priced(read_input(directory), catalog)
    assert_gpu_priced(read_input(directory, options=InputOptions(offline=True)), catalog)


def test_s3_key_prefix_is_a_folder_of_files_listed_page_by_page(
    tmp_path: Path, online: Path, aws: None, monkeypatch: pytest.MonkeyPatch, catalog: Catalog
) -> None:
    objects = {(BUCKET, f"gpu/{name}"): text.encode() for name, text in GPU_MODULE.items()}
    objects[(BUCKET, "gpu/")] = b""  # a console "folder" marker is skipped
    objects[(BUCKET, "gpux/unrelated.tf")] = b"this is not HCL {"
    fake = FakeS3(objects, page_size=2)
    with LoopbackServer(fake) as server:
        monkeypatch.setenv("AWS_ENDPOINT_URL_S3", server.url)
        # Terraform's implied spelling (virtual-hosted), normalised to path style
        source = f"{BUCKET}.s3.eu-west-1.amazonaws.com/gpu//modules/gpu"
        stack = read_input(root(tmp_path, source, None))
    assert_gpu_priced(stack, catalog)
    lists = [r for r in server.requests if r.query.get("list-type") == ["2"]]
    assert [r.query.get("prefix") for r in lists] == [["gpu/"], ["gpu/"]]
    assert lists[1].query.get("continuation-token") == ["2"]
    gets = sorted(r.path for r in server.requests if r not in lists)
    assert gets == sorted(f"/{BUCKET}/gpu/{name}" for name in GPU_MODULE)
    [tree] = (online / "modules" / "trees").iterdir()
    assert sorted(str(p.relative_to(tree)) for p in tree.rglob("*") if p.is_file()) == sorted(
        GPU_MODULE
    )


@pytest.mark.parametrize("configured", [False, True])
def test_an_s3_endpoint_named_by_the_source_gets_no_credentials(
    tmp_path: Path,
    online: Path,
    aws: None,
    monkeypatch: pytest.MonkeyPatch,
    catalog: Catalog,
    configured: bool,
) -> None:
    """A pull request may name any host in `s3::http://HOST/...`: requests to it are
    unsigned, unless the runner configured that very endpoint."""
    fake = FakeS3({(BUCKET, "gpu.tgz"): tar_gz(GPU_MODULE)})
    with LoopbackServer(fake) as server:
        if configured:
            monkeypatch.setenv("AWS_ENDPOINT_URL_S3", server.url)
        source = f"s3::{server.url}/{BUCKET}/gpu.tgz//modules/gpu?region=eu-north-1"
        stack = read_input(root(tmp_path, source, None))
    assert_gpu_priced(stack, catalog)
    [request] = server.requests
    assert request.path == f"/{BUCKET}/gpu.tgz"
    if configured:
        assert "/eu-north-1/s3/aws4_request" in request.headers["authorization"]
    else:
        assert "authorization" not in request.headers
        assert not any(KEY_ID in h or SESSION in h for h in headers_of(server))


def test_a_missing_s3_object_is_a_placeholder_with_the_service_error(
    tmp_path: Path, online: Path, aws: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    with LoopbackServer(FakeS3({})) as server:
        monkeypatch.setenv("AWS_ENDPOINT_URL_S3", server.url)
        stack = read_input(root(tmp_path, f"s3::https://s3.amazonaws.com/{BUCKET}/gone.zip", None))
    [placeholder] = stack.resources
    assert placeholder.type == NOT_EVALUATED
    assert "S3 answered HTTP 404 NoSuchKey" in placeholder.attributes["reason"]
    assert KEY_ID not in placeholder.attributes["reason"]


def test_an_s3_object_over_the_size_limit_stops_the_run(
    tmp_path: Path, online: Path, aws: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from costgate.inputs.terraform.modules import s3

    monkeypatch.setattr(s3, "MAX_MODULE_ARCHIVE_BYTES", 100)
    with LoopbackServer(FakeS3({(BUCKET, "gpu.zip"): zipped(GPU_MODULE)})) as server:
        monkeypatch.setenv("AWS_ENDPOINT_URL_S3", server.url)
        directory = root(tmp_path, f"s3::https://s3.amazonaws.com/{BUCKET}/gpu.zip", None)
        result = CliRunner().invoke(main, ["breakdown", str(directory)])
    assert result.exit_code == 2, result.output
    assert f"s3 https://s3.us-east-1.amazonaws.com/{BUCKET}/gpu.zip is larger than 100 bytes" in (
        result.output
    )


def test_s3_without_boto3_is_one_line_naming_the_extra(
    tmp_path: Path, online: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "boto3", None)  # `import boto3` raises ImportError
    directory = root(tmp_path, f"s3::https://s3.amazonaws.com/{BUCKET}/gpu.zip", None)
    result = CliRunner().invoke(main, ["breakdown", str(directory)])
    assert result.exit_code == 2, result.output
    [line] = [line for line in result.output.splitlines() if line.strip()]
    assert (
        f"main.tf:5: module 'gpu': fetching s3 https://s3.us-east-1.amazonaws.com/{BUCKET}/"
        "gpu.zip: " in line
    )
    assert "S3 module sources needs the refresh extra: pip install 'costgate[refresh]'" in line


def test_gcs_archive_with_the_access_token_then_cached(
    tmp_path: Path, online: Path, monkeypatch: pytest.MonkeyPatch, catalog: Catalog
) -> None:
    fake = FakeGcs({(BUCKET, "gpu/module.zip"): zipped(GPU_MODULE)})
    monkeypatch.setenv("GOOGLE_OAUTH_ACCESS_TOKEN", "ya29.costgate-test")
    with LoopbackServer(fake) as server:
        monkeypatch.setenv("STORAGE_EMULATOR_HOST", server.url.removeprefix("http://"))
        source = f"gcs::https://www.googleapis.com/storage/v1/{BUCKET}/gpu/module.zip//modules/gpu"
        directory = root(tmp_path, source, None)
        stack = read_input(directory)
    assert_gpu_priced(stack, catalog)
    [request] = server.requests
    assert request.target == f"/storage/v1/b/{BUCKET}/o/gpu%2Fmodule.zip?alt=media"
    assert request.headers["authorization"] == "Bearer ya29.costgate-test"
    assert_gpu_priced(read_input(directory, options=InputOptions(offline=True)), catalog)


def test_gcs_prefix_listed_page_by_page_anonymously(
    tmp_path: Path, online: Path, monkeypatch: pytest.MonkeyPatch, catalog: Catalog
) -> None:
    objects = {(BUCKET, f"gpu/{name}"): text.encode() for name, text in GPU_MODULE.items()}
    fake = FakeGcs(objects, page_size=2)
    with LoopbackServer(fake) as server:
        monkeypatch.setenv("STORAGE_EMULATOR_HOST", server.url)
        source = f"www.googleapis.com/storage/v1/{BUCKET}/gpu//modules/gpu"
        stack = read_input(root(tmp_path, source, None))
    assert_gpu_priced(stack, catalog)
    lists = [r for r in server.requests if r.path.endswith("/o")]
    assert [r.query.get("pageToken") for r in lists] == [None, ["2"]]
    assert all(r.query.get("prefix") == ["gpu/"] for r in lists)
    assert len(server.requests) == 2 + len(GPU_MODULE)
    assert all("authorization" not in r.headers for r in server.requests)


def test_the_gcs_token_does_not_follow_a_redirect(
    tmp_path: Path, online: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GOOGLE_OAUTH_ACCESS_TOKEN", "ya29.costgate-test")
    with LoopbackServer(FakeGcs({(BUCKET, "gpu.zip"): zipped(GPU_MODULE)})) as elsewhere:
        moved = f"{elsewhere.url}/storage/v1/b/{BUCKET}/o/gpu.zip?alt=media"
        with LoopbackServer(lambda request: Response(302, headers={"Location": moved})) as gcs:
            monkeypatch.setenv("STORAGE_EMULATOR_HOST", gcs.url)
            source = f"gcs::https://www.googleapis.com/storage/v1/{BUCKET}/gpu.zip//modules/gpu"
            read_input(root(tmp_path, source, None))
    assert gcs.requests[0].headers["authorization"] == "Bearer ya29.costgate-test"
    [followed] = elsewhere.requests
    assert "authorization" not in followed.headers


def test_a_missing_gcs_object_is_a_placeholder(
    tmp_path: Path, online: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with LoopbackServer(FakeGcs({})) as server:
        monkeypatch.setenv("STORAGE_EMULATOR_HOST", server.url)
        source = f"gcs::https://www.googleapis.com/storage/v1/{BUCKET}/gone.zip"
        stack = read_input(root(tmp_path, source, None))
    [placeholder] = stack.resources
    assert placeholder.type == NOT_EVALUATED
    assert "answered HTTP 404" in placeholder.attributes["reason"]
