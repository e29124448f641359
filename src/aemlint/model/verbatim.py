"""Proving from a file's raw text that no name or value of its configuration holds something.

Most configurations have no placeholder, no URI, no encrypted value: a rule looking for one
would walk every value of every configuration in Python to find nothing. When the file's text
holds every name and value exactly as it is read — nothing escaped, so no ``\\u0024`` standing
for ``$`` in JSON, ``.config`` or ``.cfg``, and no ``&#36;`` character reference in XML — each
name and value is a substring of the text, and one scan of the text in C answers for all of
them. These are pre-filters only: when they cannot prove absence, the rule does its full work.
"""

from __future__ import annotations

import re

__all__ = ["may_contain", "may_match", "verbatim"]


def verbatim(text: str | None) -> bool:
    """Every name and value of the file's configuration is a substring of ``text``."""
    return text is not None and "\\" not in text and "&" not in text


def may_contain(text: str | None, needle: str) -> bool:
    """False only when ``text`` proves that no name or value contains ``needle``."""
    return not verbatim(text) or needle in (text or "")


def may_match(text: str | None, pattern: re.Pattern[str]) -> bool:
    """False only when ``text`` proves that ``pattern`` matches inside no name or value."""
    return not verbatim(text) or pattern.search(text or "") is not None
