"""The Terraform functions costgate evaluates, by name (`try` and `can` live in `evaluate`).

Every built-in function of Terraform 1.9. Arguments arrive as plain values. A function
whose result depends on an unknown argument returns `UNKNOWN`; functions Terraform
evaluates only at apply time (`timestamp`, `uuid`, `bcrypt`, `plantimestamp`) always do,
as do provider-defined functions (`provider::aws::arn_parse`, handled by the caller).
Calling a name that is not a Terraform function is an error that names it.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import inspect
import ipaddress
import json
import math
import os
import re
import uuid
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from costgate.errors import InputError
from costgate.inputs.terraform.hcl import dates, encoding
from costgate.inputs.terraform.hcl.evaluate import (
    ComputedObject,
    EvalError,
    HclError,
    LimitExceeded,
    Scope,
    UnsupportedFunction,
    check_size,
    evaluate,
    has_surrogate,
    has_unknown,
    number,
    string,
    tidy,
    type_name,
)
from costgate.inputs.terraform.hcl.regex import bounded_subject, compile_pattern
from costgate.inputs.terraform.hcl.sandbox import Outside, Sandbox
from costgate.limits import (
    MAX_COLLECTION,
    MAX_RANGE,
    MAX_REGEX_PATTERN,
    MAX_STRING,
    json_constant,
    json_number,
)
from costgate.model import UNKNOWN, is_unknown

Function = Callable[..., Any]


def _unknown_when(test: Callable[[Any], bool]) -> Callable[[Function], Function]:
    def decorate(func: Function) -> Function:
        @functools.wraps(func)  # keeps the signature, which `call` checks the arity against
        def wrapper(*args: Any) -> Any:
            if any(test(a) for a in args):
                return UNKNOWN
            return func(*args)

        return wrapper

    return decorate


_known = _unknown_when(has_unknown)
"""Unknown if any argument is (or contains) an unknown value."""
_shallow = _unknown_when(is_unknown)
"""Unknown if an argument itself is unknown; unknowns inside collections pass through."""


def _list(value: Any, what: str = "argument") -> tuple[Any, ...]:
    if isinstance(value, tuple):
        return value
    raise EvalError(f"{what} must be a list, got {type_name(value)}")


def _map(value: Any, what: str = "argument") -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    if value is None:
        return {}
    raise EvalError(f"{what} must be a map or object, got {type_name(value)}")


def _int(value: Any) -> int:
    n = number(value)
    if n != n.to_integral_value():
        raise EvalError(f"a whole number is required, got {n}")
    return int(n)


# -- strings -------------------------------------------------------------------------------

_VERB = re.compile(r"%(%|[-+ #0]*\d*(?:\.\d+)?[vdfsqtxXeEgGbo])")


@_known
def _format(spec: Any, *args: Any) -> str:
    values = iter(args)

    def substitute(match: re.Match[str]) -> str:
        verb = match.group(1)
        if verb == "%":
            return "%"
        try:
            value = next(values)
        except StopIteration:
            raise EvalError(f"format {spec!r} has more verbs than arguments") from None
        kind = verb[-1]
        flags = verb[:-1]
        if any(int(n) > MAX_STRING for n in re.findall(r"\d+", flags)):
            raise LimitExceeded(f"format width {flags!r} is beyond the string limit")
        if kind == "v" or kind == "s":
            text = _jsonish(value) if isinstance(value, (dict, tuple)) else string(value)
            return f"%{flags}s" % text
        if kind == "q":
            return json.dumps(string(value))
        if kind == "t":
            return "true" if value is True else "false"
        if kind in "dxXbo":
            converted = _int(value)
            return (
                f"%{flags}{'d' if kind == 'b' else kind}" % converted
                if kind != "b"
                else (format(converted, "b"))
            )
        return f"%{flags}{kind}" % number(value)

    return _VERB.sub(substitute, string(spec))


@_known
def _formatlist(spec: Any, *args: Any) -> tuple[Any, ...]:
    lengths = {len(a) for a in args if isinstance(a, tuple)}
    if len(lengths) > 1:
        raise EvalError("formatlist lists must all have the same length")
    count = lengths.pop() if lengths else 1
    return tuple(
        _format(spec, *(a[i] if isinstance(a, tuple) else a for a in args)) for i in range(count)
    )


@_known
def _join(separator: Any, *lists: Any) -> str:
    parts = [string(v) for lst in lists for v in _list(lst)]
    check_size(
        " " * min(MAX_STRING + 1, sum(map(len, parts)) + len(string(separator)) * len(parts))
    )
    return string(separator).join(parts)


@_known
def _split(separator: Any, text: Any) -> tuple[str, ...]:
    if string(text) == "":
        return ()
    return tuple(string(text).split(string(separator)))


@_known
def _replace(text: Any, search: Any, replacement: Any) -> str:
    subject, pattern, new = string(text), string(search), string(replacement)
    if len(pattern) > 1 and pattern.startswith("/") and pattern.endswith("/"):
        python_replacement = re.sub(
            r"\$(\d+)|\$\{(\w+)\}", lambda m: f"\\g<{m.group(1) or m.group(2)}>", new
        )
        compiled, degree = compile_pattern(pattern[1:-1])
        bounded_subject(degree, subject)
        _bounded_growth(len(subject), len(subject) + 1, len(new) + len(subject) * new.count("$"))
        try:
            return compiled.sub(python_replacement, subject)
        except (re.error, IndexError) as exc:
            raise HclError(f"replace(): invalid replacement {new[:40]!r}: {exc}") from None
    if pattern:
        _bounded_growth(len(subject), subject.count(pattern), len(new))
    return subject.replace(pattern, new)


def _bounded_growth(size: int, matches: int, each: int) -> None:
    """Refuse a replacement whose result could exceed the string limit, before building it."""
    if size + matches * each > MAX_STRING:
        raise LimitExceeded(f"replace() could build more than {MAX_STRING:,} characters")


@_known
def _substr(text: Any, offset: Any, length: Any) -> str:
    subject, start, size = string(text), _int(offset), _int(length)
    if start < 0:
        start += len(subject)
    return subject[start:] if size == -1 else subject[start : start + size]


def _search(pattern: Any, text: Any) -> tuple[re.Pattern[str], str]:
    compiled, degree = compile_pattern(string(pattern))
    return compiled, bounded_subject(degree, string(text))


@_known
def _regex(pattern: Any, text: Any) -> Any:
    compiled, subject = _search(pattern, text)
    match = compiled.search(subject)
    if match is None:
        raise EvalError(f"pattern {pattern!r} does not match {text!r}")
    return _match_value(match)


@_known
def _regexall(pattern: Any, text: Any) -> tuple[Any, ...]:
    compiled, subject = _search(pattern, text)
    return tuple(_match_value(m) for m in compiled.finditer(subject))


def _match_value(match: re.Match[str]) -> Any:
    if match.groupdict():
        return dict(match.groupdict())
    if match.groups():
        return tuple(match.groups())
    return match.group(0)


def _strings(func: Callable[[str], Any]) -> Function:
    @_known
    def wrapper(value: Any) -> Any:
        return func(string(value))

    return wrapper


def _strings2(func: Callable[[str, str], Any]) -> Function:
    @_known
    def wrapper(a: Any, b: Any) -> Any:
        return func(string(a), string(b))

    return wrapper


@_known
def _indent(spaces: Any, text: Any) -> str:
    pad = " " * min(_int(spaces), MAX_STRING + 1)
    return string(text).replace("\n", "\n" + pad)


# -- collections -----------------------------------------------------------------------------


@_shallow
def _length(value: Any) -> int:
    if isinstance(value, (tuple, dict, str)):
        return len(value)
    raise EvalError(f"length() needs a list, map or string, got {type_name(value)}")


@_shallow
def _element(items: Any, index: Any) -> Any:
    items = _list(items)
    if is_unknown(index):
        return UNKNOWN
    if not items:
        raise EvalError("element() on an empty list")
    return items[_int(index) % len(items)]


@_shallow
def _concat(*lists: Any) -> tuple[Any, ...]:
    return tuple(v for lst in lists for v in _list(lst))


@_shallow
def _merge(*maps: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for m in maps:
        out.update(_map(m, "merge() argument"))
    return out


@_shallow
def _lookup(mapping: Any, key: Any, *default: Any) -> Any:
    values = _map(mapping, "lookup() map")
    name = string(key)
    if name in values:
        return values[name]
    if default:
        return default[0]
    raise EvalError(f"lookup() found no key {name!r} and no default was given")


def _coalesce(*args: Any) -> Any:
    for value in args:
        if is_unknown(value):
            return UNKNOWN
        if value is not None and value != "":
            return value
    raise EvalError("coalesce() got no non-null, non-empty argument")


def _coalescelist(*args: Any) -> Any:
    for value in args:
        if is_unknown(value):
            return UNKNOWN
        if _list(value):
            return value
    raise EvalError("coalescelist() got no non-empty list")


@_shallow
def _keys(value: Any) -> tuple[str, ...]:
    return tuple(sorted(_map(value)))


@_shallow
def _values(value: Any) -> tuple[Any, ...]:
    mapping = _map(value)
    return tuple(mapping[k] for k in sorted(mapping))


@_known
def _contains(items: Any, value: Any) -> bool:
    return value in _list(items)


@_shallow
def _flatten(items: Any) -> Any:
    out: list[Any] = []
    for item in _list(items):
        if is_unknown(item):
            return UNKNOWN
        if isinstance(item, tuple):
            inner = _flatten(item)
            if is_unknown(inner):
                return UNKNOWN
            out.extend(inner)
        else:
            out.append(item)
    return tuple(out)


@_known
def _distinct(items: Any) -> tuple[Any, ...]:
    out: list[Any] = []
    for item in _list(items):
        if item not in out:
            out.append(item)
    return tuple(out)


@_shallow
def _compact(items: Any) -> tuple[Any, ...]:
    return tuple(v for v in _list(items) if v is not None and v != "")


def _slice(items: Any, start: Any, end: Any) -> Any:
    """A slice of an unknown list still has `end - start` elements: Terraform rejects any
    list shorter than `end`, so every list apply can see gives that many. This keeps
    `slice(data.aws_availability_zones.available.names, 0, 3)` countable (a subnet and a
    NAT gateway per zone) while each zone stays unknown."""
    if is_unknown(start) or is_unknown(end):
        return UNKNOWN
    if is_unknown(items):
        return (UNKNOWN,) * max(_int(end) - _int(start), 0)
    return _list(items)[_int(start) : _int(end)]


@_known
def _range(*args: Any) -> tuple[Any, ...]:
    bounds = [number(a) for a in args]
    start, stop, step = (
        (Decimal(0), bounds[0], Decimal(1))
        if len(bounds) == 1
        else (
            bounds[0],
            bounds[1],
            bounds[2] if len(bounds) > 2 else Decimal(1 if bounds[1] >= bounds[0] else -1),
        )
    )
    if step == 0:
        raise EvalError("range() step must not be zero")
    out: list[Any] = []
    value = start
    while value < stop if step > 0 else value > stop:
        if len(out) >= MAX_RANGE:
            raise LimitExceeded(
                f"range() generates more than {MAX_RANGE} values (Terraform's limit too); "
                "decrease the difference between start and end or use a larger step"
            )
        out.append(tidy(value))
        value += step
    return tuple(out)


@_shallow
def _zipmap(keys: Any, values: Any) -> Any:
    keys = _list(keys)
    if any(is_unknown(k) for k in keys):
        return UNKNOWN  # keys decide the map's shape: one unknown key hides them all
    return {string(k): v for k, v in zip(keys, _list(values), strict=False)}


@_known
def _sort(items: Any) -> tuple[str, ...]:
    return tuple(sorted(string(v) for v in _list(items)))


@_shallow
def _reverse(items: Any) -> tuple[Any, ...]:
    return tuple(reversed(_list(items)))


@_known
def _sum(items: Any) -> Any:
    return tidy(sum((number(v) for v in _list(items)), Decimal(0)))


@_known
def _index(items: Any, value: Any) -> int:
    try:
        return _list(items).index(value)
    except ValueError:
        raise EvalError(f"index(): {value!r} is not in the list") from None


@_shallow
def _one(items: Any) -> Any:
    items = _list(items)
    if len(items) > 1:
        raise EvalError("one() needs a list of zero or one element")
    return items[0] if items else None


@_known
def _alltrue(items: Any) -> bool:
    return all(v is True or v == "true" for v in _list(items))


@_known
def _anytrue(items: Any) -> bool:
    return any(v is True or v == "true" for v in _list(items))


@_known
def _setunion(*sets: Any) -> Any:
    return _toset(tuple(v for s in sets for v in _list(s)))


@_known
def _setintersection(first: Any, *rest: Any) -> Any:
    return _toset(tuple(v for v in _list(first) if all(v in _list(r) for r in rest)))


@_known
def _setsubtract(a: Any, b: Any) -> Any:
    return _toset(tuple(v for v in _list(a) if v not in _list(b)))


@_known
def _chunklist(items: Any, size: Any) -> tuple[Any, ...]:
    items, n = _list(items), _int(size)
    if n <= 0:
        return (items,)
    return tuple(items[i : i + n] for i in range(0, len(items), n))


@_shallow
def _tomap(value: Any) -> dict[str, Any]:
    return dict(_map(value))


@_shallow
def _toset(value: Any) -> Any:
    items = _list(value)
    if any(is_unknown(v) for v in items):
        return UNKNOWN  # set members decide identity: an unknown member hides them all
    unique = []
    for item in items:
        if item not in unique:
            unique.append(item)
    if all(isinstance(v, str) for v in unique):
        return tuple(sorted(unique))
    return tuple(unique)


@_shallow
def _tolist(value: Any) -> tuple[Any, ...]:
    return _list(value)


@_shallow
def _tostring(value: Any) -> Any:
    return None if value is None else string(value)


@_shallow
def _tonumber(value: Any) -> Any:
    return None if value is None else tidy(number(value))


@_shallow
def _tobool(value: Any) -> Any:
    if value is None or isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return value == "true"
    raise EvalError(f"cannot convert {value!r} to bool")


# -- numbers --------------------------------------------------------------------------------


@_known
def _min(*args: Any) -> Any:
    if not args:
        raise EvalError("min() needs at least one number")
    return tidy(min(number(a) for a in args))


@_known
def _max(*args: Any) -> Any:
    if not args:
        raise EvalError("max() needs at least one number")
    return tidy(max(number(a) for a in args))


def _numbers(func: Callable[[Decimal], Decimal]) -> Function:
    @_known
    def wrapper(value: Any) -> Any:
        return tidy(func(number(value)))

    return wrapper


@_known
def _pow(base: Any, exponent: Any) -> Any:
    try:
        return tidy(number(base) ** number(exponent))
    except ArithmeticError as exc:  # decimal.Overflow, InvalidOperation (a negative root)
        raise LimitExceeded(f"pow() out of range ({type(exc).__name__})") from None


@_known
def _parseint(text: Any, base: Any) -> int:
    try:
        return int(tidy(number(int(string(text)[: MAX_STRING // 1024], _int(base)))))
    except ValueError:
        raise EvalError(f"cannot parse {text!r} as a base-{base} integer") from None


# -- encoding --------------------------------------------------------------------------------


def _jsonish(value: Any) -> str:
    """Terraform's jsonencode: compact, object keys sorted, numbers exact."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, Decimal)):
        return string(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, tuple):
        return "[" + ",".join(_jsonish(v) for v in value) + "]"
    return (
        "{"
        + ",".join(
            f"{json.dumps(k, ensure_ascii=False)}:{_jsonish(v)}" for k, v in sorted(value.items())
        )
        + "}"
    )


