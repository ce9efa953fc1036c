"""Malformed, truncated and wrong-type inputs: exit 2 with one paragraph naming the file
and the place, never a traceback (exit 3) and never a silent $0."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from costgate.cli import main
from tests.conftest import FIXTURES

TRAINING = str(FIXTURES / "terraform-plan" / "ml-training" / "plan.json")
USAGE = str(FIXTURES / "usage.yml")


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def assert_input_error(result: Result, *expected: str) -> None:
    """Exit 2, one paragraph, every expected fragment (file, location, problem) in it."""
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    message = result.output.strip()
    assert message.startswith("costgate: error: ") and "\n" not in message, message
    for fragment in expected:
        assert fragment in message, message


# -- YAML configuration files (policy, usage) ------------------------------------------------


@pytest.mark.parametrize("option", ["--policy", "--usage"])
def test_yaml_file_that_is_not_utf8(tmp_path: Path, option: str) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_bytes(b"\xff\xfe\x00version: 1")
    assert_input_error(run("check", TRAINING, option, str(bad)), str(bad), "not a UTF-8 text file")


@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf"])
def test_non_finite_numbers_in_a_policy_are_rejected_with_their_line(
    tmp_path: Path, value: str
) -> None:
    # NaN used to crash Decimal comparisons (exit 3); an infinite budget silently passed.
    policy = tmp_path / "policy.yml"
    policy.write_text(
        f"version: 1\nrules:\n  budget:\n    options:\n      monthly_limit: {value}\n"
    )
    assert_input_error(
        run("check", TRAINING, "--policy", str(policy)),
        f"{policy}:5:7",
        "/rules/budget/options/monthly_limit",
        "not a finite number",
    )


@pytest.mark.parametrize(
    ("entry", "where"),
    [
        ("    storage_gb: 1.0e+30\n", ":4:5"),
        (
            "    storage_gb: 10\n    class_usage:\n      STANDARD: {tier1_requests: 1.0e+300}\n",
            ":6:18",
        ),
        ("    storage_gb: 123456789012345678901234567890123456789\n", ":4:5"),
    ],
)
def test_a_huge_usage_figure_is_blamed_on_the_usage_file_not_the_plan(
    tmp_path: Path, entry: str, where: str
) -> None:
    # a usage number within the YAML limits (1e100) but too large to price once multiplied
    # by a rate used to be reported as a wrong-typed attribute of the plan file
    usage = tmp_path / "usage.yml"
    usage.write_text("version: 1\nresources:\n  aws_s3_bucket.checkpoints:\n" + entry)
    result = run("check", TRAINING, "--usage", str(usage))
    assert_input_error(result, f"{usage}{where}", "larger than")
    assert "plan.json" not in result.output


def test_non_finite_stored_gb_in_a_usage_file_is_rejected_with_its_line(tmp_path: Path) -> None:
    usage = tmp_path / "usage.yml"
    usage.write_text("version: 1\nresources:\n  aws_s3_bucket.checkpoints:\n    storage_gb: .nan\n")
    assert_input_error(
        run("check", TRAINING, "--usage", str(usage)), f"{usage}:4:5", "not a finite number"
    )


def test_self_referencing_yaml_alias_is_an_error_not_a_recursion_crash(tmp_path: Path) -> None:
    policy = tmp_path / "policy.yml"
    policy.write_text(
        "version: 1\nrules:\n  required-tags:\n    options:\n      tags: &t [a, *t]\n"
    )
    assert_input_error(
        run("policies", "validate", str(policy)),
        str(policy),
        "an alias refers to a node that contains it",
    )


def test_impossible_unquoted_expiry_date_is_located(tmp_path: Path) -> None:
    # PyYAML turned `2027-13-45` into a ValueError while constructing a date (exit 3).
    policy = tmp_path / "policy.yml"
    policy.write_text(
        "version: 1\nexemptions:\n  - resources: ['*']\n    rules: ['*']\n"
        "    reason: migration\n    expires: 2027-13-45\n"
    )
    assert_input_error(
        run("check", TRAINING, "--policy", str(policy)),
        f"{policy}:6:5",
        "'2027-13-45' is not a 'date'",
    )


def test_unquoted_expiry_date_works_like_a_quoted_one(tmp_path: Path) -> None:
    # `expires: 2099-06-30` (as people write YAML) used to fail: "datetime.date(...) is not
    # of type 'string'". It must exempt exactly like the quoted spelling.
    careless = str(FIXTURES / "terraform-plan" / "ml-careless" / "plan.json")
    outcomes = []
    for spelling in ("2099-06-30", '"2099-06-30"'):
        policy = tmp_path / "policy.yml"
        policy.write_text(
            "version: 1\nrules:\n  required-tags: {}\nexemptions:\n"
            "  - resources: ['*']\n    rules: [required-tags]\n"
            f"    reason: tagging lands next sprint\n    expires: {spelling}\n"
        )
        result = run("check", careless, "--usage", USAGE, "--policy", str(policy))
        outcomes.append((result.exit_code, result.output))
    assert outcomes[0] == outcomes[1]
    assert outcomes[0][0] == 0, outcomes[0][1]
    assert "exempted" in outcomes[0][1].lower()


# -- catalog files ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "command", [["check", TRAINING, "--catalog"], ["pricing", "show", "p4d.24xlarge", "--catalog"]]
)
def test_catalog_file_that_is_not_utf8(tmp_path: Path, command: list[str]) -> None:
    book = tmp_path / "book.json"
    book.write_bytes(b"\xff\xfe{}")
    assert_input_error(run(*command, str(book)), str(book), "not a UTF-8 text file")


def test_pricing_validate_reports_a_catalog_that_is_not_utf8(tmp_path: Path) -> None:
    book = tmp_path / "book.json"
    book.write_bytes(b"\xff\xfe{}")
    result = run("pricing", "validate", str(book))
    assert result.exit_code == 1, result.output
    assert f"{book}" in result.output and "not a UTF-8 text file" in result.output


# -- JSON input documents: the envelope each reader walks -------------------------------------


def _mutated(tmp_path: Path, source: Path, change: Any) -> str:
    doc = json.loads(source.read_text())
    change(doc)
    out = tmp_path / source.name
    out.write_text(json.dumps(doc))
    return str(out)


STATE = FIXTURES / "terraform-plan" / "ml-training" / "base-state.json"
PLAN = FIXTURES / "terraform-plan" / "ml-training" / "plan.json"
PREVIEW = FIXTURES / "pulumi" / "ml-training" / "preview.json"
EXPORT = FIXTURES / "pulumi" / "ml-training" / "export.json"


@pytest.mark.parametrize(
    ("source", "change", "expected"),
    [
        (STATE, lambda d: d["values"].update(root_module=None), ["/values/root_module"]),
        (
            STATE,
            lambda d: d["values"]["root_module"].update(resources=7),
            ["/values/root_module/resources", "not a list"],
        ),
        (
            STATE,
            lambda d: d["values"]["root_module"]["resources"].__setitem__(0, {}),
            ["/values/root_module/resources/0", "state resource is malformed"],
        ),
        (
            STATE,
            lambda d: d["values"]["root_module"]["resources"][0].update(type=None),
            ["/values/root_module/resources/0"],
        ),
        (
            STATE,
            lambda d: d["values"]["root_module"]["resources"][0].update(values=7),
            ["/values/root_module/resources/0"],
        ),
        (PLAN, lambda d: d.update(variables=7), ["`configuration` or `variables` is malformed"]),
        (PLAN, lambda d: d.update(variables={"region": 1}), ["`variables`"]),
        (PLAN, lambda d: d["configuration"].update(provider_config="x"), ["`configuration`"]),
        (PREVIEW, lambda d: d.update(steps=7), ["/steps", "`steps` is not a list"]),
        (
            PREVIEW,
            lambda d: d["steps"][1]["oldState"].update(provider="x"),
            ["/steps/1/oldState", "`provider`"],
        ),
        (
            PREVIEW,
            lambda d: d["steps"][1]["oldState"].update(propertyDependencies={"a": 1}),
            ["/steps/1/oldState", "propertyDependencies.a"],
        ),
        (
            EXPORT,
            lambda d: d["deployment"]["resources"][2].update(provider="x"),
            ["/deployment/resources/2", "`provider`"],
        ),
    ],
)
def test_malformed_json_inputs_name_the_place(
    tmp_path: Path, source: Path, change: Any, expected: list[str]
) -> None:
    path = _mutated(tmp_path, source, change)
    command = "diff" if source is PREVIEW else "check"
    assert_input_error(run(command, path, "--usage", USAGE), path, *expected)


# -- attribute values of the wrong type reach the pricers ------------------------------------


@pytest.mark.parametrize(
    ("attribute", "expected"),
    [
        (
            'instance_type = "t3.micro"\n  root_block_device {\n    volume_size = "big"\n  }',
            "should be a number",
        ),
        ('instance_type = { size = "large" }', "instance_type should be a string or number"),
        (
            'instance_type = "t3.micro"\n  ebs_block_device = "sdb"',
            "ebs_block_device should be a list of blocks, not 'sdb'",
        ),
    ],
)
def test_hcl_attribute_of_the_wrong_type_names_resource_file_and_line(
    tmp_path: Path, attribute: str, expected: str
) -> None:
    (tmp_path / "main.tf").write_text(
        'provider "aws" {\n  region = "us-east-1"\n}\n\n'
        f'resource "aws_instance" "box" {{\n  {attribute}\n}}\n'
    )
    assert_input_error(
        run("check", str(tmp_path)),
        f"{tmp_path}/main.tf:5",
        "aws_instance.box",
        "wrong type or shape",
        expected,
    )


def test_plan_attribute_of_the_wrong_type_names_the_resource(tmp_path: Path) -> None:
    def change(doc: dict[str, Any]) -> None:
        volume = next(c for c in doc["resource_changes"] if c["type"] == "aws_ebs_volume")
        volume["change"]["after"]["size"] = "1000 GB"

    path = _mutated(tmp_path, PLAN, change)
    assert_input_error(
        run("check", path, "--usage", USAGE), path, "aws_ebs_volume.dataset", "should be a number"
    )


# -- lifecycle days the cloud rejects ----------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "reason"),
    [
        ("expiration {\n      days = -5\n    }", "expiration after -5 days"),
        (
            'transition {\n      days = -1\n      storage_class = "GLACIER"\n    }\n'
            "    expiration {\n      days = 90\n    }",
            "transition to GLACIER after -1 days",
        ),
    ],
)
def test_negative_lifecycle_days_leave_the_bucket_unpriced_not_negative(
    tmp_path: Path, rule: str, reason: str
) -> None:
    # expiration days = -5 used to price 9,000 GB of STANDARD plus a -9,000 GB-month
    # "early deletion" line: a silent $0.00 bucket.
    (tmp_path / "main.tf").write_text(
        'provider "aws" {\n  region = "us-east-1"\n}\n'
        'resource "aws_s3_bucket" "checkpoints" {\n  bucket = "checkpoints"\n}\n'
        'resource "aws_s3_bucket_lifecycle_configuration" "c" {\n'
        "  bucket = aws_s3_bucket.checkpoints.id\n  rule {\n"
        f'    id     = "r"\n    status = "Enabled"\n    {rule}\n  }}\n}}\n'
    )
    usage = tmp_path / "usage.yml"
    usage.write_text("version: 1\nresources:\n  aws_s3_bucket.checkpoints:\n    storage_gb: 9000\n")
    result = run("breakdown", str(tmp_path), "--usage", str(usage), "--format", "json")
    assert result.exit_code == 0, result.output
    bucket = next(
        r
        for r in json.loads(result.output)["resources"]
        if r["address"] == "aws_s3_bucket.checkpoints"
    )
    assert bucket["cost_lines"] == []
    assert reason in bucket["unpriced_reason"]


# -- .tf.json blocks that are not objects -----------------------------------------------------


@pytest.mark.parametrize(
    "document",
    [
        '{"resource": {"aws_instance": 5}}',
        '{"resource": {"aws_instance": {"box": "t3.micro"}}}',
        '{"resource": "aws_instance"}',
    ],
)
def test_tf_json_block_that_is_not_an_object_is_an_error_not_zero_resources(
    tmp_path: Path, document: str
) -> None:
    # These used to be dropped silently: "0 resources", $0.00, PASS.
    (tmp_path / "main.tf.json").write_text(document)
    assert_input_error(
        run("check", str(tmp_path)), f"{tmp_path}/main.tf.json:1", "must be a JSON object"
    )


def test_parse_cache_key_changes_with_the_costgate_version(monkeypatch: pytest.MonkeyPatch) -> None:
    # A cached parse from an older costgate must not outlive a fix to what parsing accepts.
    import costgate
    from costgate.inputs.terraform.hcl.parsing import cache_key

    before = cache_key(b"a = 1\n")
    monkeypatch.setattr(costgate, "__version__", costgate.__version__ + ".post1")
    assert cache_key(b"a = 1\n") != before
    # ... and with python-hcl2's grammar, which decides what a file parses to
    from costgate.inputs.terraform.hcl import parsing

    monkeypatch.setattr(costgate, "__version__", costgate.__version__.removesuffix(".post1"))
    assert cache_key(b"a = 1\n") == before
    assert b"start" in parsing._version_tag()  # the grammar text is part of the key
    monkeypatch.setattr(parsing, "_version_tag", lambda: b"another grammar")
    assert cache_key(b"a = 1\n") != before


def test_a_number_the_hcl_grammar_cannot_read_is_a_syntax_error_with_its_place(
    tmp_path: Path,
) -> None:
    # python-hcl2's FLOAT_LITERAL also matches `-1-2.5`; it is not a number
    (tmp_path / "main.tf").write_text("locals {\n  a = 1\n  b = -1-2.5\n}\n")
    result = CliRunner().invoke(main, ["check", str(tmp_path)])
    assert result.exit_code == 2
    assert "'-1-2.5' is not a number" in result.output
    assert "main.tf:3:7" in result.output
    assert "Traceback" not in result.output


def test_a_pricer_bug_is_an_internal_error_naming_the_resource_not_an_input_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A pricer that fails on input it should handle is costgate's bug: exit 3, never 2."""
    from costgate.pricing import registry

    def broken(q: Any) -> None:
        raise TypeError("unsupported operand type(s) for *: 'Decimal' and 'NoneType'")

    monkeypatch.setitem(registry.PRICERS, "aws_instance", broken)
    result = run("check", str(PLAN), "--usage", USAGE)
    assert result.exit_code == 3, result.output
    assert "internal error" in result.output
    assert "aws_instance.trainer" in result.output and "TypeError" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("resource", "expected"),
    [
        (
            'resource "aws_ebs_volume" "scratch" {\n  availability_zone = "us-east-1a"\n'
            '  type = "gp3"\n  size = -409000\n}\n',
            "should be zero or more, not -409000",
        ),
        (
            'resource "aws_eks_node_group" "gpu" {\n  instance_types = ["p5.48xlarge"]\n'
            "  scaling_config {\n    desired_size = -4\n    min_size = 0\n    max_size = 8\n"
            "  }\n}\n",
            "scaling_config.desired_size should be zero or more, not -4",
        ),
    ],
)
def test_negative_sizes_and_counts_are_input_errors_not_negative_money(
    tmp_path: Path, resource: str, expected: str
) -> None:
    """Issue 17: `size = -409000` priced as negative money hid a GPU increase in a diff."""
    (tmp_path / "main.tf").write_text('provider "aws" {\n  region = "us-east-1"\n}\n\n' + resource)
    assert_input_error(run("check", str(tmp_path)), f"{tmp_path}/main.tf:5", expected)


