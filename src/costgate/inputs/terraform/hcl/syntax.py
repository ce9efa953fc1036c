"""HCL and Terraform JSON files -> blocks, attributes and expression trees.

The parse uses python-hcl2's Lark grammar (imported lazily: it is slow to load) and turns
its concrete tree into small tuples the evaluator walks quickly:

    ("lit", value)            ("tmpl", parts)              ("var", name)
    ("attr", obj, name)       ("index", obj, key)          ("splat", obj, steps)
    ("call", name, args, expand_last)                      ("tuple", items)
    ("object", ((key, value), ...))                        ("cond", test, yes, no)
    ("binop", op, left, right) ("unop", op, operand)
    ("fortuple", key_var, value_var, collection, value, condition)
    ("forobject", key_var, value_var, collection, key, value, group, condition)

Template parts are ("str", text), an expression, ("tif", test, then, else) or
("tfor", key_var, value_var, collection, body). Blocks keep their file and line, and the
`# costgate:` directives written inside them or on the comment lines directly above.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from costgate.errors import InputError
from costgate.inputs.terraform.hcl.evaluate import has_surrogate
from costgate.inputs.terraform.hcl.templates import build_template, split_template
from costgate.limits import (
    MAX_NESTING,
    NUMBER_LIMIT_TEXT,
    json_constant,
    json_number,
    number_too_large,
)

Expr = tuple[Any, ...]

_DIRECTIVE = re.compile(r"(?:#|//|/\*)\s*costgate:(.*?)\s*(?:\*/)?\s*$")
_COMMENT_LINE = re.compile(r"^\s*(#|//)")


@dataclass(frozen=True, slots=True)
class Attribute:
    """`name = expression` with where it was written."""

    name: str
    expr: Expr
    file: str
    line: int

    def __reduce__(self) -> tuple[Any, ...]:
        # pickled as a constructor call (see Body.__reduce__)
        return Attribute, (self.name, self.expr, self.file, self.line)


@dataclass(frozen=True, slots=True)
class Body:
    """The attributes and nested blocks of a block (or of a whole file); never mutated."""

    attributes: Mapping[str, Attribute] = field(default_factory=dict)
    blocks: tuple[Block, ...] = ()

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle as a constructor call: about twice as fast both ways as the generic state
        of slotted dataclasses, for the parse cache and the parse workers."""
        return Body, (self.attributes, self.blocks)


@dataclass(frozen=True, slots=True)
class Block:
    """`type "label" ... { body }` with where it starts and its costgate directives."""

    type: str
    labels: tuple[str, ...]
    body: Body
    file: str
    line: int
    directives: tuple[str, ...] = ()

    def __reduce__(self) -> tuple[Any, ...]:
        # pickled as a constructor call (see Body.__reduce__)
        return Block, (self.type, self.labels, self.body, self.file, self.line, self.directives)


@functools.cache
def _hcl2_module(name: str) -> Any:
    """A python-hcl2 module loaded from its file without running `hcl2/__init__.py`.

    The package's `__init__` imports its whole dump/load API (~0.13 s); costgate needs only
    the grammar, the post-lexer and one string helper, which import nothing but lark.
    """
    import importlib.util

    spec = importlib.util.find_spec("hcl2")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("python-hcl2 is not installed")
    path = Path(next(iter(spec.submodule_search_locations))) / f"{name}.py"
    module_spec = importlib.util.spec_from_file_location(f"costgate._hcl2_{name}", path)
    assert module_spec is not None and module_spec.loader is not None
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    return module


@functools.cache
def _parser() -> Any:
    """python-hcl2's parser: its grammar and post-lexer, as `hcl2.parser` builds them, less
    position propagation (tokens carry lines already). It decides every parse."""
    from lark import Lark

    postlexer = _hcl2_module("postlexer")
    return Lark.open(
        "hcl2.lark",
        rel_to=postlexer.__file__,
        parser="lalr",
        propagate_positions=False,
        postlex=postlexer.PostLexer(),
        cache=True,
    )


