"""Pulumi Python programs (`Pulumi.yaml` with `runtime: python`) -> resources, no Pulumi CLI.

The program runs in a child process (`runner.py`) under the real `pulumi` SDK with
`pulumi.runtime.set_mocks` in preview mode: every resource it registers is recorded with
its type token and inputs, nothing reaches a cloud or the Pulumi service. The program is
a pull request's code: the child gets an allow-listed environment, runs in its own
session and is killed with everything it started at the timeout (`sandbox.py`), so a
program that hangs, loops or crashes costs an exit-2 error naming the cause, never a
stuck or crashed costgate. It runs under costgate's own interpreter; the program's own
virtualenv (a `.venv/bin/python` in the repository, which the PR controls) only with
`--allow-program-interpreter` or `COSTGATE_ALLOW_PROGRAM_INTERPRETER=1`.

Stack selection: pass the directory (a project with one `Pulumi.<stack>.yaml`) or the stack
file itself. Config comes from `Pulumi.yaml` (project values and defaults) overlaid with the
stack file; secure values cannot be decrypted and reach the program as a placeholder.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from costgate.errors import InputError
from costgate.extras import require_installed
from costgate.inputs import PULUMI_PROJECT_FILES
from costgate.inputs.base import InputOptions, Stack
from costgate.inputs.pulumi.runner import DEFAULT_REGION
from costgate.inputs.pulumi.sandbox import kill_tree, scrubbed_environment
from costgate.inputs.pulumi.state import StateReader, input_values, is_cloud_resource
from costgate.model import NOT_EVALUATED, Action, Origin, Resource, freeze

DEFAULT_TIMEOUT_SECONDS = 60.0
"""How long a program may run; `COSTGATE_PULUMI_TIMEOUT` (seconds) overrides it."""

SECRET_PLACEHOLDER = "costgate-cannot-decrypt-secrets"
"""What a program reads for a `secure:` config value (costgate has no decryption key)."""

RUNNER = Path(__file__).with_name("runner.py")
_STACK_FILE = re.compile(r"^Pulumi\.(?P<stack>.+)\.ya?ml$")
_CONFIG_DECLARATION_KEYS = {"type", "description", "default", "value", "secret", "items"}


@dataclass(frozen=True)
class _Project:
    directory: Path
    name: str
    main: str
    stack: str
    config: dict[str, str]
    secret_keys: tuple[str, ...]
    python: str
    warnings: tuple[str, ...]


def _project_file(directory: Path) -> Path | None:
    return next((directory / n for n in PULUMI_PROJECT_FILES if (directory / n).is_file()), None)


class PulumiProgram:
    """Runs a Pulumi Python program under mocks and reads what it registers."""

    name = "pulumi-program"

    def recognises(self, path: Path) -> bool:
        if path.is_dir():
            return _project_file(path) is not None
        return bool(_STACK_FILE.match(path.name)) and _project_file(path.parent) is not None

    def read(self, path: Path, options: InputOptions) -> Stack:
        """Run the program; *options* (Terraform variables) do not apply to Pulumi."""
        project = _load_project(path, options.allow_program_interpreter)
        states, run_warnings = _run(project)
        reader = StateReader(
            states,
            path=str(project.directory),
            origin=Origin.PULUMI_PROGRAM,
            config=project.config,
            source_root=str(project.directory),
        )
        resources = tuple(
            reader.resource(state, input_values(state), Action.CREATE)
            if is_cloud_resource(state)
            else _remote_component(reader, state)
            for state in states
            if is_cloud_resource(state) or state.get("remote")
        )
        run_warnings += [
            f"{r.address} ({r.source.file if r.source else project.directory}"
            f"{f':{r.source.line}' if r.source and r.source.line else ''}): "
            f"{r.attributes['reason']}"
            for r in resources
            if r.type == NOT_EVALUATED
        ]
        return Stack(
            path=str(path),
            format=self.name,
            resources=resources,
            warnings=(*project.warnings, *run_warnings),
        )


def _remote_component(reader: StateReader, state: Mapping[str, Any]) -> Resource:
    """A multi-language component (`awsx.ec2.Vpc`, `eks.Cluster`): its provider plugin
    creates its resources, and costgate does not run plugins: an unpriced placeholder."""
    resource = reader.resource(state, {}, Action.CREATE)
    token = str(state.get("type"))
    reason = (
        f"remote component {token}: its resources are created by the {token.split(':')[0]} "
        "provider plugin, which costgate does not run, so they are not priced (price a "
        "`pulumi preview --json` of the stack to see them)"
    )
    return replace(
        resource,
        type=NOT_EVALUATED,
        attributes=freeze({"reason": reason, "pulumi_type": token}),
        tags=freeze({}),
        references=freeze({}),
    )


def _yaml(path: Path) -> Mapping[str, Any]:
    from costgate.validation import load_yaml

    data = load_yaml(path, "Pulumi project or stack file").data
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise InputError("expected a YAML mapping", path=str(path))
    return data


def _load_project(path: Path, allow_program: bool = False) -> _Project:
    directory = path if path.is_dir() else path.parent
    project_file = _project_file(directory)
    assert project_file is not None
    doc = _yaml(project_file)
    name = doc.get("name")
    if not isinstance(name, str) or not name:
        raise InputError("`name` is missing; expected the project name", path=str(project_file))
    runtime = doc.get("runtime")
    runtime_name = runtime.get("name") if isinstance(runtime, Mapping) else runtime
    options = (runtime.get("options") or {}) if isinstance(runtime, Mapping) else {}
    if runtime_name != "python":
        raise InputError(
            f"runtime {runtime_name!r} is not supported: costgate runs Python programs only; "
            "for other runtimes pass the output of `pulumi preview --json` instead",
            path=str(project_file),
            location="runtime",
        )
    stack, stack_file, warnings = _stack(path, directory)
    config, secrets = _config(name, doc.get("config") or {}, project_file)
    if stack_file is not None:
        stack_config, stack_secrets = _config(
            name, _yaml(stack_file).get("config") or {}, stack_file, declarations=False
        )
        config.update(stack_config)
        secrets += stack_secrets
        if _yaml(stack_file).get("environment"):
            warnings.append(
                f"{stack_file.name}: Pulumi ESC environments are not read; "
                "config they provide is missing"
            )
    if secrets:
        warnings.append(
            f"secret config {', '.join(sorted(secrets))} cannot be decrypted; the "
            f"program reads {SECRET_PLACEHOLDER!r} instead"
        )
    python, interpreter_warnings = _interpreter(directory, options, allow_program)
    main = doc.get("main") or "."
    main_path = directory / str(main)
    if main_path.is_dir():
        main_path = main_path / "__main__.py"
    if not main_path.is_file():
        raise InputError(
            f"the program's entry point {main_path.name} does not exist", path=str(main_path)
        )
    return _Project(
        directory=directory.resolve(),
        name=name,
        main=str(main_path.resolve().relative_to(directory.resolve())),
        stack=stack,
        config=config,
        secret_keys=tuple(secrets),
        python=python,
        warnings=(*warnings, *interpreter_warnings),
    )


def _stack(path: Path, directory: Path) -> tuple[str, Path | None, list[str]]:
    if path.is_file():
        match = _STACK_FILE.match(path.name)
        assert match is not None
        return match["stack"], path, []
    files = sorted(p for p in directory.iterdir() if _STACK_FILE.match(p.name))
    if len(files) == 1:
        match = _STACK_FILE.match(files[0].name)
        assert match is not None
        return match["stack"], files[0], []
    if not files:
        return (
            "dev",
            None,
            [
                f"{directory}: no Pulumi.<stack>.yaml; ran stack 'dev' with the "
                "project's config only"
            ],
        )
    names = ", ".join(f.name for f in files)
    raise InputError(
        f"the project has several stacks ({names}); pass the stack file to "
        f"use, e.g. {directory / files[0].name}",
        path=str(directory),
    )


def _config(
    project: str, raw: Any, where: Path, *, declarations: bool = True
) -> tuple[dict[str, str], list[str]]:
    """Config as the engine hands it to a program: `ns:key` -> string (JSON for objects)."""
    if not isinstance(raw, Mapping):
        raise InputError("`config` is not a mapping", path=str(where), location="config")
    values: dict[str, str] = {}
    secrets: list[str] = []
    for key, value in raw.items():
        full = str(key) if ":" in str(key) else f"{project}:{key}"
        if declarations and isinstance(value, Mapping) and set(value) <= _CONFIG_DECLARATION_KEYS:
            if "value" not in value and "default" not in value:
                continue
            value = value.get("value", value.get("default"))
        if isinstance(value, Mapping) and set(value) == {"secure"}:
            secrets.append(full)
            value = SECRET_PLACEHOLDER
        values[full] = value if isinstance(value, str) else json.dumps(value)
    return values, secrets


ALLOW_INTERPRETER_VARIABLE = "COSTGATE_ALLOW_PROGRAM_INTERPRETER"
"""Set to 1 to run a program under its own virtualenv's Python (as --allow-program-interpreter)."""


