"""The Infracost parity benchmark's bookkeeping (benchmarks/infracost_parity.py): how a
golden row is classed, and that every row which does not agree is explained in the committed
reasons file, so the figures and their explanations cannot drift apart."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from benchmarks import infracost_parity as parity

USAGE_UNKNOWN = {
    "monthly_cost": "0.00",
    "unpriced_reason": "usage unknown: set storage_gb for x.y in a usage file (--usage)",
}


def test_usage_only_zero_rows_agree_apart_from_within1() -> None:
    assert parity.status(Decimal(0), USAGE_UNKNOWN) == "usage0"
    # another reason, or a golden with money in it, stays unpriced
    other = {**USAGE_UNKNOWN, "unpriced_reason": "no disk price for P10 in eastus"}
    assert parity.status(Decimal(0), other) == "unpriced"
    assert parity.status(Decimal("1.05"), USAGE_UNKNOWN) == "unpriced"
    assert parity.status(Decimal(0), {"monthly_cost": "0.00"}) == "within1"
    assert parity.status(Decimal(0), None) == "missing"


def test_within_bands() -> None:
    assert parity.status(Decimal("100"), {"monthly_cost": "101.00"}) == "within1"
    assert parity.status(Decimal("100"), {"monthly_cost": "101.01"}) == "within5"
    assert parity.status(Decimal("100"), {"monthly_cost": "94.99"}) == "off"


def test_golden_table_sums_components_and_skips_usage_rows(tmp_path: Path) -> None:
    golden = tmp_path / "x.golden"
    golden.write_text(
        "\n Name                          Monthly Qty  Unit   Monthly Cost \n"
        " aws_ebs_volume.a                                                 \n"
        " ├─ Storage (magnetic)                20  GB            $1.00    \n"
        " └─ I/O requests                       1  1M request    $0.05  * \n"
        " aws_ebs_volume.b                                                 \n"
        " └─ I/O requests     Monthly cost depends on usage: $0.05 per 1M request \n"
        " OVERALL TOTAL                                              $1.05 \n"
    )
    assert parity.golden_lines(golden) == {
        "aws_ebs_volume.a": [Decimal("1.00"), Decimal("0.05")],
        "aws_ebs_volume.b": [],
    }


def test_cost_rows_match_one_costgate_line_each_within_one_percent() -> None:
    resource = {
        "cost_lines": [
            {"monthly_cost": "73"},
            {"monthly_cost": "120"},  # pd-balanced boot disk where the golden has pd-standard
            {"monthly_cost": "2330.147736"},
        ]
    }
    golden = [Decimal("73.00"), Decimal("2330.15"), Decimal("48.00"), Decimal("0")]
    # 73 and 2,330.15 match; 48 has no line within 1 %; $0 rows are not counted
    assert parity.matched_lines(golden, resource) == 2
    # a costgate line matches one golden row only: two $73 rows, one $73 line
    assert parity.matched_lines([Decimal("73.00"), Decimal("73.00")], resource) == 1
    # costgate's amount is rounded to the cent, as the golden's is: 0.0049 is $0.00, 0.005 $0.01
    assert (
        parity.matched_lines([Decimal("0.01")], {"cost_lines": [{"monthly_cost": "0.0049"}]}) == 0
    )
    assert parity.matched_lines([Decimal("0.01")], {"cost_lines": [{"monthly_cost": "0.005"}]}) == 1
    assert parity.matched_lines([Decimal("5")], None) == 0


def test_check_names_unexplained_and_stale_rows() -> None:
    rows = {"aws/x": {"a.agrees": "within1", "a.zero": "usage0", "a.off": "off", "a.new": "off"}}
    reasons = {
        "aws/x": {
            "a.off": ("deliberate", "why"),
            "a.agrees": ("no-source", "fixed since"),
            "a.gone": ("no-source", "renamed"),
        },
        "aws/y": {},
    }
    counts, unexplained, stale = parity.check(rows, reasons)
    assert counts == {"aws/x": {"deliberate": 1}}
    assert unexplained == ["aws/x a.new (off)"]
    assert stale == [
        "aws/x a.agrees (within1, listed no-source)",
        "aws/x a.gone (not a golden resource)",
        "aws/y (not a benchmark directory)",
    ]


def test_committed_reasons_file_is_well_formed() -> None:
    reasons = parity.load_reasons(parity.REASONS_FILE)
    assert set(reasons) <= {
        f"{cloud}/{name}" for cloud, names in parity.DIRECTORIES.items() for name in names
    }
    categories = {category for rows in reasons.values() for category, _ in rows.values()}
    assert categories <= set(parity.CATEGORIES)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[]", "expected a mapping with a `reasons` mapping"),
        ("reasons: {aws/x: [a]}", "reasons.aws/x: expected address -> entry"),
        ("reasons: {aws/x: {a.b: {category: guess, reason: r}}}", "expected category one of"),
        ("reasons: {aws/x: {a.b: {category: deliberate}}}", "expected a one-line reason"),
        ("reasons: {aws/x: {a.b: {category: deliberate, reason: 'a\n\n  b'}}}", "one-line"),
        ("reasons: [", "cannot read"),
    ],
)
def test_malformed_reasons_file_is_a_clear_error(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "reasons.yaml"
    path.write_text(text)
    with pytest.raises(parity.ReasonsError, match=expected.replace("(", r"\(")) as error:
        parity.load_reasons(path)
    assert str(path) in str(error.value)


def test_details_list_the_rows_that_do_not_agree_with_their_reason() -> None:
    result = parity.Result(
        exit=0,
        error="",
        golden=3,
        counts=Counter({"within1": 1, "off": 1, "unpriced": 1}),
        rows={"a.ok": "within1", "a.off": "off", "a.new": "unpriced"},
        circular=0,
        reasons=Counter(),
        amounts={
            "a.ok": (Decimal("1.00"), "$1.00"),
            "a.off": (Decimal("10.00"), "$7.30"),
            "a.new": (Decimal("2.00"), "unpriced: no price"),
        },
        lines={"a.ok": (1, 1), "a.off": (3, 2), "a.new": (2, 0)},
    )
    text = parity.details("aws/x", result, {"a.off": ("deliberate", "the cloud's docs")})
    assert text.splitlines() == [
        "== aws/x",
        "  off      a.off: Infracost $10.00, costgate $7.30",
        "           deliberate: the cloud's docs",
        "  unpriced a.new: Infracost $2.00, costgate unpriced: no price",
        "           UNEXPLAINED: ",
    ]


def test_line_table_splits_cost_rows_by_how_their_resource_row_is_classed() -> None:
    result = parity.Result(
        exit=0,
        error="",
        golden=3,
        counts=Counter(),
        rows={"a.ok": "within1", "a.off": "off", "a.new": "unpriced"},
        circular=0,
        reasons=Counter(),
        amounts={},
        lines={"a.ok": (2, 1), "a.off": (3, 2), "a.new": (4, 0)},
    )
    table = parity.line_table({"aws/x": result}, {"aws/x": {"a.off": ("deliberate", "why")}})
    cells = [line.split() for line in table.splitlines()]
    # columns: all, agree, deliberate, no-source, not-offered, not-fetched, unexplained
    assert cells[1] == ["aws/x", "3/9", "1/2", "2/3", "0/0", "0/0", "0/0", "0/4"]
    assert cells[2] == ["total", "3/9", "1/2", "2/3", "0/0", "0/0", "0/0", "0/4"]
    assert cells[3][:3] == ["cost", "rows:", "3"] and "(33.3%)" in table


def test_extra_table_counts_rows_and_cost_rows_without_reasons() -> None:
    result = parity.Result(
        exit=0,
        error="",
        golden=2,
        counts=Counter({"off": 1, "unpriced": 1}),
        rows={"a.low": "off", "a.old": "unpriced"},
        circular=0,
        reasons=Counter(),
        amounts={},
        lines={"a.low": (1, 0), "a.old": (2, 1)},
    )
    lines = parity.extra_table({"azure/x": result}).splitlines()
    assert lines[0].startswith("other directories")
    # golden, within1, within5, off, unpriced, missing, usage0, cost rows, exit
    assert lines[2].split() == ["azure/x", "2", "0", "0", "1", "1", "0", "0", "1/3", "0"]


def test_not_fetched_rows_that_agree_are_not_stale_once_modules_are_initialised() -> None:
    rows = {"aws/x": {"module.m.a": "within1"}}
    reasons = {"aws/x": {"module.m.a": ("not-fetched", "registry module not fetched")}}
    assert parity.check(rows, reasons)[2] == ["aws/x module.m.a (within1, listed not-fetched)"]
    assert parity.check(rows, reasons, fetched=True)[2] == []
    # any other category that agrees is still stale
    other = {"aws/x": {"module.m.a": ("no-source", "why")}}
    assert parity.check(rows, other, fetched=True)[2] == [
        "aws/x module.m.a (within1, listed no-source)"
    ]


def test_a_directory_without_module_calls_is_measured_in_place(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text('resource "aws_instance" "a" {}\n')
    assert parity.initialised(tmp_path, tmp_path / "mirrors", tmp_path / "scratch") == tmp_path
