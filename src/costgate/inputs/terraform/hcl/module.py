"""Evaluate a Terraform root module (and the local-path modules it calls) into resources.

Everything is computed on first use and memoised, so a value is evaluated once however
often it is referenced, and a value that depends on itself is reported as a cycle naming
the chain. Resource attributes that the configuration does not set (ids, ARNs) and every
data source attribute are `UNKNOWN`, as in a plan. Remote modules are read from where
`terraform init` put them or fetched into costgate's cache (`inputs/terraform/modules/`);
those that cannot be, and `count` / `for_each` values only known after apply, become
placeholder resources with the reason, plus a warning, so nothing the evaluator could
not read disappears.
"""

from __future__ import annotations

import linecache
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from costgate.errors import InputError
from costgate.inputs.base import InputOptions
from costgate.inputs.normalize import effective_tags, provider_name, region_from_attributes
from costgate.inputs.terraform.hcl.evaluate import (
    ComputedObject,
    EvalError,
    Expr,
    HclError,
    Lazy,
    LazyList,
    Scope,
    UnsupportedFunction,
    evaluate,
    has_unknown,
    plain,
    references,
    string,
)
from costgate.inputs.terraform.hcl.functions import FUNCTIONS, file_functions
from costgate.inputs.terraform.hcl.functions import call as call_function
from costgate.inputs.terraform.hcl.parsing import parse_files
from costgate.inputs.terraform.hcl.sandbox import Outside, Sandbox, repository_root
from costgate.inputs.terraform.hcl.syntax import Attribute, Block, Body, reference_name
from costgate.inputs.terraform.hcl.variables import VariableValue, constant, root_values, typed
from costgate.inputs.terraform.modules.failures import FetchStop
from costgate.inputs.terraform.modules.resolver import Located, ModuleResolver
from costgate.limits import MAX_INSTANCES_PER_BLOCK, MAX_INSTANCES_TOTAL
from costgate.model import (
    NOT_EVALUATED,
    UNKNOWN,
    Action,
    Origin,
    Resource,
    SourceLocation,
    freeze,
    is_unknown,
    strip_indexes,
)

RESOURCE_META = frozenset({"count", "for_each", "provider", "depends_on"})
RESOURCE_META_BLOCKS = frozenset({"lifecycle", "provisioner", "connection"})
MODULE_META = frozenset({"source", "version", "count", "for_each", "providers", "depends_on"})
LOCAL_SOURCES = ("./", "../", ".\\", "..\\")
_INSTANCE_TYPE = re.compile(
    r"^(?:ml\.|db\.|cache\.)?[a-z][a-z0-9-]*\d[a-z0-9-]*\.(?:nano|micro|small|medium|large|"
    r"\d*xlarge|metal(?:-\d+xl)?)$"
)


def terraform_files(directory: Path) -> list[Path]:
    """The `.tf` and `.tf.json` files Terraform reads from a directory, in name order."""
    return sorted(
        p for p in directory.iterdir() if p.name.endswith((".tf", ".tf.json")) and p.is_file()
    )


def _is_override(path: Path) -> bool:
    stem = path.name.removesuffix(".json").removesuffix(".tf")
    return stem == "override" or stem.endswith("_override")


@dataclass
class ModuleSource:
    """The parsed files of one module directory, indexed by what they declare."""

    directory: Path
    display: str
    variables: dict[str, Block] = field(default_factory=dict)
    locals: dict[str, Attribute] = field(default_factory=dict)
    outputs: dict[str, Block] = field(default_factory=dict)
    providers: list[Block] = field(default_factory=list)
    required_providers: dict[str, Attribute] = field(default_factory=dict)
    """`terraform { required_providers { ... } }` entries by local name."""
    resources: dict[tuple[str, str], Block] = field(default_factory=dict)
    resource_types: set[str] = field(default_factory=set)
    calls: dict[str, Block] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)


def _provider_sources(source: ModuleSource) -> dict[str, str]:
    """Local provider name -> source address, from literal `required_providers` entries
    (`aws-v3 = { source = "hashicorp/aws" }`), so a renamed provider keeps its identity."""
    found: dict[str, str] = {}
    for name, attr in source.required_providers.items():
        try:
            value = constant(attr.expr, "required_providers", attr.file, attr.line)
        except InputError:
            continue  # not a literal: the local name stands for itself
        if isinstance(value, dict) and isinstance(value.get("source"), str):
            found[name] = value["source"]
    return found


def load_source(
    directory: Path, display: str, sandbox: Sandbox, only: str | None = None
) -> ModuleSource:
    """Parse every Terraform file of *directory*, or only the file named *only* (override
    files are reported, not merged); a file whose real path is outside the repository is
    an error, never read."""
    source = ModuleSource(directory, display)
    files: list[tuple[Path, str]] = []
    for path in terraform_files(directory):
        if only is not None and path.name != only:
            continue
        file = str(Path(display) / path.name)
        if _is_override(path):
            source.skipped.append(f"{file}: override files are not merged; ignored")
        else:
            files.append((path, file))
    for body in parse_files(
        files, lambda path, shown: sandbox.source_file(path, shown, "the Terraform file")
    ):
        for block in body.blocks:
            _index_block(source, block)
    return source