def _program_venv_python(
    directory: Path, options: Mapping[str, Any]
) -> tuple[Path | None, str, list[str]]:
    """The program's own virtualenv Python, where it came from, and warnings.

    As `pulumi` looks it up: `runtime.options.virtualenv` (relative to the project
    directory), `toolchain: uv` -> `.venv`; failing those (or with none declared), a
    `.venv` or `venv` in the project.
    """
    declared = options.get("virtualenv")
    toolchain = options.get("toolchain")
    notes: list[str] = []
    candidates: list[tuple[str, str]] = []
    if declared:
        candidates.append((str(declared), "Pulumi.yaml's runtime.options.virtualenv"))
    if toolchain == "uv":
        candidates.append((".venv", "toolchain uv"))
    candidates += [(".venv", "the project's .venv"), ("venv", "the project's venv")]
    tried: set[str] = set()
    for candidate, origin in candidates:
        if candidate in tried:
            continue
        tried.add(candidate)
        for sub in ("bin/python", "Scripts/python.exe"):
            python = directory / candidate / sub
            if python.is_file():
                return python, origin, notes
        if candidate == declared:
            notes.append(
                f"{directory}: Pulumi.yaml names the virtualenv {candidate!r}, which does not "
                "exist (costgate does not create it or install its requirements)"
            )
    if toolchain == "poetry":
        notes.append(
            f"{directory}: toolchain poetry keeps its virtualenv outside the project unless "
            "it is in-project (.venv); costgate does not ask poetry where it is"
        )
    return None, "", notes


