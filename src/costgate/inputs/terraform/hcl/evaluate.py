"""Evaluate HCL expression trees (see `syntax`) to Python values.

Values: None, bool, int, Decimal (non-integral numbers), str, tuple (lists, tuples and
sets), dict (maps and objects), `Lazy` (resources, modules, locals: computed on first
use) and `UNKNOWN` for anything Terraform only knows after apply. Any operation on an
unknown operand is unknown: costgate never guesses a value.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from costgate.limits import (
    MAX_COLLECTION,
    MAX_STRING,
    NUMBER_LIMIT_TEXT,
    number_too_large,
)
from costgate.model import UNKNOWN, is_unknown

Expr = tuple[Any, ...]


class HclError(Exception):
    """An expression Terraform would reject; the caller adds file, line and expression."""


class EvalError(HclError):
    """A dynamic evaluation error (missing key, wrong type): `try` and `can` catch it."""


class LimitExceeded(HclError):
    """Input that asks for more work than `costgate.limits` allows; `try` cannot catch it
    (else `try(range(1e9), 0)` would still do the work)."""


class UnsupportedFunction(HclError):
    """A function costgate does not implement (or that does not exist); not catchable."""


class Lazy(ABC):
    """A value computed attribute by attribute on demand (locals, resources, modules)."""

    @abstractmethod
    def get(self, name: str) -> Any:
        """The attribute *name*; raise EvalError when there is none."""

    @abstractmethod
    def materialize(self) -> Any:
        """The whole value as plain dicts and tuples."""


class LazyList(Lazy):
    """A list computed on demand: `get` takes the index as a string, `materialize` gives
    the tuple (splats and `for` expressions iterate it)."""


class ComputedObject(dict[str, Any]):
    """A resource's nested block as a plain value (after a function such as `tolist` or
    `one` read it): the provider computes the attributes it does not set, so reading one
    (`tolist(aws_instance.x.ebs_block_device)[0].volume_id`) is unknown, not an error."""


class Context(Protocol):
    """What an expression can refer to: the names of one module instance."""

    def root(self, name: str) -> Any:
        """Value of a top-level name (`var`, `local`, `aws_instance`, `module`, ...)."""

    def call(self, name: str, args: list[Any]) -> Any:
        """Call a Terraform function."""


class Scope:
    """A context plus names bound by `count`, `for_each` and `for` expressions."""

    __slots__ = ("context", "names")

    def __init__(self, context: Context, names: dict[str, Any] | None = None):
        self.context = context
        self.names = names or {}

    def bind(self, **names: Any) -> Scope:
        """A child scope with more names bound."""
        return Scope(self.context, {**self.names, **names})

    def lookup(self, name: str) -> Any:
        if name in self.names:
            return self.names[name]
        return self.context.root(name)


# -- value helpers ---------------------------------------------------------------------------

_SCALARS = frozenset({str, int, bool, Decimal, type(None)})


def plain(value: Any) -> Any:
    """Resolve `Lazy` values recursively into dicts and tuples."""
    kind = type(value)
    if kind in _SCALARS:  # most leaves: skip the (slower) abstract-class check
        return value
    if kind is tuple:
        return tuple([plain(v) for v in value])
    if isinstance(value, Lazy):
        return plain(value.materialize())
    if isinstance(value, dict):
        out = {k: plain(v) for k, v in value.items()}
        return ComputedObject(out) if isinstance(value, ComputedObject) else out
    if isinstance(value, tuple):
        return tuple(plain(v) for v in value)
    return value


def has_unknown(value: Any) -> bool:
    """True when *value* is unknown or contains an unknown anywhere."""
    if is_unknown(value):
        return True
    if isinstance(value, dict):
        return any(has_unknown(v) for v in value.values())
    if isinstance(value, tuple):
        return any(has_unknown(v) for v in value)
    return False


def number(value: Any) -> Decimal:
    """A number operand (numeric strings convert, as in Terraform)."""
    if isinstance(value, bool) or value is None:
        raise EvalError(f"a number is required, got {type_name(value)}")
    if isinstance(value, int):
        return checked(Decimal(value))
    if isinstance(value, Decimal):
        return checked(value)
    if isinstance(value, str):
        if len(value) > 2 * MAX_COLLECTION:
            raise LimitExceeded(f"a number string of {len(value)} characters; {NUMBER_LIMIT_TEXT}")
        try:
            return checked(Decimal(value.strip()))
        except InvalidOperation:
            raise EvalError(f"a number is required, got string {value[:40]!r}") from None
    raise EvalError(f"a number is required, got {type_name(value)}")


def checked(value: Decimal) -> Decimal:
    """*value*, unless it is beyond the number limits (a limit error, never a huge int)."""
    if number_too_large(value):
        raise LimitExceeded(f"the number {value:.3} is out of range; {NUMBER_LIMIT_TEXT}")
    return value


_SURROGATE = re.compile("[\ud800-\udfff]")


def has_surrogate(text: str) -> bool:
    """True when *text* holds a lone UTF-16 surrogate: not a character, and no report
    format can encode it."""
    return _SURROGATE.search(text) is not None


def check_size(value: Any) -> Any:
    """*value*, unless it is a string or collection beyond the size limits."""
    if isinstance(value, str) and len(value) > MAX_STRING:
        raise LimitExceeded(
            f"a string of {len(value):,} characters; strings are limited to {MAX_STRING:,}"
        )
    if isinstance(value, (tuple, list, dict)) and len(value) > MAX_COLLECTION:
        raise LimitExceeded(
            f"a collection of {len(value):,} elements; collections are limited to "
            f"{MAX_COLLECTION:,}"
        )
    return value


def tidy(value: Decimal) -> int | Decimal:
    """Whole numbers as int (as in plan JSON), others as Decimal."""
    checked(value)
    if value == value.to_integral_value():
        return int(value)
    return value.normalize()


def boolean(value: Any) -> bool:
    """A bool operand (`"true"` / `"false"` strings convert)."""
    if isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return bool(value == "true")
    raise EvalError(f"a bool is required, got {type_name(value)}")


def string(value: Any) -> str:
    """A value as it appears inside a string template."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if value is None:
        raise EvalError("a null value cannot be used in a string template")
    raise EvalError(f"a {type_name(value)} cannot be used where a string is required")


