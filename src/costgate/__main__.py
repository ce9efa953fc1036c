"""`python -m costgate` runs the CLI."""

from costgate.cli import entry

entry()