def test_a_malformed_dependency_urn_in_a_stack_export_is_an_input_error(tmp_path: Path) -> None:
    """Found by the fuzz test: a dependency URN that is not one was a ValueError (exit 3)."""
    export = {
        "version": 3,
        "deployment": {
            "resources": [
                {
                    "urn": "urn:pulumi:dev::p::aws:ec2/instance:Instance::web",
                    "type": "aws:ec2/instance:Instance",
                    "inputs": {"instanceType": "t3.micro"},
                    "propertyDependencies": {"subnetId": ["urn:pulumi:dev::broken"]},
                }
            ]
        },
    }
    path = tmp_path / "stack.json"
    path.write_text(json.dumps(export))
    assert_input_error(run("breakdown", str(path)), str(path), "propertyDependencies.subnetId")


@pytest.mark.parametrize("kind", ["directory", "symlink", "fifo"])
def test_output_paths_that_are_not_regular_files_are_refused_not_replaced(
    tmp_path: Path, kind: str
) -> None:
    """Issue 17: `-o` to a directory was exit 3; to a symlink or FIFO it was replaced."""
    import os

    target = tmp_path / "report.txt"
    if kind == "directory":
        target.mkdir()
    elif kind == "symlink":
        (tmp_path / "elsewhere.txt").write_text("keep me")
        target.symlink_to(tmp_path / "elsewhere.txt")
    else:
        os.mkfifo(target)
    result = run("breakdown", str(PLAN), "--usage", USAGE, "-o", str(target))
    assert result.exit_code == 2, result.output
    assert "give the path of a regular file" in result.output
    assert kind != "symlink" or (target.is_symlink() and target.read_text() == "keep me")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_disk_on_stdout_is_an_error_not_a_bug() -> None:
    import subprocess
    import sys

    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "costgate", "breakdown", str(PLAN), "--usage", USAGE],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    assert done.returncode == 2, done.stderr
    assert "cannot write the report to stdout" in done.stderr
