"""Drafting statements: creating, co-drafting, revisions, diffs, comments and import."""