def _index_block(source: ModuleSource, block: Block) -> None:
    def unique(table: dict[Any, Any], key: Any, what: str) -> None:
        if key in table:
            first = table[key]
            raise InputError(
                f"{what} is declared twice (also at {first.file}:{first.line})",
                path=block.file,
                location=str(block.line),
            )
        table[key] = block

    labels = block.labels
    if block.type == "resource" and len(labels) == 2:
        unique(source.resources, (labels[0], labels[1]), f"resource {labels[0]}.{labels[1]}")
        source.resource_types.add(labels[0])
    elif block.type == "variable" and labels:
        unique(source.variables, labels[0], f"variable {labels[0]!r}")
    elif block.type == "output" and labels:
        unique(source.outputs, labels[0], f"output {labels[0]!r}")
    elif block.type == "module" and labels:
        unique(source.calls, labels[0], f"module {labels[0]!r}")
    elif block.type == "provider" and labels:
        source.providers.append(block)
    elif block.type == "terraform":
        for inner in block.body.blocks:
            if inner.type == "required_providers":
                source.required_providers.update(inner.body.attributes)
    elif block.type == "locals":
        for name, attr in block.body.attributes.items():
            if name in source.locals:
                first = source.locals[name]
                raise InputError(
                    f"local value {name!r} is declared twice (also at {first.file}:{first.line})",
                    path=attr.file,
                    location=str(attr.line),
                )
            source.locals[name] = attr


class _Namespace(Lazy):
    """`var`, `local`, `module` or a resource type: attributes looked up by a function."""

    def __init__(self, what: str, getter: Callable[[str], Any]):
        self.what = what
        self.getter = getter

    def get(self, name: str) -> Any:
        return self.getter(name)

    def materialize(self) -> Any:
        raise EvalError(f"{self.what} cannot be used as a whole value")


class _Instance(Lazy):
    """A resource instance: configured attributes; everything else unknown until apply."""

    def __init__(self, module: ModuleInstance, block: Block, key: Any, names: dict[str, Any]):
        self.module, self.block, self.key, self.names = module, block, key, names

    def get(self, name: str) -> Any:
        value = self.materialize().get(name)
        if value == () and _declares_block(self.block.body, name):
            return _Blocks(())  # a dynamic block with no content: the provider may add one
        return UNKNOWN if value is None else _computed(value)

    def materialize(self) -> Any:
        return self.module.attributes(self.block, self.key, self.names)


def _declares_block(body: Body, name: str) -> bool:
    """Whether *name* is written as a nested block (plain or `dynamic`) in *body*."""
    return any(
        b.type == name or (b.type == "dynamic" and b.labels[:1] == (name,)) for b in body.blocks
    )


class _Block(Lazy):
    """A nested block of a resource: the provider computes what it does not set
    (`vpc_config[0].cluster_security_group_id`), so a missing attribute is unknown."""

    def __init__(self, values: dict[str, Any]):
        self.values = values

    def get(self, name: str) -> Any:
        value = self.values.get(name)
        return UNKNOWN if value is None else _computed(value)

    def materialize(self) -> Any:
        return ComputedObject(self.values)


class _Blocks(LazyList):
    """The blocks of one type in a resource: an index beyond those configured is a block
    the provider may add at apply time (`kubelet_identity[0]`), so it is unknown."""

    def __init__(self, blocks: tuple[dict[str, Any], ...]):
        self.blocks = blocks

    def get(self, name: str) -> Any:
        try:
            position = int(name)
        except ValueError:
            raise EvalError(f"a list of blocks is indexed by number, got {name!r}") from None
        if 0 <= position < len(self.blocks):
            return _Block(self.blocks[position])
        return UNKNOWN

    def materialize(self) -> Any:
        return tuple(_Block(b) for b in self.blocks)


def _computed(value: Any) -> Any:
    """A resource attribute as other expressions read it: nested blocks read lazily."""
    if isinstance(value, tuple) and value and all(isinstance(v, dict) for v in value):
        return _Blocks(value)
    return value


class _ModuleValue(Lazy):
    """A local module instance as seen by its caller: its outputs."""

    def __init__(self, child: ModuleInstance):
        self.child = child

    def get(self, name: str) -> Any:
        return self.child.output(name)

    def materialize(self) -> Any:
        return {name: self.child.output(name) for name in self.child.source.outputs}


