"""Errors every layer may raise; a light module (the on-save path imports it)."""

from __future__ import annotations


class UsageError(Exception):
    """A user mistake on the command line or in the configuration: exit 2, no traceback."""
