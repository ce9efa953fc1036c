"""Bounded work in the HCL evaluator: each limit is exit 2 with file and line, quickly
(issue 17, item 2). Each case failed (exit 3, a hang or gigabytes) before."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from costgate.cli import main
from costgate.errors import InputError
from costgate.inputs import InputOptions, read_input
from tests.inputs.terraform.test_hcl import value_of, write


def exits_2_fast(directory: Path, within: float = 15.0) -> str:
    """Exit 2 naming the file, in bounded time: the bound guards against unbounded work
    (minutes to forever without the limits), not a speed target, so it is loose enough for
    a loaded CI machine."""
    started = time.monotonic()
    result = CliRunner().invoke(main, ["check", str(directory)])
    assert time.monotonic() - started < within
    assert result.exit_code == 2, result.output
    assert "main.tf" in result.output
    return result.output


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("1e1000000", "out of range"),
        ("9" * 4400, "out of range"),
        ("ceil(1e99 * 1e99)", "out of range"),
        ("pow(10, 1e9)", "pow() out of range"),
        ("pow(-8, 0.5)", "pow() out of range"),
        ('tonumber("1e999999")', "out of range"),
        ("range(100000)", "more than 1024 values"),
        ('format("%999999999d", 1)', "format width"),
        ('join(",", [for i in range(1000) : format("%2000d", i)])', "characters"),
        ('indent(99999999, "a\\nb")', "string of"),
        ('replace(format("%9999d", 1), " ", format("%9999d", 1))', "replace() could build"),
        ('regex("(a+)+$", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!")', "exponential time"),
        ('regexall("(x|xx)*y", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")', "exponential"),
        ('regex("[", "a")', "invalid regular expression"),
        ('regex("(a)\\\\1", "aa")', "backreferences"),
        ('regex(".*.*.*.*x", format("%5000s", "a"))', "variable repetitions"),
        ('upper("a", "b")', "upper() does not take 2 argument(s)"),
        ("length()", "length() does not take 0"),
        ('jsondecode("\\"\\\\ud800\\"")', "lone UTF-16 surrogate"),
        ('jsondecode("[NaN]")', "not a number"),
        ("[" * 300 + "1" + "]" * 300, "nested too deeply"),
        ("try(range(5000), [])", "more than 1024 values"),
    ],
)
def test_limits_are_input_errors(tmp_path: Path, expression: str, message: str) -> None:
    started = time.monotonic()
    with pytest.raises(InputError) as error:
        value_of(tmp_path, expression)
    assert time.monotonic() - started < 10.0  # unbounded work guard, not a speed target
    assert message in str(error.value)
    assert error.value.path is not None and error.value.path.endswith("main.tf")
    assert error.value.location is not None


def test_small_values_still_work(tmp_path: Path) -> None:
    assert value_of(tmp_path, "length(range(1024))") == 1024
    assert value_of(tmp_path, 'regex("^([a-z]+)-([0-9]+)$", "gpu-8")') == ("gpu", "8")
    assert value_of(tmp_path, "pow(2, 10) * 1e20") == 1024 * 10**20


def test_count_of_a_billion_exits_2_fast(tmp_path: Path) -> None:
    write(tmp_path, {"main.tf": 'resource "aws_instance" "a" {\n  count = 1e9\n}\n'})
    assert "10,000" in exits_2_fast(tmp_path)


def test_for_each_over_the_limit(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": 'resource "aws_instance" "b" {\n'
            "  for_each = merge([for a in range(200) : { for b in range(100) : "
            '"${a}-${b}" => b }]...)\n}\n'
        },
    )
    assert "20,000 instances" in exits_2_fast(tmp_path)


def test_a_lone_surrogate_in_tf_json(tmp_path: Path) -> None:
    write(tmp_path, {"main.tf.json": '{"locals": {"x": "\\ud800"}}'})
    with pytest.raises(InputError, match="lone UTF-16 surrogate"):
        read_input(tmp_path, options=InputOptions())


def test_module_count_times_resource_count_is_bounded(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": 'module "m" {\n  source = "./m"\n  count = 10000\n}\n',
            "m/main.tf": 'resource "aws_instance" "a" {\n  count = 10000\n}\n',
        },
    )
    assert "100,000" in exits_2_fast(tmp_path, within=10.0)


def test_a_module_that_calls_itself(tmp_path: Path) -> None:
    write(tmp_path, {"main.tf": 'module "again" {\n  source = "./"\n}\n'})
    assert "cannot call itself" in exits_2_fast(tmp_path)


def test_a_module_cycle_through_two_directories(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": 'module "a" {\n  source = "./a"\n}\n',
            "a/main.tf": 'module "b" {\n  source = "../b"\n}\n',
            "b/main.tf": 'module "a" {\n  source = "../a"\n}\n',
        },
    )
    with pytest.raises(InputError, match="cannot call itself"):
        read_input(tmp_path, options=InputOptions())


def test_deeply_nested_tf_json(tmp_path: Path) -> None:
    deep = '{"a":' * 5000 + "1" + "}" * 5000
    write(tmp_path, {"main.tf.json": '{"locals": {"x": ' + deep + "}}"})
    with pytest.raises(InputError, match="nested too deeply"):
        read_input(tmp_path, options=InputOptions())
