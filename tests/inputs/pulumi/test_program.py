"""Pulumi Python programs run under mocks; the three Pulumi inputs and Terraform agree."""

from __future__ import annotations

import json
import textwrap
import time
from decimal import Decimal
from pathlib import Path

import pytest

from costgate.errors import InputError
from costgate.inputs import read_input
from costgate.model import UNKNOWN, Action, Origin, PricedResource
from costgate.pricing.catalog import Catalog
from costgate.pricing.engine import price_resources
from costgate.usage import load_usage
from tests.conftest import FIXTURES

ML = FIXTURES / "pulumi" / "ml-training"
USAGE = FIXTURES / "usage.yml"


def project(
    tmp_path: Path,
    program: str,
    *,
    stacks: dict[str, str] | None = None,
    project_yaml: str = "name: demo\nruntime: python\n",
) -> Path:
    """A Pulumi project directory with *program* as its __main__.py."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "Pulumi.yaml").write_text(project_yaml)
    (tmp_path / "__main__.py").write_text(textwrap.dedent(program))
    for name, text in (stacks if stacks is not None else {"dev": "config: {}\n"}).items():
        (tmp_path / f"Pulumi.{name}.yaml").write_text(textwrap.dedent(text))
    return tmp_path


def read_error(path: Path) -> InputError:
    with pytest.raises(InputError) as err:
        read_input(path)
    return err.value


# -- the fixture program ------------------------------------------------------------------


@pytest.fixture(scope="module")
def program_stack():
    return read_input(ML)


def test_fixture_program_records_every_resource(program_stack) -> None:
    assert program_stack.format == "pulumi-program"
    res = {r.address: r for r in program_stack.resources}
    assert set(res) == {
        "aws_instance.trainer",
        "aws_ebs_volume.dataset",
        "aws_s3_bucket.checkpoints",
        "aws_iam_role.trainer",
        "aws_s3_bucket_lifecycle_configuration.checkpoints",
    }
    assert {(r.action, r.origin) for r in res.values()} == {(Action.CREATE, Origin.PULUMI_PROGRAM)}
    trainer = res["aws_instance.trainer"]
    assert trainer.attr("instance_type") == "p4d.24xlarge"  # from Pulumi.dev.yaml config
    assert (
        trainer.attr("instance_market_options", "spot_options", "spot_instance_type")
        == "persistent"
    )
    assert trainer.region == "us-east-1"  # aws:region
    assert dict(trainer.tags) == {  # aws:defaultTags under the resource's own tags
        "team": "nlp-research",
        "project": "llm-finetune",
        "environment": "development",
        "cost_center": "engineering-ml",
        "Name": "llm-trainer",
        "phase": "training",
        "experiment_id": "exp-2026-042",
    }
    assert trainer.source is not None and trainer.source.line == 15
    assert trainer.source.file.endswith("ml-training/__main__.py")
    rules = res["aws_s3_bucket_lifecycle_configuration.checkpoints"]
    assert rules.attr("bucket") is UNKNOWN  # the bucket's id, unknown in preview
    assert rules.references["bucket"] == ("aws_s3_bucket.checkpoints",)
    # an invoke (get_policy_document) has no cloud to answer it: costgate's placeholder
    # answer is built from the statements, and the report says it was mocked
    assert json.loads(res["aws_iam_role.trainer"].attr("assume_role_policy"))["Statement"] == [
        {"Effect": "Allow", "Action": ["sts:AssumeRole"]}
    ]
    assert any("aws:iam/getPolicyDocument" in w for w in program_stack.warnings)


def _priced(path: Path, catalog: Catalog) -> dict[str, PricedResource]:
    stack = read_input(path)
    return {
        p.resource.address: p for p in price_resources(stack.resources, catalog, load_usage(USAGE))
    }


def _summary(priced: PricedResource) -> tuple[object, ...]:
    r = priced.resource
    return (
        r.type,
        r.region,
        dict(r.tags),
        priced.unpriced_reason,
        priced.free,
        tuple((c.name, c.quantity, c.unit_price, c.price) for c in priced.cost_lines),
    )


def test_program_preview_and_export_price_the_same_and_match_terraform(catalog: Catalog) -> None:
    program = _priced(ML, catalog)
    preview = _priced(ML / "preview.json", catalog)
    export = _priced(ML / "export.json", catalog)
    terraform = _priced(ML / "terraform-plan.json", catalog)
    assert set(program) == set(preview) == set(export) == set(terraform)
    for address in program:
        assert (
            _summary(program[address]) == _summary(preview[address]) == _summary(export[address])
        ), address
        assert program[address].monthly_cost == terraform[address].monthly_cost, address

    def price(product: str, kind: str, service: str = "ec2") -> Decimal:
        return catalog.tiers("aws", service, product, "us-east-1", kind)[0].price

    hours = Decimal(730)
    trainer = price("p4d.24xlarge", "spot") * hours * Decimal("1.05") + 500 * price(
        "gp3", "storage", "ebs"
    )
    dataset = (
        1000 * price("gp3", "storage", "ebs")
        + 3000 * price("gp3", "iops", "ebs")
        + 125 * price("gp3", "throughput", "ebs")
    )
    # 9000 GB under checkpoints/: 30 d STANDARD, 30 d STANDARD_IA, 120 d GLACIER of 180 d
    bucket = (
        9000 * Decimal(30) / 180 * price("STANDARD", "storage", "s3")
        + 9000 * Decimal(30) / 180 * price("STANDARD_IA", "storage", "s3")
        + 9000 * Decimal(120) / 180 * price("GLACIER", "storage", "s3")
        + (Decimal(90000) / 180 * hours / 24 / 1000).quantize(Decimal("0.000001"))
        * (
            price("STANDARD_IA", "transition_requests", "s3")
            + price("GLACIER", "transition_requests", "s3")
        )
    )
    total = sum((p.monthly_cost for p in program.values()), Decimal(0))
    assert total == sum((p.monthly_cost for p in terraform.values()), Decimal(0))
    assert total == trainer + dataset + bucket


# -- stacks and config --------------------------------------------------------------------

PROGRAM_WITH_CONFIG = """
    import pulumi
    config = pulumi.Config()
    aws_config = pulumi.Config("aws")
    pulumi.CustomResource("aws:ebs/volume:Volume", "data", {
        "size": config.require_int("size"),
        "type": config.get("volumeType") or "gp3",
        "availabilityZone": aws_config.require("region") + "a",
        "tags": {"owner": config.require("owner"), "token": config.require_secret("token")},
    })
