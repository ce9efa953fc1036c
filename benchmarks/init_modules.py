"""Lay out `.terraform/modules/` as `terraform init` would, from local git mirrors (issue 14).

    python benchmarks/init_modules.py ROOT_DIR [--mirrors /work/.mirror]

No network and no Terraform binary: for each `module` block of ROOT_DIR (and, recursively,
of the modules it installs) whose source is a registry address `NS/NAME/PROVIDER[//sub]`,
the mirror `MIRRORS/NS+terraform-PROVIDER-NAME/repo` (a bare git directory, as the `fetch`
tool leaves it) is asked for the newest tag the call's `version` constraint allows; that
tag's tree is extracted to `.terraform/modules/<key>` and recorded in `modules.json` with
`Key`, `Source`, `Version` and `Dir`, as init records it. A GitHub source
(`github.com/OWNER/REPO//sub?ref=X`, `git::https://github.com/...`) is extracted from the
mirror `MIRRORS/OWNER+REPO/repo` at its ref. Local sources are recorded with
their `Dir` (inside the parent's for an installed module) and walked for the registry
modules they call. A module without a mirror, or without a matching tag, is reported and
left out (costgate then lists it as not evaluated). Used to check the GPU node groups of the
EKS blueprints patterns are priced at their real instance types; nothing it extracts
belongs in this repository.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import subprocess
import sys
import tarfile
from pathlib import Path

from costgate.inputs.terraform.modules.versions import newest

MODULE = re.compile(r'^module\s+"([^"]+)"\s*\{(.*?)^\}', re.MULTILINE | re.DOTALL)
SOURCE = re.compile(r'^\s*source\s*=\s*"([^"]+)"', re.MULTILINE)
VERSION = re.compile(r'^\s*version\s*=\s*"([^"]+)"', re.MULTILINE)
REGISTRY = re.compile(r"^([\w-]+)/([\w-]+)/([\w-]+)(?://(.*))?$")
GITHUB = re.compile(
    r"^(?:git::https://|https://)?github\.com/([\w.-]+)/([\w.-]+?)(?:\.git)?(?://([^?]*))?"
    r"(?:\?ref=([^&]+))?$"
)


def calls(directory: Path) -> list[tuple[str, str, str | None]]:
    """(name, source, version) of each top-level `module` block in a directory's `.tf` files."""
    found = []
    for path in sorted(directory.glob("*.tf")):
        for match in MODULE.finditer(path.read_text(errors="replace")):
            body = match.group(2)
            source, version = SOURCE.search(body), VERSION.search(body)
            if source:
                found.append(
                    (match.group(1), source.group(1), version.group(1) if version else None)
                )
    return found


def tags(git_dir: Path) -> dict[str, str]:
    """Version -> tag name of a mirror's `vX.Y.Z` / `X.Y.Z` tags."""
    listed = subprocess.run(
        ["git", "--git-dir", str(git_dir), "tag"], capture_output=True, text=True, check=True
    ).stdout.split()
    return {t.removeprefix("v"): t for t in listed if re.fullmatch(r"v?\d+\.\d+\.\d+", t)}


MISSING = re.compile(r"invalid object \S+ \S+ for '([^']+)'")


def extract(git_dir: Path, tag: str, target: Path) -> None:
    """The tree of *tag* into *target* (`git archive`, read with tarfile's data filter).
    A snapshot may lack its largest blobs (a test fixture's zip): those files are left out
    and named, never the `.tf` files a module is read from."""
    left_out: list[str] = []
    while True:
        command = ["git", "--git-dir", str(git_dir), "archive", tag, "--", "."]
        command += [f":(exclude){path}" for path in left_out]
        done = subprocess.run(command, capture_output=True, check=False)
        missing = MISSING.search(done.stderr.decode(errors="replace"))
        if done.returncode == 0 or missing is None or missing.group(1).endswith(".tf"):
            done.check_returncode()
            break
        left_out.append(missing.group(1))
        print(
            f"{target.name}: {missing.group(1)} is not in the snapshot; left out", file=sys.stderr
        )
    archive = done.stdout
    target.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")


class Installer:
    """Walks module calls from the root and records what it installs."""

    def __init__(self, root: Path, mirrors: Path):
        self.root = root
        self.mirrors = mirrors
        self.modules = root / ".terraform" / "modules"
        self.entries: list[dict[str, str]] = [{"Key": "", "Source": "", "Dir": "."}]

    def install(self, directory: Path, prefix: str) -> None:
        for name, source, version in calls(directory):
            key = f"{prefix}{name}"
            if source.startswith(("./", "../")):
                # recorded like any other (init does), and walked: the registry modules
                # a local module calls are installed under its key (`eks.kms`)
                child = Path(os.path.normpath(directory / source))
                self._record(key, source, None, child)
                self.install(child, f"{key}.")
                continue
            registry, github = REGISTRY.match(source), GITHUB.match(source)
            if registry:
                namespace, module, provider, subdir = registry.groups()
                git_dir = self.mirrors / f"{namespace}+terraform-{provider}-{module}" / "repo"
            elif github:
                owner, repository, subdir, ref = github.groups()
                git_dir = self.mirrors / f"{owner}+{repository}" / "repo"
            else:
                print(
                    f"{key}: {source} is neither a registry nor a GitHub address; skipped",
                    file=sys.stderr,
                )
                continue
            if not git_dir.is_dir():
                print(f"{key}: no mirror {git_dir}; skipped", file=sys.stderr)
                continue
            if registry:
                available = tags(git_dir)
                chosen = newest(version, available)
                if chosen is None:
                    print(f"{key}: no tag of {git_dir} allows {version}", file=sys.stderr)
                    continue
                tree = available[chosen]
            else:  # a GitHub source names its ref; init records no version for it
                chosen, tree = None, ref or "HEAD"
            target = self.modules / key
            if not target.exists():
                try:
                    extract(git_dir, tree, target)
                except subprocess.CalledProcessError as exc:  # a snapshot missing objects
                    error = exc.stderr.decode(errors="replace").strip().splitlines()
                    print(f"{key}: {git_dir} {chosen}: {error[:1]}; skipped", file=sys.stderr)
                    continue
            child = target / subdir if subdir else target
            self._record(key, source, chosen, child)
            print(f"{key}: {source} {chosen}", file=sys.stderr)
            self.install(child, f"{key}.")

    def _record(self, key: str, source: str, version: str | None, directory: Path) -> None:
        entry = {"Key": key, "Source": source, "Dir": os.path.relpath(directory, self.root)}
        if version:
            entry["Version"] = version
        self.entries.append(entry)

    def write(self) -> None:
        self.modules.mkdir(parents=True, exist_ok=True)
        (self.modules / "modules.json").write_text(json.dumps({"Modules": self.entries}))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--mirrors", type=Path, default=Path("/work/.mirror"))
    args = parser.parse_args()
    installer = Installer(args.root.resolve(), args.mirrors)
    installer.install(installer.root, "")
    installer.write()
    return 0


if __name__ == "__main__":
    sys.exit(main())