def type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, Decimal)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, tuple):
        return "list"
    return "object"


def get_attr(obj: Any, name: str) -> Any:
    if is_unknown(obj):
        return UNKNOWN
    if isinstance(obj, Lazy):
        return obj.get(name)
    if isinstance(obj, dict):
        if name in obj:
            return obj[name]
        if isinstance(obj, ComputedObject):
            return UNKNOWN
        raise EvalError(f"this object has no attribute {name!r}")
    if obj is None:
        raise EvalError(f"cannot read attribute {name!r} of a null value")
    raise EvalError(f"cannot read attribute {name!r} of a {type_name(obj)} (use [*] for a list)")


def get_index(obj: Any, key: Any) -> Any:
    if is_unknown(obj) or is_unknown(key):
        return UNKNOWN
    if isinstance(obj, Lazy):
        return obj.get(string(key))
    if isinstance(obj, tuple):
        position = number(key)
        if position != position.to_integral_value() or not 0 <= position < len(obj):
            raise EvalError(f"index {key} is out of range for a list of {len(obj)}")
        return obj[int(position)]
    if isinstance(obj, dict):
        name = string(key)
        if name in obj:
            return obj[name]
        raise EvalError(f"the map has no key {name!r}")
    if obj is None:
        raise EvalError("cannot index a null value")
    raise EvalError(f"cannot index a {type_name(obj)}")


def iterate(collection: Any) -> Iterator[tuple[Any, Any]]:
    """(key, value) pairs: list positions, or map keys in lexical order."""
    if isinstance(collection, Lazy):
        collection = collection.materialize()
    if isinstance(collection, tuple):
        return iter(enumerate(collection))
    if isinstance(collection, dict):
        return iter(sorted(collection.items()))
    raise EvalError(f"cannot iterate over a {type_name(collection)}")


def equal(a: Any, b: Any) -> bool:
    if isinstance(a, bool) != isinstance(b, bool):
        return False
    same: bool = plain(a) == plain(b)
    return same


# -- the evaluator ---------------------------------------------------------------------------


def evaluate(expr: Expr, scope: Scope) -> Any:
    """Value of *expr* in *scope*."""
    return _HANDLERS[expr[0]](expr, scope)


