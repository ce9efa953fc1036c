"""Run a Pulumi Python program under `pulumi.runtime.set_mocks` and record what it registers.

This file runs in a child process started by `costgate.inputs.pulumi.program`, under the
program's own interpreter when it has a virtualenv, so it imports nothing from costgate:
only the standard library and the `pulumi` SDK the program already needs.

Protocol: a JSON request on stdin (`program`, `main`, `project`, `stack`, `config`,
`secret_keys`); the result is written as JSON to the file named by the only argument:
`{"resources": [state, ...]}` on success, `{"error": {...}}` when the program fails. Each
state has the shape of a resource in `pulumi stack export` (`urn`, `type`, `custom`,
`inputs` in wire form, `parent`, `provider`, `propertyDependencies`, `sourcePosition`), so
the parent reads all three Pulumi inputs with one converter.
"""

from __future__ import annotations

import json
import os
import runpy
import sys
import traceback
from typing import Any

UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
"""The Pulumi wire encoding of a value that is unknown during preview."""


def _plain(value: Any) -> Any:
    """JSON-ready copy of a protobuf Struct value: integral floats back to ints."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _source_position(request: Any, program: str) -> str | None:
    """`project:///file.py#line` of the innermost stack frame inside the program directory.

    The SDK's own `sourcePosition` guess is often empty (it counts `__init__` frames), so
    the request's stack trace is searched instead.
    """
    prefix = "file://" + program + "/"
    for frame in request.stackTrace.frames:
        if frame.pc.uri.startswith(prefix):
            return f"project:///{frame.pc.uri[len(prefix) :]}#{frame.pc.line}"
    return None


def _error(kind: str, exc: BaseException, program: str) -> dict[str, Any]:
    """What went wrong, located at the deepest frame inside the program directory."""
    where = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if os.path.abspath(frame.filename).startswith(program + os.sep):
            where = f"{os.path.relpath(frame.filename, program)}:{frame.lineno}"
    detail: dict[str, Any] = {
        "kind": kind,
        "type": type(exc).__name__,
        "message": str(exc).strip() or type(exc).__name__,
        "where": where,
    }
    if isinstance(exc, ModuleNotFoundError):
        detail["module"] = exc.name
    return detail


def _run_main(main_file: str) -> None:
    runpy.run_path(main_file, run_name="__main__")


def run(request: dict[str, Any]) -> dict[str, Any]:
    """Execute the program once under mocks; return its registrations or its error."""
    program = os.path.abspath(request["program"])
    try:
        import pulumi
        from google.protobuf import json_format
        from pulumi.runtime import mocks
        from pulumi.runtime.stack import run_pulumi_func
        from pulumi.runtime.sync_await import _sync_await
    except ImportError as exc:
        return {"error": _error("sdk-missing", exc, program)}

    recorded: list[dict[str, Any]] = []

    class Recorder(mocks.MockMonitor):
        """Keeps each registration request: inputs, parent, provider, dependencies."""

        def make_urn(self, parent: str, type_: str, name: str) -> str:
            # The engine leaves the root stack out of its children's URNs; so do we.
            if parent.split("::")[2:3] == ["pulumi:pulumi:Stack"]:
                parent = ""
            return str(super().make_urn(parent, type_, name))

        def RegisterResource(self, req: Any) -> Any:
            response = super().RegisterResource(req)  # type: ignore[no-untyped-call]
            if req.type != "pulumi:pulumi:Stack":
                state: dict[str, Any] = {
                    "urn": response.urn,
                    "custom": bool(req.custom),
                    "type": req.type,
                    "inputs": _plain(json_format.MessageToDict(req.object)),
                    "parent": req.parent or None,
                    "provider": req.provider or None,
                    "propertyDependencies": {
                        key: list(deps.urns) for key, deps in req.propertyDependencies.items()
                    },
                    "dependencies": list(req.dependencies),
                }
                position = _source_position(req, program)
                if position:
                    state["sourcePosition"] = position
                recorded.append(state)
            return response

    class Echo(mocks.Mocks):
        """No cloud: resources get an unknown id and echo their inputs; invokes return {}."""

        def new_resource(self, args: Any) -> tuple[str, dict[str, Any]]:
            return "", dict(args.inputs)

        def call(self, args: Any) -> tuple[dict[str, Any], list[Any]]:
            return {}, []

    os.chdir(program)
    sys.path.insert(0, program)
    main_file = os.path.join(program, request["main"])  # absolute: frames get file URIs
    sys.argv = [main_file]
    pulumi.runtime.set_all_config(request.get("config") or {}, request.get("secret_keys") or [])
    mocks.set_mocks(
        Echo(),
        project=request["project"],
        stack=request["stack"],
        preview=True,
        monitor=Recorder(Echo()),
    )
    try:
        _sync_await(run_pulumi_func(lambda: _run_main(main_file)))
    except ModuleNotFoundError as exc:
        return {"error": _error("missing-module", exc, program)}
    except SystemExit as exc:
        if exc.code not in (None, 0):
            return {"error": _error("exit", exc, program)}
    except BaseException as exc:
        return {"error": _error("exception", exc, program)}
    return {"resources": recorded}


def main() -> None:
    """Entry point of the child process."""
    out = sys.argv[1]
    request = json.load(sys.stdin)
    result = run(request)
    with open(out, "w", encoding="utf-8") as handle:
        json.dump(result, handle)
    sys.exit(1 if "error" in result else 0)


if __name__ == "__main__":
    main()
