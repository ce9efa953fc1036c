"""Put the dumps `pricing/sources/manifest.json` lists into a folder for `costgate pricing build`.

    python pricing/sources/fetch_dumps.py OUT --repo OWNER/NAME=GIT_DIR [--repo ...]

Each GIT_DIR is a clone (or bare mirror) of the repository that holds the commit; the file is
read with `git show <commit>:<path>` and written as OUT/<id><suffix of path>.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

MANIFEST = Path(__file__).with_name("manifest.json")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--repo", action="append", default=[], help="OWNER/NAME=GIT_DIR")
    args = parser.parse_args()
    repos = dict(r.split("=", 1) for r in args.repo)
    args.out.mkdir(parents=True, exist_ok=True)
    missing = 0
    for dump in json.loads(MANIFEST.read_text(encoding="utf-8"))["dumps"]:
        git_dir = repos.get(dump["repository"])
        if git_dir is None:
            print(f"skip {dump['id']}: no --repo for {dump['repository']}", file=sys.stderr)
            missing += 1
            continue
        data = subprocess.run(
            ["git", "--git-dir", git_dir, "show", f"{dump['commit']}:{dump['path']}"],
            check=True,
            capture_output=True,
        ).stdout
        target = args.out / (dump["id"] + Path(dump["path"]).suffix)
        target.write_bytes(data)
        print(f"{target}: {len(data)} bytes")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