def _interpreter(
    directory: Path, options: Mapping[str, Any], allow_program: bool
) -> tuple[str, list[str]]:
    """The Python to run the program with, and warnings that say which one was used.

    `COSTGATE_PULUMI_PYTHON` (set by whoever runs costgate) wins; the program's own
    virtualenv Python is the pull request's executable, used only when allowed; else the
    one running costgate, which then needs the pulumi SDK.
    """
    override = os.environ.get("COSTGATE_PULUMI_PYTHON")
    own, origin, notes = _program_venv_python(directory, options)
    if override:
        used = f"{directory}: the program ran under {override} (COSTGATE_PULUMI_PYTHON)"
        return override, ([*notes, used] if notes or own is not None else [])
    allow_program = allow_program or os.environ.get(ALLOW_INTERPRETER_VARIABLE) == "1"
    if own is not None and allow_program:
        return str(own), [
            *notes,
            f"{directory}: the program ran under its own interpreter {own} ({origin}), "
            "as --allow-program-interpreter allows",
        ]
    if own is None:  # the runner imports pulumi from costgate's environment
        require_installed("pulumi", "pulumi", "reading Pulumi programs")
    elif importlib.util.find_spec("pulumi") is None:
        raise InputError(
            f"the program has its own interpreter ({own}, {origin}), which is not run without "
            f"--allow-program-interpreter (or {ALLOW_INTERPRETER_VARIABLE}=1, or the Action's "
            "allow-program-interpreter input): the pull request controls it. Allow it, or "
            f"install pulumi and the program's packages for {sys.executable}",
            path=str(directory),
        )
    if own is not None:
        notes.append(
            f"{directory}: the program ran under costgate's Python {sys.executable}; its own "
            f"interpreter {own} ({origin}) is not used (the pull request controls it). Pass "
            "--allow-program-interpreter to use it"
        )
    elif notes:
        notes.append(f"{directory}: the program ran under costgate's Python {sys.executable}")
    return sys.executable, notes


def _timeout() -> float:
    raw = os.environ.get("COSTGATE_PULUMI_TIMEOUT")
    try:
        return float(raw) if raw else DEFAULT_TIMEOUT_SECONDS
    except ValueError as exc:
        raise InputError(f"COSTGATE_PULUMI_TIMEOUT={raw!r} is not a number of seconds") from exc


