"""costgate: offline cost estimates and cost policies for infrastructure-as-code."""

__version__ = "0.1.0"
