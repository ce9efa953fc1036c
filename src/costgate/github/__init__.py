"""Talking to GitHub: the REST/GraphQL client and the sticky pull-request comment."""

MODES = ("update", "new", "delete-and-new", "hide-and-new")
"""How the sticky comment is refreshed (peers offer the same four)."""