def _run(project: _Project) -> tuple[list[dict[str, Any]], list[str]]:
    """Run the program in a child process: its registrations and warnings about the invokes
    it made, or an InputError saying why not."""
    request = {
        "program": str(project.directory),
        "main": project.main,
        "project": project.name,
        "stack": project.stack,
        "config": project.config,
        "secret_keys": list(project.secret_keys),
    }
    timeout = _timeout()
    env = scrubbed_environment(os.environ)
    with tempfile.TemporaryDirectory(prefix="costgate-pulumi-") as tmp:
        out = Path(tmp) / "result.json"
        try:
            proc = subprocess.Popen(
                [project.python, str(RUNNER), str(out)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                cwd=project.directory,
                env=env,
                start_new_session=os.name == "posix",
            )
        except OSError as exc:
            raise InputError(
                f"cannot start {project.python}: {exc.strerror}", path=str(project.directory)
            ) from exc
        try:
            _, stderr = proc.communicate(json.dumps(request).encode(), timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill(proc)
            raise InputError(
                f"the Pulumi program did not finish within {timeout:g} s and was stopped "
                "(an endless loop, or waiting for something that never comes without a cloud?); "
                "raise COSTGATE_PULUMI_TIMEOUT if it is just slow",
                path=str(project.directory),
            ) from None
        result = _result(out)
    if result is None:
        tail = stderr.decode(errors="replace").strip().splitlines()[-3:]
        raise InputError(
            f"the Pulumi program's process ended (exit code {proc.returncode}) without a "
            "result" + (f"; last output: {' | '.join(tail)}" if tail else ""),
            path=str(project.directory),
        )
    if "error" in result:
        raise InputError(
            _summary(result["error"], project),
            path=str(project.directory),
            location=result["error"].get("where"),
        )
    resources = result.get("resources")
    if not isinstance(resources, list):
        raise InputError("the Pulumi runner returned no resource list", path=str(project.directory))
    return resources, _invoke_warnings(result, project)


def _invoke_warnings(result: Mapping[str, Any], project: _Project) -> list[str]:
    """One warning per invoke token: answered with placeholders, or with nothing."""
    seen: dict[str, list[str]] = {}
    mocked: dict[str, bool] = {}
    for invoke in result.get("invokes") or []:
        if not isinstance(invoke, Mapping):
            continue
        token = str(invoke.get("token"))
        seen.setdefault(token, [])
        if invoke.get("where") and invoke["where"] not in seen[token]:
            seen[token].append(str(invoke["where"]))
        mocked[token] = bool(invoke.get("mocked"))
    warnings = []
    for token, places in seen.items():
        where = f" ({', '.join(places[:3])}{', …' if len(places) > 3 else ''})" if places else ""
        if mocked[token]:
            warnings.append(
                f"invoke {token}{where} was answered with costgate's placeholder values "
                "(no cloud is asked): what the program derives from it is a stand-in"
            )
        else:
            warnings.append(
                f"invoke {token}{where} has no mock in costgate: it returned an empty "
                "result, so values the program takes from it are missing"
            )
    defaulted = [str(p) for p in result.get("defaulted_regions") or []]
    if defaulted:
        keys = {"aws": "aws:region", "gcp": "gcp:region", "azure": "azure-native:location"}
        warnings.append(
            f"{project.directory}: no {', '.join(keys.get(p, p) for p in defaulted)} in the "
            "stack config: invokes answered with a default region ("
            + ", ".join(f"{p}: {r}" for p, r in DEFAULT_REGION.items() if p in defaulted)
            + ")"
        )
    return warnings


def _kill(proc: subprocess.Popen[bytes]) -> None:
    """Stop the child and anything it started (see `sandbox.kill_tree` for the limits)."""
    if os.name == "posix":
        kill_tree(proc.pid)
    else:  # pragma: no cover
        proc.kill()
    proc.communicate()


def _result(out: Path) -> dict[str, Any] | None:
    try:
        # fractional numbers as Decimal, as every other input reads them: never float money
        data = json.loads(out.read_text(encoding="utf-8"), parse_float=Decimal)
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _summary(error: Mapping[str, Any], project: _Project) -> str:
    kind = error.get("kind")
    message = " ".join(str(error.get("message", "")).split())  # one paragraph
    if kind == "sdk-missing":
        return (
            f"the `pulumi` SDK cannot be imported by {project.python} ({message}); install "
            "the program's requirements there, or set COSTGATE_PULUMI_PYTHON to the "
            "program's virtualenv Python"
        )
    if kind == "missing-module":
        return (
            f"the program imports `{error.get('module') or message}`, which is not "
            f"installed for {project.python}; install the program's requirements "
            "(e.g. `pip install -r requirements.txt`) in that environment"
        )
    if kind == "exit":
        return f"the Pulumi program exited with status {message}"
    invoke = error.get("invoke")
    if kind == "invoke" and isinstance(invoke, Mapping):
        called = f" (called at {invoke['where']})" if invoke.get("where") else ""
        if invoke.get("mocked"):
            cause = (
                f"a value from invoke {invoke.get('token')}{called}, which costgate answers "
                "with placeholder values (no cloud is asked)"
            )
        else:
            cause = (
                f"invoke {invoke.get('token')}{called}, which has no mock in costgate and "
                "returned an empty result (its values are None)"
            )
        return (
            f"the Pulumi program failed on {cause}: {error.get('type')}: {message}. Price "
            "the output of `pulumi preview --json` for this stack instead"
        )
    return f"the Pulumi program failed under costgate's mocks: {error.get('type')}: {message}"