@functools.cache
def _fast_parser() -> Any | None:
    """The same grammar compiled by lark-cython (Lark's own C lexer and LALR parser), which
    parses about 30 % faster; None where it is not installed (no wheel for the platform).

    lark-cython cannot run a post-lexer. python-hcl2's only pass merges a newline into a
    following binary operator or `?`, which the grammar alone never accepts after a newline,
    so every text that needs the pass fails here and goes to `_parser()`; every other text
    gives the same tree (a test compares both over all fixture modules)."""
    try:
        import lark_cython  # type: ignore[import-untyped,unused-ignore]
    except ImportError:
        return None
    from lark import Lark

    postlexer = _hcl2_module("postlexer")
    return Lark.open(
        "hcl2.lark",
        rel_to=postlexer.__file__,
        parser="lalr",
        propagate_positions=False,
        _plugins=lark_cython.plugins,
        cache=True,
    )


def prepare_parser() -> None:
    """Build the parser now, so that forked parse workers inherit it."""
    if _fast_parser() is None:
        _parser()


def parse_hcl(text: str, file: str) -> Body:
    """Parse a `.tf` / `.tfvars` file into its top-level body with python-hcl2's grammar."""
    tree = _parse_tree(text, file)
    return _Converter(file, text.splitlines()).body(tree.children[0])


def parse_expression(text: str, file: str, line: int) -> Expr:
    """Parse one expression written inside a template or a JSON string."""
    tree = _parse_tree(f"__costgate__ = {text.strip()}\n", file, line_offset=line - 1)
    body = _Converter(file, []).body(tree.children[0])
    return body.attributes["__costgate__"].expr


def _parse_tree(text: str, file: str, line_offset: int = 0) -> Any:
    from lark.exceptions import (
        UnexpectedCharacters,
        UnexpectedEOF,
        UnexpectedInput,
        UnexpectedToken,
    )

    text += "\n"
    fast = _fast_parser()
    if fast is not None:
        try:
            return fast.parse(text)
        except Exception:  # python-hcl2's own parser decides, and words the errors
            pass
    try:
        return _parser().parse(text)
    except UnexpectedInput as exc:
        line = getattr(exc, "line", 0) or 0
        column = getattr(exc, "column", 0) or 0
        if isinstance(exc, UnexpectedToken):
            token = exc.token
            text = str(token).strip().split("\n")[0]
            what = "end of file" if token.type == "$END" else repr(text or token.type)
            line, column = token.line or line, token.column or column
            message = f"HCL syntax error: unexpected {what}{_expected(exc.expected)}"
        elif isinstance(exc, UnexpectedCharacters):
            message = f"HCL syntax error: unexpected character {exc.char!r}"
        elif isinstance(exc, UnexpectedEOF):
            message = "HCL syntax error: unexpected end of file (unclosed block or bracket?)"
        else:  # pragma: no cover - lark's hierarchy is closed
            message = f"HCL syntax error: {exc}"
        raise InputError(message, path=file, location=f"{line + line_offset}:{column}") from None
    except RuntimeError as exc:  # python-hcl2 raises this for malformed heredocs
        raise InputError(f"HCL syntax error: {exc}", path=file) from None


_EXPRESSION_START = {"INT_LITERAL", "FLOAT_LITERAL", "DBLQUOTE", "NAME", "LSQB"}
_PUNCTUATION = {
    "RBRACE": "}",
    "LBRACE": "{",
    "RSQB": "]",
    "LSQB": "[",
    "RPAR": ")",
    "LPAR": "(",
    "EQ": "=",
    "COMMA": ",",
    "COLON": ":",
    "DBLQUOTE": '"',
    "NL_OR_COMMENT": "a new line",
}


def _expected(tokens: set[str]) -> str:
    """What the grammar wanted, in words a Terraform author reads."""
    if _EXPRESSION_START & tokens:
        return "; expected an expression"
    names = sorted({_PUNCTUATION.get(t, t.lower()) for t in tokens if t.isupper()})
    return f"; expected {' or '.join(repr(n) for n in names[:5])}" if names else ""


