"""Talking to GitHub: the REST/GraphQL client and the sticky pull-request comment."""