def _holds_computed(value: Any) -> bool:
    """Whether *value* holds a resource's nested block (`ComputedObject`): the provider's
    computed attributes, unknown at plan time, are part of its JSON text, so it is unknown."""
    if isinstance(value, ComputedObject):
        return True
    if isinstance(value, dict):
        return any(_holds_computed(v) for v in value.values())
    return isinstance(value, tuple) and any(_holds_computed(v) for v in value)


@_known
@_unknown_when(_holds_computed)
def _jsonencode(value: Any) -> str:
    return _jsonish(value)


def _from_json(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_from_json(v) for v in value)
    if isinstance(value, dict):
        return {k: _from_json(v) for k, v in value.items()}
    if isinstance(value, Decimal):
        return tidy(value)
    if isinstance(value, str) and has_surrogate(value):
        raise HclError("jsondecode(): a string holds a lone UTF-16 surrogate")
    return value


@_known
def _jsondecode(text: Any) -> Any:
    try:
        decoded = json.loads(
            string(text),
            parse_float=json_number,
            parse_int=json_number,
            parse_constant=json_constant,
        )
    except json.JSONDecodeError as exc:
        raise EvalError(f"jsondecode(): invalid JSON ({exc.msg})") from None
    except ValueError as exc:
        raise LimitExceeded(f"jsondecode(): {exc}") from None
    except RecursionError:
        raise LimitExceeded("jsondecode(): JSON nested too deeply") from None
    return _from_json(decoded)


