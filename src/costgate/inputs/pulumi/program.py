"""Pulumi Python programs (`Pulumi.yaml` with `runtime: python`) -> resources, no Pulumi CLI.

The program runs in a child process (`runner.py`) under the real `pulumi` SDK with
`pulumi.runtime.set_mocks` in preview mode: every resource it registers is recorded with
its type token and inputs, nothing reaches a cloud or the Pulumi service. The child has a
timeout and is killed with its whole process group, so a program that hangs, loops or
crashes costs an exit-2 error naming the cause, never a stuck or crashed costgate.

Stack selection: pass the directory (a project with one `Pulumi.<stack>.yaml`) or the stack
file itself. Config comes from `Pulumi.yaml` (project values and defaults) overlaid with the
stack file; secure values cannot be decrypted and reach the program as a placeholder.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from costgate.errors import InputError
from costgate.extras import require_installed
from costgate.inputs import PULUMI_PROJECT_FILES
from costgate.inputs.base import InputOptions, Stack
from costgate.inputs.pulumi.state import StateReader, input_values, is_cloud_resource
from costgate.model import Action, Origin

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
        project = _load_project(path)
        states = _run(project)
        reader = StateReader(
            states,
            path=str(project.directory),
            origin=Origin.PULUMI_PROGRAM,
            config=project.config,
            source_root=str(project.directory),
        )
        resources = tuple(
            reader.resource(state, input_values(state), Action.CREATE)
            for state in states
            if is_cloud_resource(state)
        )
        return Stack(
            path=str(path), format=self.name, resources=resources, warnings=project.warnings
        )


def _yaml(path: Path) -> Mapping[str, Any]:
    from costgate.validation import load_yaml

    data = load_yaml(path, "Pulumi project or stack file").data
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise InputError("expected a YAML mapping", path=str(path))
    return data


def _load_project(path: Path) -> _Project:
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
        python=_interpreter(directory, options),
        warnings=tuple(warnings),
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


def _interpreter(directory: Path, options: Mapping[str, Any]) -> str:
    """The program's virtualenv Python if it has one, else the one running costgate."""
    override = os.environ.get("COSTGATE_PULUMI_PYTHON")
    if override:
        return override
    candidates = [options.get("virtualenv"), ".venv", "venv"]
    for candidate in candidates:
        if not candidate:
            continue
        for sub in ("bin/python", "Scripts/python.exe"):
            python = directory / str(candidate) / sub
            if python.is_file():
                return str(python)
    return sys.executable


def _timeout() -> float:
    raw = os.environ.get("COSTGATE_PULUMI_TIMEOUT")
    try:
        return float(raw) if raw else DEFAULT_TIMEOUT_SECONDS
    except ValueError as exc:
        raise InputError(f"COSTGATE_PULUMI_TIMEOUT={raw!r} is not a number of seconds") from exc


def _run(project: _Project) -> list[dict[str, Any]]:
    """Run the program in a child process; its registrations, or an InputError saying why not."""
    request = {
        "program": str(project.directory),
        "main": project.main,
        "project": project.name,
        "stack": project.stack,
        "config": project.config,
        "secret_keys": list(project.secret_keys),
    }
    if project.python == sys.executable:
        # no virtualenv of the program's own: the runner imports pulumi from costgate's
        require_installed("pulumi", "pulumi", "reading Pulumi programs")
    timeout = _timeout()
    env = {
        **os.environ,
        "PYTHONDONTWRITEBYTECODE": "1",  # leave no __pycache__ in the repo
        "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
    }
    env.pop("PULUMI_CONFIG", None)
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
    return resources


def _kill(proc: subprocess.Popen[bytes]) -> None:
    """Stop the child and anything it started."""
    try:
        if os.name == "posix":
            os.killpg(proc.pid, signal.SIGKILL)
        else:  # pragma: no cover
            proc.kill()
    except ProcessLookupError:
        pass
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
    return f"the Pulumi program failed under costgate's mocks: {error.get('type')}: {message}"
