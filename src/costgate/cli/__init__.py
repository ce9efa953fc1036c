"""The command line: the only package that prints, writes report files or exits.

One module per command group (check.py: check, breakdown, diff; pricing.py; policies.py;
comment.py); exits.py maps errors to exit codes, output.py writes reports and options.py
turns the shared options into typed dataclasses. Heavy modules are imported inside the
commands, so `costgate --help` stays fast.
"""

from __future__ import annotations

import os
import sys

import click

from costgate.cli import check, comment, policies, pricing
from costgate.cli.exits import EXIT_BROKEN_PIPE, EXIT_ERROR, EXIT_PASS, errors


class _Program(click.Group):
    """The `costgate` group: every command runs inside `errors()`, so no exception escapes
    as a traceback (a costgate error exits 2, anything else 3)."""

    def invoke(self, ctx: click.Context) -> object:
        with errors():
            return super().invoke(ctx)


@click.group(cls=_Program, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="costgate")
def main() -> None:
    """Stop expensive infrastructure changes before they merge.

    Prices Terraform plans and HCL directories offline from a versioned catalog and gates
    them on cost policies.
    """


for _command in (
    check.check,
    check.breakdown,
    check.diff,
    pricing.group,
    policies.group,
    comment.group,
):
    main.add_command(_command)


def entry() -> None:
    """The `costgate` program: run the command, then leave without tearing down the heap.

    A 10k-resource plan leaves millions of objects behind; freeing them one by one at
    interpreter shutdown costs a tenth of a second and helps nobody, so the process exits
    directly once its output is flushed (as mypy does). For the same reason the cyclic
    garbage collector stays off for the whole process: `errors()` would otherwise switch it
    back on at the end of the command, and the next allocation would start a full
    collection of that heap just before exiting (~40 ms for 1,000 HCL resources).
    In-process callers (tests, the Action's helpers) call `main` instead and keep the
    normal `SystemExit` and their collector.
    """
    import gc

    gc.disable()
    try:
        main()
        code: int = EXIT_PASS
    except SystemExit as exc:
        code = (
            exc.code
            if isinstance(exc.code, int)
            else (EXIT_PASS if exc.code is None else EXIT_ERROR)
        )
        if isinstance(exc.code, str):
            click.echo(exc.code, err=True)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        code = EXIT_BROKEN_PIPE
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    entry()
