"""Remote modules fetched from a fake registry, an HTTP archive server and a git daemon, all
on 127.0.0.1 (the registry's host name is mapped by COSTGATE_REGISTRY_OVERRIDES), then
read again from the cache with the servers stopped."""

from __future__ import annotations

import hashlib
import json
import os
import socket
import subprocess
import textwrap
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from costgate.cli import main
from costgate.inputs import InputOptions, read_input
from costgate.inputs.base import Stack
from costgate.model import NOT_EVALUATED, PricedResource
from costgate.pricing.catalog import Catalog
from costgate.pricing.engine import price_resources
from costgate.usage import load_usage
from tests.helpers.loopback import LoopbackServer, Request, Response
from tests.inputs.terraform.modules.archives import GPU_MODULE, tar_gz, tar_with

HOST = "registry.example.test"
ADDRESS = "module.gpu.aws_instance.gpu"
P4D_HOURLY = Decimal("21.957642")  # pricing/aws.json, ec2 p4d.24xlarge us-east-1 on-demand
P4D_MONTHLY = Decimal("16029.07866")  # 730 h x 21.957642, by hand: 15,370.3494 + 658.72926


def root(tmp_path: Path, source: str, version: str | None = "~> 1.0") -> Path:
    directory = tmp_path / "infra"
    directory.mkdir(parents=True, exist_ok=True)
    version_line = f'  version = "{version}"\n' if version else ""
    (directory / "main.tf").write_text(
        'provider "aws" {\n  region = "us-east-1"\n}\n\n'
        f'module "gpu" {{\n  source  = "{source}"\n{version_line}}}\n'
    )
    return directory


def registry(location: str, module: str = "acme/gpu/aws") -> dict[str, object]:
    """A registry serving *module* in versions 1.0.0, 1.2.0, 1.3.0-beta1 and 2.0.0; the
    download of 1.2.0 points at *location*."""
    versions = ["1.0.0", "1.2.0", "1.3.0-beta1", "2.0.0"]
    return {
        "/.well-known/terraform.json": Response(body={"modules.v1": "/v1/modules/"}),
        f"/v1/modules/{module}/versions": Response(
            body={"modules": [{"versions": [{"version": v} for v in versions]}]}
        ),
        f"/v1/modules/{module}/1.2.0/download": Response(
            204, headers={"X-Terraform-Get": location}
        ),
    }


def price(stack: Stack, catalog: Catalog) -> dict[str, PricedResource]:
    return {
        p.resource.address: p for p in price_resources(stack.resources, catalog, load_usage(None))
    }


def assert_gpu_priced(stack: Stack, catalog: Catalog) -> None:
    priced = price(stack, catalog)
    gpu = priced[ADDRESS]
    assert gpu.unpriced_reason is None, gpu.unpriced_reason
    entry = catalog.price("aws", "ec2", "p4d.24xlarge", "us-east-1", "on_demand")
    assert entry is not None and entry.price == P4D_HOURLY
    [compute] = [line for line in gpu.cost_lines if line.unit_price == P4D_HOURLY]
    assert compute.quantity == Decimal("730")
    assert compute.monthly_cost == P4D_MONTHLY == Decimal(730) * entry.price
    assert gpu.resource.region == "us-east-1"


def test_registry_module_from_an_http_archive_is_priced_then_read_from_the_cache(
    tmp_path: Path, online: Path, monkeypatch: pytest.MonkeyPatch, catalog: Catalog
) -> None:
    archive = tar_gz(GPU_MODULE)
    with LoopbackServer({"/archives/gpu-1.2.0.tar.gz": Response(body=archive)}) as files:
        location = f"{files.url}/archives/gpu-1.2.0.tar.gz//modules/gpu"
        with LoopbackServer(registry(location)) as server:
            monkeypatch.setenv("COSTGATE_REGISTRY_OVERRIDES", f"{HOST}={server.url}")
            directory = root(tmp_path, f"{HOST}/acme/gpu/aws")
            stack = read_input(directory)
            assert [r.path for r in server.requests] == [
                "/.well-known/terraform.json",
                "/v1/modules/acme/gpu/aws/versions",
                "/v1/modules/acme/gpu/aws/1.2.0/download",  # ~> 1.0: 1.2.0, not the beta
            ]
            assert len(files.requests) == 1
    assert_gpu_priced(stack, catalog)
    source = stack.resources[0].source
    assert source is not None and source.file == f"{HOST}/acme/gpu/aws 1.2.0/main.tf"
    trees = list((online / "modules" / "trees").iterdir())
    assert [t.name for t in trees] == [hashlib.sha256(archive).hexdigest()]

    # servers stopped: the second run reads the cache, no request, fetching still on
    started = time.perf_counter()
    again = read_input(directory)
    elapsed = time.perf_counter() - started
    assert_gpu_priced(again, catalog)
    assert not again.warnings
    assert elapsed < 1.0
    # and offline, too
    assert_gpu_priced(read_input(directory, options=InputOptions(offline=True)), catalog)


