"""A hand-written reader for the everyday subset of HCL, several times faster than the grammar.

python-hcl2's Lark grammar is exact but spends about 20 µs a token in pure Python, which was
most of a cold check. Nearly every file uses only blocks, attributes, literals, quoted
strings with `${}` interpolations, tuples, objects, function calls, attribute and index
access, and the operators. This reader handles exactly that and builds the same `Body` the
grammar path builds (`syntax._Converter`). Anything else — heredocs, template directives,
`for` expressions, splats, provider functions, keywords used as names inside expressions,
a line continued by a leading operator, `costgate:` comments, a repeated attribute, or any
syntax error — raises `Unsupported`, and the caller parses the text with the grammar
instead. So accepted input, results and error messages stay the grammar's; wherever this
reader is unsure it is stricter, never more lenient. `tests/inputs/test_hcl_fastparse.py`
compares both readers on every `.tf` file the tests and shared fixtures hold.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from decimal import Decimal
from typing import Any

from costgate.inputs.hcl.syntax import Attribute, Block, Body, Expr, _hcl2_module, heredoc
from costgate.inputs.hcl.templates import build_template


class Unsupported(Exception):
    """Left to the full grammar: a construct outside the subset, or malformed text."""


_TOKEN = re.compile(
    r"[ \t\r]*(?:"
    r"(?P<nl>(?:(?:\n|#[^\n]*\n|//[^\n]*\n|/\*[\s\S]*?\*/)[ \t\r]*)+)"
    r"|(?P<name>[a-zA-Z_][a-zA-Z0-9_-]*)"
    r"|(?P<num>[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)"
    r"|(?P<op>==|!=|<=|>=|&&|\|\||\.\.\.|=>|::|[-+*/%<>!?:=.,()\[\]{}\"~])"
    r")")
_NEGATIVE_FLOAT = re.compile(r"-[0-9]+(?:\.[0-9]+(?:[eE][+-]?[0-9]+)?|[eE][+-]?[0-9]+)")
"""The grammar lexes `-1.5` (not `-1`) as one number, even where an operator belongs."""
_HEREDOC = re.compile(
    r"<<(?P<heredoc>[a-zA-Z][a-zA-Z0-9._-]*)\r?\n(?:(?:.|\n)*?\r?\n)??\s*(?P=heredoc)\r?\n")
_HEREDOC_TRIM = re.compile(
    r"<<-(?P<heredoc_trim>[a-zA-Z][a-zA-Z0-9._-]*)\r?\n(?:(?:.|\n)*?\r?\n)??\s*"
    r"(?P=heredoc_trim)\r?\n")
"""The grammar's heredoc terminals, verbatim (they end with the newline after the marker)."""
_END = re.compile(r"[ \t\r]*\Z")
_CONTINUATION = re.compile(r"==|!=|&&|\|\||<(?!<)|[>*/%+?]")
"""python-hcl2's post-lexer joins a newline to a following binary operator or `?` (`<<`
starts a heredoc, not an operator)."""
_STRING_CHARS = re.compile(
    r"(?:(?!\$\$\{)(?!\$\{)(?!%%\{)(?!%\{)[^\"\\]|\\.|(?:\$(?!\$?\{))|(?:%(?!%?\{)))+")
"""The grammar's STRING_CHARS terminal, verbatim."""
_ESCAPED_MARKER = re.compile(r"\$\$\{[^}\"\n]*\}|%%\{[^}\"\n]*\}")
"""The grammar's ESCAPED_INTERPOLATION / ESCAPED_DIRECTIVE, minus quotes and newlines (left
to the grammar)."""
_KEYWORDS = frozenset({"if", "in", "for", "for_each", "else", "endif", "endfor"})
_LITERALS = {"true": True, "false": False, "null": None}
_PRECEDENCE = {"||": 1, "&&": 2, "==": 3, "!=": 3, "<": 4, ">": 4, "<=": 4, ">=": 4,
               "+": 5, "-": 5, "*": 6, "/": 6, "%": 6}


def read_body(text: str, file: str) -> Body:
    """The top-level body of *text* (which ends with a newline), or `Unsupported`."""
    return _Reader(text, file).body(closing=False)