@_known
def _base64decode(text: Any) -> str:
    try:
        return base64.b64decode(string(text)).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        raise EvalError("base64decode(): not valid base64 of UTF-8 text") from None


def _hash(algorithm: str) -> Function:
    return _strings(lambda s: hashlib.new(algorithm, s.encode()).hexdigest())


# -- network ---------------------------------------------------------------------------------


@_known
def _cidrsubnet(prefix: Any, newbits: Any, netnum: Any) -> str:
    try:
        network = ipaddress.ip_network(string(prefix), strict=False)
        new_prefix = network.prefixlen + _int(newbits)
        size = 1 << (network.max_prefixlen - new_prefix)
        address = network.network_address + _int(netnum) * size
        return str(ipaddress.ip_network(f"{address}/{new_prefix}"))
    except ValueError as exc:
        raise EvalError(f"cidrsubnet(): {exc}") from None


@_known
def _cidrhost(prefix: Any, hostnum: Any) -> str:
    try:
        network = ipaddress.ip_network(string(prefix), strict=False)
        host = _int(hostnum)
        base = network.broadcast_address + 1 if host < 0 else network.network_address
        return str(base + host)
    except ValueError as exc:
        raise EvalError(f"cidrhost(): {exc}") from None


@_known
def _cidrnetmask(prefix: Any) -> str:
    try:
        return str(ipaddress.ip_network(string(prefix), strict=False).netmask)
    except ValueError as exc:
        raise EvalError(f"cidrnetmask(): {exc}") from None