@pytest.fixture
def git_server(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """A git daemon on 127.0.0.1 serving gpu.git: tag v1.2.0 has the p4d module under
    modules/gpu; a later commit on the default branch changes it to p3.2xlarge.
    Yields the repository URL and the tagged commit id."""
    base = tmp_path / "git"
    work = base / "work"
    (work / "modules" / "gpu").mkdir(parents=True)
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.test",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.test",
        "GIT_CONFIG_GLOBAL": os.devnull,
    }

    def git(*args: str, cwd: Path = work) -> str:
        return subprocess.run(
            ["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True
        ).stdout.strip()

    git("init", "--quiet", "--initial-branch=main")
    for name, text in GPU_MODULE.items():
        (work / name).write_text(text)
    git("add", ".")
    git("commit", "--quiet", "-m", "gpu module")
    git("tag", "v1.2.0")
    tagged = git("rev-parse", "HEAD")
    variables = work / "modules/gpu/variables.tf"
    variables.write_text(variables.read_text().replace("p4d.24xlarge", "p3.2xlarge"))
    git("commit", "--quiet", "-am", "smaller")
    git("clone", "--quiet", "--bare", str(work), str(base / "gpu.git"), cwd=base)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    daemon = subprocess.Popen(
        ["git", "daemon", "--reuseaddr", "--export-all", f"--base-path={base}",
         "--listen=127.0.0.1", f"--port={port}", str(base)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline or daemon.poll() is not None:
                    pytest.skip("git daemon did not start")
                time.sleep(0.05)
        yield f"git://127.0.0.1:{port}/gpu.git", tagged
    finally:
        daemon.terminate()
        daemon.wait(timeout=10)


def test_registry_module_from_a_git_repository_with_ref_and_subdir(
    tmp_path: Path,
    online: Path,
    monkeypatch: pytest.MonkeyPatch,
    catalog: Catalog,
    git_server: tuple[str, str],
) -> None:
    url, tagged = git_server
    location = f"git::{url}//modules/gpu?ref=v1.2.0"
    with LoopbackServer(registry(location, "acme/gpugit/aws")) as server:
        monkeypatch.setenv("COSTGATE_REGISTRY_OVERRIDES", f"{HOST}={server.url}")
        stack = read_input(root(tmp_path, f"{HOST}/acme/gpugit/aws", ">= 1.0.0, < 2.0.0"))
    assert_gpu_priced(stack, catalog)
    assert (online / "modules" / "trees" / f"git-{tagged}" / "modules/gpu/main.tf").is_file()
    assert not (online / "modules" / "trees" / f"git-{tagged}" / ".git").exists()


def test_git_source_by_commit_and_by_default_branch(
    tmp_path: Path, online: Path, git_server: tuple[str, str]
) -> None:
    url, tagged = git_server
    by_commit = read_input(root(tmp_path / "a", f"git::{url}//modules/gpu?ref={tagged}", None))
    assert by_commit.resources[0].attributes["instance_type"] == "p4d.24xlarge"
    default = read_input(root(tmp_path / "b", f"git::{url}//modules/gpu", None))
    assert default.resources[0].attributes["instance_type"] == "p3.2xlarge"


def test_tf_token_is_sent_to_its_registry_only(
    tmp_path: Path, online: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TF_TOKEN_registry_example_test", "s3cret")
    with LoopbackServer({"/gpu.tgz": Response(body=tar_gz(GPU_MODULE))}) as files:
        with LoopbackServer(registry(f"{files.url}/gpu.tgz//modules/gpu")) as server:
            other = LoopbackServer(registry(f"{files.url}/gpu.tgz//modules/gpu"))
            with other:
                monkeypatch.setenv(
                    "COSTGATE_REGISTRY_OVERRIDES",
                    f"{HOST}={server.url},other.example.test={other.url}",
                )
                read_input(root(tmp_path / "a", f"{HOST}/acme/gpu/aws"))
                read_input(root(tmp_path / "b", "other.example.test/acme/gpu/aws"))
    assert [r.headers.get("authorization") for r in server.requests] == ["Bearer s3cret"] * 3
    assert [r.headers.get("authorization") for r in other.requests] == [None] * 3
    assert [r.headers.get("authorization") for r in files.requests] == [None, None]


def test_credentials_file_token(
    tmp_path: Path, online: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    credentials = tmp_path / "home" / ".terraform.d" / "credentials.tfrc.json"
    credentials.parent.mkdir(parents=True)
    credentials.write_text(json.dumps({"credentials": {HOST: {"token": "from-file"}}}))
    with LoopbackServer(registry("http://127.0.0.1:9/none.tgz")) as server:
        monkeypatch.setenv("COSTGATE_REGISTRY_OVERRIDES", f"{HOST}={server.url}")
        stack = read_input(root(tmp_path, f"{HOST}/acme/gpu/aws"))
    assert server.requests[0].headers.get("authorization") == "Bearer from-file"
    [placeholder] = stack.resources
    assert placeholder.type == NOT_EVALUATED
    assert "fetching it failed" in placeholder.attributes["reason"]


def test_offline_gives_the_placeholder_with_its_reason(
    tmp_path: Path, online: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(request: Request) -> Response:
        raise AssertionError(f"no request expected, got {request.path}")

    with LoopbackServer(fail) as server:
        monkeypatch.setenv("COSTGATE_REGISTRY_OVERRIDES", f"{HOST}={server.url}")
        directory = root(tmp_path, f"{HOST}/acme/gpu/aws")
        result = CliRunner().invoke(main, ["breakdown", str(directory), "--offline"])
        monkeypatch.setenv("COSTGATE_OFFLINE", "1")
        stack = read_input(directory)
    assert server.requests == []
    assert result.exit_code in (0, 1), result.output
    assert "module.gpu" in result.output and "fetching is off" in result.output
    [placeholder] = stack.resources
    assert placeholder.type == NOT_EVALUATED
    assert placeholder.attributes["reason"].startswith(
        f"remote module {HOST}/acme/gpu/aws ~> 1.0 not evaluated: fetching is off"
    )


@pytest.mark.parametrize(
    ("routes", "reason"),
    [
        ({}, "HTTP 404"),
        ({"/.well-known/terraform.json": Response(body={"providers.v1": "/p/"})}, "no modules.v1"),
        ({"/.well-known/terraform.json": Response(body=b"{nope")}, "not JSON"),
    ],
)
def test_registry_failures_are_warnings_and_placeholders(
    tmp_path: Path,
    online: Path,
    monkeypatch: pytest.MonkeyPatch,
    routes: dict[str, Response],
    reason: str,
) -> None:
    with LoopbackServer(routes) as server:
        monkeypatch.setenv("COSTGATE_REGISTRY_OVERRIDES", f"{HOST}={server.url}")
        stack = read_input(root(tmp_path, f"{HOST}/acme/gpu/aws"))
    [placeholder] = stack.resources
    assert placeholder.type == NOT_EVALUATED
    assert reason in placeholder.attributes["reason"]
    assert any(reason in w for w in stack.warnings)


def test_no_version_matches(tmp_path: Path, online: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with LoopbackServer(registry("http://127.0.0.1:9/x.tgz")) as server:
        monkeypatch.setenv("COSTGATE_REGISTRY_OVERRIDES", f"{HOST}={server.url}")
        stack = read_input(root(tmp_path, f"{HOST}/acme/gpu/aws", "~> 3.0"))
    assert (
        "no version of registry.example.test/acme/gpu/aws matches ~> 3.0"
        in (stack.resources[0].attributes["reason"])
    )


def test_a_malicious_archive_is_refused(
    tmp_path: Path, online: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tarfile

    evil = tarfile.TarInfo("../evil.tf")
    with LoopbackServer({"/evil.tgz": Response(body=tar_with(evil, b"# evil"))}) as files:
        with LoopbackServer(registry(f"{files.url}/evil.tgz")) as server:
            monkeypatch.setenv("COSTGATE_REGISTRY_OVERRIDES", f"{HOST}={server.url}")
            stack = read_input(root(tmp_path, f"{HOST}/acme/gpu/aws"))
    reason = stack.resources[0].attributes["reason"]
    assert "leaves the target directory" in reason
    assert not list(online.rglob("evil.tf"))
    assert not list((online / "modules" / "trees").iterdir())


def stops(directory: Path) -> str:
    """Check *directory* through the CLI: exit 2 with one message, no traceback."""
    result = CliRunner().invoke(main, ["breakdown", str(directory)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    return result.output


def test_a_registry_answer_over_the_size_limit_stops_the_run(
    tmp_path: Path, online: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    routes = {"/.well-known/terraform.json": Response(body=b"x" * (2 * 1024 * 1024))}
    with LoopbackServer(routes) as server:
        monkeypatch.setenv("COSTGATE_REGISTRY_OVERRIDES", f"{HOST}={server.url}")
        output = stops(root(tmp_path, f"{HOST}/acme/gpu/aws"))
    assert "main.tf:5: module 'gpu': fetching registry.example.test/acme/gpu/aws:" in output
    assert "/.well-known/terraform.json is larger than 1,048,576 bytes" in output
    assert "terraform init" in output and "--offline" in output


def test_an_archive_over_the_size_limit_stops_the_run(
    tmp_path: Path, online: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from costgate.inputs.terraform.modules import resolver

    monkeypatch.setattr(resolver, "MAX_MODULE_ARCHIVE_BYTES", 100)
    with LoopbackServer({"/gpu.tgz": Response(body=tar_gz(GPU_MODULE))}) as files:
        with LoopbackServer(registry(f"{files.url}/gpu.tgz//modules/gpu")) as server:
            monkeypatch.setenv("COSTGATE_REGISTRY_OVERRIDES", f"{HOST}={server.url}")
            output = stops(root(tmp_path, f"{HOST}/acme/gpu/aws"))
    assert f"{files.url}/gpu.tgz is larger than 100 bytes" in output
    assert not (online / "modules" / "trees").exists()


def test_a_slow_registry_stops_the_run_at_the_timeout(
    tmp_path: Path, online: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from costgate.inputs.terraform.modules import registry as registry_module

    monkeypatch.setattr(registry_module, "MODULE_FETCH_TIMEOUT", 0.3)
    routes = {"/.well-known/terraform.json": Response(body={}, delay=2.0)}
    with LoopbackServer(routes) as server:
        monkeypatch.setenv("COSTGATE_REGISTRY_OVERRIDES", f"{HOST}={server.url}")
        started = time.monotonic()
        output = stops(root(tmp_path, f"{HOST}/acme/gpu/aws"))
        assert time.monotonic() - started < 1.5
    assert "/.well-known/terraform.json took longer than 0.3 s" in output


def test_the_fetch_count_limit_stops_the_run(
    tmp_path: Path, online: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from costgate.inputs.terraform.modules import resolver

    monkeypatch.setattr(resolver, "MAX_MODULE_FETCHES", 0)
    output = stops(root(tmp_path, f"{HOST}/acme/gpu/aws"))
    assert "more than 0 module sources to fetch in one run" in output


def test_symlink_in_a_fetched_module_cannot_read_outside_it(
    tmp_path: Path, online: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A git clone may hold symlinks: the module's reads stay inside its own tree."""
    secret = tmp_path / "secret.txt"
    secret.write_text("token")
    module = dict(GPU_MODULE)
    module["modules/gpu/main.tf"] += textwrap.dedent(
        """
        resource "aws_instance" "probe" {
          instance_type = "t3.micro"
          user_data     = file("${path.module}/leak")
        }
        """
    )
    module["modules/gpu/leak"] = "harmless"
    with LoopbackServer({"/gpu.tgz": Response(body=tar_gz(module))}) as files:
        with LoopbackServer(registry(f"{files.url}/gpu.tgz//modules/gpu")) as server:
            monkeypatch.setenv("COSTGATE_REGISTRY_OVERRIDES", f"{HOST}={server.url}")
            directory = root(tmp_path, f"{HOST}/acme/gpu/aws")
            read_input(directory)
    [tree] = (online / "modules" / "trees").iterdir()
    (tree / "modules/gpu/leak").unlink()
    (tree / "modules/gpu/leak").symlink_to(secret)
    stack = read_input(directory)
    probe = {r.address: r for r in stack.resources}["module.gpu.aws_instance.probe"]
    assert probe.attributes.get("user_data") != "token"
    assert any("outside the repository" in w for w in stack.warnings)


def test_parallel_runs_fetch_once(
    tmp_path: Path, online: Path, monkeypatch: pytest.MonkeyPatch, catalog: Catalog
) -> None:
    """Two runs at once (threads: each takes its own flock on the cache's lock file)."""
    import threading

    archive = Response(body=tar_gz(GPU_MODULE), delay=0.3)
    with LoopbackServer({"/gpu.tgz": archive}) as files:
        with LoopbackServer(registry(f"{files.url}/gpu.tgz//modules/gpu")) as server:
            monkeypatch.setenv("COSTGATE_REGISTRY_OVERRIDES", f"{HOST}={server.url}")
            directory = root(tmp_path, f"{HOST}/acme/gpu/aws")
            stacks: list[Stack] = []
            threads = [
                threading.Thread(target=lambda: stacks.append(read_input(directory)))
                for _ in range(2)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=30)
    assert len(files.requests) == 1
    assert len(stacks) == 2
    for stack in stacks:
        assert_gpu_priced(stack, catalog)


def test_an_unreachable_registry_host_is_asked_once(
    tmp_path: Path, online: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with LoopbackServer({}) as server:
        monkeypatch.setenv("COSTGATE_REGISTRY_OVERRIDES", f"{HOST}={server.url}")
        directory = root(tmp_path, f"{HOST}/acme/gpu/aws")
        with (directory / "main.tf").open("a") as tf:
            tf.write(f'module "other" {{\n  source = "{HOST}/acme/other/aws"\n}}\n')
        stack = read_input(directory)
    assert [r.path for r in server.requests] == ["/.well-known/terraform.json"]
    assert [r.type for r in stack.resources] == [NOT_EVALUATED, NOT_EVALUATED]


def _zip(files: dict[str, str]) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


@pytest.mark.parametrize("shape", ["json-location", "relative", "archive-query", "page-pointer"])
def test_download_locations_in_every_shape(
    tmp_path: Path, online: Path, monkeypatch: pytest.MonkeyPatch, catalog: Catalog, shape: str
) -> None:
    """The download answer as a JSON `location`, a path relative to the registry, a zip
    named by `?archive=zip`, or an http page whose X-Terraform-Get names the archive."""
    with LoopbackServer(
        {
            "/dl": Response(body=_zip(GPU_MODULE)),
            "/page": Response(headers={"X-Terraform-Get": "PLACEHOLDER"}),
            "/v1/files/gpu.tgz": Response(body=tar_gz(GPU_MODULE)),
        }
    ) as files:
        routes = registry(f"{files.url}/unused")
        download = "/v1/modules/acme/gpu/aws/1.2.0/download"
        if shape == "json-location":
            routes[download] = Response(
                body={"location": f"{files.url}/dl//modules/gpu?archive=zip"}
            )
        elif shape == "relative":
            routes[download] = Response(
                204, headers={"X-Terraform-Get": "../../../../../files/gpu.tgz//modules/gpu"}
            )
            routes["/v1/files/gpu.tgz"] = Response(body=tar_gz(GPU_MODULE))
        elif shape == "archive-query":
            routes[download] = Response(
                204, headers={"X-Terraform-Get": f"{files.url}/dl//modules/gpu?archive=zip"}
            )
        else:
            files.app = lambda request: (  # type: ignore[method-assign]
                Response(headers={"X-Terraform-Get": f"{files.url}/dl?archive=zip"})
                if request.path == "/page"
                else Response(body=_zip(GPU_MODULE))
            )
            routes[download] = Response(
                204, headers={"X-Terraform-Get": f"{files.url}/page//modules/gpu"}
            )
        with LoopbackServer(routes) as server:
            monkeypatch.setenv("COSTGATE_REGISTRY_OVERRIDES", f"{HOST}={server.url}")
            stack = read_input(root(tmp_path, f"{HOST}/acme/gpu/aws"))
    assert not stack.warnings
    assert_gpu_priced(stack, catalog)


def test_token_variable_names() -> None:
    from costgate.inputs.terraform.modules.registry import token_for

    environ = {"TF_TOKEN_my__registry_example_com": "a", "HOME": "/nonexistent"}
    assert token_for("my-registry.example.com", environ) == "a"
    assert token_for("myregistry.example.com", environ) is None
