"""Parsers: bytes or text in, position-keeping values (or problems with positions) out.

Parsers know nothing of rules, settings or the project. A syntax error is a ``Problem``, never an
exception that escapes. One module per source form.
"""