def _lit(expr: Expr, scope: Scope) -> Any:
    return expr[1]


def _var(expr: Expr, scope: Scope) -> Any:
    return scope.lookup(expr[1])


def _attr(expr: Expr, scope: Scope) -> Any:
    return get_attr(evaluate(expr[1], scope), expr[2])


def _index(expr: Expr, scope: Scope) -> Any:
    return get_index(evaluate(expr[1], scope), evaluate(expr[2], scope))


def _splat(expr: Expr, scope: Scope) -> Any:
    source = evaluate(expr[1], scope)
    if isinstance(source, LazyList):
        source = source.materialize()
    if is_unknown(source):
        return UNKNOWN
    if source is None:
        return ()
    items = source if isinstance(source, tuple) else (source,)
    out = []
    for item in items:
        for step in expr[2]:
            item = (
                get_attr(item, step[1])
                if step[0] == "attr"
                else get_index(item, evaluate(step[1], scope))
            )
        out.append(item)
    return tuple(out)


def _tuple(expr: Expr, scope: Scope) -> Any:
    return tuple(evaluate(item, scope) for item in expr[1])


def _object(expr: Expr, scope: Scope) -> Any:
    out: dict[str, Any] = {}
    unknown_key = False
    for key_expr, value_expr in expr[1]:
        key = evaluate(key_expr, scope)
        if is_unknown(key):
            unknown_key = True
            continue
        out[string(key)] = evaluate(value_expr, scope)
    return UNKNOWN if unknown_key else out


def _cond(expr: Expr, scope: Scope) -> Any:
    test = evaluate(expr[1], scope)
    if is_unknown(test):
        return UNKNOWN
    return evaluate(expr[2] if boolean(test) else expr[3], scope)


def _arith(op: Callable[[Decimal, Decimal], Decimal]) -> Callable[[Any, Any], Any]:
    def apply(a: Any, b: Any) -> Any:
        try:
            return tidy(op(number(a), number(b)))
        except ArithmeticError as exc:  # decimal.Overflow, InvalidOperation
            raise LimitExceeded(f"arithmetic out of range ({type(exc).__name__})") from None

    return apply


def _divide(a: Decimal, b: Decimal) -> Decimal:
    if b == 0:
        raise EvalError("division by zero")
    return a / b


def _modulo(a: Decimal, b: Decimal) -> Decimal:
    if b == 0:
        raise EvalError("modulo by zero")
    return a % b


_OPERATORS: dict[str, Callable[[Any, Any], Any]] = {
    "+": _arith(lambda a, b: a + b),
    "-": _arith(lambda a, b: a - b),
    "*": _arith(lambda a, b: a * b),
    "/": _arith(_divide),
    "%": _arith(_modulo),
    "<": lambda a, b: number(a) < number(b),
    ">": lambda a, b: number(a) > number(b),
    "<=": lambda a, b: number(a) <= number(b),
    ">=": lambda a, b: number(a) >= number(b),
    "==": equal,
    "!=": lambda a, b: not equal(a, b),
}


def _binop(expr: Expr, scope: Scope) -> Any:
    op = expr[1]
    left = evaluate(expr[2], scope)
    right = evaluate(expr[3], scope)
    if op in ("&&", "||"):
        decisive = op == "||"  # true decides ||, false decides &&
        known = [boolean(v) for v in (left, right) if not is_unknown(v)]
        if decisive in known:
            return decisive
        return UNKNOWN if len(known) < 2 else not decisive
    if is_unknown(left) or is_unknown(right):
        return UNKNOWN
    if op in ("==", "!=") and (has_unknown(left) or has_unknown(right)):
        same = _equal_where_known(plain(left), plain(right))
        return same if is_unknown(same) else same == (op == "==")
    return _OPERATORS[op](left, right)