class ProviderConfig:
    """A provider block's region and default tags, evaluated in its module."""

    def __init__(self, module: ModuleInstance | None, block: Block | None):
        self.module = module
        self.block = block
        self._region: str | bool | None = False
        self._tags: dict[str, str] | None = None

    @property
    def region(self) -> str | None:
        if self._region is False:
            value = None
            if self.module and self.block and "region" in self.block.body.attributes:
                value = plain(
                    self.module.eval_attr(self.block.body.attributes["region"], Scope(self.module))
                )
            self._region = value if isinstance(value, str) and value else None
        return self._region  # type: ignore[return-value]

    @property
    def default_tags(self) -> dict[str, str]:
        """AWS `default_tags { tags = ... }`, or Google's `default_labels = ...`."""
        if self._tags is None:
            tags: dict[str, str] = {}
            labels = self.block.body.attributes.get("default_labels") if self.block else None
            if labels is not None and self.module is not None:
                value = plain(self.module.eval_attr(labels, Scope(self.module)))
                if isinstance(value, dict):
                    tags.update({k: v for k, v in value.items() if isinstance(v, str)})
            for inner in self.block.body.blocks if self.block and self.module else ():
                if inner.type == "default_tags" and "tags" in inner.body.attributes:
                    assert self.module is not None
                    value = plain(
                        self.module.eval_attr(inner.body.attributes["tags"], Scope(self.module))
                    )
                    if isinstance(value, dict):
                        tags.update({k: v for k, v in value.items() if isinstance(v, str)})
            self._tags = tags
        return self._tags


_NO_PROVIDER_BLOCK = ProviderConfig(None, None)


@dataclass
class _Expansion:
    """The instances of a resource or module call, or why they are unknown."""

    instances: list[tuple[Any, dict[str, Any]]] | None
    reason: str = ""


class Run:
    """One evaluation of a root module directory."""

    def __init__(
        self, directory: Path, display: str, options: InputOptions, only: str | None = None
    ):
        self.directory = directory
        self.only = only
        """The one root module file to read (a single `.tf` file given as input)."""
        self.options = options
        self.warnings: list[str] = []
        self.sandbox = Sandbox(repository_root(directory))
        self.instances = 0
        """Resource and module instances so far, against MAX_INSTANCES_TOTAL."""
        self.functions = {**FUNCTIONS, **file_functions(directory, self.sandbox)}
        self._sources: dict[Path, ModuleSource] = {}
        self._done: dict[str, Any] = {}
        self._active: dict[str, str] = {}
        self.given = root_values(directory, display, options, self.sandbox)
        self.remote = ModuleResolver(
            directory, display, options.environ or os.environ, options.offline
        )
        self.remote_calls: dict[str, Located | str] = {}
        """Remote module calls by modules.json key: where their files are, or why not."""
        self.root = ModuleInstance(self, self.source(directory, display), "", None, None, {}, {})

    def source(self, directory: Path, display: str) -> ModuleSource:
        if directory not in self._sources:
            only = self.only if directory == self.directory else None
            source = load_source(directory, display, self.sandbox, only)
            self.warnings.extend(source.skipped)
            self._sources[directory] = source
        return self._sources[directory]

    def memo(
        self, key: str, label: str, where: Attribute | Block, compute: Callable[[], Any]
    ) -> Any:
        """Compute once; a value that needs itself is a cycle, reported with its chain."""
        if key in self._done:
            return self._done[key]
        if key in self._active:
            labels = list(self._active.values())
            chain = [*labels[list(self._active).index(key) :], label]
            raise InputError(
                f"cycle: {' -> '.join(chain)} refer to each other; Terraform "
                "cannot evaluate a value that depends on itself",
                path=where.file,
                location=str(where.line),
            )
        self._active[key] = label
        try:
            value = compute()
        finally:
            del self._active[key]
        self._done[key] = value
        return value

    def count_instances(self, count: int, where: Attribute | Block) -> None:
        """Add *count* instances to the run's total; past MAX_INSTANCES_TOTAL, exit 2."""
        self.instances += count
        if self.instances > MAX_INSTANCES_TOTAL:
            raise InputError(
                f"more than {MAX_INSTANCES_TOTAL:,} resource and module instances in total "
                "(count / for_each across modules); costgate reads at most that many",
                path=where.file,
                location=str(where.line),
            )

    def located(self, where: Attribute | Block, exc: Exception) -> InputError:
        """An evaluation error with the file, line and the expression's source text."""
        text = linecache.getline(where.file, where.line).strip()
        if len(text) > 120:
            text = text[:117] + "..."
        shown = f" `{text}`" if text else ""
        return InputError(
            f"cannot evaluate{shown}: {exc}", path=where.file, location=str(where.line)
        )

    def resources(self) -> list[Resource]:
        """Every resource of the root module and its local modules, in declaration order."""
        for name in self.root.source.variables:
            self.root.variable(name)  # Terraform requires every root variable up front
        out: list[Resource] = []
        self.root.collect(out)
        return out


