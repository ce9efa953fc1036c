"""Exit codes and the one place that turns exceptions into them.

0 pass, 1 policy failure, 2 usage / input / configuration error, 3 internal error (a bug:
please report it), 130 interrupted, 141 closed pipe.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
from collections.abc import Iterator

import click

from costgate.errors import CostgateError

EXIT_PASS, EXIT_FAIL, EXIT_ERROR, EXIT_INTERNAL = 0, 1, 2, 3
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what a shell reports for a closed pipe


_LINE_COLUMN = re.compile(r"(\d+)(?::(\d+))?")


def error_annotation(exc: CostgateError) -> str:
    """The error as an `::error file=…,line=…::` workflow command (the GitHub Action sets
    COSTGATE_ERROR_ANNOTATIONS=github), so a syntax error shows on the pull request's file.

    Every part is escaped as the Actions toolkit does (`report.github.command`), so a file
    name or message quoting the input cannot start another workflow command.
    """
    from costgate.report.github import command

    where = _LINE_COLUMN.fullmatch(exc.location or "")
    return command(
        "error",
        exc.message,
        file=exc.path,
        line=where.group(1) if where else None,
        col=where.group(2) if where and where.group(2) else None,
        title="costgate: input error",
    )


@contextlib.contextmanager
def errors() -> Iterator[None]:
    """Turn expected errors into one-paragraph messages and exit codes.

    Messages quote the input (file names, resource labels), so they are printed as one
    inert line (`report.escape.stderr_message`): the Actions runner also reads stderr, and a
    label holding `\\n::add-mask::` must not become a workflow command.

    A costgate error (bad input, configuration or catalog) exits 2; anything else is a bug
    in costgate and exits 3 with one line asking for a report (`COSTGATE_DEBUG=1` re-raises
    it, so the traceback shows).

    The cyclic garbage collector is switched off for the run: a command is a short-lived
    process whose big, acyclic object graphs (parsed plans, priced resources) are freed by
    reference counting, and full collections over them cost 15-25 % of a large check.
    """
    import gc

    from costgate.report.escape import stderr_message

    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    except CostgateError as exc:
        click.echo(f"costgate: error: {stderr_message(str(exc))}", err=True)
        if os.environ.get("COSTGATE_ERROR_ANNOTATIONS") == "github":
            click.echo(error_annotation(exc), err=True)
        sys.exit(EXIT_ERROR)
    except KeyboardInterrupt:
        click.echo("costgate: interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except BrokenPipeError:
        # the reader went away (`costgate ... | head`): stop quietly, as a shell tool does
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(EXIT_BROKEN_PIPE)
    except (click.ClickException, click.exceptions.Exit, click.Abort):
        raise  # usage errors and --help: click reports them itself (exit 2 / 0 / 1)
    except Exception as exc:
        if os.environ.get("COSTGATE_DEBUG"):
            raise
        click.echo(
            f"costgate: internal error: {type(exc).__name__}: "
            f"{stderr_message(' '.join(str(exc).split()))}. "
            "This is a bug in costgate; "
            "please report it with the input that caused it "
            "(COSTGATE_DEBUG=1 shows the traceback).",
            err=True,
        )
        sys.exit(EXIT_INTERNAL)
    finally:
        if collecting:
            gc.enable()