def _tree_children(node: Any) -> list[Any]:
    """Child trees that carry meaning: no punctuation tokens, no newlines or comments."""
    return [
        c
        for c in node.children
        if getattr(c, "data", "new_line_or_comment") != "new_line_or_comment"
    ]


def _first_token(node: Any) -> Any:
    while hasattr(node, "children"):
        node = node.children[0]
    return node


class _Converter:
    """Lark tree of one file -> `Body` with expression tuples."""

    def __init__(self, file: str, lines: list[str]):
        self.file = file
        self.lines = lines
        self.depth = 0

    # -- structure ------------------------------------------------------------------------

    def body(self, node: Any) -> Body:
        attributes: dict[str, Attribute] = {}
        blocks: list[Block] = []
        for child in node.children:
            kind = getattr(child, "data", None)
            if kind == "attribute":
                name_node, expr_node = child.children[0], child.children[-1]
                name = self.name(name_node)
                line = _first_token(name_node).line
                if name in attributes:
                    raise InputError(
                        f"attribute {name!r} is defined twice (first on line "
                        f"{attributes[name].line})",
                        path=self.file,
                        location=str(line),
                    )
                attributes[name] = Attribute(name, self.expr(expr_node), self.file, line)
            elif kind == "block":
                blocks.append(self.block(child))
        return Body(attributes, tuple(blocks))

    def block(self, node: Any) -> Block:
        parts = node.children
        type_name = self.name(parts[0])
        labels: list[str] = []
        inner: Any = None
        for part in parts[1:]:
            kind = getattr(part, "data", None)
            if kind == "string":
                labels.append("".join(p[1] for p in self.template_parts(part) if p[0] == "str"))
            elif kind in ("identifier", "keyword", "literal_value"):
                labels.append(self.name(part))
            elif kind == "body":
                inner = part
        line = _first_token(parts[0]).line
        return Block(
            type_name,
            tuple(labels),
            self.body(inner),
            self.file,
            line,
            self.directives(inner, line),
        )

    def directives(self, body: Any, line: int) -> tuple[str, ...]:
        """`costgate:` comments on the lines directly above the block and inside its body."""
        found: list[str] = []
        above = line - 2
        while above >= 0 and _COMMENT_LINE.match(self.lines[above]):
            above -= 1
        for text in self.lines[above + 1 : line - 1]:
            if match := _DIRECTIVE.search(text):
                found.append(match.group(1))
        found.extend(self._comments(body))
        return tuple(found)

    def _comments(self, body: Any) -> list[str]:
        found: list[str] = []
        for child in body.children:
            kind = getattr(child, "data", None)
            if kind == "new_line_or_comment":
                for token in child.children:
                    for text in str(token).splitlines():
                        if "costgate:" in text and (match := _DIRECTIVE.search(text)):
                            found.append(match.group(1))
        return found

    def name(self, node: Any) -> str:
        return str(_first_token(node))

    # -- expressions ----------------------------------------------------------------------

    def expr(self, node: Any) -> Expr:
        handler = _EXPRESSION_RULES.get(node.data)
        if handler is None:  # pragma: no cover - every grammar rule is handled below
            raise InputError(
                f"unsupported HCL construct {node.data!r}",
                path=self.file,
                location=str(_first_token(node).line),
            )
        self.depth += 1
        if self.depth > _GRAMMAR_LEVELS * MAX_NESTING:
            raise InputError(
                f"expression nested too deeply (the limit is about {MAX_NESTING} levels)",
                path=self.file,
                location=str(_first_token(node).line),
            )
        try:
            result: Expr = handler(self, node)
        finally:
            self.depth -= 1
        return result

    def _expr_term(self, node: Any) -> Expr:
        return self.expr(_tree_children(node)[0])

    def _conditional(self, node: Any) -> Expr:
        test, yes, no = _tree_children(node)
        return ("cond", self.expr(test), self.expr(yes), self.expr(no))

    def _binary_op(self, node: Any) -> Expr:
        left, term = _tree_children(node)[:2]
        operator, right = _tree_children(term)[:2]
        # python-hcl2's post-lexer prefixes an operator that starts a line with that line
        # break (and any comment before it): the operator is the token's last word
        return ("binop", str(operator.children[0]).split()[-1], self.expr(left), self.expr(right))

    def _unary_op(self, node: Any) -> Expr:
        return ("unop", str(node.children[0]), self.expr(node.children[1]))

    def _int_lit(self, node: Any) -> Expr:
        token = node.children[0]
        return ("lit", int(self._number(Decimal(str(token)), token)))

    def _number(self, value: Decimal, token: Any) -> Decimal:
        """*value*, unless beyond the number limits (`1e1000000` would become a
        million-digit int; 4,300-digit literals do not convert at all)."""
        if number_too_large(value):
            text = str(token)
            shown = text if len(text) <= 20 else f"{text[:10]}...({len(text)} characters)"
            raise InputError(
                f"the number {shown} is out of range; {NUMBER_LIMIT_TEXT}",
                path=self.file,
                location=f"{token.line}:{token.column}",
            )
        return value

    def _float_lit(self, node: Any) -> Expr:
        token = node.children[0]
        try:
            value = Decimal(str(token))
        except ArithmeticError:  # the grammar's FLOAT_LITERAL also matches `-1-2.5`
            raise InputError(
                f"HCL syntax error: {str(token)!r} is not a number",
                path=self.file,
                location=f"{token.line}:{token.column}",
            ) from None
        self._number(value, token)
        return ("lit", int(value) if value == value.to_integral_value() else value)

    def _literal_value(self, node: Any) -> Expr:
        return ("lit", {"true": True, "false": False, "null": None}[str(node.children[0])])

    def _identifier(self, node: Any) -> Expr:
        return ("var", str(node.children[0]))

    def _keyword(self, node: Any) -> Expr:
        return ("var", str(node.children[0]))

    def _string(self, node: Any) -> Expr:
        return build_template(self.template_parts(node), self.file, by_line=False)

    def _template_string(self, node: Any) -> Expr:
        return ("lit", str(node.children[0])[2:-2])

    def _heredoc_template(self, node: Any) -> Expr:
        return self._heredoc(node, trim=False)

    def _heredoc_template_trim(self, node: Any) -> Expr:
        return self._heredoc(node, trim=True)

    def _heredoc(self, node: Any, trim: bool) -> Expr:
        token = node.children[0]
        text = str(token)
        first_newline = text.index("\n")
        lines = text[first_newline + 1 :].split("\n")
        while lines and lines[-1].strip() == "":
            lines.pop()
        content = lines[:-1]  # the last line is the closing marker
        if trim:
            indents = [len(x) - len(x.lstrip(" \t")) for x in content if x.strip()]
            cut = min(indents, default=0)
            content = [x[cut:] for x in content]
        body = "\n".join(content) + ("\n" if content else "")
        return build_template(split_template(body, self.file, token.line + 1), self.file)

    def _tuple(self, node: Any) -> Expr:
        return ("tuple", tuple(self.expr(c) for c in _tree_children(node)))

    def _object(self, node: Any) -> Expr:
        items = []
        for elem in _tree_children(node):
            key_node, value_node = _tree_children(elem)[:2]
            inner = _tree_children(key_node)
            if not inner:  # a bare keyword (`in = ...`)
                key: Expr = ("lit", self.name(key_node))
            else:
                key = self.expr(inner[0])
                parenthesized = any(
                    str(c) == "(" for c in inner[0].children if not hasattr(c, "data")
                )
                if key[0] == "var" and not parenthesized:  # a bare name is a literal key
                    key = ("lit", key[1])
            items.append((key, self.expr(value_node)))
        return ("object", tuple(items))

    def _function_call(self, node: Any) -> Expr:
        names = [self.name(c) for c in node.children if getattr(c, "data", None) == "identifier"]
        args_node = next(
            (c for c in node.children if getattr(c, "data", None) == "arguments"), None
        )
        args: tuple[Expr, ...] = ()
        expand = False
        if args_node is not None:
            args = tuple(self.expr(c) for c in _tree_children(args_node))
            expand = any(getattr(c, "type", None) == "ELLIPSIS" for c in args_node.children)
        return ("call", "::".join(names), args, expand)

    def _index_expr_term(self, node: Any) -> Expr:
        obj, index = _tree_children(node)
        return ("index", self.expr(obj), self._index_key(index))

    def _index_key(self, index: Any) -> Expr:
        if index.data == "short_index":
            return ("lit", int(str(index.children[1])))
        return self.expr(_tree_children(index)[0])

    def _get_attr_expr_term(self, node: Any) -> Expr:
        obj, get_attr = _tree_children(node)
        return ("attr", self.expr(obj), self.name(_tree_children(get_attr)[0]))

    def _attr_splat_expr_term(self, node: Any) -> Expr:
        obj, splat = _tree_children(node)
        return ("splat", self.expr(obj), self._splat_steps(splat))

    _full_splat_expr_term = _attr_splat_expr_term

    def _splat_steps(self, splat: Any) -> tuple[Expr, ...]:
        steps: list[Expr] = []
        for step in _tree_children(splat):
            if step.data == "get_attr":
                steps.append(("attr", self.name(_tree_children(step)[0])))
            else:
                steps.append(("index", self._index_key(step)))
        return tuple(steps)

    def _for_intro(self, node: Any) -> tuple[str | None, str, Expr]:
        trees = _tree_children(node)
        names = [self.name(t) for t in trees if t.data == "identifier"]
        collection = trees[-1]
        if len(names) == 2:
            return names[0], names[1], self.expr(collection)
        return None, names[0], self.expr(collection)

    def _for_cond(self, node: Any | None) -> Expr | None:
        return None if node is None else self.expr(_tree_children(node)[0])

    def _for_tuple_expr(self, node: Any) -> Expr:
        trees = _tree_children(node)
        key_var, value_var, collection = self._for_intro(trees[0])
        cond = next((t for t in trees if t.data == "for_cond"), None)
        return (
            "fortuple",
            key_var,
            value_var,
            collection,
            self.expr(trees[1]),
            self._for_cond(cond),
        )

    def _for_object_expr(self, node: Any) -> Expr:
        trees = _tree_children(node)
        key_var, value_var, collection = self._for_intro(trees[0])
        cond = next((t for t in trees if t.data == "for_cond"), None)
        group = any(getattr(c, "type", None) == "ELLIPSIS" for c in node.children)
        return (
            "forobject",
            key_var,
            value_var,
            collection,
            self.expr(trees[1]),
            self.expr(trees[2]),
            group,
            self._for_cond(cond),
        )

    # -- templates ------------------------------------------------------------------------

    def template_parts(self, node: Any) -> list[tuple[Any, ...]]:
        """The flat parts of a quoted string: literals, interpolations, directives."""
        process_escape_sequences = _hcl2_module("utils").process_escape_sequences

        parts: list[tuple[Any, ...]] = []
        for part in node.children:
            if getattr(part, "data", None) != "string_part":
                continue
            inner = part.children[0]
            kind = getattr(inner, "data", None)
            if kind is None:
                text = str(inner)
                if inner.type in ("ESCAPED_INTERPOLATION", "ESCAPED_DIRECTIVE"):
                    text = text[1:]
                else:
                    text = process_escape_sequences(text)
                parts.append(("str", no_surrogates(text, self.file, inner.line)))
            elif kind == "interpolation":
                parts.append(("interp", self.expr(_tree_children(inner)[0]), *_strips(inner)))
            elif kind == "template_if_start":
                parts.append(("if", self.expr(_tree_children(inner)[0]), *_strips(inner)))
            elif kind == "template_else":
                parts.append(("else", None, *_strips(inner)))
            elif kind == "template_endif":
                parts.append(("endif", None, *_strips(inner)))
            elif kind == "template_for_start":
                trees = _tree_children(inner)
                names = [self.name(t) for t in trees if t.data == "identifier"]
                key_var, value_var = (names[0], names[1]) if len(names) == 2 else (None, names[0])
                parts.append(("for", (key_var, value_var, self.expr(trees[-1])), *_strips(inner)))
            elif kind == "template_endfor":
                parts.append(("endfor", None, *_strips(inner)))
        return parts


