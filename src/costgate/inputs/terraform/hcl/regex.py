"""Regular expressions for `regex()`, `regexall()` and `replace()`, with bounded work.

Terraform matches with Go's RE2 engine: linear time, no backreferences or lookaround.
Python's `re` backtracks, so a pattern such as `(a+)+$` takes exponential time on a short
subject. Instead of a time budget (which would make the verdict depend on the runner's
speed), the pattern is checked before it runs, deterministically:

- backreferences and lookaround are rejected (RE2, hence Terraform, rejects them too);
- a variable repetition inside another one, or around an alternation, is rejected (the
  shapes that backtrack exponentially);
- what is left backtracks at most polynomially, degree the number of variable repetitions
  plus one (the search start): the subject may be at most `REGEX_WORK ** (1 / degree)`
  characters, and never more than `MAX_REGEX_SUBJECT`.
"""

from __future__ import annotations

import functools
import importlib
import re
from typing import Any

from costgate.inputs.terraform.hcl.evaluate import HclError, LimitExceeded
from costgate.limits import MAX_REGEX_PATTERN, MAX_REGEX_SUBJECT

REGEX_WORK = 10**7
"""Bound on backtracking steps: subject length ** (variable repetitions + 1)."""

_parser: Any = importlib.import_module("re._parser")
_REPEATS = {_parser.MAX_REPEAT, _parser.MIN_REPEAT, getattr(_parser, "POSSESSIVE_REPEAT", None)}
_REJECTED = {
    _parser.GROUPREF: "backreferences",
    _parser.GROUPREF_EXISTS: "conditional groups",
    _parser.ASSERT: "lookaround",
    _parser.ASSERT_NOT: "lookaround",
}


@functools.lru_cache(maxsize=256)
def compile_pattern(pattern: str) -> tuple[re.Pattern[str], int]:
    """The compiled pattern and its backtracking degree; HclError when it is rejected."""
    if len(pattern) > MAX_REGEX_PATTERN:
        raise LimitExceeded(
            f"a regular expression of {len(pattern):,} characters; the limit is "
            f"{MAX_REGEX_PATTERN:,}"
        )
    try:
        compiled = re.compile(pattern)
        tree = _parser.parse(pattern)
    except (re.error, RecursionError, OverflowError) as exc:
        raise HclError(f"invalid regular expression {pattern[:60]!r}: {exc}") from None
    return compiled, _degree(tree, pattern, inside_repeat=False) + 1


def _degree(items: Any, pattern: str, inside_repeat: bool) -> int:
    degree = 0
    for op, arg in items:
        if op in _REJECTED:
            raise HclError(
                f"regular expression {pattern[:60]!r} uses {_REJECTED[op]}, which Terraform's "
                "RE2 syntax does not have"
            )
        if op in _REPEATS:
            low, high, body = arg
            variable = low != high
            if variable and inside_repeat:
                _exponential(pattern)
            degree += int(variable) + _degree(body, pattern, inside_repeat or variable)
        elif op == _parser.SUBPATTERN:
            degree += _degree(arg[-1], pattern, inside_repeat)
        elif op == _parser.BRANCH:
            if inside_repeat:
                _exponential(pattern)
            degree += max(_degree(branch, pattern, inside_repeat) for branch in arg[1])
    return degree


def _exponential(pattern: str) -> None:
    raise LimitExceeded(
        f"regular expression {pattern[:60]!r} repeats a group that itself repeats or "
        "alternates, which can take exponential time; rewrite it without the nesting"
    )


def bounded_subject(compiled_degree: int, subject: str) -> str:
    """*subject*, unless matching it against a pattern of that degree could take too long."""
    longest = min(MAX_REGEX_SUBJECT, int(REGEX_WORK ** (1 / compiled_degree)))
    if len(subject) > longest:
        raise LimitExceeded(
            f"a regular expression with {compiled_degree - 1} variable repetitions is "
            f"matched against at most {longest:,} characters here, got {len(subject):,}"
        )
    return subject
