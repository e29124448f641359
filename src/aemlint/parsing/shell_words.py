"""A POSIX-shell-like word splitter that keeps exact positions.

Not a shell: it splits a script into simple commands and words the way ``sh``/``bash`` would read
them, so a caller can look at the words of one command. Supported:

- single quotes (literal, no expansion), double quotes (``\\`` escapes ``\\ \\" \\$ \\```` and a
  newline; expansions live), ``$'…'`` (ANSI-C: common escapes decoded) and ``$"…"``;
- backslash escapes outside quotes and backslash-newline continuations (removed; positions kept);
- ``;``, ``&``, ``|`` (so also ``&&``, ``||``, ``|&``, ``;;``), newlines, ``(`` and ``)`` end a
  command; ``#`` starts a comment at the start of a word;
- ``$(…)``, ``$((…))``, backticks and ``${…}`` are kept inside one word (nested quotes and
  parentheses balanced) and mark it as a run-time value; so do ``$NAME``, ``$1``, ``$@``…;
- redirections (``>``, ``>>``, ``<``, ``2>&1``, ``&>``…) are dropped with their target word,
  except that a documentation placeholder ``<ENVIRONMENT_ID>`` (``<`` + a name + ``>``, no blank)
  is read as a word, as the reader of Adobe's tutorials means it;
- here-documents (``<<EOF``, ``<<-EOF``, quoted delimiters): the body is skipped, not scanned;
- ``\\r`` counts as a blank (CRLF scripts), unlike bash, so a CRLF file reads as the author meant.

Text substituted *before* the shell runs (GitHub ``${{ … }}``, Azure ``$(X)``, Groovy ``${…}``,
make ``$(X)``) is given to the splitter as **template** ranges: each is taken whole, as part of the
current word, wherever it stands (even inside single quotes), and marks the word as a run-time value.

The text may be a decoded excerpt of a file (a YAML block scalar, a Groovy string, make recipe
lines): :class:`ShellSource` then carries, for each character, its range in the original file.

Unterminated quotes and substitutions are :class:`ShellError` values, never exceptions.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

Quoting = Literal["none", "single", "double", "mixed"]

# Per-character flags of a word.
Q_NONE = 1  # unquoted
Q_SINGLE = 2  # inside '…' or $'…'
Q_DOUBLE = 4  # inside "…"
RUNTIME = 8  # part of an expansion or a template: the value comes at run time
SPLIT = 16  # an unquoted expansion: the shell may split it into several words
_QUOTES = Q_NONE | Q_SINGLE | Q_DOUBLE

_BLANKS = " \t\r"
_OPERATORS = ";&|()"
_PLAIN = re.compile(r"[^ \t\r\n'\"\\$`;&|()<>]+")
_SQ_STOP = re.compile(r"['$]")
_DQ_STOP = re.compile(r'["\\$`]')
_BAL_STOP = re.compile(r"[\\'\"`$(){}]")
_REDIRECT = re.compile(r"<<<|<<-|<<|<>|<&|>>|>&|>\||<|>")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# A documentation placeholder such as <ENVIRONMENT_ID>: a word, not two redirections.
_DOC_PLACEHOLDER = re.compile(r"<[A-Za-z][A-Za-z0-9_.\-]*>")
_SPECIAL_PARAMETERS = frozenset("@*#?$!-0123456789")
_ANSI_C = {
    "n": "\n",
    "t": "\t",
    "r": "\r",
    "a": "\a",
    "b": "\b",
    "e": "\x1b",
    "E": "\x1b",
    "f": "\f",
    "v": "\v",
    "\\": "\\",
    "'": "'",
    '"': '"',
    "?": "?",
}


@dataclass(frozen=True, slots=True)
class ShellSource:
    """Shell text to split, and where each of its characters sits in the original file.

    ``starts[i]``/``ends[i]`` are the original offsets of character ``i`` (None: the identity, the
    text *is* the file). ``templates`` maps the start of each template range to its end (offsets
    into ``text``; every range starts with ``$``). ``base`` is the original offset of an empty text.
    """

    text: str
    starts: Sequence[int] | None = None
    ends: Sequence[int] | None = None
    templates: Mapping[int, int] = field(default_factory=dict)
    base: int = 0

    def original(self, start: int, end: int) -> tuple[int, int]:
        """The original ``[start, end)`` of the text range ``[start, end)``."""
        n = len(self.text)
        start = max(0, min(start, n))
        end = max(start, min(end, n))
        if self.starts is None or self.ends is None:
            return start, end
        if start < end:
            return self.starts[start], max(self.starts[start], self.ends[end - 1])
        if start > 0:
            return self.ends[start - 1], self.ends[start - 1]
        if n:
            return self.starts[0], self.starts[0]
        return self.base, self.base


@dataclass(frozen=True, slots=True, eq=False)
class ShellWord:
    """One word after quote removal.

    ``start``/``end`` cover the word in the source text, quotes included. ``offsets[i]`` is the
    source offset of character ``i`` of ``text`` and ``flags[i]`` its flags (``Q_*``, ``RUNTIME``,
    ``SPLIT``); ``quotes`` are the quote kinds seen, including empty quotes (``""``).
    """

    text: str
    start: int
    end: int
    offsets: tuple[int, ...]
    flags: bytes
    quotes: int

    @property
    def runtime(self) -> bool:
        return any(f & RUNTIME for f in self.flags)

    @property
    def may_split(self) -> bool:
        """An unquoted expansion: the shell may make zero or several words of it."""
        return any(f & SPLIT for f in self.flags)

    @property
    def literal(self) -> bool:
        """Plain text the shell passes as is (quotes removed): no expansion, no template."""
        return not self.runtime

    @property
    def quoting(self) -> Quoting:
        bits = 0
        for f in self.flags:
            bits |= f & _QUOTES
        if not self.flags:
            bits = self.quotes & (Q_SINGLE | Q_DOUBLE) or Q_NONE
        if bits == Q_NONE:
            return "none"
        if bits == Q_SINGLE:
            return "single"
        if bits == Q_DOUBLE:
            return "double"
        return "mixed"

    def head(self, k: int) -> ShellWord:
        """The first ``k`` characters (a flag name before ``=``), as a word of its own."""
        k = max(0, min(k, len(self.text)))
        end = self.offsets[k - 1] + 1 if k else self.start
        flags = self.flags[:k]
        quotes = 0
        for f in flags:
            quotes |= f & _QUOTES
        return ShellWord(
            self.text[:k], self.start, max(self.start, end), self.offsets[:k], flags, quotes
        )

    def tail(self, k: int, prefix: str = "") -> ShellWord:
        """The characters from ``k`` on (a value after ``=``), optionally behind ``prefix``.

        The word starts right after character ``k - 1`` in the source, so the value of
        ``--flag="a b"`` covers ``"a b"`` with its quotes. Prefix characters borrow the position
        and flags of character ``k - 1``.
        """
        k = max(0, min(k, len(self.text)))
        start = self.offsets[k - 1] + 1 if k else self.start
        start = min(max(start, self.start), self.end)
        if prefix and k:
            offsets = (self.offsets[k - 1],) * len(prefix) + self.offsets[k:]
            flags = bytes((self.flags[k - 1],)) * len(prefix) + self.flags[k:]
            start = self.offsets[k - 1]
        else:
            prefix = ""
            offsets = self.offsets[k:]
            flags = self.flags[k:]
        quotes = 0
        for f in flags:
            quotes |= f & _QUOTES
        if not flags:
            quotes = self.quotes
        return ShellWord(prefix + self.text[k:], start, self.end, offsets, flags, quotes)


@dataclass(frozen=True, slots=True)
class ShellError:
    """An unterminated quote or substitution at ``start`` (source offsets).

    ``command`` holds the words read of the command it cut short (the unterminated word itself is
    dropped; empty when it was the first word).
    """

    message: str
    start: int
    end: int
    command: tuple[ShellWord, ...]


@dataclass(frozen=True, slots=True)
class ShellParse:
    commands: tuple[tuple[ShellWord, ...], ...]
    errors: tuple[ShellError, ...]
    # The insides of $(…) substitutions met, for a caller that wants the commands in them.
    substitutions: tuple[tuple[int, int], ...]


@dataclass(slots=True)
class _OpenError:
    message: str
    start: int
    command: tuple[ShellWord, ...] = ()


class _Lexer:
    """One pass over ``text[lo:hi]``: commands of words, errors, and the ``$(…)`` insides."""

    def __init__(self, source: ShellSource) -> None:
        self.text = source.text
        self.templates = source.templates
        self.commands: list[tuple[ShellWord, ...]] = []
        self.errors: list[_OpenError] = []
        self.substitutions: list[tuple[int, int]] = []
        self.command: list[ShellWord] = []
        self.open_errors: list[_OpenError] = []
        self.redirect = False
        self.heredoc_next: bool | None = None  # a here-document operator waits for its word
        self.heredocs: list[tuple[str, bool]] = []
        self._reset()

    # -- the word being built --------------------------------------------------------------------

    def _reset(self) -> None:
        self.w_start = -1
        self.w_end = -1
        self.w_parts: list[str] = []
        self.w_offsets: list[int] = []
        self.w_flags = bytearray()
        self.w_quotes = 0
        self.w_broken = False

    def _begin(self, i: int) -> None:
        if self.w_start < 0:
            self.w_start = i

    def _add(self, lo: int, hi: int, flag: int) -> None:
        """Append ``text[lo:hi]`` to the word, one character per source character."""
        if hi > lo:
            self.w_parts.append(self.text[lo:hi])
            self.w_offsets.extend(range(lo, hi))
            self.w_flags.extend(bytes((flag,)) * (hi - lo))
        self.w_quotes |= flag & _QUOTES

    def _add_char(self, char: str, at: int, flag: int) -> None:
        self.w_parts.append(char)
        self.w_offsets.append(at)
        self.w_flags.append(flag)
        self.w_quotes |= flag & _QUOTES

    def _error(self, message: str, at: int) -> None:
        error = _OpenError(message, at)
        self.errors.append(error)
        self.open_errors.append(error)
        self.w_broken = True

    def _finish(self) -> None:
        if self.w_start < 0:
            return
        if self.w_broken:
            self._reset()
            return
        word = ShellWord(
            "".join(self.w_parts),
            self.w_start,
            max(self.w_end, self.w_start),
            tuple(self.w_offsets),
            bytes(self.w_flags),
            self.w_quotes,
        )
        self._reset()
        if self.heredoc_next is not None:
            self.heredocs.append((word.text, self.heredoc_next))
            self.heredoc_next = None
        elif self.redirect:
            self.redirect = False
        else:
            self.command.append(word)

    def _end_command(self) -> None:
        self._finish()
        if self.command:
            words = tuple(self.command)
            self.commands.append(words)
            for error in self.open_errors:
                error.command = words
        self.open_errors = []
        self.command = []
        self.redirect = False
        self.heredoc_next = None

    # -- the pass ----------------------------------------------------------------------------------

    def run(self, lo: int, hi: int) -> None:
        text = self.text
        i = lo
        while i < hi:
            c = text[i]
            if c in _BLANKS:
                self._finish()
                i += 1
            elif c == "\n":
                self._end_command()
                i += 1
                if self.heredocs:
                    i = self._skip_heredocs(i, hi)
            elif c == "\\":
                if text.startswith("\n", i + 1) and i + 1 < hi:
                    i += 2  # continuation: the word (if any) goes on
                    continue
                if text.startswith("\r\n", i + 1) and i + 2 < hi:
                    i += 3
                    continue
                self._begin(i)
                if i + 1 < hi:
                    self._add(i + 1, i + 2, Q_NONE)
                    i += 2
                else:
                    self._add(i, i + 1, Q_NONE)
                    i += 1
                self.w_end = i
            elif c == "#" and self.w_start < 0:
                j = text.find("\n", i, hi)
                i = hi if j < 0 else j
            elif c in _OPERATORS:
                self._end_command()
                i += 1
            elif c == "<" and (m := _DOC_PLACEHOLDER.match(text, i, hi)) is not None:
                self._begin(i)
                self._add(i, m.end(), Q_NONE)
                i = self.w_end = m.end()
            elif c in "<>":
                if (
                    self.w_start >= 0
                    and self.w_parts
                    and all(p.isdigit() and p.isascii() for p in self.w_parts)
                    and self.w_quotes == Q_NONE
                    and self.w_end == i
                ):
                    self._reset()  # a file-descriptor number: 2>&1
                else:
                    self._finish()
                m = _REDIRECT.match(text, i, hi)
                op = m.group() if m else c
                if op in ("<<", "<<-"):
                    self.heredoc_next = op == "<<-"
                else:
                    self.redirect = True
                i += len(op)
            else:
                self._begin(i)
                if c == "'":
                    i = self._single(i, hi)
                elif c == '"':
                    i = self._double(i, hi)
                elif c == "$":
                    i = self._dollar(i, hi, quoted=False)
                elif c == "`":
                    i = self._backtick(i, hi, Q_NONE)
                else:
                    m = _PLAIN.match(text, i, hi)
                    j = m.end() if m else i + 1
                    self._add(i, j, Q_NONE)
                    i = j
                self.w_end = i
        self._end_command()

    def _skip_heredocs(self, i: int, hi: int) -> int:
        text = self.text
        for delimiter, strip_tabs in self.heredocs:
            while i < hi:
                j = text.find("\n", i, hi)
                line = text[i : hi if j < 0 else j].rstrip("\r")
                i = hi if j < 0 else j + 1
                if (line.lstrip("\t") if strip_tabs else line) == delimiter:
                    break
        self.heredocs = []
        return i

    def _template(self, k: int, hi: int) -> int | None:
        end = self.templates.get(k)
        if end is None or end <= k:
            return None
        return min(end, hi)

    def _single(self, i: int, hi: int) -> int:
        text = self.text
        j = i + 1
        self.w_quotes |= Q_SINGLE
        while True:
            m = _SQ_STOP.search(text, j, hi)
            if m is None:
                self._error("unterminated single quote", i)
                return hi
            k = m.start()
            if text[k] == "'":
                self._add(j, k, Q_SINGLE)
                return k + 1
            end = self._template(k, hi)
            if end is None:
                self._add(j, k + 1, Q_SINGLE)
                j = k + 1
            else:
                self._add(j, k, Q_SINGLE)
                self._add(k, end, Q_SINGLE | RUNTIME)
                j = end

    def _double(self, i: int, hi: int) -> int:
        text = self.text
        j = i + 1
        self.w_quotes |= Q_DOUBLE
        while True:
            m = _DQ_STOP.search(text, j, hi)
            if m is None:
                self._error("unterminated double quote", i)
                return hi
            k = m.start()
            self._add(j, k, Q_DOUBLE)
            c = text[k]
            if c == '"':
                return k + 1
            if c == "\\":
                nxt = text[k + 1] if k + 1 < hi else ""
                if nxt and nxt in '$`"\\':
                    self._add(k + 1, k + 2, Q_DOUBLE)
                    j = k + 2
                elif nxt == "\n":
                    j = k + 2
                else:
                    self._add(k, k + 1, Q_DOUBLE)
                    j = k + 1
            elif c == "$":
                j = self._dollar(k, hi, quoted=True)
            else:
                j = self._backtick(k, hi, Q_DOUBLE)
            if self.w_broken:
                return hi

    def _dollar(self, k: int, hi: int, *, quoted: bool) -> int:
        text = self.text
        base = Q_DOUBLE if quoted else Q_NONE
        runtime = base | RUNTIME | (0 if quoted else SPLIT)
        end = self._template(k, hi)
        if end is not None:
            self._add(k, end, runtime)
            return end
        nxt = text[k + 1] if k + 1 < hi else ""
        if not quoted and nxt == "'":
            return self._ansi_c(k, hi)
        if not quoted and nxt == '"':
            return self._double(k + 1, hi)
        if nxt in ("(", "{"):
            closer = ")" if nxt == "(" else "}"
            end = self._balanced(k + 2, hi, closer)
            if end < 0:
                self._error(f"unterminated ${nxt}", k)
                return hi
            if nxt == "(" and not text.startswith("((", k + 1):
                self.substitutions.append((k + 2, end - 1))
            self._add(k, end, runtime)
            return end
        if nxt and (nxt in _SPECIAL_PARAMETERS or nxt == "_" or nxt.isalpha()):
            m = _NAME.match(text, k + 1, hi)
            end = m.end() if m else k + 2
            self._add(k, end, runtime)
            return end
        self._add(k, k + 1, base)
        return k + 1

    def _ansi_c(self, k: int, hi: int) -> int:
        text = self.text
        j = k + 2
        self.w_quotes |= Q_SINGLE
        while j < hi:
            c = text[j]
            if c == "'":
                return j + 1
            if c == "\\" and j + 1 < hi:
                decoded = _ANSI_C.get(text[j + 1])
                if decoded is not None:
                    self._add_char(decoded, j + 1, Q_SINGLE)
                else:
                    self._add(j, j + 2, Q_SINGLE)
                j += 2
            else:
                self._add(j, j + 1, Q_SINGLE)
                j += 1
        self._error("unterminated $' quote", k)
        return hi

    def _backtick(self, k: int, hi: int, base: int) -> int:
        end = self._balanced(k + 1, hi, "`")
        if end < 0:
            self._error("unterminated backquote", k)
            return hi
        self._add(k, end, base | RUNTIME | (SPLIT if base == Q_NONE else 0))
        return end

    def _balanced(self, j: int, hi: int, closer: str) -> int:
        """Skip to after ``closer``, through nested quotes and substitutions; -1 if unterminated."""
        text = self.text
        stack = [closer]
        while j < hi:
            m = _BAL_STOP.search(text, j, hi)
            if m is None:
                return -1
            j = m.start()
            c = text[j]
            top = stack[-1]
            if c == "$":
                end = self._template(j, hi)
                if end is not None:
                    j = end
                    continue
            if c == "\\":
                j += 2
                continue
            if top in ('"', "`"):
                if c == top:
                    stack.pop()
                    if not stack:
                        return j + 1
                elif c == "$" and top == '"' and j + 1 < hi and text[j + 1] in "({":
                    stack.append(")" if text[j + 1] == "(" else "}")
                    j += 1
                elif c == "`" and top == '"':
                    stack.append("`")
                j += 1
                continue
            if c == "'":
                end = text.find("'", j + 1, hi)
                if end < 0:
                    return -1
                j = end + 1
                continue
            if c in ('"', "`"):
                stack.append(c)
            elif c == "$" and j + 1 < hi and text[j + 1] in "({":
                stack.append(")" if text[j + 1] == "(" else "}")
                j += 1
            elif c == top:
                stack.pop()
                if not stack:
                    return j + 1
            elif (c == "(" and top == ")") or (c == "{" and top == "}"):
                stack.append(top)
            j += 1
        return -1


def split_commands(source: ShellSource, lo: int = 0, hi: int | None = None) -> ShellParse:
    """The simple commands of ``source.text[lo:hi]``, in order."""
    n = len(source.text)
    hi = n if hi is None else max(0, min(hi, n))
    lo = max(0, min(lo, hi))
    lexer = _Lexer(source)
    lexer.run(lo, hi)
    errors = tuple(ShellError(e.message, e.start, e.start + 1, e.command) for e in lexer.errors)
    return ShellParse(tuple(lexer.commands), errors, tuple(lexer.substitutions))


def iter_commands(
    source: ShellSource,
    lo: int = 0,
    hi: int | None = None,
    *,
    needle: str | None = None,
    max_depth: int = 4,
) -> tuple[list[tuple[ShellWord, ...]], list[ShellError]]:
    """Commands of ``text[lo:hi]`` and of the ``$(…)`` substitutions in it (``max_depth`` deep).

    With ``needle``, a substitution is only split when its text contains it (a cheap filter).
    Errors of a substitution that its enclosing text already reported are not repeated. The
    commands are sorted by position.
    """
    commands: list[tuple[ShellWord, ...]] = []
    errors: list[ShellError] = []
    seen: set[int] = set()
    work: list[tuple[int, int | None, int]] = [(lo, hi, 0)]
    while work:
        a, b, depth = work.pop()
        parsed = split_commands(source, a, b)
        commands.extend(parsed.commands)
        for error in parsed.errors:
            if error.start not in seen:
                seen.add(error.start)
                errors.append(error)
        if depth < max_depth:
            for s, e in parsed.substitutions:
                if needle is None or needle in source.text[s:e]:
                    work.append((s, e, depth + 1))
    commands.sort(key=lambda ws: ws[0].start)
    return commands, errors
