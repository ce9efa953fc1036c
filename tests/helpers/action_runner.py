"""A small GitHub Actions runner for one composite action: runs action.yml's steps in order.

What it does as the runner does: evaluates `if:` and `${{ }}` expressions (contexts
`inputs`, `steps`, `github`, `runner`; `success()`, `failure()`, `always()`, `cancelled()`;
`==`, `!=`, `&&`, `||`, `!`), gives each `run:` step a fresh `$GITHUB_OUTPUT`, applies
`$GITHUB_ENV` to later steps, runs scripts with `bash --noprofile --norc -eo pipefail`,
honours `continue-on-error` (outcome failure, conclusion success) and fails the job when
a step's conclusion is failure. Nested `uses:` actions are Python stand-ins (`USES`):
setup-python answers with this interpreter; cache/restore and cache/save keep entries in
a directory; upload-sarif posts to the fake GitHub like the real one does and fails on
an error status. Several invocations share one job (RUNNER_TEMP, GITHUB_ENV, the job's
status), as two `uses:` of the action in one job do.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

# --- expressions ---------------------------------------------------------------------------

_TOKEN = re.compile(
    r"\s*(?:(?P<str>'(?:[^']|'')*')|(?P<num>\d+(?:\.\d+)?)|(?P<op>==|!=|&&|\|\||!|\(|\))"
    r"|(?P<name>[A-Za-z_][\w.\-]*))"
)


def _tokens(text: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    text = text.strip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise ValueError(f"cannot parse expression at {text[pos:]!r}")
        kind = match.lastgroup or ""
        out.append((kind, match.group(kind)))
        pos = match.end()
    return out


@dataclass
class _Parser:
    tokens: list[tuple[str, str]]
    context: Mapping[str, Any]
    functions: Mapping[str, Callable[[], bool]]
    pos: int = 0

    def peek(self) -> str | None:
        return self.tokens[self.pos][1] if self.pos < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        self.pos += 1
        return self.tokens[self.pos - 1]

    def parse(self) -> Any:
        value = self.either()
        if self.pos != len(self.tokens):
            raise ValueError(f"trailing tokens: {self.tokens[self.pos :]}")
        return value

    def either(self) -> Any:
        value = self.both()
        while self.peek() == "||":
            self.take()
            right = self.both()
            value = value if truthy(value) else right
        return value

    def both(self) -> Any:
        value = self.unary()
        while self.peek() == "&&":
            self.take()
            right = self.unary()
            value = right if truthy(value) else value
        return value

    def unary(self) -> Any:
        if self.peek() == "!":
            self.take()
            return not truthy(self.unary())
        left = self.primary()
        if self.peek() in ("==", "!="):
            op = self.take()[1]
            same = _equal(left, self.primary())
            return same if op == "==" else not same
        return left

    def primary(self) -> Any:
        kind, text = self.take()
        if text == "(":
            inner = self.either()
            self.take()
            return inner
        if kind == "str":
            return text[1:-1].replace("''", "'")
        if kind == "num":
            return float(text)
        if text in ("true", "false"):
            return text == "true"
        if text == "null":
            return None
        if self.peek() == "(":
            self.take()
            self.take()
            return self.functions[text]()
        found: Any = self.context
        for part in text.split("."):
            found = found.get(part) if isinstance(found, Mapping) else None
        return found


def truthy(value: Any) -> bool:
    return value not in (None, False, "", 0)


def _number(value: Any) -> float:
    """GitHub's coercion when types differ: null 0, booleans 1/0, '' 0, other text parsed."""
    if value is None or value == "":
        return 0.0
    if isinstance(value, bool):
        return float(value)
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


def _equal(a: Any, b: Any) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        return a.lower() == b.lower()
    if type(a) is type(b):
        return bool(a == b)
    return _number(a) == _number(b)


def evaluate(
    text: str, context: Mapping[str, Any], functions: Mapping[str, Callable[[], bool]]
) -> Any:
    inner = text.strip()
    if inner.startswith("${{") and inner.endswith("}}"):
        inner = inner[3:-2]
    return _Parser(_tokens(inner), context, functions).parse()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    return value if isinstance(value, str) else json.dumps(value)


def substitute(text: str, context: Mapping[str, Any]) -> str:
    """`${{ expr }}` inside a string replaced by the expression's value."""
    return re.sub(r"\$\{\{(.*?)\}\}", lambda m: _text(evaluate(m.group(1), context, {})), str(text))


# --- nested actions ------------------------------------------------------------------------


@dataclass
class UsesResult:
    exit_code: int = 0
    outputs: dict[str, str] = field(default_factory=dict)
    stdout: str = ""


UsesHandler = Callable[["Job", dict[str, str]], UsesResult]


def _setup_python(job: Job, with_: dict[str, str]) -> UsesResult:
    assert with_.get("update-environment") == "false", "setup-python must leave the job's python"
    version = ".".join(map(str, sys.version_info[:3]))
    return UsesResult(outputs={"python-path": sys.executable, "python-version": version})


