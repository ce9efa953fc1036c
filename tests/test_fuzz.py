"""Mutated real inputs never crash costgate (exit 3) nor hang it (issue 17, item 2).

A fixed seed and a time budget: the same mutations every run, as many as fit in
BUDGET seconds, each read in-process (an expected error is fine, any other exception is
a bug). A case that runs longer than CASE_SECONDS fails the test.
"""

from __future__ import annotations

import random
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from costgate.errors import CostgateError
from costgate.inputs import InputOptions, read_input
from costgate.validation import load_yaml
from tests.conftest import FIXTURES, SHARED

BUDGET = 4.0
CASE_SECONDS = 10
SEED = 17
TOKENS = [
    b"1e999999",
    b"${",
    b"}",
    b"[",
    b"]",
    b"{",
    b'"',
    b"\\ud800",
    b"*a",
    b"&a ",
    b"count = 1e9",
    b'file("/proc/self/environ")',
    b"range(1e6)",
    b"NaN",
    b"\x00",
    b"\n",
]


def _seeds() -> list[Path]:
    roots = [FIXTURES, SHARED / "fixtures"]
    suffixes = (".tf", ".json", ".yml", ".yaml", ".tfvars")
    found = [p for root in roots if root.is_dir() for p in sorted(root.rglob("*"))]
    return [
        p for p in found if p.is_file() and p.name.endswith(suffixes) and p.stat().st_size < 200_000
    ]


def _mutate(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        at = rng.randrange(len(out) + 1)
        kind = rng.randrange(3)
        if kind == 0 and out:
            out[min(at, len(out) - 1)] = rng.randrange(256)
        elif kind == 1:
            out[at:at] = rng.choice(TOKENS)
        else:
            del out[at : at + rng.randint(1, 16)]
    return bytes(out)


class _Timeout(BaseException):
    """A BaseException, so that no `except Exception` in the code under test can turn the
    alarm into another error (a timed-out case must fail as a hang, not as a bug)."""


def _on_alarm(signum: int, frame: object) -> None:
    raise _Timeout


def _cases(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    rng = random.Random(SEED)
    seeds = _seeds()
    for n in range(10_000):
        seed = rng.choice(seeds)
        case = tmp_path / f"case{n}"
        case.mkdir()
        name = "main.tf" if seed.suffix == ".tf" else seed.name
        target = case / name
        target.write_bytes(_mutate(seed.read_bytes(), rng))
        yield seed, case if seed.suffix == ".tf" else target


@pytest.mark.skipif(not hasattr(signal, "SIGALRM"), reason="per-case timeout needs SIGALRM")
def test_mutated_inputs_give_expected_errors_only(tmp_path: Path) -> None:
    assert _seeds(), "no fixtures to mutate"
    deadline = time.monotonic() + BUDGET
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    ran = 0
    try:
        for seed, case in _cases(tmp_path):
            if time.monotonic() > deadline:
                break
            signal.alarm(CASE_SECONDS)
            try:
                if case.suffix in (".yml", ".yaml"):
                    load_yaml(case, "policy file")
                else:
                    read_input(case, options=InputOptions(unset_variables_unknown=True))
            except CostgateError:
                pass
            except _Timeout:
                pytest.fail(f"{case} (mutated from {seed}) ran over {CASE_SECONDS} s")
            finally:
                signal.alarm(0)
            ran += 1
    finally:
        signal.signal(signal.SIGALRM, previous)
    assert ran > 10