def read_expression(text: str, file: str) -> Expr:
    """One expression (a template interpolation or JSON string), or `Unsupported`."""
    reader = _Reader(text + "\n", file)
    expr = reader.expression()
    if reader.kind == "nl":
        reader.advance()
    if reader.kind != "eof":
        raise Unsupported
    return expr


class _Reader:
    """Recursive descent over tokens lexed on demand; `kind`/`value` is the current token."""

    __slots__ = ("end", "file", "kind", "newlines", "start", "text", "value")

    def __init__(self, text: str, file: str):
        self.text = text
        self.file = file
        self.newlines: list[int] | None = None
        self.kind = ""
        self.value = ""
        self.start = self.end = 0
        self.lex(0)

    # -- tokens ---------------------------------------------------------------------------

    def lex(self, pos: int) -> None:
        match = _TOKEN.match(self.text, pos)
        if match is None:
            if _END.match(self.text, pos) is None:
                raise Unsupported
            self.kind, self.value, self.start, self.end = "eof", "", len(self.text), len(
                self.text)
            return
        kind = match.lastgroup
        assert kind is not None
        self.kind = kind
        self.value = match.group(kind)
        self.start = match.start(kind)
        self.end = match.end()
        if kind == "op" and self.value == "-":
            negative = _NEGATIVE_FLOAT.match(self.text, self.start)
            if negative is not None:
                self.kind, self.value, self.end = "num", negative.group(), negative.end()
        elif kind == "nl" and _CONTINUATION.match(self.text, self.end):
            raise Unsupported

    def advance(self) -> None:
        self.lex(self.end)

    def skip_nl(self) -> None:
        if self.kind == "nl":
            self.lex(self.end)

    def expect(self, op: str) -> None:
        if self.kind != "op" or self.value != op:
            raise Unsupported
        self.lex(self.end)

    def at(self, op: str) -> bool:
        return self.kind == "op" and self.value == op

    def line(self, pos: int) -> int:
        if self.newlines is None:
            self.newlines = [m.start() for m in re.finditer("\n", self.text)]
        return bisect_left(self.newlines, pos) + 1

    # -- structure ------------------------------------------------------------------------

    def body(self, closing: bool) -> Body:
        attributes: dict[str, Attribute] = {}
        blocks: list[Block] = []
        while True:
            if self.kind == "nl":
                self.advance()
            if self.kind == "eof":
                if closing:
                    raise Unsupported
                break
            if self.kind == "op" and self.value == "}":
                if not closing:
                    raise Unsupported
                break
            if self.kind != "name":
                raise Unsupported
            name, line = self.value, self.line(self.start)
            self.advance()
            if self.at("="):
                self.advance()
                if name in attributes:
                    raise Unsupported  # the grammar path reports it with both lines
                attributes[name] = Attribute(name, self.expression(), self.file, line)
            else:
                blocks.append(self.block(name, line))
            if self.kind not in ("nl", "eof") and not self.at("}") and not self.after_newline():
                raise Unsupported
        return Body(attributes, tuple(blocks))

    def after_newline(self) -> bool:
        """Whether the current token starts a line (a heredoc's token ends with its newline)."""
        i = self.start - 1
        while i >= 0 and self.text[i] in " \t\r":
            i -= 1
        return i >= 0 and self.text[i] == "\n"

    def block(self, type_name: str, line: int) -> Block:
        labels: list[str] = []
        while True:
            if self.kind == "name":
                labels.append(self.value)
                self.advance()
            elif self.at('"'):
                labels.append("".join(p[1] for p in self.string_parts() if p[0] == "str"))
            else:
                break
        self.skip_nl()
        self.expect("{")
        inner = self.body(closing=True)
        self.advance()  # the closing brace
        return Block(type_name, tuple(labels), inner, self.file, line)

    # -- expressions ----------------------------------------------------------------------

    def expression(self) -> Expr:
        test = self.binary(1)
        if self.kind != "op" or self.value != "?":
            return test
        self.advance()
        self.skip_nl()
        yes = self.expression()
        self.skip_nl()
        self.expect(":")
        self.skip_nl()
        return ("cond", test, yes, self.expression())

    def binary(self, lowest: int) -> Expr:
        left = self.unary()
        while self.kind == "op":
            operator = self.value
            precedence = _PRECEDENCE.get(operator)
            if precedence is None or precedence < lowest:
                break
            self.advance()
            self.skip_nl()
            left = ("binop", operator, left, self.binary(precedence + 1))
        return left

    def unary(self) -> Expr:
        if self.kind == "op" and self.value in ("-", "!"):
            operator = self.value
            self.advance()
            return ("unop", operator, self.term())
        return self.term()

    def term(self) -> Expr:
        node = self.primary()
        while self.kind == "op":
            if self.value == "." and self.text.startswith("*", self.end):
                self.lex(self.end + 1)
                node = ("splat", node, self.splat_steps())
            elif self.value == "[" and self.text.startswith("*]", self.end):
                self.lex(self.end + 2)
                node = ("splat", node, self.splat_steps())
            elif self.value == ".":
                self.advance()
                if self.kind == "name" and self.value not in _KEYWORDS:
                    node = ("attr", node, self.value)
                elif self.kind == "num" and self.value.isdigit():
                    node = ("index", node, ("lit", int(self.value)))
                else:
                    raise Unsupported  # splat, keyword or malformed
                self.advance()
            elif self.value == "[":
                self.advance()
                if self.at("*"):
                    raise Unsupported  # full splat
                self.skip_nl()
                key = self.expression()
                self.skip_nl()
                self.expect("]")
                node = ("index", node, key)
            else:
                break
        return node

    def splat_steps(self) -> tuple[Expr, ...]:
        """`.name`, `.0` and `[key]` steps after `.*` or `[*]` (all of them, as in the grammar;
        another splat starts a splat of this one)."""
        steps: list[Expr] = []
        while self.kind == "op":
            if self.value == ".":
                if self.text.startswith("*", self.end):
                    break
                self.advance()
                if self.kind == "name" and self.value not in _KEYWORDS:
                    steps.append(("attr", self.value))
                elif self.kind == "num" and self.value.isdigit():
                    steps.append(("index", ("lit", int(self.value))))
                else:
                    raise Unsupported
                self.advance()
            elif self.value == "[":
                if self.text.startswith("*]", self.end):
                    break
                self.advance()
                self.skip_nl()
                key = self.expression()
                self.skip_nl()
                self.expect("]")
                steps.append(("index", key))
            else:
                break
        return tuple(steps)

    def primary(self) -> Expr:
        kind, value = self.kind, self.value
        if kind == "name":
            if value in _LITERALS:
                self.advance()
                return ("lit", _LITERALS[value])
            if value in _KEYWORDS:
                raise Unsupported
            self.advance()
            if self.at("("):
                return self.call(value)
            return ("var", value)
        if kind == "num":
            self.advance()
            return _number(value)
        if kind != "op":
            raise Unsupported
        if value == '"':
            return build_template(self.string_parts(), self.file)
        if value == "(":
            self.advance()
            self.skip_nl()
            inner = self.expression()
            self.skip_nl()
            self.expect(")")
            return inner
        if value == "[":
            return self.tuple_expr()
        if value == "{":
            return self.object_expr()
        if value == "<":
            return self.heredoc()
        raise Unsupported  # a second unary operator, stray punctuation

    def heredoc(self) -> Expr:
        trim = self.text.startswith("<<-", self.start)
        match = (_HEREDOC_TRIM if trim else _HEREDOC).match(self.text, self.start)
        if match is None:
            raise Unsupported
        expr = heredoc(match.group(), self.line(self.start), trim, self.file)
        self.lex(match.end())
        return expr

    def call(self, name: str) -> Expr:
        self.advance()  # (
        self.skip_nl()
        args: list[Expr] = []
        expand = False
        while not self.at(")"):
            args.append(self.expression())
            if self.at("..."):
                expand = True
                self.advance()
                self.skip_nl()
                break
            self.skip_nl()
            if not self.at(","):
                break
            self.advance()
            self.skip_nl()
        self.expect(")")
        return ("call", name, tuple(args), expand)

    def tuple_expr(self) -> Expr:
        self.advance()  # [
        self.skip_nl()
        if self.kind == "name" and self.value == "for":
            return self.for_tuple()
        items: list[Expr] = []
        while not self.at("]"):
            items.append(self.expression())
            self.skip_nl()
            if not self.at(","):
                break
            self.advance()
            self.skip_nl()
        self.expect("]")
        return ("tuple", tuple(items))

    def object_expr(self) -> Expr:
        self.advance()  # {
        self.skip_nl()
        if self.kind == "name" and self.value == "for":
            return self.for_object()
        items: list[tuple[Expr, Expr]] = []
        while not self.at("}"):
            parenthesized = self.at("(")
            key = self.expression()
            if key[0] == "var" and not parenthesized:  # a bare name is a literal key
                key = ("lit", key[1])
            if not (self.at("=") or self.at(":")):
                raise Unsupported
            self.advance()
            items.append((key, self.expression()))
            separated = self.kind == "nl" or self.after_newline()  # a heredoc ends a line
            self.skip_nl()
            if self.at(","):
                separated = True
                self.advance()
                self.skip_nl()
            if not separated and not self.at("}"):
                raise Unsupported
        self.advance()  # }
        return ("object", tuple(items))

    def for_tuple(self) -> Expr:
        key_var, value_var, collection = self.for_intro()
        value = self.expression()
        self.skip_nl()
        condition = self.for_condition()
        self.expect("]")
        return ("fortuple", key_var, value_var, collection, value, condition)

    def for_object(self) -> Expr:
        key_var, value_var, collection = self.for_intro()
        key = self.expression()
        self.expect("=>")
        self.skip_nl()
        value = self.expression()
        self.skip_nl()
        group = self.at("...")
        if group:
            self.advance()
            self.skip_nl()
        condition = self.for_condition()
        self.expect("}")
        return ("forobject", key_var, value_var, collection, key, value, group, condition)

    def for_intro(self) -> tuple[str | None, str, Expr]:
        """`for k, v in collection :` -> (k or None, v, collection)."""
        self.advance()  # for
        self.skip_nl()
        names = [self.identifier()]
        if self.at(","):
            self.advance()
            names.append(self.identifier())
        self.skip_nl()
        if self.kind != "name" or self.value != "in":
            raise Unsupported
        self.advance()
        self.skip_nl()
        collection = self.expression()
        if collection[0] == "cond":
            raise Unsupported  # `? :` before the for's own `:`: leave it to the grammar
        self.skip_nl()
        self.expect(":")
        self.skip_nl()
        if len(names) == 2:
            return names[0], names[1], collection
        return None, names[0], collection

    def for_condition(self) -> Expr | None:
        if self.kind != "name" or self.value != "if":
            return None
        self.advance()
        self.skip_nl()
        condition = self.expression()
        self.skip_nl()
        return condition

    def identifier(self) -> str:
        if self.kind != "name" or self.value in _KEYWORDS or self.value in _LITERALS:
            raise Unsupported
        name = self.value
        self.advance()
        return name

    def string_parts(self) -> list[tuple[Any, ...]]:
        """The flat parts of the quoted string whose opening quote is the current token."""
        text = self.text
        pos = self.end
        parts: list[tuple[Any, ...]] = []
        while True:
            match = _STRING_CHARS.match(text, pos)
            if match is not None:
                raw = match.group()
                parts.append(("str", _unescape(raw) if "\\" in raw else raw))
                pos = match.end()
            if text.startswith('"', pos):
                self.lex(pos + 1)
                return parts
            escaped = _ESCAPED_MARKER.match(text, pos)
            if escaped is not None:  # `$${` / `%%{`: a literal part of its own, as in the grammar
                parts.append(("str", escaped.group()[1:]))
                pos = escaped.end()
                continue
            if not text.startswith("${", pos):
                raise Unsupported  # directives, or an unterminated string
            self.lex(pos + 2)
            expr = self.expression()
            if not self.at("}"):
                raise Unsupported
            parts.append(("interp", expr, False, False))
            pos = self.end


def _number(text: str) -> Expr:
    if text.isdigit():
        return ("lit", int(text))
    value = Decimal(text)
    return ("lit", int(value) if value == value.to_integral_value() else value)


def _unescape(text: str) -> str:
    result: str = _hcl2_module("utils").process_escape_sequences(text)
    return result