"""


def test_stack_file_selects_the_stack_and_config_is_merged(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        PROGRAM_WITH_CONFIG,
        project_yaml=textwrap.dedent("""\
        name: demo
        runtime:
          name: python
        config:
          owner:
            default: platform
          pulumi:tags:
            value:
              cost_center: ml-infra
        """),
        stacks={
            "dev": "config:\n  demo:size: 10\n  aws:region: eu-west-1\n  demo:token: t\n",
            "prod": "config:\n  demo:size: 500\n  aws:region: us-east-1\n"
            "  demo:token:\n    secure: v1:abcdef\n",
        },
    )
    assert "several stacks (Pulumi.dev.yaml, Pulumi.prod.yaml)" in read_error(root).message
    stack = read_input(root / "Pulumi.prod.yaml")
    [volume] = stack.resources
    assert (volume.attr("size"), volume.attr("availability_zone"), volume.region) == (
        500,
        "us-east-1a",
        "us-east-1",
    )
    assert dict(volume.tags) == {
        "cost_center": "ml-infra",
        "owner": "platform",
        "token": "costgate-cannot-decrypt-secrets",
    }
    assert any("demo:token cannot be decrypted" in w for w in stack.warnings)
    dev = read_input(root / "Pulumi.dev.yaml").resources[0]
    assert (dev.attr("size"), dev.region) == (10, "eu-west-1")


def test_explicit_provider_and_components(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        """
        import pulumi

        class Trainer(pulumi.ComponentResource):
            def __init__(self, name, provider):
                super().__init__("ml:index:Trainer", name)
                pulumi.CustomResource("aws:ec2/instance:Instance", f"{name}-vm", {
                    "instanceType": "g5.12xlarge",
                    "instanceMarketOptions": {"marketType": "spot"},
                }, opts=pulumi.ResourceOptions(parent=self, provider=provider))

        west = pulumi.ProviderResource("aws", "west", {
            "region": "us-west-2", "defaultTags": {"tags": {"team": "vision"}}})
        Trainer("gpu", west)
    """,
    )
    [vm] = read_input(root).resources
    assert (vm.address, vm.type, vm.region, dict(vm.tags)) == (
        "aws_instance.gpu-vm",
        "aws_instance",
        "us-west-2",
        {"team": "vision"},
    )
    assert vm.attr("instance_market_options", "market_type") == "spot"


def test_fractional_program_values_are_exact_decimals(tmp_path: Path, catalog: Catalog) -> None:
    # They were floats, so a 0.1 GB volume was priced as 0.1000000000000000055511151231...
    root = project(
        tmp_path,
        """
        import pulumi

        pulumi.ProviderResource("aws", "east", {"region": "us-east-1"})
        pulumi.CustomResource("aws:ebs/volume:Volume", "scratch", {
            "availabilityZone": "us-east-1a", "size": 0.1, "type": "gp3"})
    """,
    )
    [volume] = read_input(root).resources
    assert volume.attr("size") == Decimal("0.1") and isinstance(volume.attr("size"), Decimal)
    [priced] = price_resources((volume,), catalog, load_usage(None))
    gp3 = catalog.price("aws", "ebs", "gp3", "us-east-1", "storage")
    assert gp3 is not None
    assert priced.cost_lines[0].monthly_cost == Decimal("0.1") * gp3.price


# -- bad programs: exit 2 with the program's error, within the timeout ---------------------


def test_program_that_raises(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        """
        import pulumi

        sizes = {"small": 10}
        pulumi.CustomResource("aws:ebs/volume:Volume", "v", {"size": sizes["large"]})
    """,
    )
    err = read_error(root)
    assert err.message == "the Pulumi program failed under costgate's mocks: KeyError: 'large'"
    assert err.location == "__main__.py:5"


def test_program_importing_a_missing_package(tmp_path: Path) -> None:
    err = read_error(project(tmp_path, "import pulumi\nimport pulumi_doesnotexist\n"))
    assert "imports `pulumi_doesnotexist`, which is not installed" in err.message
    assert err.location == "__main__.py:2"


@pytest.mark.slow  # waits out a 3 s timeout
def test_program_that_loops_forever_is_stopped_at_the_timeout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COSTGATE_PULUMI_TIMEOUT", "3")
    root = project(
        tmp_path,
        """
        import subprocess, sys
        subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
        while True:
            pass
    """,
    )
    started = time.monotonic()
    err = read_error(root)
    assert "did not finish within 3 s and was stopped" in err.message
    assert time.monotonic() - started < 30  # stopped, not waited out


def test_program_that_kills_its_own_process(tmp_path: Path) -> None:
    err = read_error(
        project(
            tmp_path,
            """
        import os, sys
        print("giving up", file=sys.stderr)
        os._exit(7)
    """,
        )
    )
    assert "ended (exit code 7) without a result; last output: giving up" in err.message


def test_program_that_exits_with_a_status(tmp_path: Path) -> None:
    err = read_error(project(tmp_path, "import sys\nsys.exit(3)\n"))
    assert err.message == "the Pulumi program exited with status 3"


def test_program_with_a_syntax_error(tmp_path: Path) -> None:
    err = read_error(project(tmp_path, "import pulumi\ndef broken(:\n"))
    assert "SyntaxError" in err.message


def test_non_python_runtime_points_at_preview_json(tmp_path: Path) -> None:
    root = project(tmp_path, "", project_yaml="name: demo\nruntime: nodejs\n")
    err = read_error(root)
    assert "runtime 'nodejs' is not supported" in err.message
    assert "pulumi preview --json" in err.message


def test_missing_sdk_in_the_program_interpreter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    base = getattr(sys, "_base_executable", None)
    probe = Path(base) if base else None
    if probe is None or not probe.is_file():
        pytest.skip("no base interpreter outside the virtualenv")
    import subprocess

    has_pulumi = subprocess.run([str(probe), "-c", "import pulumi"], capture_output=True)
    if has_pulumi.returncode == 0:
        pytest.skip("the base interpreter has pulumi installed")
    monkeypatch.setenv("COSTGATE_PULUMI_PYTHON", str(probe))
    err = read_error(project(tmp_path, "import pulumi\n"))
    assert "the `pulumi` SDK cannot be imported by" in err.message


def test_project_without_stack_files_runs_with_project_config(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        """
        import pulumi
        pulumi.CustomResource("aws:ebs/volume:Volume", "v", {"size": 1})
    """,
        stacks={},
    )
    stack = read_input(root)
    assert [r.address for r in stack.resources] == ["aws_ebs_volume.v"]
    assert any("no Pulumi.<stack>.yaml" in w for w in stack.warnings)


def test_runner_output_is_state_shaped(tmp_path: Path) -> None:
    """The runner speaks the stack-export state shape (so one converter reads all three)."""
    import subprocess
    import sys

    from costgate.inputs.pulumi.program import RUNNER

    root = project(
        tmp_path,
        """
        import pulumi

        class Res(pulumi.CustomResource):  # what provider SDK classes look like
            def __init__(self, token, name, props):
                super().__init__(token, name, props)

        b = Res("aws:s3/bucket:Bucket", "b", {"tags": {"a": "1"}})
        Res("aws:s3/bucketPolicy:BucketPolicy", "p", {"bucket": b.id})
    """,
    )
    out = tmp_path / "out.json"
    request = {
        "program": str(root),
        "main": "__main__.py",
        "project": "demo",
        "stack": "dev",
        "config": {},
    }
    subprocess.run(
        [sys.executable, str(RUNNER), str(out)], input=json.dumps(request).encode(), check=True
    )
    states = json.loads(out.read_text())["resources"]
    assert [s["urn"] for s in states] == [
        "urn:pulumi:dev::demo::aws:s3/bucket:Bucket::b",
        "urn:pulumi:dev::demo::aws:s3/bucketPolicy:BucketPolicy::p",
    ]
    assert states[1]["inputs"] == {"bucket": "04da6b54-80e4-46f7-96ec-b56ff0331ba9"}
    assert states[1]["propertyDependencies"]["bucket"] == [states[0]["urn"]]
    assert states[1]["sourcePosition"] == "project:///__main__.py#9"


def test_pulumi_project_with_a_stray_tf_file_stays_pulumi(tmp_path: Path) -> None:
    # issue 17: any .tf file switched the project to Terraform mode; the stack read as $0.00
    root = project(
        tmp_path,
        """
        import pulumi_aws as aws
        aws.ec2.Instance("trainer", instance_type="p4d.24xlarge", ami="ami-1")
    """,
    )
    (root / "decoy.tf").write_text('resource "aws_s3_bucket" "b" {}\n')
    stack = read_input(root)
    assert stack.format == "pulumi-program"
    assert [r.type for r in stack.resources] == ["aws_instance"]
    assert any("decoy.tf is not read" in w for w in stack.warnings)


def test_the_program_sees_no_tokens_or_cloud_keys(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # issue 17: the child inherited the whole environment
    secrets = {
        "GITHUB_TOKEN": "ghs_x",
        "ACTIONS_ID_TOKEN_REQUEST_TOKEN": "oidc",
        "ACTIONS_ID_TOKEN_REQUEST_URL": "https://token",
        "AWS_SECRET_ACCESS_KEY": "aws",
        "AWS_ACCESS_KEY_ID": "AKIA",
        "AZURE_CLIENT_SECRET": "az",
        "GOOGLE_APPLICATION_CREDENTIALS": "/creds.json",
        "PULUMI_ACCESS_TOKEN": "pul-x",
        "PULUMI_CONFIG_PASSPHRASE": "pp",
    }
    for name, value in secrets.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("PULUMI_BACKEND_URL", "file://~")
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy:3128")
    monkeypatch.setenv("USER", "ci")  # gcp-py-network-component reads os.environ["USER"]
    seen = tmp_path / "env.json"
    root = project(
        tmp_path / "p",
        f"import json, os\njson.dump(dict(os.environ), open({str(seen)!r}, 'w'))\n",
    )
    read_input(root)
    env = json.loads(seen.read_text())
    assert not set(secrets) & set(env)
    assert env["PULUMI_BACKEND_URL"] == "file://~"
    assert env["HTTPS_PROXY"] == "http://proxy:3128"
    assert env["USER"] == "ci"
    assert "PATH" in env


def _dead(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return True
    return state in ("Z", "X")


@pytest.mark.slow  # waits out a 3 s timeout
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_a_grandchild_that_leaves_the_session_is_killed_at_the_timeout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # issue 17: a grandchild calling setsid() outlived the timeout
    monkeypatch.setenv("COSTGATE_PULUMI_TIMEOUT", "3")
    pids = tmp_path / "pids"
    escape = (
        "import os, time; os.setsid(); "
        f"open({str(pids)!r}, 'a').write(f'{{os.getpid()}}\\n'); time.sleep(600)"
    )
    quiet = "stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL"
    root = project(
        tmp_path / "p",
        f"""
        import subprocess, sys, time
        subprocess.Popen([sys.executable, "-c", {escape!r}], {quiet})
        subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
        while True:
            time.sleep(0.1)
    """,
    )
    err = read_error(root)
    assert "did not finish within 3 s" in err.message
    [pid] = [int(line) for line in pids.read_text().split()]
    deadline = time.monotonic() + 5
    while not _dead(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _dead(pid)


def test_the_programs_own_interpreter_needs_an_opt_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # issue 17: a PR's .venv/bin/python was executed
    monkeypatch.delenv("COSTGATE_PULUMI_PYTHON", raising=False)
    monkeypatch.delenv("COSTGATE_ALLOW_PROGRAM_INTERPRETER", raising=False)
    root = project(tmp_path / "p", "import pulumi\n")
    marker = tmp_path / "ran"
    fake = root / ".venv" / "bin" / "python"
    fake.parent.mkdir(parents=True)
    fake.write_text(f"#!/bin/sh\ntouch {marker}\nexit 1\n")
    fake.chmod(0o755)
    stack = read_input(root)
    assert not marker.exists()
    assert any("own interpreter" in w and "not used" in w for w in stack.warnings)
    from costgate.inputs import InputOptions

    with pytest.raises(InputError):
        read_input(root, options=InputOptions(allow_program_interpreter=True))
    assert marker.exists()


def _fake_python(path: Path, script: str) -> Path:
    path.parent.mkdir(parents=True)
    path.write_text(script)
    path.chmod(0o755)
    return path


def test_the_virtualenv_named_in_pulumi_yaml_runs_only_with_the_opt_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # issue 14: Pulumi.yaml's runtime.options.virtualenv is the program's interpreter
    import sys

    monkeypatch.delenv("COSTGATE_PULUMI_PYTHON", raising=False)
    monkeypatch.delenv("COSTGATE_ALLOW_PROGRAM_INTERPRETER", raising=False)
    root = project(
        tmp_path / "p",
        "import pulumi\n",
        project_yaml="name: demo\nruntime:\n  name: python\n  options:\n    virtualenv: envs/py\n",
    )
    marker = tmp_path / "ran"
    # a stand-in for the program's virtualenv: records that it ran, then runs the real one
    own = _fake_python(
        root / "envs" / "py" / "bin" / "python",
        f'#!/bin/sh\ntouch {marker}\nexec {sys.executable} "$@"\n',
    )
    stack = read_input(root)
    assert not marker.exists()
    used = [w for w in stack.warnings if "ran under" in w]
    assert len(used) == 1
    assert f"ran under costgate's Python {sys.executable}" in used[0]
    assert f"{own} (Pulumi.yaml's runtime.options.virtualenv) is not used" in used[0]
    from costgate.inputs import InputOptions

    allowed = read_input(root, options=InputOptions(allow_program_interpreter=True))
    assert marker.exists()
    assert [w for w in allowed.warnings if "ran under" in w] == [
        f"{root}: the program ran under its own interpreter {own} (Pulumi.yaml's "
        "runtime.options.virtualenv), as --allow-program-interpreter allows"
    ]


def test_a_declared_virtualenv_that_does_not_exist_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.delenv("COSTGATE_PULUMI_PYTHON", raising=False)
    root = project(
        tmp_path,
        "import pulumi\n",
        project_yaml="name: demo\nruntime:\n  name: python\n  options:\n    virtualenv: venv\n",
    )
    warnings = read_input(root).warnings
    assert any("names the virtualenv 'venv', which does not exist" in w for w in warnings)
    assert f"{tmp_path}: the program ran under costgate's Python {sys.executable}" in warnings


def test_toolchain_uv_uses_the_project_dot_venv(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("COSTGATE_PULUMI_PYTHON", raising=False)
    monkeypatch.delenv("COSTGATE_ALLOW_PROGRAM_INTERPRETER", raising=False)
    from costgate.inputs.pulumi.program import _program_venv_python

    own = _fake_python(tmp_path / ".venv" / "bin" / "python", "#!/bin/sh\nexit 1\n")
    assert _program_venv_python(tmp_path, {"toolchain": "uv"}) == (own, "toolchain uv", [])
    python, _, notes = _program_venv_python(tmp_path / "none", {"toolchain": "poetry"})
    assert python is None and "toolchain poetry" in notes[0]
