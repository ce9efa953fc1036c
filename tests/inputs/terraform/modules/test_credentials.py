"""Registry tokens found as Terraform finds them, and sent to their own host only."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from costgate.cli import main
from costgate.inputs import read_input
from costgate.inputs.terraform.modules.credentials import env_name, token_for
from costgate.pricing.catalog import Catalog
from tests.helpers.loopback import LoopbackServer, Response
from tests.inputs.terraform.modules.archives import GPU_MODULE, tar_gz
from tests.inputs.terraform.modules.test_fetch import HOST, assert_gpu_priced, registry, root

RC = 'credentials "registry.example.test" {\n  token = "from-rc"\n}\n'
JSON_FILE = {"credentials": {"registry.example.test": {"token": "from-json"}}}


def home_files(home: Path, rc: str | None = None, credentials: object = None) -> None:
    home.mkdir(parents=True, exist_ok=True)
    if rc is not None:
        (home / ".terraformrc").write_text(rc)
    if credentials is not None:
        (home / ".terraform.d").mkdir(exist_ok=True)
        (home / ".terraform.d" / "credentials.tfrc.json").write_text(json.dumps(credentials))


def test_env_name_is_terraforms_spelling() -> None:
    assert env_name("app.terraform.io") == "TF_TOKEN_app_terraform_io"
    assert env_name("My-Registry.example.com:443") == "TF_TOKEN_my__registry_example_com"


def test_precedence_environment_then_cli_config_then_credentials_file(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home_files(home, RC, JSON_FILE)
    environ = {"HOME": str(home)}
    assert token_for(HOST, {**environ, "TF_TOKEN_registry_example_test": "from-env"}) == (
        "from-env"
    )
    assert token_for(HOST, environ) == "from-rc"
    (home / ".terraformrc").unlink()
    assert token_for(HOST, environ) == "from-json"
    assert token_for("REGISTRY.example.test:443", environ) == "from-json"
    assert token_for("other.example.test", environ) is None


def test_tf_cli_config_file_replaces_terraformrc_and_may_be_json(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home_files(home, RC)
    config = tmp_path / "ci.tfrc.json"
    config.write_text(json.dumps({"credentials": {HOST: {"token": "from-tf-cli-config"}}}))
    environ = {"HOME": str(home), "TF_CLI_CONFIG_FILE": str(config)}
    assert token_for(HOST, environ) == "from-tf-cli-config"
    hcl = tmp_path / "ci.tfrc"
    hcl.write_text('plugin_cache_dir = "/tmp"\n' + RC.replace("from-rc", "from-hcl"))
    assert token_for(HOST, {**environ, "TF_CLI_CONFIG_FILE": str(hcl)}) == "from-hcl"


@pytest.mark.parametrize(
    "rc",
    [
        'credentials "registry.example.test" {\n  token = "tok-secret\n}\n',  # unterminated
        'credentials "registry.example.test" {\n  token = var.tok_secret\n}\n',
    ],
)
def test_an_unreadable_cli_config_is_a_note_without_the_token(tmp_path: Path, rc: str) -> None:
    home = tmp_path / "home"
    home_files(home, rc, JSON_FILE)
    notes: list[str] = []
    assert token_for(HOST, {"HOME": str(home)}, notes) == "from-json"
    [note] = notes
    assert ".terraformrc are not read" in note
    assert "secret" not in note


def test_a_fifo_as_credentials_file_does_not_hang(tmp_path: Path) -> None:
    import os

    home = tmp_path / "home"
    home.mkdir()
    os.mkfifo(home / ".terraformrc")
    notes: list[str] = []
    assert token_for(HOST, {"HOME": str(home)}, notes) is None
    assert "not a regular file" in notes[0]


def test_the_rc_token_reaches_the_registry_and_its_own_downloads_only(
    tmp_path: Path, online: Path, monkeypatch: pytest.MonkeyPatch, catalog: Catalog
) -> None:
    """A private registry serving its archives on its own host gets its token for them;
    a redirect from there to another host, and another host, get none."""
    home_files(tmp_path / "home", RC)
    with LoopbackServer({"/mirror/gpu.tgz": Response(body=tar_gz(GPU_MODULE))}) as other:
        routes = registry("/files/gpu.tgz//modules/gpu")
        routes["/files/gpu.tgz"] = Response(body=tar_gz(GPU_MODULE))
        routes["/v1/modules/acme/moved/aws/versions"] = routes["/v1/modules/acme/gpu/aws/versions"]
        routes["/v1/modules/acme/moved/aws/1.2.0/download"] = Response(
            204, headers={"X-Terraform-Get": "/files/moved.tgz//modules/gpu"}
        )
        routes["/files/moved.tgz"] = Response(
            302, headers={"Location": f"{other.url}/mirror/gpu.tgz"}
        )
        with LoopbackServer(routes) as server:
            monkeypatch.setenv("COSTGATE_REGISTRY_OVERRIDES", f"{HOST}={server.url}")
            stack = read_input(root(tmp_path / "a", f"{HOST}/acme/gpu/aws"))
            moved = read_input(root(tmp_path / "b", f"{HOST}/acme/moved/aws"))
    assert_gpu_priced(stack, catalog)
    assert_gpu_priced(moved, catalog)
    tokens = {r.path: r.headers.get("authorization") for r in server.requests}
    assert tokens == {
        "/.well-known/terraform.json": "Bearer from-rc",
        "/v1/modules/acme/gpu/aws/versions": "Bearer from-rc",
        "/v1/modules/acme/gpu/aws/1.2.0/download": "Bearer from-rc",
        "/files/gpu.tgz": "Bearer from-rc",
        "/v1/modules/acme/moved/aws/versions": "Bearer from-rc",
        "/v1/modules/acme/moved/aws/1.2.0/download": "Bearer from-rc",
        "/files/moved.tgz": "Bearer from-rc",
    }
    [followed] = other.requests
    assert "authorization" not in followed.headers


def test_a_token_never_appears_in_the_report(
    tmp_path: Path, online: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TF_TOKEN_registry_example_test", "s3cret-token")
    routes = registry("http://127.0.0.1:9/gone.tgz?token=s3cret-token")
    with LoopbackServer(routes) as server:
        monkeypatch.setenv("COSTGATE_REGISTRY_OVERRIDES", f"{HOST}={server.url}")
        directory = root(tmp_path, f"{HOST}/acme/gpu/aws")
        result = CliRunner().invoke(main, ["breakdown", str(directory), "--format", "json"])
    assert server.requests[0].headers["authorization"] == "Bearer s3cret-token"
    assert "fetching it failed: http://127.0.0.1:9/gone.tgz:" in result.output
    assert "s3cret" not in result.output