_GRAMMAR_LEVELS = 3
"""Grammar rules per level of brackets (expr_term, the bracket rule, its items)."""


def no_surrogates(text: str, file: str, line: int | None) -> str:
    """*text*, unless it holds a lone surrogate (`"\\ud800"`): not a character, and no
    report format could encode it."""
    if has_surrogate(text):
        raise InputError(
            "a string holds a lone UTF-16 surrogate (\\ud800-\\udfff), which is not a character",
            path=file,
            location=str(line) if line else None,
        )
    return text


_EXPRESSION_RULES: dict[str, Any] = {
    name[1:]: method
    for name, method in vars(_Converter).items()
    if name.startswith("_") and not name.startswith("__")
}
"""Grammar rule name -> the `_Converter` method `_<rule>` that converts it."""


def _strips(node: Any) -> tuple[bool, bool]:
    """Whether a `~` strip marker follows the opening / precedes the closing brace."""
    tokens = [c for c in node.children if not hasattr(c, "data")]
    left = len(tokens) > 1 and tokens[1].type == "STRIP_MARKER"
    right = len(tokens) > 1 and tokens[-2].type == "STRIP_MARKER"
    return left, right


def reference_name(expr: Expr) -> str:
    """`aws.west` written as an expression (provider references) -> "aws.west"."""
    if expr[0] == "var":
        return str(expr[1])
    if expr[0] == "attr":
        return f"{reference_name(expr[1])}.{expr[2]}"
    if expr[0] == "lit" and isinstance(expr[1], str):
        return expr[1]
    raise ValueError("not a reference")