class ModuleInstance:
    """One instance of a module: its variables, locals, resources, outputs and providers."""

    def __init__(
        self,
        run: Run,
        source: ModuleSource,
        address: str,
        parent: ModuleInstance | None,
        call: Block | None,
        call_names: dict[str, Any],
        inherited: dict[str, ProviderConfig],
    ):
        self.run = run
        self.source = source
        self.address = address
        self.prefix = f"{address}." if address else ""
        self.parent = parent
        self.call_block = call
        self.call_names = call_names
        self.providers = dict(inherited)
        self.provider_sources = _provider_sources(source)
        for block in source.providers:
            alias = block.body.attributes.get("alias")
            key = block.labels[0]
            if alias is not None:
                key += "." + string(constant(alias.expr, "provider alias", alias.file, alias.line))
            self.providers[key] = ProviderConfig(self, block)
        self._names: dict[str, Any] = {
            "var": _Namespace("var", self.variable),
            "local": _Namespace("local", self.local),
            "module": _Namespace("module", self.module_value),
            "path": {  # relative to the root module, where file() resolves paths
                "module": _relative(source.directory, run.directory),
                "root": ".",
                "cwd": str(run.directory.resolve()),
            },
            "terraform": {"workspace": "default"},
            "data": UNKNOWN,
            "self": UNKNOWN,
        }
        self._references: dict[int, dict[str, tuple[str, ...]]] = {}
        if call is not None:
            self._check_inputs(call)

    # -- names --------------------------------------------------------------------------

    def root(self, name: str) -> Any:
        if name in self._names:
            return self._names[name]
        if name in self.source.resource_types:
            namespace = _Namespace(name, lambda n: self.resource_value(name, n))
            self._names[name] = namespace
            return namespace
        if name == "resource":  # `resource.aws_vpc.main`: the same as `aws_vpc.main`
            return _Namespace("resource", self.resource_type)
        if name in ("count", "each"):
            raise HclError(
                f"{name} is only available in a resource or module with {name}"
                f"{'' if name == 'count' else '.for_each'}"
            )
        raise HclError(
            f"reference to undeclared name {name!r} (no resource of that type in "
            f"{self.source.display})"
        )

    def resource_type(self, name: str) -> Any:
        """The resources of type *name* (`resource.<type>.<name>`)."""
        if name not in self.source.resource_types:
            raise HclError(f"reference to undeclared resource type resource.{name}")
        return self.root(name)

    def call(self, name: str, args: list[Any]) -> Any:
        if name.startswith("provider::"):
            return UNKNOWN  # provider-defined functions run inside the provider plugin
        function = self.run.functions.get(name)
        if function is None:
            raise UnsupportedFunction(
                f"function {name}() is not supported by costgate's HCL evaluator; see "
                "docs/terraform-hcl.md for the functions it implements"
            )
        return call_function(name, function, args)

    def eval_attr(self, attr: Attribute, scope: Scope) -> Any:
        try:
            value = evaluate(attr.expr, scope)
        except (HclError, RecursionError) as exc:
            raise self.run.located(attr, exc) from None
        for note in self.run.sandbox.take_notes():
            warning = f"{note.replace('` ', f'` at {attr.file}:{attr.line} ', 1)}"
            if warning not in self.run.warnings:
                self.run.warnings.append(warning)
        return value

    def _key(self, kind: str, name: str) -> str:
        return f"{self.address}|{kind}|{name}"

    # -- variables, locals, outputs -------------------------------------------------------

    def variable(self, name: str) -> Any:
        block = self.source.variables.get(name)
        if block is None:
            raise HclError(f"reference to undeclared input variable var.{name}")
        return self.run.memo(
            self._key("var", name),
            f"{self.prefix}var.{name}",
            block,
            lambda: self._variable_value(name, block),
        )

    def _variable_value(self, name: str, block: Block) -> Any:
        type_attr = block.body.attributes.get("type")
        type_expr = type_attr.expr if type_attr else None
        given: VariableValue | None = None
        if self.call_block is None:
            given = self.run.given.get(name)
        elif name in self.call_block.body.attributes:
            attr = self.call_block.body.attributes[name]
            assert self.parent is not None
            value = self.parent.eval_attr(attr, Scope(self.parent, self.call_names))
            origin = f"module {self.call_block.labels[0]!r} input {name}"
            given = VariableValue(plain(value), origin)
        default = block.body.attributes.get("default")
        if given is not None and given.value is None and default is not None:
            nullable = block.body.attributes.get("nullable")
            if nullable is not None and nullable.expr == ("lit", False):
                given = None  # `nullable = false`: a null argument takes the default
        if given is not None:
            return typed(given, type_expr, name)
        if default is not None:
            value = constant(
                default.expr, f"default of variable {name!r}", default.file, default.line
            )
            return typed(VariableValue(value, f"default of {name}"), type_expr, name)
        self.run.warnings.append(
            f"{block.file}:{block.line}: variable {name!r} has no value and no default; "
            f"evaluated as unknown (set it with --var {name}=VALUE, --var-file, "
            f"terraform.tfvars or TF_VAR_{name})"
        )
        return UNKNOWN

    def _check_inputs(self, call: Block) -> None:
        name = call.labels[0]
        for input_name, attr in call.body.attributes.items():
            if input_name not in MODULE_META and input_name not in self.source.variables:
                raise InputError(
                    f"module {name!r} has no variable {input_name!r} (its "
                    f"source is {self.source.display})",
                    path=attr.file,
                    location=str(attr.line),
                )
        for var_name, block in self.source.variables.items():
            if (
                var_name not in call.body.attributes
                and "default" not in block.body.attributes
                and not self.run.options.unset_variables_unknown
            ):
                raise InputError(
                    f"module {name!r} does not set its required variable "
                    f"{var_name!r} (declared at {block.file}:{block.line})",
                    path=call.file,
                    location=str(call.line),
                )

    def local(self, name: str) -> Any:
        attr = self.source.locals.get(name)
        if attr is None:
            raise HclError(f"reference to undeclared local value local.{name}")
        return self.run.memo(
            self._key("local", name),
            f"{self.prefix}local.{name}",
            attr,
            lambda: self.eval_attr(attr, Scope(self)),
        )

    def output(self, name: str) -> Any:
        block = self.source.outputs.get(name)
        if block is None:
            raise HclError(f"module {self.address} has no output {name!r}")
        value = block.body.attributes.get("value")
        if value is None:
            return None
        return self.run.memo(
            self._key("output", name),
            f"{self.prefix}output.{name}",
            value,
            lambda: self.eval_attr(value, Scope(self)),
        )

    # -- resources ------------------------------------------------------------------------

    def resource_value(self, type_: str, name: str) -> Any:
        block = self.source.resources.get((type_, name))
        if block is None:
            raise HclError(f"reference to undeclared resource {type_}.{name}")
        expansion = self.expansion(block, f"{type_}.{name}")
        return self._expanded_value(
            block, expansion, lambda key, names: _Instance(self, block, key, names)
        )

    @staticmethod
    def _expanded_value(
        block: Block, expansion: _Expansion, make: Callable[[Any, dict[str, Any]], Any]
    ) -> Any:
        if expansion.instances is None:
            return UNKNOWN
        attributes = block.body.attributes
        if "count" in attributes:
            return tuple(make(key, names) for key, names in expansion.instances)
        if "for_each" in attributes:
            return {key: make(key, names) for key, names in expansion.instances}
        key, names = expansion.instances[0]
        return make(key, names)

    def expansion(self, block: Block, label: str) -> _Expansion:
        """count / for_each instances of a resource or module call."""
        expansion: _Expansion = self.run.memo(
            self._key("expand", label),
            f"{self.prefix}{label}",
            block,
            lambda: self._expand(block, label),
        )
        return expansion

    def _expand(self, block: Block, label: str) -> _Expansion:
        attributes = block.body.attributes
        if "count" in attributes:
            attr = attributes["count"]
            value = plain(self.eval_attr(attr, Scope(self)))
            if is_unknown(value):
                return _Expansion(None, "count is only known after apply")
            try:
                count = (
                    int(value)
                    if not isinstance(value, bool) and value is not None and int(value) == value
                    else -1
                )
            except (TypeError, ValueError):
                count = -1
            if count < 0:
                raise self.run.located(
                    attr, EvalError(f"count must be a whole number of zero or more, got {value!r}")
                )
            self._check_instances(count, attr)
            return _Expansion([(i, {"count": {"index": i}}) for i in range(count)])
        if "for_each" in attributes:
            attr = attributes["for_each"]
            value = plain(self.eval_attr(attr, Scope(self)))
            if is_unknown(value) or (isinstance(value, tuple) and has_unknown(value)):
                return _Expansion(None, "for_each is only known after apply")
            if isinstance(value, (dict, tuple)):
                self._check_instances(len(value), attr)
            if isinstance(value, dict):
                return _Expansion(
                    [(k, {"each": {"key": k, "value": v}}) for k, v in sorted(value.items())]
                )
            if isinstance(value, tuple) and all(isinstance(v, str) for v in value):
                return _Expansion(
                    [(v, {"each": {"key": v, "value": v}}) for v in sorted(set(value))]
                )
            raise self.run.located(attr, EvalError("for_each must be a map or a set of strings"))
        return _Expansion([(None, {})])

    def _check_instances(self, count: int, attr: Attribute) -> None:
        if count > MAX_INSTANCES_PER_BLOCK:
            raise InputError(
                f"{count:,} instances; costgate reads at most {MAX_INSTANCES_PER_BLOCK:,} "
                "instances of one resource or module call",
                path=attr.file,
                location=str(attr.line),
            )

    def attributes(self, block: Block, key: Any, names: dict[str, Any]) -> dict[str, Any]:
        """The configured attributes of one resource instance, nested blocks as tuples."""
        label = f"{self.prefix}{block.labels[0]}.{block.labels[1]}{_suffix(key)}"
        values: dict[str, Any] = self.run.memo(
            self._key("resource", label),
            label,
            block,
            lambda: self.eval_body(
                block.body, Scope(self, names), RESOURCE_META, RESOURCE_META_BLOCKS
            ),
        )
        return values

    def eval_body(
        self,
        body: Body,
        scope: Scope,
        skip: frozenset[str] = frozenset(),
        skip_blocks: frozenset[str] = frozenset(),
    ) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, attr in body.attributes.items():
            if name not in skip:
                out[name] = plain(self.eval_attr(attr, scope))
        grouped: dict[str, Any] = {}
        for block in body.blocks:
            if block.type in skip_blocks:
                continue
            if block.type == "dynamic" and block.labels:
                self._dynamic(block, scope, grouped)
            elif not is_unknown(grouped.get(block.type)):
                grouped.setdefault(block.type, []).append(self.eval_body(block.body, scope))
        for name, blocks in grouped.items():
            out[name] = UNKNOWN if is_unknown(blocks) else tuple(blocks)
        return out

    def _dynamic(self, block: Block, scope: Scope, grouped: dict[str, Any]) -> None:
        name = block.labels[0]
        each = block.body.attributes.get("for_each")
        content = next((b for b in block.body.blocks if b.type == "content"), None)
        if each is None or content is None:
            raise self.run.located(
                block, EvalError(f"dynamic {name!r} needs for_each and a content block")
            )
        iterator = name
        if "iterator" in block.body.attributes:
            iterator = reference_name(block.body.attributes["iterator"].expr)
        collection = plain(self.eval_attr(each, scope))
        if is_unknown(collection):
            grouped[name] = UNKNOWN
            return
        if is_unknown(grouped.get(name)):
            return
        target = grouped.setdefault(name, [])
        try:
            pairs = list(_pairs(collection))
        except EvalError as exc:
            raise self.run.located(each, exc) from None
        for key, value in pairs:
            inner = scope.bind(**{iterator: {"key": key, "value": value}})
            target.append(self.eval_body(content.body, inner))

    # -- modules --------------------------------------------------------------------------

    def module_value(self, name: str) -> Any:
        call = self.source.calls.get(name)
        if call is None:
            raise HclError(f"reference to undeclared module module.{name}")
        if isinstance(self.remote_location(call), str):
            return UNKNOWN
        expansion = self.expansion(call, f"module.{name}")
        children = dict(self.children(name))
        return self._expanded_value(
            call, expansion, lambda key, _names: _ModuleValue(children[key])
        )

    def remote_source(self, call: Block) -> str | None:
        """The source of a module call that is not a local path, else None."""
        source = self.module_source(call)
        return None if source.startswith(LOCAL_SOURCES) else source

    def remote_location(self, call: Block) -> Located | str | None:
        """Where a remote module call's files are, why they are not read (a reason), or
        None for a local-path call; asked once per call (modules.json key) per run."""
        source = self.remote_source(call)
        if source is None:
            return None
        parts = strip_indexes(self.address).split(".")[1::2]
        key = ".".join([*parts, call.labels[0]])
        if key not in self.run.remote_calls:
            version = self._version(call)
            try:
                found = self.run.remote.locate(key, source, version or None)
            except FetchStop as exc:
                raise InputError(
                    f"module {call.labels[0]!r}: {exc}. Run `terraform init` first (costgate "
                    "then reads .terraform/modules), or --offline to list it as not evaluated",
                    path=call.file,
                    location=str(call.line),
                ) from None
            if isinstance(found, Located) and not (
                found.directory.is_dir() and terraform_files(found.directory)
            ):
                found = f"{found.display} has no Terraform files"
            if isinstance(found, Located) and found.tree is not None:
                self.run.sandbox.allow(found.tree)
            self.run.remote_calls[key] = found
            self.run.warnings.extend(self.run.remote.notes)
            self.run.remote.notes.clear()
        return self.run.remote_calls[key]

    def _version(self, call: Block) -> str:
        attr = call.body.attributes.get("version")
        if attr is None:
            return ""
        return str(constant(attr.expr, "module version", attr.file, attr.line))

    def module_source(self, call: Block) -> str:
        attr = call.body.attributes.get("source")
        if attr is None:
            raise InputError(
                f"module {call.labels[0]!r} has no source", path=call.file, location=str(call.line)
            )
        value = constant(attr.expr, "module source", attr.file, attr.line)
        if not isinstance(value, str):
            raise InputError(
                "module source must be a string", path=attr.file, location=str(attr.line)
            )
        return value

    def children(self, name: str) -> list[tuple[Any, ModuleInstance]]:
        call = self.source.calls[name]
        children: list[tuple[Any, ModuleInstance]] = self.run.memo(
            self._key("children", name),
            f"{self.prefix}module.{name}",
            call,
            lambda: self._make_children(call),
        )
        return children

    def _make_children(self, call: Block) -> list[tuple[Any, ModuleInstance]]:
        name = call.labels[0]
        relative = self.module_source(call)
        directory = Path(os.path.normpath(self.source.directory / relative))
        display = os.path.normpath(Path(self.source.display) / relative)
        located = self.remote_location(call)
        if isinstance(located, Located):
            directory, display = located.directory, located.display
        try:
            real = self.run.sandbox.real(directory)
        except Outside as why:
            raise InputError(
                f"module {name!r}: local source {relative!r} {why}; not read",
                path=call.file,
                location=str(call.line),
            ) from None
        caller: ModuleInstance | None = self
        while caller is not None:
            if os.path.realpath(caller.source.directory) == str(real):
                raise InputError(
                    f"module {name!r} calls {relative!r}, which is {caller.address or 'the root'}"
                    " module itself: a module cannot call itself",
                    path=call.file,
                    location=str(call.line),
                )
            caller = caller.parent
        if not directory.is_dir() or not terraform_files(directory):
            raise InputError(
                f"module {name!r}: local source {relative!r} has no Terraform files",
                path=call.file,
                location=str(call.line),
            )
        source = self.run.source(directory, display)
        providers = self._child_providers(call)
        expansion = self.expansion(call, f"module.{name}")
        self.run.count_instances(len(expansion.instances or ()), call)
        return [
            (
                key,
                ModuleInstance(
                    self.run,
                    source,
                    f"{self.prefix}module.{name}{_suffix(key)}",
                    self,
                    call,
                    names,
                    providers,
                ),
            )
            for key, names in expansion.instances or ()
        ]

    def _child_providers(self, call: Block) -> dict[str, ProviderConfig]:
        mapping = call.body.attributes.get("providers")
        if mapping is None:
            return {k: v for k, v in self.providers.items() if "." not in k}
        if mapping.expr[0] != "object":
            raise InputError(
                "providers must be a map like { aws = aws.west }",
                path=mapping.file,
                location=str(mapping.line),
            )
        out: dict[str, ProviderConfig] = {}
        for key_expr, value_expr in mapping.expr[1]:
            try:
                child_key, parent_key = reference_name(key_expr), reference_name(value_expr)
            except ValueError:
                raise InputError(
                    "providers entries must name provider configurations (aws = aws.west)",
                    path=mapping.file,
                    location=str(mapping.line),
                ) from None
            out[child_key] = self.provider(parent_key, mapping)
        return out

    def provider(self, key: str, where: Attribute | Block) -> ProviderConfig:
        if key in self.providers:
            return self.providers[key]
        if "." not in key:
            return _NO_PROVIDER_BLOCK
        raise InputError(
            f"provider configuration {key} is not declared in "
            f"{self.source.display or 'this module'}",
            path=where.file,
            location=str(where.line),
        )

    # -- collecting resources -------------------------------------------------------------

    def collect(self, out: list[Resource]) -> None:
        """Append this module's resources, then its module calls' resources."""
        for (type_, name), block in self.source.resources.items():
            expansion = self.expansion(block, f"{type_}.{name}")
            if expansion.instances is None:
                self._placeholder(
                    out,
                    block,
                    f"{self.prefix}{type_}.{name}",
                    f"{expansion.reason}: the instances of {type_}.{name} "
                    "cannot be counted before apply; not priced",
                    resource_type=type_,
                )
                continue
            self.run.count_instances(len(expansion.instances), block)
            for key, names in expansion.instances:
                out.append(self.record(block, key, self.attributes(block, key, names)))
        for name, call in self.source.calls.items():
            located = self.remote_location(call)
            if isinstance(located, str):
                self._placeholder(
                    out,
                    call,
                    f"{self.prefix}module.{name}",
                    self._remote_reason(call, self.module_source(call), located),
                )
                continue
            if self.expansion(call, f"module.{name}").instances is None:
                reason = self.expansion(call, f"module.{name}").reason
                self._placeholder(
                    out,
                    call,
                    f"{self.prefix}module.{name}",
                    f"{reason}: module instances cannot be counted; not priced",
                )
                continue
            for _key, child in self.children(name):
                child.collect(out)

    def _remote_reason(self, call: Block, source: str, why: str) -> str:
        version = self._version(call)
        reason = (
            f"remote module {source}{' ' + version if version else ''} not evaluated: {why}, "
            "so the resources it creates are not priced"
        )
        types = sorted(set(self._instance_types_in_inputs(call)))
        if types:
            reason += f"; its inputs name instance types {', '.join(types)}"
        return reason + " (price them from a `terraform show -json` plan)"

    def _instance_types_in_inputs(self, call: Block) -> Iterator[str]:
        for name, attr in call.body.attributes.items():
            if name in MODULE_META:
                continue
            try:
                value = plain(self.eval_attr(attr, Scope(self)))
            except InputError:
                continue
            yield from _strings_matching(value, _INSTANCE_TYPE)

    def _placeholder(
        self, out: list[Resource], block: Block, address: str, reason: str, resource_type: str = ""
    ) -> None:
        self.run.warnings.append(f"{address} ({block.file}:{block.line}): {reason}")
        attributes: dict[str, Any] = {"reason": reason}
        if resource_type:
            attributes["resource_type"] = resource_type  # a free type stays free, uncounted
        if block.type == "module":
            attributes["source"] = self.module_source(block)
        out.append(
            Resource(
                address=address,
                type=NOT_EVALUATED,
                provider="terraform",
                region=None,
                action=Action.CREATE,
                origin=Origin.TERRAFORM_HCL,
                attributes=freeze(attributes),
                source=SourceLocation(block.file, block.line),
                module=self.address,
                name=block.labels[-1] if block.labels else "",
                directives=block.directives,
            )
        )

    def record(self, block: Block, key: Any, values: dict[str, Any]) -> Resource:
        """The Resource for one evaluated instance."""
        type_, name = block.labels[0], block.labels[1]
        provider_attr = block.body.attributes.get("provider")
        provider_key = type_.split("_", 1)[0]
        if provider_attr is not None:
            try:
                provider_key = reference_name(provider_attr.expr)
            except ValueError:
                raise InputError(
                    "provider must name a provider configuration (aws.west)",
                    path=provider_attr.file,
                    location=str(provider_attr.line),
                ) from None
        provider = self.provider(provider_key, provider_attr or block)
        cloud = provider_name(provider_key, self.provider_sources)
        return Resource(
            address=f"{self.prefix}{type_}.{name}{_suffix(key)}",
            type=type_,
            provider=cloud,
            region=region_from_attributes(values) or provider.region,
            action=Action.CREATE,
            origin=Origin.TERRAFORM_HCL,
            attributes=freeze(values),
            tags=effective_tags(cloud, values, provider.default_tags),
            references=freeze(self.references(block)),
            source=SourceLocation(block.file, block.line),
            module=self.address,
            name=name,
            directives=block.directives,
        )

    def references(self, block: Block) -> dict[str, tuple[str, ...]]:
        """attribute path -> referenced addresses, module-prefixed as in a plan (the same
        for every count / for_each instance of the block, so computed once)."""
        found = self._references.get(id(block))
        if found is None:
            found = self._references[id(block)] = self._block_references(block)
        return found

    def _block_references(self, block: Block) -> dict[str, tuple[str, ...]]:
        out: dict[str, tuple[str, ...]] = {}
        for path, expr in _expressions(block.body, "", RESOURCE_META):
            found = tuple(dict.fromkeys(self._addresses(expr, set())))
            if found:  # the blocks of a repeated block share a path: their references merge
                out[path] = tuple(dict.fromkeys((*out.get(path, ()), *found)))
        return out

    def _addresses(self, expr: Expr, seen: set[tuple[str, str, str]]) -> Iterator[str]:
        """Module-prefixed addresses *expr* refers to, directly or through locals, a child
        module's variables (the caller's argument) and module outputs, so a launch template
        passed as `local.launch_template_id` or `module.lt.id` still names the template."""
        prefix = f"{strip_indexes(self.address)}." if self.address else ""
        for ref in references(expr, named=_FOLLOWED):
            root, _, rest = ref.partition(".")
            if root in _FOLLOWED:
                yield from self._followed(root, rest, seen)
                continue
            yield prefix + ref
            if root == "module":
                yield from self._output_addresses(ref, seen)

    def _followed(self, kind: str, name: str, seen: set[tuple[str, str, str]]) -> Iterator[str]:
        """What `local.<name>` or `var.<name>` refers to, each followed once per attribute."""
        if (self.address, kind, name) in seen:
            return
        seen.add((self.address, kind, name))
        if kind == "local":
            attr = self.source.locals.get(name)
            if attr is not None:
                yield from self._addresses(attr.expr, seen)
        elif self.parent is not None and self.call_block is not None:
            argument = self.call_block.body.attributes.get(name)
            if argument is not None:
                yield from self.parent._addresses(argument.expr, seen)

    def _output_addresses(self, ref: str, seen: set[tuple[str, str, str]]) -> Iterator[str]:
        """What output `module.<call>.<output>` refers to inside the (first instance of
        the) called module; nothing for a module that cannot be read."""
        parts = strip_indexes(ref).split(".")
        if len(parts) < 3 or parts[1] not in self.source.calls:
            return
        if (self.address, "output", ref) in seen:
            return
        seen.add((self.address, "output", ref))
        try:
            children = self.children(parts[1])
        except InputError:
            return
        output = children[0][1].source.outputs.get(parts[2]) if children else None
        value = output.body.attributes.get("value") if output is not None else None
        if value is not None:
            yield from children[0][1]._addresses(value.expr, seen)