def _paths(with_: dict[str, str]) -> list[Path]:
    return [Path(p.strip()) for p in with_["path"].splitlines() if p.strip()]


def _cache_restore(job: Job, with_: dict[str, str]) -> UsesResult:
    job.cache_log.append(("restore", with_["key"]))
    keys = [with_["key"], *[k for k in with_.get("restore-keys", "").splitlines() if k]]
    stored = sorted(job.cache_dir.iterdir()) if job.cache_dir.is_dir() else []
    for wanted in keys:
        exact = wanted == with_["key"]
        hit = next(
            (
                e
                for e in reversed(stored)
                if e.name == wanted or (not exact and e.name.startswith(wanted))
            ),
            None,
        )
        if hit is None:
            continue
        for index, path in enumerate(_paths(with_)):
            if (hit / str(index)).exists():
                shutil.rmtree(path, ignore_errors=True)
                shutil.copytree(hit / str(index), path, symlinks=True)
        return UsesResult(outputs={"cache-hit": _text(exact), "cache-matched-key": hit.name})
    if job.warm_install and with_["key"].startswith("costgate-install-"):
        fake_venv(_paths(with_)[0])
        return UsesResult(outputs={"cache-hit": "true", "cache-matched-key": with_["key"]})
    return UsesResult(outputs={"cache-hit": "false"})


def _cache_save(job: Job, with_: dict[str, str]) -> UsesResult:
    job.cache_log.append(("save", with_["key"]))
    entry = job.cache_dir / with_["key"]
    if entry.exists():
        return UsesResult(stdout=f"::warning::Cache already exists: {with_['key']}\n")
    for index, path in enumerate(_paths(with_)):
        if path.exists():
            shutil.copytree(path, entry / str(index), symlinks=True)
    entry.mkdir(parents=True, exist_ok=True)
    return UsesResult()


