"""JSON Schema validation with messages that name the place in the user's file.

YAML documents keep their text, so a schema error in a policy or usage file reports
`file:line:column` (node positions are read only when an error needs them), not just a
JSON pointer. A document that passed a schema once is remembered in costgate's cache by
content digest: a pre-commit hook does not import and run jsonschema on every commit
for the same policy and usage files.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from costgate.errors import ConfigError
from costgate.limits import MAX_NESTING, MAX_NUMBER_EXPONENT, MAX_YAML_VALUES, NUMBER_LIMIT_TEXT

Pointer = tuple[str | int, ...]


_MAX_INT_BITS = int(MAX_NUMBER_EXPONENT * 3.33) + 1
"""Bits of the largest integer a YAML file may hold (about 1e100)."""

_VALID = "valid-1"
"""Cache namespace of (schema, document) pairs that passed; bump if validation changes."""


@cache
def _validator(schema_text: str) -> Any:
    """A validator for a schema (costgate's own schemas; their validity is tested)."""
    import jsonschema

    schema = json.loads(schema_text)
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


@cache
def _schema_text(schema_file: Path) -> str:
    return schema_file.read_text(encoding="utf-8")


def schema_errors(data: Any, schema: Path | Mapping[str, Any]) -> list[tuple[Pointer, str]]:
    """All schema violations as (path in the document, message), most specific first.

    *schema* is a schema file or a schema object (a rule's options schema).
    """
    from costgate import cache as disk_cache

    schema_text = (
        _schema_text(schema) if isinstance(schema, Path) else json.dumps(schema, sort_keys=True)
    )
    plain = _plain(data)
    try:
        key: str | None = disk_cache.digest(
            schema_text.encode(),
            json.dumps(plain, sort_keys=True, separators=(",", ":"), default=repr).encode(),
        )
    except (TypeError, ValueError):  # keys of mixed types cannot be sorted: not remembered
        key = None
    if key is not None and disk_cache.read(_VALID, key) is not None:
        return []
    validator = _validator(schema_text)
    found = []
    for error in sorted(validator.iter_errors(plain), key=lambda e: list(e.path)):
        leaf = error
        if error.context:
            leaf = min(error.context, key=lambda e: (-len(e.path), str(e.message)))
        found.append((_pointer(leaf), leaf.message))
    if not found and key is not None:
        disk_cache.write(_VALID, key, b"")
    return found


def _pointer(error: Any) -> Pointer:
    """Path of an error; for an unexpected key, the path of that key (so its line is shown)."""
    path = tuple(error.absolute_path)
    if error.validator == "additionalProperties" and isinstance(error.instance, Mapping):
        allowed = error.schema.get("properties", {})
        extra = sorted(k for k in error.instance if k not in allowed)
        if extra:
            return (*path, extra[0])
    return path


def first_schema_error(data: Any, schema_file: Path) -> str | None:
    """The first violation as 'at /a/b: message', or None when the document is valid."""
    errors = schema_errors(data, schema_file)
    if not errors:
        return None
    pointer, message = errors[0]
    return f"at {format_pointer(pointer)}: {message}"


def format_pointer(pointer: Pointer) -> str:
    """JSON pointer text for a path ('/' for the document root)."""
    return "/" + "/".join(str(p) for p in pointer)


def _plain(value: Any) -> Any:
    """Decimal and mapping proxies -> JSON-compatible values for the validator."""
    from decimal import Decimal

    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


class LocatedYaml:
    """A parsed YAML document that can say where each of its nodes is, for error messages."""

    def __init__(self, path: Path, data: Any, text: str):
        self.path = path
        self.data = data
        self._text = text
        self._marks: dict[Pointer, tuple[int, int]] | None = None

    def location(self, pointer: Sequence[str | int]) -> str:
        """'line:column' of the deepest node on *pointer* that exists in the file."""
        if self._marks is None:  # only errors need positions: compose the text on demand
            import yaml

            self._marks = {}
            node = yaml.compose(self._text, Loader=_loader())
            if node is not None:
                _collect_marks(node, (), self._marks)
        pointer = tuple(pointer)
        while pointer not in self._marks and pointer:
            pointer = pointer[:-1]
        line, col = self._marks.get(pointer, (1, 1))
        return f"{line}:{col}"

    def validate(self, schema_file: Path, what: str) -> None:
        """Raise ConfigError naming file:line:column for the first schema violation."""
        errors = schema_errors(self.data, schema_file)
        if errors:
            pointer, message = errors[0]
            raise ConfigError(
                f"invalid {what} at {format_pointer(pointer)}: {message}",
                path=str(self.path),
                location=self.location(pointer),
            )


@cache
def _loader() -> Any:
    """Safe loader (libyaml's when available) without YAML 1.1 timestamps: `expires:
    2027-06-30` stays the string the schemas expect (a date format check then locates a
    bad one), as it would if quoted."""
    import yaml

    class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
        pass

    Loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return Loader


def load_yaml(path: Path, what: str) -> LocatedYaml:
    """Read a YAML file, failing with file, line and the problem."""
    import yaml

    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"not a UTF-8 text file; expected a {what}", path=str(path)) from None
    except OSError as exc:
        raise ConfigError(f"cannot read {what}: {exc.strerror}", path=str(path)) from exc
    try:
        data = yaml.load(text, Loader=_loader())  # a SafeLoader subclass
    except RecursionError:
        raise ConfigError(f"YAML nested too deeply; expected a {what}", path=str(path)) from None
    except ValueError as exc:  # an integer of more than 4,300 digits
        raise ConfigError(f"not a valid {what}: {exc}", path=str(path)) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        location = f"{mark.line + 1}:{mark.column + 1}" if mark else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(
            f"not valid YAML ({problem}); expected a {what}", path=str(path), location=location
        ) from exc
    located = LocatedYaml(path, data, text)
    _check_expansion(data, located, what)
    _check_values(data, (), set(), located, what)
    return located