# -- Terraform JSON syntax --------------------------------------------------------------

_JSON_LABELS = {
    "resource": 2,
    "data": 2,
    "module": 1,
    "variable": 1,
    "output": 1,
    "provider": 1,
    "locals": 0,
    "terraform": 0,
}
_MAP_ATTRIBUTES = frozenset(
    {
        "tags",
        "tags_all",
        "labels",
        "environment",
        "variables",
        "metadata",
        "annotations",
        "triggers",
        "parameters",
        "default",
        "providers",
        "value",
        "default_tags_map",
    }
)
"""JSON object values under these names are maps, not nested blocks (JSON has no syntax
for the difference; Terraform uses the provider schema, costgate uses this list)."""


def _load_json_object(text: str, file: str) -> dict[str, Any]:
    try:
        doc = json.loads(
            text, parse_float=json_number, parse_int=json_number, parse_constant=json_constant
        )
    except json.JSONDecodeError as exc:
        raise InputError(
            f"not valid JSON: {exc.msg}", path=file, location=f"{exc.lineno}:{exc.colno}"
        ) from None
    except ValueError as exc:
        raise InputError(str(exc), path=file) from None
    if not isinstance(doc, dict):
        raise InputError("expected a JSON object at the top level", path=file)
    return doc


def parse_json(text: str, file: str) -> Body:
    """Parse a `.tf.json` file: strings are templates, nested objects become blocks."""
    return _JsonConverter(file, text).top(_load_json_object(text, file))