@_known
def _cidrsubnets(prefix: Any, *newbits: Any) -> tuple[str, ...]:
    """Consecutive subnets of the given sizes, each aligned to its own size, as Terraform
    allocates them."""
    try:
        network = ipaddress.ip_network(string(prefix), strict=False)
    except ValueError as exc:
        raise EvalError(f"cidrsubnets(): {exc}") from None
    start, out = int(network.network_address), []
    end = int(network.broadcast_address)
    for bits in newbits:
        new_prefix = network.prefixlen + _int(bits)
        if not network.prefixlen < new_prefix <= network.max_prefixlen:
            raise EvalError(f"cidrsubnets(): cannot add {bits} bits to /{network.prefixlen}")
        size = 1 << (network.max_prefixlen - new_prefix)
        start = -(-start // size) * size
        if start + size - 1 > end:
            raise EvalError(f"cidrsubnets(): not enough room in {network} for all subnets")
        address = (
            ipaddress.ip_address(start) if network.version == 4 else ipaddress.IPv6Address(start)
        )
        out.append(f"{address}/{new_prefix}")
        start += size
    return tuple(out)


@_known
def _matchkeys(values: Any, keys: Any, searchset: Any) -> tuple[Any, ...]:
    values, keys, wanted = _list(values), _list(keys), _list(searchset)
    if len(values) != len(keys):
        raise EvalError("matchkeys(): the values and keys lists must have the same length")
    return tuple(v for v, k in zip(values, keys, strict=True) if k in wanted)


@_known
def _setproduct(*sets: Any) -> tuple[Any, ...]:
    if len(sets) < 2:
        raise EvalError("setproduct() needs at least two sets")
    product: list[tuple[Any, ...]] = [()]
    for items in sets:
        product = [(*p, v) for p in product for v in _list(items)]
        check_size(product)
    return tuple(product)


@_known
def _transpose(mapping: Any) -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for key, items in _map(mapping).items():
        for item in _list(items, "transpose() value"):
            out.setdefault(string(item), []).append(key)
    return {k: tuple(sorted(v)) for k, v in out.items()}


@_known
def _log(value: Any, base: Any) -> Any:
    x, b = number(value), number(base)
    if x <= 0 or b <= 0 or b == 1:
        raise EvalError(f"log({x}, {b}) is not defined")
    result = x.ln() / b.ln()
    return tidy(
        result.quantize(Decimal(1))
        if abs(result - result.to_integral_value()) < Decimal("1e-20")
        else result
    )


@_known
def _uuidv5(namespace: Any, name: Any) -> str:
    known = {
        "dns": uuid.NAMESPACE_DNS,
        "url": uuid.NAMESPACE_URL,
        "oid": uuid.NAMESPACE_OID,
        "x500": uuid.NAMESPACE_X500,
    }
    space = string(namespace)
    try:
        base = known.get(space) or uuid.UUID(space)
    except ValueError:
        raise EvalError(f"uuidv5(): {space[:40]!r} is not a namespace or a UUID") from None
    return str(uuid.uuid5(base, string(name)))


def _type(value: Any) -> Any:
    if is_unknown(value):
        return UNKNOWN
    return type_name(value)


def _identity(value: Any) -> Any:
    """`sensitive` / `nonsensitive`: costgate keeps no sensitivity marks."""
    return value


class _TemplateNames:
    """What a template sees: only the variables passed to it, and the functions."""

    def __init__(self, names: dict[str, Any], functions: dict[str, Function]):
        self.names, self.functions = names, functions

    def root(self, name: str) -> Any:
        if name in self.names:
            return self.names[name]
        raise HclError(f"the template refers to {name!r}, which is not among its variables")

    def call(self, name: str, args: list[Any]) -> Any:
        if name.startswith("provider::"):
            return UNKNOWN
        function = self.functions.get(name)
        if function is None:
            raise UnsupportedFunction(f"function {name}() is not available in a template")
        return call(name, function, args)


def render_template(text: str, names: Any, functions: dict[str, Function], origin: str) -> Any:
    """A template (`templatefile`, `templatestring`) rendered with *names* only."""
    from costgate.inputs.terraform.hcl.templates import build_template, split_template

    if is_unknown(names):
        return UNKNOWN
    variables = _map(names, "the template variables")
    try:
        expr = build_template(split_template(text, origin, 1), origin)
    except InputError as exc:
        raise HclError(f"{origin}: {exc.message}") from None
    value = evaluate(expr, Scope(_TemplateNames(variables, functions)))
    if is_unknown(value) or isinstance(value, str):
        return value
    return string(value)


def _templatestring(template: Any, names: Any) -> Any:
    if is_unknown(template):
        return UNKNOWN
    return render_template(string(template), names, FUNCTIONS, "templatestring()")


# -- files (relative to the root module, where `terraform` runs) ------------------------------


def file_functions(root: Path, sandbox: Sandbox) -> dict[str, Function]:
    """`file`, `filebase64`, `fileexists` and `abspath`, relative to the root module and
    confined by *sandbox*: a path it refuses gives UNKNOWN and a note, never content."""

    def resolve(name: Any) -> Path:
        path = Path(string(name))
        return path if path.is_absolute() or string(name).startswith("~") else root / path

    def read(function: str, name: Any) -> bytes | None:
        try:
            return sandbox.read_bytes(resolve(name))
        except Outside as why:
            sandbox.refuse(function, string(name), why)
            return None
        except OSError as exc:
            raise EvalError(f"{function}(): cannot read {name!r}: {exc.strerror}") from None

    @_known
    def file(name: Any) -> Any:
        data = read("file", name)
        if data is None:
            return UNKNOWN
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            raise EvalError(f"file(): {name!r} is not UTF-8 text (use filebase64)") from None

    @_known
    def filebase64(name: Any) -> Any:
        data = read("filebase64", name)
        return UNKNOWN if data is None else base64.b64encode(data).decode()

    @_known
    def fileexists(name: Any) -> Any:
        try:
            sandbox.real(resolve(name))
        except Outside as why:
            sandbox.refuse("fileexists", string(name), why)
            return UNKNOWN
        return sandbox.is_regular(resolve(name))

    @_known
    def abspath(name: Any) -> str:
        return os.path.abspath(resolve(name))

    def file_hash(function: str, digest: Callable[[bytes], str]) -> Function:
        @_known
        def hashed(name: Any) -> Any:
            data = read(function, name)
            return UNKNOWN if data is None else digest(data)

        return hashed

    @_known
    def templatefile(name: Any, names: Any) -> Any:
        data = read("templatefile", name)
        if data is None:
            return UNKNOWN
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise EvalError(f"templatefile(): {name!r} is not UTF-8 text") from None
        # a template cannot call templatefile() (Terraform forbids the recursion too)
        inner = {k: v for k, v in functions.items() if k != "templatefile"}
        return render_template(text, names, {**FUNCTIONS, **inner}, f"templatefile({name!r})")

    @_known
    def fileset(path: Any, pattern: Any) -> Any:
        base = resolve(path)
        try:
            real = sandbox.real(base)
        except Outside as why:
            sandbox.refuse("fileset", string(path), why)
            return UNKNOWN
        matcher = _glob(string(pattern))
        return tuple(sorted(f for f in _walk(real, sandbox) if matcher.fullmatch(f)))

    functions: dict[str, Function] = {
        "file": file,
        "filebase64": filebase64,
        "fileexists": fileexists,
        "abspath": abspath,
        "templatefile": templatefile,
        "fileset": fileset,
        "filemd5": file_hash("filemd5", lambda d: hashlib.md5(d).hexdigest()),
        "filesha1": file_hash("filesha1", lambda d: hashlib.sha1(d).hexdigest()),
        "filesha256": file_hash("filesha256", lambda d: hashlib.sha256(d).hexdigest()),
        "filesha512": file_hash("filesha512", lambda d: hashlib.sha512(d).hexdigest()),
        "filebase64sha256": file_hash("filebase64sha256", lambda d: _b64digest("sha256", d)),
        "filebase64sha512": file_hash("filebase64sha512", lambda d: _b64digest("sha512", d)),
    }
    return functions


def _b64digest(algorithm: str, data: bytes) -> str:
    return base64.b64encode(hashlib.new(algorithm, data).digest()).decode()


def _walk(top: Path, sandbox: Sandbox) -> Iterator[str]:
    """Regular files under *top* (relative, `/`-separated), never following symlinked
    directories nor entering `.git`; at most MAX_COLLECTION entries are visited."""
    seen = 0
    for folder, subdirs, files in os.walk(top, followlinks=False):
        subdirs[:] = sorted(d for d in subdirs if d != ".git")
        seen += len(subdirs) + len(files)
        if seen > MAX_COLLECTION:
            raise LimitExceeded(f"fileset() would visit more than {MAX_COLLECTION:,} entries")
        for name in files:
            path = Path(folder) / name
            if sandbox.is_regular(path):
                yield path.relative_to(top).as_posix()


def _glob(pattern: str) -> re.Pattern[str]:
    """A `fileset` pattern (`*`, `**`, `?`, `[...]`, `{a,b}`) as a regular expression."""
    if len(pattern) > MAX_REGEX_PATTERN:
        raise LimitExceeded(f"fileset() pattern longer than {MAX_REGEX_PATTERN} characters")
    out, i, depth = [], 0, 0
    while i < len(pattern):
        ch = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:[^/]*/)*")
            i += 3
            continue
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if ch == "*":
            out.append("[^/]*")
        elif ch == "?":
            out.append("[^/]")
        elif ch == "[":
            end = pattern.find("]", i + 1)
            if end < 0:
                raise EvalError(f"fileset(): unterminated [ in {pattern[:40]!r}")
            body = pattern[i + 1 : end]
            out.append("[" + ("^" + body[1:] if body.startswith("!") else body) + "]")
            i = end
        elif ch == "{":
            out.append("(?:")
            depth += 1
        elif ch == "}" and depth:
            out.append(")")
            depth -= 1
        elif ch == "," and depth:
            out.append("|")
        else:
            out.append(re.escape(ch))
        i += 1
    if depth:
        raise EvalError(f"fileset(): unterminated {{ in {pattern[:40]!r}")
    try:
        return re.compile("".join(out))
    except re.error as exc:
        raise EvalError(f"fileset(): invalid pattern {pattern[:40]!r}: {exc}") from None