def _equal_where_known(a: Any, b: Any) -> Any:
    """`a == b` when a value holds unknowns: known when the known parts already decide it, as
    Terraform does (`var.volumes != null` is true for a map whose values are only known after
    apply; objects with different keys or lists of different lengths differ), else UNKNOWN."""
    if is_unknown(a) or is_unknown(b):
        return UNKNOWN
    if a is None or b is None:
        return a is b
    if isinstance(a, dict) and isinstance(b, dict):
        if a.keys() != b.keys():
            return False
        pairs = [(a[k], b[k]) for k in a]
    elif isinstance(a, tuple) and isinstance(b, tuple):
        if len(a) != len(b):
            return False
        pairs = list(zip(a, b, strict=True))
    elif has_unknown(a) or has_unknown(b):
        return UNKNOWN  # a collection against a scalar: leave Terraform's conversions alone
    else:
        return equal(a, b)
    results = [_equal_where_known(x, y) for x, y in pairs]
    if False in results:
        return False
    return UNKNOWN if any(is_unknown(r) for r in results) else True


def _unop(expr: Expr, scope: Scope) -> Any:
    value = evaluate(expr[2], scope)
    if is_unknown(value):
        return UNKNOWN
    if expr[1] == "!":
        return not boolean(value)
    return tidy(-number(value))


def _tmpl(expr: Expr, scope: Scope) -> Any:
    return _render(expr[1], scope)


def _render(parts: tuple[Any, ...], scope: Scope) -> Any:
    out: list[str] = []
    for part in parts:
        kind = part[0]
        if kind == "str":
            out.append(part[1])
            continue
        if kind == "tif":
            test = evaluate(part[1], scope)
            if is_unknown(test):
                return UNKNOWN
            value = _render(part[2] if boolean(test) else part[3], scope)
        elif kind == "tfor":
            collection = evaluate(part[3], scope)
            if is_unknown(collection):
                return UNKNOWN
            pieces = []
            for key, item in iterate(collection):
                names = {part[2]: item}
                if part[1]:
                    names[part[1]] = key
                piece = _render(part[4], scope.bind(**names))
                if is_unknown(piece):
                    return UNKNOWN
                pieces.append(check_size(piece))
            value = check_size("".join(pieces))
        else:
            value = evaluate(part, scope)
        if is_unknown(value):
            return UNKNOWN
        out.append(string(value))
    return check_size("".join(out))


def _for(expr: Expr, scope: Scope) -> Any:
    is_object = expr[0] == "forobject"
    key_var, value_var, collection_expr = expr[1], expr[2], expr[3]
    condition = expr[7] if is_object else expr[5]
    collection = evaluate(collection_expr, scope)
    if is_unknown(collection):
        return UNKNOWN
    items: list[Any] = []
    pairs: dict[str, Any] = {}
    for key, value in iterate(collection):
        names = {value_var: value}
        if key_var:
            names[key_var] = key
        inner = scope.bind(**names)
        if condition is not None:
            keep = evaluate(condition, inner)
            if is_unknown(keep):
                return UNKNOWN
            if not boolean(keep):
                continue
        if not is_object:
            items.append(evaluate(expr[4], inner))
            check_size(items)
            continue
        out_key = evaluate(expr[4], inner)
        if is_unknown(out_key):
            return UNKNOWN
        out_key = string(out_key)
        out_value = evaluate(expr[5], inner)
        if expr[6]:
            pairs.setdefault(out_key, []).append(out_value)
        elif out_key in pairs:
            raise EvalError(f"duplicate key {out_key!r} in a for expression (use ... to group)")
        else:
            pairs[out_key] = out_value
        check_size(pairs)
    if not is_object:
        return tuple(items)
    return {k: tuple(v) for k, v in pairs.items()} if expr[6] else pairs


def _call(expr: Expr, scope: Scope) -> Any:
    name, arg_exprs, expand = expr[1], expr[2], expr[3]
    if name == "try":
        for arg in arg_exprs:
            try:
                return evaluate(arg, scope)
            except EvalError:
                continue
        raise EvalError("no argument of try() could be evaluated")
    if name == "can":
        try:
            value = evaluate(arg_exprs[0], scope)
        except EvalError:
            return False
        return UNKNOWN if is_unknown(value) else True
    args = [evaluate(arg, scope) for arg in arg_exprs]
    if expand and args:
        last = args.pop()
        if is_unknown(last):
            return UNKNOWN
        if not isinstance(last, tuple):
            raise EvalError("the argument before ... must be a list")
        args.extend(last)
    return check_size(scope.context.call(name, [plain(a) for a in args]))