_FOLLOWED = frozenset({"local", "var"})
"""Reference roots followed to what they refer to (`Resource.references`)."""


def _expressions(body: Body, prefix: str, skip: frozenset[str]) -> Iterator[tuple[str, Expr]]:
    for name, attr in body.attributes.items():
        if name not in skip:
            yield f"{prefix}{name}", attr.expr
    for block in body.blocks:
        if block.type in RESOURCE_META_BLOCKS:
            continue
        if block.type == "dynamic" and block.labels:
            content = next((b for b in block.body.blocks if b.type == "content"), None)
            if content is not None:
                yield from _expressions(content.body, f"{prefix}{block.labels[0]}.", skip)
            continue
        yield from _expressions(block.body, f"{prefix}{block.type}.", frozenset())


def _relative(directory: Path, root: Path) -> str:
    """*directory* as Terraform's `path.module` gives it: relative to the root module."""
    return os.path.relpath(os.path.abspath(directory), os.path.abspath(root))


def _pairs(collection: Any) -> Iterator[tuple[Any, Any]]:
    if isinstance(collection, dict):
        return iter(sorted(collection.items()))
    if isinstance(collection, tuple):
        return iter(enumerate(collection))
    raise EvalError("for_each must be a map, set or list")


def _suffix(key: Any) -> str:
    if key is None:
        return ""
    if isinstance(key, int):
        return f"[{key}]"
    return f'["{key}"]'


def _strings_matching(value: Any, pattern: re.Pattern[str]) -> Iterator[str]:
    if isinstance(value, str):
        if pattern.match(value):
            yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings_matching(item, pattern)
    elif isinstance(value, tuple):
        for item in value:
            yield from _strings_matching(item, pattern)