def _check_expansion(data: Any, doc: LocatedYaml, what: str) -> None:
    """Reject a document whose aliases expand past MAX_YAML_VALUES values ("billion
    laughs"): PyYAML shares aliased nodes, but every reader after it walks them expanded.
    Sizes are memoised by node identity, so this costs one pass over the distinct nodes."""
    size = _expanded_sizes()
    if size(data, frozenset()) <= MAX_YAML_VALUES:
        return
    pointer: Pointer = ()
    node = data
    while True:  # descend to the deepest value that alone is too large
        items = node.items() if isinstance(node, dict) else enumerate(node)
        child = next(((k, v) for k, v in items if size(v, frozenset()) > MAX_YAML_VALUES), None)
        if child is None:
            break
        pointer, node = (
            (*pointer, child[0] if isinstance(child[0], int) else str(child[0])),
            child[1],
        )
    raise ConfigError(
        f"invalid {what} at {format_pointer(pointer)}: its aliases expand to more than "
        f"{MAX_YAML_VALUES:,} values",
        path=str(doc.path),
        location=doc.location(pointer),
    )


def _expanded_sizes() -> Any:
    """size(value, frozenset()): how many values *value* holds with aliases expanded,
    memoised by node identity (one pass over the distinct nodes)."""
    sizes: dict[int, int] = {}

    def size(value: Any, active: frozenset[int]) -> int:
        if not isinstance(value, (dict, list)):
            return 1
        if id(value) in sizes:
            return sizes[id(value)]
        if id(value) in active or len(active) > MAX_NESTING:
            return 1  # a self-reference or deep nesting: _check_values reports it
        inner = active | {id(value)}
        items = value.values() if isinstance(value, dict) else value
        total = 1 + sum(size(item, inner) for item in items)
        sizes[id(value)] = total
        return total

    return size


def parse_yaml_text(text: str) -> Any:
    """YAML text as plain values, with the limits of `load_yaml` (for `yamldecode()`).

    Raises `yaml.YAMLError` for invalid YAML and ValueError for a document beyond the
    limits: aliases expanding past MAX_YAML_VALUES values, nesting, NaN, self-references.
    """
    import yaml

    try:
        data = yaml.load(text, Loader=_loader())  # a SafeLoader subclass
    except RecursionError:
        raise ValueError("YAML nested too deeply") from None
    if _expanded_sizes()(data, frozenset()) > MAX_YAML_VALUES:
        raise ValueError(f"its aliases expand to more than {MAX_YAML_VALUES:,} values")
    try:
        _check_values(data, (), set(), LocatedYaml(Path("<yaml>"), data, text), "YAML value")
    except ConfigError as exc:
        raise ValueError(exc.message) from None
    return data


def _check_values(
    value: Any, pointer: Pointer, parents: set[int], doc: LocatedYaml, what: str
) -> None:
    """Reject what no costgate file means: NaN / infinite numbers and self-referencing
    aliases (which would loop forever or poison Decimal arithmetic)."""
    import math

    if len(pointer) > MAX_NESTING:
        raise ConfigError(
            f"invalid {what} at {format_pointer(pointer[:8])}...: nested more than "
            f"{MAX_NESTING} levels",
            path=str(doc.path),
        )
    if isinstance(value, int) and abs(value).bit_length() > _MAX_INT_BITS:
        raise ConfigError(
            f"invalid {what} at {format_pointer(pointer)}: the number is out of range; "
            f"{NUMBER_LIMIT_TEXT}",
            path=str(doc.path),
            location=doc.location(pointer),
        )
    if isinstance(value, float) and not math.isfinite(value):
        raise ConfigError(
            f"invalid {what} at {format_pointer(pointer)}: {value} is not a finite number",
            path=str(doc.path),
            location=doc.location(pointer),
        )
    if not isinstance(value, (dict, list)):
        return
    if id(value) in parents:
        raise ConfigError(
            f"invalid {what} at {format_pointer(pointer)}: an alias refers to "
            "a node that contains it",
            path=str(doc.path),
            location=doc.location(pointer),
        )
    parents.add(id(value))
    items = value.items() if isinstance(value, dict) else enumerate(value)
    for key, item in items:
        _check_values(
            item, (*pointer, key if isinstance(key, int) else str(key)), parents, doc, what
        )
    parents.discard(id(value))


def _collect_marks(
    node: Any,
    pointer: Pointer,
    marks: dict[Pointer, tuple[int, int]],
    ancestors: frozenset[int] = frozenset(),
) -> None:
    import yaml

    marks[pointer] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if id(node) in ancestors or len(marks) > MAX_YAML_VALUES:
        return  # an alias to an enclosing node (_check_values reports it), or an alias bomb
    ancestors = ancestors | {id(node)}
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            child = (*pointer, str(key_node.value))
            marks[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            _collect_marks(value_node, child, marks, ancestors)
            marks[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _collect_marks(item, (*pointer, index), marks, ancestors)