_HANDLERS: dict[str, Callable[[Expr, Scope], Any]] = {
    "lit": _lit,
    "var": _var,
    "attr": _attr,
    "index": _index,
    "splat": _splat,
    "tuple": _tuple,
    "object": _object,
    "cond": _cond,
    "binop": _binop,
    "unop": _unop,
    "tmpl": _tmpl,
    "fortuple": _for,
    "forobject": _for,
    "call": _call,
}


def references(
    expr: Expr, bound: frozenset[str] = frozenset(), named: frozenset[str] = frozenset()
) -> list[str]:
    """Resource, data source and module addresses *expr* refers to, Terraform style:
    `aws_s3_bucket.b.id` gives "aws_s3_bucket.b.id" then "aws_s3_bucket.b". Roots in
    *named* (`local`, `var`) are listed too, as `local.name`, so a caller can follow them."""
    found: list[str] = []
    _collect_references(expr, bound, found, named)
    return found


def _collect_references(
    expr: Expr, bound: frozenset[str], found: list[str], named: frozenset[str]
) -> None:
    kind = expr[0]
    if kind == "lit":
        return
    if kind in ("attr", "index", "var"):
        chain = _traversal(expr)
        if chain is not None and chain[0] not in bound:
            root, steps = chain
            if root in named and steps and steps[0].startswith("."):
                found.append(root + steps[0])
            elif root not in _NOT_RESOURCES:
                found.extend(_reference_strings(root, steps))
            if kind != "index" and (root in named or root not in _NOT_RESOURCES):
                return
    if kind in ("fortuple", "forobject", "tfor"):
        _collect_references(expr[3], bound, found, named)
        inner = bound | {n for n in (expr[1], expr[2]) if n}
        for sub in _children(expr)[1:]:
            _collect_references(sub, inner, found, named)
        return
    for sub in _children(expr):
        _collect_references(sub, bound, found, named)


def _children(expr: Expr) -> list[Expr]:
    """Sub-expressions of a node (template parts included), in order."""
    kind = expr[0]
    if kind in ("lit", "var", "str"):
        return []
    if kind == "attr":
        return [expr[1]]
    if kind == "index":
        return [expr[1], expr[2]]
    if kind == "splat":
        return [expr[1], *(step[1] for step in expr[2] if step[0] == "index")]
    if kind in ("tuple", "tmpl"):
        return list(expr[1])
    if kind == "call":
        return list(expr[2])
    if kind == "object":
        return [part for pair in expr[1] for part in pair]
    if kind in ("cond", "tif"):
        if kind == "tif":
            return [expr[1], *expr[2], *expr[3]]
        return [expr[1], expr[2], expr[3]]
    if kind == "binop":
        return [expr[2], expr[3]]
    if kind == "unop":
        return [expr[2]]
    if kind == "tfor":
        return [expr[3], *expr[4]]
    if kind == "fortuple":
        return [expr[3], expr[4], *([expr[5]] if expr[5] is not None else [])]
    if kind == "forobject":
        return [expr[3], expr[4], expr[5], *([expr[7]] if expr[7] is not None else [])]
    return []


_NOT_RESOURCES = frozenset({"var", "local", "each", "count", "path", "self", "terraform"})


def _traversal(expr: Expr) -> tuple[str, list[str]] | None:
    steps: list[str] = []
    node = expr
    while node[0] in ("attr", "index"):
        if node[0] == "attr":
            steps.append(f".{node[2]}")
        elif node[2][0] == "lit":
            key = node[2][1]
            steps.append(f'["{key}"]' if isinstance(key, str) else f"[{key}]")
        else:
            steps.clear()  # a computed index: refer to the whole resource
        node = node[1]
    if node[0] != "var":
        return None
    return node[1], list(reversed(steps))


def _reference_strings(root: str, steps: list[str]) -> Iterator[str]:
    """Longest first, down to the resource itself (`type.name`, `data.type.name`, `module.name`)."""
    if root != "module" and root != "data" and "_" not in root:
        return
    names_needed = 2 if root == "data" else 1
    texts: list[str] = []
    text, names = root, 0
    for step in steps:
        text += step
        if step.startswith("."):
            names += 1
        if names >= names_needed:
            texts.append(text)
    yield from reversed(texts)