@functools.cache
def _signature(function: Function) -> inspect.Signature:
    return inspect.signature(function)


def call(name: str, function: Function, args: list[Any]) -> Any:
    """Call a Terraform function, checking the number of arguments first (a wrong count is
    an error in the configuration, not in costgate)."""
    try:
        _signature(function).bind(*args)
    except TypeError:
        raise HclError(f"{name}() does not take {len(args)} argument(s)") from None
    return function(*args)


def _apply_time(*args: Any) -> Any:
    return UNKNOWN


FUNCTIONS: dict[str, Function] = {
    # strings
    "format": _format,
    "formatlist": _formatlist,
    "join": _join,
    "split": _split,
    "lower": _strings(str.lower),
    "upper": _strings(str.upper),
    "title": _strings(str.title),
    "replace": _replace,
    "substr": _substr,
    "regex": _regex,
    "regexall": _regexall,
    "trimspace": _strings(str.strip),
    "chomp": _strings(lambda s: s.rstrip("\r\n")),
    "strrev": _strings(lambda s: s[::-1]),
    "indent": _indent,
    "trim": _strings2(lambda s, chars: s.strip(chars)),
    "trimprefix": _strings2(lambda s, p: s[len(p) :] if p and s.startswith(p) else s),
    "trimsuffix": _strings2(lambda s, p: s[: -len(p)] if p and s.endswith(p) else s),
    "startswith": _strings2(str.startswith),
    "strcontains": _strings2(lambda s, sub: sub in s),
    "templatestring": _templatestring,
    "endswith": _strings2(str.endswith),
    "basename": _strings(lambda s: os.path.basename(s.rstrip("/")) or s),
    "dirname": _strings(lambda s: os.path.dirname(s) or "."),
    "pathexpand": _strings(os.path.expanduser),  # only a string: file() refuses `~`
    # collections
    "length": _length,
    "element": _element,
    "concat": _concat,
    "merge": _merge,
    "lookup": _lookup,
    "coalesce": _coalesce,
    "coalescelist": _coalescelist,
    "keys": _keys,
    "values": _values,
    "contains": _contains,
    "flatten": _flatten,
    "distinct": _distinct,
    "compact": _compact,
    "slice": _slice,
    "range": _range,
    "zipmap": _zipmap,
    "sort": _sort,
    "reverse": _reverse,
    "sum": _sum,
    "index": _index,
    "one": _one,
    "alltrue": _alltrue,
    "anytrue": _anytrue,
    "setunion": _setunion,
    "setintersection": _setintersection,
    "setsubtract": _setsubtract,
    "chunklist": _chunklist,
    "matchkeys": _matchkeys,
    "setproduct": _setproduct,
    "transpose": _transpose,
    # types
    "tomap": _tomap,
    "toset": _toset,
    "tolist": _tolist,
    "tostring": _tostring,
    "tonumber": _tonumber,
    "tobool": _tobool,
    "sensitive": _identity,
    "nonsensitive": _identity,
    "issensitive": _apply_time,  # costgate keeps no sensitivity marks
    "type": _type,
    # numbers
    "min": _min,
    "max": _max,
    "abs": _numbers(abs),
    "ceil": _numbers(lambda d: Decimal(math.ceil(d))),
    "floor": _numbers(lambda d: Decimal(math.floor(d))),
    "signum": _numbers(lambda d: Decimal((d > 0) - (d < 0))),
    "pow": _pow,
    "parseint": _parseint,
    "log": _log,
    # encoding and hashing
    "jsonencode": _jsonencode,
    "jsondecode": _jsondecode,
    "base64encode": _strings(lambda s: base64.b64encode(s.encode()).decode()),
    "base64decode": _base64decode,
    "md5": _hash("md5"),
    "sha1": _hash("sha1"),
    "sha256": _hash("sha256"),
    "sha512": _hash("sha512"),
    "base64sha256": _strings(lambda s: _b64digest("sha256", s.encode())),
    "base64sha512": _strings(lambda s: _b64digest("sha512", s.encode())),
    "uuidv5": _uuidv5,
    "base64gzip": _strings(encoding.base64gzip),
    "csvdecode": _strings(encoding.csvdecode),
    "urlencode": _strings(encoding.urlencode),
    "textencodebase64": _strings2(encoding.textencodebase64),
    "textdecodebase64": _strings2(encoding.textdecodebase64),
    "yamlencode": _known(encoding.yamlencode),
    "yamldecode": _strings(encoding.yamldecode),
    # dates
    "formatdate": _strings2(dates.formatdate),
    "timeadd": _strings2(dates.timeadd),
    "timecmp": _strings2(dates.timecmp),
    # network
    "cidrsubnet": _cidrsubnet,
    "cidrhost": _cidrhost,
    "cidrnetmask": _cidrnetmask,
    "cidrsubnets": _cidrsubnets,
    # only known at apply time
    "timestamp": _apply_time,
    "uuid": _apply_time,
    "bcrypt": _apply_time,
    "plantimestamp": _apply_time,
    "rsadecrypt": _apply_time,  # needs a private key costgate never has
}