def _upload_sarif(job: Job, with_: dict[str, str]) -> UsesResult:
    """POST /repos/{repo}/code-scanning/sarifs, as codeql-action does; an error fails it."""
    payload = json.dumps(
        {"sarif": Path(with_["sarif_file"]).read_text(), "category": with_.get("category")}
    ).encode()
    request = urllib.request.Request(
        f"{job.env['GITHUB_API_URL']}/repos/{job.env['GITHUB_REPOSITORY']}/code-scanning/sarifs",
        data=payload,
        method="POST",
        headers={"Authorization": f"Bearer {job.token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10):
            return UsesResult(stdout="Successfully uploaded results\n")
    except urllib.error.HTTPError as exc:
        return UsesResult(
            1, stdout=f"::error::Resource not accessible by integration ({exc.code})\n"
        )


USES: dict[str, UsesHandler] = {
    "actions/setup-python": _setup_python,
    "actions/cache/restore": _cache_restore,
    "actions/cache/save": _cache_save,
    "github/codeql-action/upload-sarif": _upload_sarif,
}


def fake_venv(venv: Path) -> None:
    """A restored install: wrappers that run this checkout's costgate (no pip, no network)."""
    (venv / "bin").mkdir(parents=True, exist_ok=True)
    here = Path(sys.executable).parent
    for name, target in (("python", sys.executable), ("costgate", str(here / "costgate"))):
        script = venv / "bin" / name
        script.write_text(f'#!/bin/sh\nexec "{target}" "$@"\n')
        script.chmod(0o755)


# --- the job -------------------------------------------------------------------------------


@dataclass
class StepRun:
    name: str
    id: str | None
    outcome: str
    conclusion: str
    stdout: str = ""
    stderr: str = ""
    outputs: dict[str, str] = field(default_factory=dict)


@dataclass
class Invocation:
    steps: list[StepRun]
    outputs: dict[str, str]
    failed: bool

    def step(self, name: str) -> StepRun:
        return next(s for s in self.steps if s.name == name)

    @property
    def log(self) -> str:
        return "".join(s.stdout + s.stderr for s in self.steps)

    def commands(self, kind: str) -> list[str]:
        """Workflow commands (`::error ...`) printed by the steps, as the runner reads them."""
        return [line for line in self.log.splitlines() if line.startswith(f"::{kind}")]


class Job:
    """One job on a fake runner: the workspace, the event, the environment the runner sets."""

    def __init__(
        self,
        action: Path,
        workspace: Path,
        home: Path,
        event_name: str,
        event: dict[str, Any],
        api_url: str = "http://127.0.0.1:9",
        token: str = "",
        actor: str = "someone",
    ) -> None:
        self.action = action
        self.metadata = yaml.safe_load((action / "action.yml").read_text())
        self.workspace = workspace
        self.token = token
        self.event = event
        home.mkdir(parents=True, exist_ok=True)
        self.temp = home / "runner-temp"
        self.temp.mkdir(exist_ok=True)
        self.cache_dir = home / "actions-cache"
        self.cache_log: list[tuple[str, str]] = []
        self.warm_install = True
        event_path = home / "event.json"
        event_path.write_text(json.dumps(event))
        self.github: dict[str, Any] = {
            "event_name": event_name,
            "event": event,
            "action_path": str(action),
            "workspace": str(workspace),
            "repository": "o/r",
            "token": token,
            "actor": actor,
            "base_ref": event.get("pull_request", {}).get("base", {}).get("ref", ""),
            "sha": "f" * 40,
        }
        self.env: dict[str, str] = {
            "PATH": os.environ["PATH"],
            "HOME": str(home),
            "LANG": "C.UTF-8",
            "CI": "true",
            "GITHUB_ACTIONS": "true",
            "GITHUB_EVENT_NAME": event_name,
            "GITHUB_EVENT_PATH": str(event_path),
            "GITHUB_REPOSITORY": "o/r",
            "GITHUB_API_URL": api_url,
            "GITHUB_GRAPHQL_URL": api_url + "/graphql",
            "GITHUB_WORKSPACE": str(workspace),
            "GITHUB_RUN_ID": "77",
            "GITHUB_RUN_ATTEMPT": "1",
            "GITHUB_SHA": self.github["sha"],
            "GITHUB_ACTOR": actor,
            "RUNNER_TEMP": str(self.temp),
            "RUNNER_TOOL_CACHE": str(home / "toolcache"),
            "RUNNER_OS": "Linux",
            "RUNNER_ARCH": "X64",
            "GITHUB_STEP_SUMMARY": str(home / "step-summary.md"),
        }
        self.failed = False
        self._files = 0

    def _file(self, stem: str) -> Path:
        self._files += 1
        path = self.temp.parent / f"{stem}-{self._files}"
        path.write_text("")
        return path

    def use(self, inputs: Mapping[str, str] | None = None, *, always: bool = False) -> Invocation:
        """`- uses: ./` with these inputs; skipped when the job already failed, unless *always*."""
        if self.failed and not always:
            return Invocation([], {}, failed=False)
        spec = self.metadata["inputs"]
        given = dict(inputs or {})
        unknown = set(given) - set(spec)
        assert not unknown, f"not inputs of the action: {unknown}"
        context: dict[str, Any] = {"github": self.github, "runner": {"os": "Linux"}}
        values = {
            name: given.get(name, substitute(str(s.get("default", "")), context))
            for name, s in spec.items()
        }
        context["inputs"] = values
        steps: dict[str, dict[str, Any]] = {}
        context["steps"] = steps
        runs: list[StepRun] = []
        broken = False  # a step concluded as failure: later steps need failure()/always()
        functions = {
            "success": lambda: not broken,
            "failure": lambda: broken,
            "always": lambda: True,
            "cancelled": lambda: False,
        }
        for step in self.metadata["runs"]["steps"]:
            name = step.get("name", step.get("uses", "run"))
            condition = str(step.get("if", "success()"))
            if not re.search(r"\b(success|failure|always|cancelled)\(", condition):
                condition = f"success() && ({condition})"
            if not truthy(evaluate(condition, context, functions)):
                run = StepRun(name, step.get("id"), "skipped", "skipped")
            else:
                run = self._run_step(step, context)
                if run.outcome == "failure" and step.get("continue-on-error"):
                    run.conclusion = "success"
                broken = broken or run.conclusion == "failure"
            runs.append(run)
            if step.get("id"):
                steps[step["id"]] = {
                    "outputs": run.outputs,
                    "outcome": run.outcome,
                    "conclusion": run.conclusion,
                }
        outputs = {
            name: substitute(spec["value"], context)
            for name, spec in self.metadata.get("outputs", {}).items()
        }
        self.failed = self.failed or broken
        return Invocation(runs, outputs, broken)

    def _run_step(self, step: dict[str, Any], context: dict[str, Any]) -> StepRun:
        name = step.get("name", "")
        if "uses" in step:
            uses = str(step["uses"])
            assert re.search(r"@[0-9a-f]{40}$", uses), f"{uses} is not pinned to a commit"
            with_ = {k: substitute(_text(v), context) for k, v in step.get("with", {}).items()}
            result = USES[uses.split("@", 1)[0]](self, with_)
            outcome = "success" if result.exit_code == 0 else "failure"
            return StepRun(
                name, step.get("id"), outcome, outcome, result.stdout, "", result.outputs
            )
        output_file, env_file = self._file("output"), self._file("env")
        env = {
            **self.env,
            **{k: substitute(_text(v), context) for k, v in step.get("env", {}).items()},
            "GITHUB_OUTPUT": str(output_file),
            "GITHUB_ENV": str(env_file),
        }
        script = self._file("script.sh")
        script.write_text(step["run"])
        cwd = self.workspace / substitute(str(step.get("working-directory", ".")), context)
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            env=env,
            cwd=cwd,
            text=True,
            capture_output=True,
            check=False,
            timeout=120,
        )
        for line in env_file.read_text().splitlines():
            key, _, value = line.partition("=")
            self.env[key] = value
        outputs = dict(
            line.split("=", 1) for line in output_file.read_text().splitlines() if "=" in line
        )
        outcome = "success" if done.returncode == 0 else "failure"
        return StepRun(name, step.get("id"), outcome, outcome, done.stdout, done.stderr, outputs)
