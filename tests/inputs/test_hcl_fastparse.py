"""The hand-written HCL reader agrees with python-hcl2's grammar wherever it answers.

`fastparse` may decline any text (the grammar then parses it), but what it accepts must
give exactly the grammar path's `Body`, including numbers the grammar lexes oddly.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from costgate.errors import InputError
from costgate.inputs.hcl.fastparse import Unsupported, read_body, read_expression
from costgate.inputs.hcl.syntax import Body, Expr, _Converter, _parse_tree, parse_hcl
from tests.conftest import FIXTURES, REPO, SHARED

COMMON = [
    'a = 1\nb = 2.5\nc = 1e3\nd = true\ne = null\nf = "s"\n',
    'a = -1\nb = -1.5\nc = [1, -2.5]\nd = 1 * -1.5\ne = -0.5*2\nf = 1-2\ng = x -1\n',
    'a = x || y && z == w < v + u * t\nb = 1 + 2 + 3\nc = 10 % 3 / 2\nd = 1 == 2 != 3\n',
    'a = !x\nb = ! x.y\nc = -x[0]\nd = (-1)\ne = -(1)\nf = ((x))\ng = (x\n)\n',
    'a = x ? y : z ? w : v\nb = x ?\n1\n:\n2\nc = x ? 1 : -1\n',
    'a = x.y[0].z\nb = x.y.0\nc = x.true\nd = x[\n1\n]\ne = x-1\nf = x - 1\ng = x-1.5\n',
    'a = f()\nb = f( )\nc = f(\n)\nd = f(\n1,\n2,\n)\ne = f(x...)\nf = f(1 /* c */, 2)\n',
    'a = [ ]\nb = [\n1,\n2\n,\n]\nc = [\n # c\n 1, # d\n]\nd = [1,-2]\n',
    'a = { }\nb = {\n}\nc = {x: 1, y: 2}\nd = {\n  a = 1,\n  b = 2\n}\n'
    'e = {\n  a = 1\n  , b = 2\n}\n',
    'a = {"${x}" = 1}\nb = {(x) = 1}\nc = {x.y = 1}\nd = {x = 1 \n}\ne = {a = b + c\n d = 1}\n',
    'a = {\n x = 1 # c\n y = 2 // d\n}\nb = 1 # c\nc = 2 // d\n/* e */ d = 3\n',
    'a = "a\\nb\\"c${x}d$e%f"\nb = "${x ? "a" : "b"}"\nc = "\\u00e9"\nd = "line\nbreak"\n',
    'a = "${x}"\nb = "${-1}"\nc = ""\nd = "x${f(y, "z")}w"\n',
    'x {a = 1}\nx "y" z {\n}\nx\n{\n}\nb "l" { c = 1 }\nb "l" { c = 2 }\n',
    'for_each = x\nin = 1\nif = 2\ntrue = 3\n',
    'a = x\n\n\nb = 2\r\nc = 3\r\n',
    'a = [for x in y : x]\nb = [for i, x in y : x * i if x > 1]\nc = [\n  for x in y :\n  x\n]\n',
    'a = {for k, v in m : k => v}\nb = {for k, v in m : v => k... if k != ""}\n'
    'c = {\n  for x in y :\n  x.name => x\n  if x.on\n}\n',
    'a = x.*.y\nb = x[*].y[0].z\nc = x[*]\nd = aws_instance.web[*].id[count.index]\ne = x.*.0\n',
    'a = <<EOF\nhi ${x}\nEOF\nb = <<-EOT\n    indented\n      more\n    EOT\n'
    'c = jsonencode(<<J\n{"a": 1}\nJ\n)\nd = [<<X\nx\nX\n, 2]\n',
    'a = x[*].y[*].z\nb = x.*.y.*.z\nc = try(flatten(r.this[0].res[*].asg[*].name), [])\n',
    'a = "arn:$${aws:PrincipalTag/x}/y"\nb = "%%{x}${y}$${z}"\nc = "$$x"\n',
    'a = [{\n  t = "x"\n  c = <<-EOT\n    k: v\n  EOT\n}]\n'
    'b = x ? 1 : (\n  <<-EOT\n  y\n  EOT\n)\n',
    'resource "aws_instance" "web" {\n  count = var.n + 1\n  tags = merge(local.t, {\n'
    '    Name = "web-${count.index}"\n  })\n  root_block_device {\n    volume_size = 50\n  }\n}\n',
]
"""Constructs every real stack uses: the fast reader must take them (else it is no faster)."""

DECLINED = [
    'a=!-5', 'a = - -1', 'a = 1-2.5', 'a = 2-1.5', 'a = 1 -1e3', 'a = -1-2.5', 'a = x.0.1',
    'a = {for = 1}', 'a = { in = 1 }', 'a = x.for', 'a = {a = 1 b = 2}', 'a = 1 b = 2',
    'a = f(x\n...)', 'a = f(x,\n...)', 'a = [for x in y : x]', 'a = {for k, v in m : k => v}',
    'a = x\n  + 1', 'a = x\n? 1 : 2', 'a = x # c\n  # d\n  + 1', 'a = 1 /* x */ + 2',
    'a = "${\nx}"', 'a = "${x\n}"', 'a = "${a + b\n}"', 'a = [1 2]', 'a = "a" "b"',
        'a = provider::aws::f(1)', 'a = for_each', 'a = "$${x"', 'a = "$${\n}"', 'a = "%%{"',
    'a = "%{if x}y%{endif}"', 'a = "${~x~}"', 'a = 1\na = 2', 'a = "unterminated\n',
    'a = {', 'x {', 'x "y" {\n', '}', 'a = ', '= 1', 'a = 1 +', 'a = f(1', 'a = [1,',
    'a = x.', 'a = x[', 'a = x ? 1', 'a = \\"q\\"', 'a = $x', 'a = 1 & 2', 'a = é',
    'x "y" "z"\n', 'a = true.x', 'a = 1.5.x', 'a = {x = 1}.x', 'a = "${x}".y',
]
"""Edge cases: the fast reader may decline them, but whatever it answers must match."""


def _grammar(text: str) -> Body | InputError:
    try:
        tree = _parse_tree(text, "f.tf")
        return _Converter("f.tf", text.splitlines()).body(tree.children[0])
    except InputError as exc:
        return exc


def _fast(text: str) -> Body | None:
    try:
        return read_body(text + "\n", "f.tf")
    except Unsupported:
        return None


@pytest.mark.parametrize("text", COMMON)
def test_common_constructs_take_the_fast_reader_and_match_the_grammar(text: str) -> None:
    fast = _fast(text)
    assert fast is not None
    assert fast == _grammar(text)


@pytest.mark.parametrize("text", DECLINED + COMMON)
def test_edge_cases_are_declined_or_match_the_grammar(text: str) -> None:
    fast = _fast(text)
    if fast is not None:
        assert fast == _grammar(text)


def test_negative_numbers_follow_the_grammars_lexer() -> None:
    fast = _fast("a = -1\nb = -1.5\nc = -2e3\n")
    assert fast is not None
    exprs = {name: attr.expr for name, attr in fast.attributes.items()}
    assert exprs["a"] == ("unop", "-", ("lit", 1))
    assert str(exprs["b"][1]) == "-1.5" and exprs["b"][0] == "lit"
    assert exprs["c"] == ("lit", -2000)


def test_lines_of_attributes_and_blocks() -> None:
    text = '# lead\n\nresource "a" "b" {\n  x = 1\n\n  inner {\n    y = "${z}"\n  }\n}\nv = 2\n'
    fast = _fast(text)
    assert fast is not None and fast == _grammar(text)
    block = fast.blocks[0]
    assert (block.line, block.body.attributes["x"].line, block.body.blocks[0].line) == (3, 4, 6)
    assert fast.attributes["v"].line == 10


def test_expressions_inside_templates_and_json_strings() -> None:
    expr: Expr = read_expression('lookup(var.m, "k", 1) + 2', "f.tf.json")
    assert expr == ("binop", "+", ("call", "lookup", (("attr", ("var", "var"), "m"),
                                                    ("lit", "k"), ("lit", 1)), False),
                    ("lit", 2))
    with pytest.raises(Unsupported):
        read_expression("provider::aws::arn_parse(x)", "f.tf.json")


def _terraform_files() -> list[Path]:
    roots = [FIXTURES, SHARED, REPO / "docs", REPO / "examples"]
    return sorted(p for root in roots if root.is_dir() for p in root.rglob("*")
                  if p.name.endswith((".tf", ".tfvars")))


def test_every_terraform_file_here_reads_the_same_both_ways() -> None:
    files = _terraform_files()
    accepted = 0
    for path in files:
        text = path.read_text(encoding="utf-8")
        fast = _fast(text)
        if fast is not None:
            accepted += 1
            assert fast == _grammar(text), path
    assert accepted >= len(files) // 2 > 0


def test_the_benchmark_directory_reads_the_same_both_ways(tmp_path: Path) -> None:
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        from hcl_benchmark import generate
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    generate(tmp_path, files=3, per_file=4)
    for path in sorted(tmp_path.iterdir()):
        text = path.read_text()
        fast = _fast(text)
        assert fast is not None, path
        assert fast == _grammar(text), path


def test_a_number_the_grammar_cannot_read_is_a_syntax_error_with_its_place() -> None:
    with pytest.raises(InputError) as caught:
        parse_hcl("a = 1\nb = -1-2.5\n", "f.tf")
    assert caught.value.location == "2:5"
    assert "'-1-2.5' is not a number" in caught.value.message