def parse_json_values(text: str, file: str) -> Body:
    """Parse a `.tfvars.json` file: every top-level key is a variable value."""
    converter = _JsonConverter(file, text)
    doc = _load_json_object(text, file)
    return Body(
        {
            key: Attribute(
                key, converter.value(value, converter.line_of(key)), file, converter.line_of(key)
            )
            for key, value in doc.items()
        }
    )


class _JsonConverter:
    def __init__(self, file: str, text: str):
        self.file = file
        self.text = text

    def line_of(self, *keys: str) -> int:
        """Line of the first occurrence of the keys in sequence (JSON keeps no positions)."""
        pos = 0
        for key in keys:
            found = self.text.find(json.dumps(key), pos)
            if found < 0:
                break
            pos = found
        return self.text.count("\n", 0, pos) + 1

    def top(self, doc: Mapping[str, Any]) -> Body:
        attributes: dict[str, Attribute] = {}
        blocks: list[Block] = []
        for block_type, content in doc.items():
            depth = _JSON_LABELS.get(block_type)
            if depth is None:
                continue
            for item in content if isinstance(content, list) else [content]:
                blocks.extend(self.labelled(block_type, item, depth, ()))
        return Body(attributes, tuple(blocks))

    def labelled(
        self, block_type: str, content: Any, depth: int, labels: tuple[str, ...]
    ) -> list[Block]:
        line = self.line_of(block_type, *labels)
        items = content if isinstance(content, list) else [content]
        if not all(isinstance(item, Mapping) for item in items):
            named = " ".join([block_type, *(f'"{label}"' for label in labels)])
            raise InputError(
                f"`{named}` must be a JSON object (or an array of objects), "
                f"got {json.dumps(content, default=str)[:60]}",
                path=self.file,
                location=str(line),
            )
        if depth == 0:
            return [self.block(block_type, labels, body, line) for body in items]
        out: list[Block] = []
        for item in items:
            for label, inner in item.items():
                out.extend(self.labelled(block_type, inner, depth - 1, (*labels, label)))
        return out

    def block(
        self, block_type: str, labels: tuple[str, ...], content: Mapping[str, Any], line: int
    ) -> Block:
        directives = tuple(
            m.group(1)
            for v in _as_list(content.get("//"))
            if isinstance(v, str) and (m := re.search(r"costgate:(.*)", v))
        )
        return Block(
            block_type, labels, self.body(content, line, block_type), self.file, line, directives
        )

    def body(self, content: Mapping[str, Any], line: int, block_type: str = "") -> Body:
        attributes: dict[str, Attribute] = {}
        blocks: list[Block] = []
        for key, value in content.items():
            if key == "//":
                continue
            nested = (
                block_type not in ("locals", "variable", "output", "module")
                and key not in (_MAP_ATTRIBUTES)
                and (
                    isinstance(value, Mapping)
                    or (
                        isinstance(value, list)
                        and value
                        and all(isinstance(v, Mapping) for v in value)
                    )
                )
            )
            if nested:
                for item in _as_list(value):
                    blocks.append(Block(key, (), self.body(item, line), self.file, line))
            else:
                attributes[key] = Attribute(key, self.value(value, line), self.file, line)
        return Body(attributes, tuple(blocks))

    def value(self, value: Any, line: int) -> Expr:
        if isinstance(value, str):
            no_surrogates(value, self.file, line)
            return build_template(split_template(value, self.file, line), self.file)
        if isinstance(value, list):
            return ("tuple", tuple(self.value(v, line) for v in value))
        if isinstance(value, Mapping):
            return ("object", tuple((("lit", k), self.value(v, line)) for k, v in value.items()))
        if isinstance(value, Decimal) and value == value.to_integral_value():
            return ("lit", int(value))
        return ("lit", value)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def parse_file(path: Path, display: str, data: bytes) -> Body:
    """Parse one `.tf`, `.tf.json`, `.tfvars` or `.tfvars.json` file from its bytes."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError("not a UTF-8 text file", path=display) from None
    try:
        if path.name.endswith(".tfvars.json"):
            return parse_json_values(text, display)
        if path.name.endswith(".json"):
            return parse_json(text, display)
        return parse_hcl(text, display)
    except RecursionError:
        raise InputError(
            f"nested too deeply (the limit is {MAX_NESTING} levels)", path=display
        ) from None


def relocate(body: Body, file: str) -> Body:
    """The same body attributed to another file name (a cached parse of identical text)."""
    return Body(
        {name: replace(attr, file=file) for name, attr in body.attributes.items()},
        tuple(replace(b, file=file, body=relocate(b.body, file)) for b in body.blocks),
    )
