"""``aio cloudmanager:environment:set-variables`` commands in scripts and CI files (SPEC §3.3).

Where commands are looked for (:func:`script_kind`): shell scripts (``*.sh``, ``*.bash``, ``*.zsh``,
a shell shebang), Makefiles (``Makefile``, ``GNUmakefile``, ``makefile``, ``*.mk``), Jenkinsfiles and
CI YAML (GitHub Actions, GitLab CI, Azure Pipelines, Bitbucket Pipelines). Markdown never. A file
without the text ``cloudmanager:`` is not read further (no YAML parse, no tokenizing).

How the shell text is read: :mod:`aemlint.parsing.shell_words` (a shell-like tokenizer with exact
positions; here-document bodies are skipped). Shell text taken out of another format is decoded
with a map back to the file:

- **Makefile**: recipe lines (a tab first; not inside ``define``; not the continuation of a
  variable line) with their ``\\``-newline continuations (make removes the next line's leading
  tab, the shell joins the lines); ``@``/``-``/``+`` prefixes dropped; ``$$`` is the shell's ``$``;
  ``$(X)``, ``${X}`` and ``$@``-style references are make's (templates: run-time values). Lines
  outside recipes (``CMD = aio …``) are not scanned; each recipe line is its own shell.
- **Jenkinsfile**: Groovy string literals (comments skipped) passed to ``sh``: ``sh '…'``,
  ``sh "…"``, the same with triple quotes, ``sh(script: …)``, ``sh(label: …, script: …)``.
  Groovy escapes are decoded (``\\\\``, ``\\'``, ``\\"``, ``\\$``, ``\\n``…, ``\\uXXXX``,
  backslash-newline); in double-quoted strings (single or triple) a ``${…}`` or ``$name.path``
  is a Groovy interpolation (template). Concatenated strings (``sh "a" + "b"``) give only the first one.
- **CI YAML** (:func:`aemlint.parsing.yaml_nodes.parse_yaml`): GitHub ``jobs.*.steps[*].run``;
  GitLab ``*.script``/``before_script``/``after_script`` (string or list, nested lists flattened;
  a ``!reference`` tag is read as a plain list); Azure ``steps[*].script``/``bash`` anywhere in the
  document (root, jobs, stages, deployment strategies) and ``inputs.script``/``inputs.inlineScript``
  of ``Bash@``/``CmdLine@``/``AzureCLI@``/``ShellScript@`` tasks; Bitbucket ``script``/
  ``after-script`` lists anywhere under ``pipelines`` and ``definitions``. GitHub and Azure
  ``${{ … }}`` and Azure ``$(name)`` macros are templates (run-time values even inside single
  quotes: they are substituted before the shell runs). Each character of the value is mapped back
  to the file: literal ``|`` and folded ``>`` blocks (indentation stripped, explicit indentation
  indicators included, folded breaks mapped to the line break), plain, single- and double-quoted
  scalars on one or several lines (folding and escapes mapped). The decoded text is checked against
  the YAML library's value; where they differ, every word of that scalar is placed on the whole
  scalar. Steps run by PowerShell are still read as POSIX shell.

Which commands: ``aio`` (or a path ending in ``/aio``, or ``npx [@adobe/]aio[-cli]``) as the first
word of a simple command, after any of: ``NAME=value`` assignments, ``sudo [options]``,
``env [options] [NAME=value…]``, ``command``, ``exec``, ``nohup``, ``time``, a shell keyword (``if``,
``then``, ``do``, ``!``, ``{``…) and a documentation prompt ``$``; then the command name
``cloudmanager:environment:set-variables`` or its alias ``cloudmanager:set-environment-variables``
(only those). Commands inside ``$(…)`` are found too. The flags are read as the CLI's parser (``@oclif/parser`` 3, used by
``@oclif/command`` 1 in adobe/aio-cli-plugin-cloudmanager) reads them:

- a flag word is ``--name`` or ``-c`` (``-c`` may carry its value: ``-pVALUE``, ``-p=VALUE``;
  boolean short flags combine: ``-jy``); ``--name=value`` is split at the first ``=``; a value
  flag takes the next word whatever it is; ``--`` ends the flags; an unknown flag word is read as
  a plain word (as the parser does);
- ``variable``/``secret``/``delete`` and their ``author``/``publish``/``preview`` forms are
  ``multiple: true``: after one of them, every following non-flag word belongs to it until the next
  flag (so an environment id written after ``--secret A 1`` is taken as a third word), and all
  words of one flag, over all its occurrences, are paired in order as NAME VALUE
  (``createKeyValueObjectFromFlag``); an odd count is refused by the CLI
  (``MALFORMED_NAME_VALUE_PAIR``): a CFG001 problem at the flag, unless a word may split at run
  time (an unquoted expansion). Delete flags take names only;
- ``-p/--programId``, ``--jsonFile``, ``--yamlFile``, ``--imsContextName`` take one value (the
  last one wins); ``-j/--json``, ``-y/--yaml``, ``--jsonStdin``, ``--yamlStdin``, ``--strict`` are
  boolean; the first remaining word is the environment id, a further literal one is refused by
  the CLI (CFG001).

A value is **run time** when its word holds an expansion outside single quotes (``"$X"``, ``${X}``,
``$(cmd)``, backticks) or a template (``${{ secrets.X }}``, ``$(X)`` in Azure, ``${env.X}`` in a
Groovy string, make ``$(X)``); a quoted literal (``'$X'`` included) or a bare word is a literal.
The VALUE of a secret assignment that is a literal is a :class:`~aemlint.types.Secret`. Messages
never quote a word of a command (any of them may be a secret).
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Literal

from aemlint.parsing.shell_words import Q_NONE, ShellSource, ShellWord, iter_commands
from aemlint.parsing.text import LineIndex
from aemlint.parsing.values import Problem
from aemlint.parsing.yaml_nodes import YNode, parse_yaml
from aemlint.types import Secret, Span

ScriptKind = Literal[
    "shell",
    "makefile",
    "jenkinsfile",
    "github-actions",
    "gitlab-ci",
    "azure-pipelines",
    "bitbucket-pipelines",
]
SCRIPT_KINDS: tuple[ScriptKind, ...] = (
    "shell",
    "makefile",
    "jenkinsfile",
    "github-actions",
    "gitlab-ci",
    "azure-pipelines",
    "bitbucket-pipelines",
)
AssignmentKind = Literal["variable", "secret", "delete"]
Service = Literal["author", "publish", "preview"]

NEEDLE = "cloudmanager:"
COMMAND_NAMES = frozenset(
    {"cloudmanager:environment:set-variables", "cloudmanager:set-environment-variables"}
)


# ------------------------------------------------------------------------------------------------
# Public values


@dataclass(frozen=True, slots=True)
class Word:
    """One word of a command, quotes removed; ``span`` in the original file."""

    text: str | Secret
    span: Span
    quoting: Literal["none", "single", "double", "mixed"]
    runtime: bool


@dataclass(frozen=True, slots=True)
class Assignment:
    flag: str
    kind: AssignmentKind
    service: Service | None
    name: Word
    value: Word | None


@dataclass(frozen=True, slots=True)
class AioCommand:
    name: Word
    span: Span
    environment_id: Word | None
    program_id: Word | None
    assignments: tuple[Assignment, ...]
    json_file: Word | None
    yaml_file: Word | None
    problems: tuple[Problem, ...]


# ------------------------------------------------------------------------------------------------
# Which files


_SHELL_SUFFIXES = frozenset({".sh", ".bash", ".zsh"})
_MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mdx", ".mdown", ".mkd", ".mkdn"})
_YAML_SUFFIXES = frozenset({".yml", ".yaml"})
_SHELLS = frozenset({"sh", "bash", "zsh", "dash", "ksh", "ash", "mksh"})


def _shebang_is_shell(head: str) -> bool:
    first = head.split("\n", 1)[0].lstrip("\ufeff").rstrip("\r")
    if not first.startswith("#!"):
        return False
    parts = first[2:].split()
    if not parts:
        return False
    program = parts[0].rsplit("/", 1)[-1]
    if program == "env":
        rest = [p for p in parts[1:] if not p.startswith("-") and "=" not in p]
        if not rest:
            return False
        program = rest[0].rsplit("/", 1)[-1]
    return program in _SHELLS


def script_kind(rel_path: PurePosixPath, head: str) -> ScriptKind | None:
    """The kind of script a file is, from its path and first line; None when it is none."""
    name = rel_path.name
    lower = name.lower()
    suffix = rel_path.suffix.lower()
    if suffix in _MARKDOWN_SUFFIXES:
        return None
    if suffix in _SHELL_SUFFIXES:
        return "shell"
    if name in ("Makefile", "makefile", "GNUmakefile") or suffix == ".mk":
        return "makefile"
    if name.startswith("Jenkinsfile") or lower.endswith(".jenkinsfile"):
        return "jenkinsfile"
    if suffix in _YAML_SUFFIXES:
        parents = rel_path.parent.parts
        if parents[-2:] == (".github", "workflows"):
            return "github-actions"
        if name == ".gitlab-ci.yml":
            return "gitlab-ci"
        if name.startswith("azure-pipelines"):
            return "azure-pipelines"
        if name == "bitbucket-pipelines.yml":
            return "bitbucket-pipelines"
    if _shebang_is_shell(head):
        return "shell"
    return None


# ------------------------------------------------------------------------------------------------
# The aio command and its flags


_SERVICES: tuple[Service, ...] = ("author", "publish", "preview")
_KINDS: tuple[AssignmentKind, ...] = ("variable", "secret", "delete")
# set-variables.js: flagName = _.camelCase(`${service} ${coreFlagKey}`), e.g. publishVariable.
_SETTER_FLAGS: dict[str, tuple[AssignmentKind, Service | None]] = {
    **{kind: (kind, None) for kind in _KINDS},
    **{service + kind.title(): (kind, service) for service in _SERVICES for kind in _KINDS},
}
_VALUE_FLAGS = frozenset({"programId", "jsonFile", "yamlFile", "imsContextName"})
_BOOLEAN_FLAGS = frozenset({"json", "yaml", "jsonStdin", "yamlStdin", "strict"})
_ALL_FLAGS = frozenset(_SETTER_FLAGS) | _VALUE_FLAGS | _BOOLEAN_FLAGS
_SHORT_FLAGS = {
    "v": "variable",
    "s": "secret",
    "d": "delete",
    "p": "programId",
    "j": "json",
    "y": "yaml",
}

_ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\+?=")
_KEYWORDS = frozenset({"if", "then", "else", "elif", "do", "while", "until", "!", "{", "time", "$"})
_PLAIN_PREFIXES = frozenset({"command", "exec", "nohup", "time", "builtin"})
_SUDO_VALUE_OPTIONS = frozenset(
    {"-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-U", "-T", "-R", "--user", "--group"}
)
_ENV_VALUE_OPTIONS = frozenset({"-u", "--unset", "-C", "--chdir", "-S", "--split-string"})
_NPX_VALUE_OPTIONS = frozenset({"-p", "--package", "-c", "--call"})


def _is_aio(text: str) -> bool:
    return (
        text == "aio"
        or text.endswith("/aio")
        or text in ("@adobe/aio-cli", "aio-cli")
        or text.startswith("@adobe/aio-cli@")
    )


def _command_name_index(words: tuple[ShellWord, ...]) -> int | None:
    """Index of the word after ``aio`` when this simple command runs aio, else None."""
    i, n = 0, len(words)
    while i < n:
        w = words[i]
        t = w.text
        m = _ASSIGNMENT.match(t)
        if m is not None and all(f & Q_NONE for f in w.flags[: m.end()]):
            i += 1  # NAME=value, whatever the value
        elif w.runtime:
            return None
        elif w.quoting == "none" and t in _KEYWORDS:
            i += 1
        elif t == "sudo" or t.endswith("/sudo"):
            i += 1
            while i < n and words[i].text.startswith("-"):
                i += 2 if words[i].text in _SUDO_VALUE_OPTIONS else 1
        elif t == "env" or t.endswith("/env"):
            i += 1
            while i < n and (words[i].text.startswith("-") or _ASSIGNMENT.match(words[i].text)):
                i += 2 if words[i].text in _ENV_VALUE_OPTIONS else 1
        elif t in _PLAIN_PREFIXES:
            i += 1
            while i < n and words[i].text.startswith("-"):
                i += 1
        elif t == "npx" or t.endswith("/npx"):
            i += 1
            while i < n and words[i].text.startswith("-"):
                i += 2 if words[i].text in _NPX_VALUE_OPTIONS else 1
        elif _is_aio(t):
            return i + 1 if i + 1 < n else None
        else:
            return None
    return None


class _Positions:
    """Turns source offsets of one :class:`ShellSource` into spans of the file."""

    __slots__ = ("index", "source")

    def __init__(self, source: ShellSource, index: LineIndex) -> None:
        self.source = source
        self.index = index

    def span(self, start: int, end: int) -> Span:
        a, b = self.source.original(start, end)
        return self.index.span(a, b)

    def word(self, w: ShellWord, *, secret: bool = False) -> Word:
        runtime = w.runtime
        text: str | Secret = Secret(w.text) if secret and not runtime else w.text
        return Word(text, self.span(w.start, w.end), w.quoting, runtime)


def _aio_command(
    words: tuple[ShellWord, ...],
    at: _Positions,
    *,
    truncated: bool = False,
    is_secret_name: Callable[[str], bool] | None = None,
) -> AioCommand | None:
    """The aio set-variables command these words run, if they run one.

    ``truncated``: an unterminated quote cut the command short (reported on its own), so a
    missing value or an odd pair count is not reported again.
    """
    k = _command_name_index(words)
    if k is None or words[k].runtime or words[k].text not in COMMAND_NAMES:
        return None
    problems: list[Problem] = []
    queue: deque[ShellWord] = deque(words[k + 1 :])
    setters: dict[str, list[tuple[ShellWord, ShellWord]]] = {}
    singles: dict[str, ShellWord] = {}
    arguments: list[ShellWord] = []
    current: list[str | None] = [None]

    def problem(message: str, w: ShellWord) -> None:
        problems.append(Problem("CFG001", message, at.span(w.start, w.end)))

    def parse_flag(w: ShellWord) -> bool:
        t = w.text
        long = t.startswith("--")
        name = (t[2:] if t[2:] in _ALL_FLAGS else None) if long else _SHORT_FLAGS.get(t[1:2])
        if name is None:
            eq = t.find("=")
            if eq != -1:
                queue.appendleft(w.tail(eq + 1))
                if parse_flag(w.head(eq)):
                    return True
                queue.popleft()
            return False
        if name in _BOOLEAN_FLAGS:
            if not long and len(t) > 2:
                queue.appendleft(w.tail(2, prefix="-"))
            return True
        current[0] = name
        flag_word = w
        value: ShellWord | None
        if long or len(t) < 3:
            value = queue.popleft() if queue else None
        else:
            flag_word = w.head(2)
            value = w.tail(3 if t[2] == "=" else 2)
        if value is None:
            if not truncated:
                problem(f"`{flag_word.text}` expects a value: aio refuses the command", flag_word)
        elif name in _SETTER_FLAGS:
            setters.setdefault(name, []).append((flag_word, value))
        else:
            singles[name] = value
        return True

    parsing = True
    while queue:
        w = queue.popleft()
        t = w.text
        if parsing and t.startswith("-") and t != "-":
            if t == "--":
                parsing = False
                continue
            if parse_flag(w):
                continue
        if parsing and current[0] in _SETTER_FLAGS:
            setters.setdefault(str(current[0]), []).append((w, w))
            continue
        arguments.append(w)

    assignments: list[Assignment] = []
    for name, items in setters.items():
        kind, service = _SETTER_FLAGS[name]
        # A word taken by a multiple flag without a flag of its own carries itself as "flag":
        # the flag as written is that of the last flag word before it.
        written: list[tuple[str, ShellWord, ShellWord]] = []
        last_flag = items[0][0]
        for flag_word, value in items:
            if flag_word is not value:
                last_flag = flag_word
            written.append((last_flag.text, last_flag, value))
        if kind == "delete":
            for flag_text, _, value in written:
                assignments.append(Assignment(flag_text, kind, service, at.word(value), None))
            continue
        for j in range(0, len(written) - 1, 2):
            flag_text, _, name_word = written[j]
            value_word = written[j + 1][2]
            secret = kind == "secret" or (
                is_secret_name is not None and name_word.literal and is_secret_name(name_word.text)
            )
            assignments.append(
                Assignment(
                    flag_text,
                    kind,
                    service,
                    at.word(name_word),
                    at.word(value_word, secret=secret),
                )
            )
        if len(written) % 2 and not truncated and not any(v.may_split for _, _, v in written):
            flag_text, flag_word, _ = written[-1]
            problem(
                f"`{flag_text}` takes NAME VALUE pairs but its words are an odd number: aio "
                "refuses the command (MALFORMED_NAME_VALUE_PAIR); a variable, secret or delete "
                "flag takes every word up to the next flag, so put the environment id before it",
                flag_word,
            )
    assignments.sort(key=lambda a: a.name.span.start)
    for extra in arguments[1:]:
        if extra.literal:
            problem(
                "unexpected argument: aio takes one environment id and refuses the command", extra
            )
    first = words[k - 1]
    last = words[-1]

    def single(name: str) -> Word | None:
        w = singles.get(name)
        return None if w is None else at.word(w)

    return AioCommand(
        name=at.word(words[k]),
        span=at.span(first.start, last.end),
        environment_id=at.word(arguments[0]) if arguments else None,
        program_id=single("programId"),
        assignments=tuple(assignments),
        json_file=single("jsonFile"),
        yaml_file=single("yamlFile"),
        problems=tuple(problems),
    )


# ------------------------------------------------------------------------------------------------
# Makefiles


def _odd_backslashes(text: str, end: int, start: int) -> bool:
    count = 0
    while end - 1 - count >= start and text[end - 1 - count] == "\\":
        count += 1
    return count % 2 == 1


_DEFINE = re.compile(r"[ \t]*(?:(?:override|export|private)[ \t]+)*define\b")
_ENDEF = re.compile(r"[ \t]*endef\b")


class _Builder:
    """Decoded text with, per character, its original range; and template ranges."""

    __slots__ = ("ends", "parts", "size", "starts", "templates")

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.templates: dict[int, int] = {}
        self.size = 0

    def copy(self, text: str, a: int, b: int) -> None:
        if b > a:
            self.parts.append(text[a:b])
            self.starts.extend(range(a, b))
            self.ends.extend(range(a + 1, b + 1))
            self.size += b - a

    def char(self, char: str, a: int, b: int) -> None:
        self.parts.append(char)
        self.starts.append(a)
        self.ends.append(b)
        self.size += 1

    def template(self, text: str, a: int, b: int) -> None:
        self.templates[self.size] = self.size + (b - a)
        self.copy(text, a, b)

    def source(self, base: int = 0) -> ShellSource:
        return ShellSource("".join(self.parts), self.starts, self.ends, self.templates, base)


_BREAK = re.compile(r"\r\n|\r|\n")


def _lines(text: str) -> list[tuple[int, int, int]]:
    """(start, end without the break, start of the next line) of every line."""
    out: list[tuple[int, int, int]] = []
    pos, n = 0, len(text)
    for m in _BREAK.finditer(text):
        out.append((pos, m.start(), m.end()))
        pos = m.end()
    if pos < n or not out:
        out.append((pos, n, n))
    return out


def _make_segment(text: str, a: int, b: int, out: _Builder) -> None:
    k = a
    while k < b:
        p = text.find("$", k, b)
        if p < 0:
            out.copy(text, k, b)
            return
        out.copy(text, k, p)
        nxt = text[p + 1] if p + 1 < b else ""
        if nxt == "$":
            out.char("$", p, p + 2)
            k = p + 2
        elif nxt in ("(", "{"):
            closer = ")" if nxt == "(" else "}"
            depth, e = 0, p + 1
            while e < b:
                if text[e] == nxt:
                    depth += 1
                elif text[e] == closer:
                    depth -= 1
                    if depth == 0:
                        break
                e += 1
            e = min(e + 1, b)
            out.template(text, p, e)
            k = e
        elif nxt:
            out.template(text, p, p + 2)
            k = p + 2
        else:
            out.copy(text, p, p + 1)
            k = p + 1


def _make_sources(text: str) -> list[tuple[ShellSource, int, int]]:
    lines = _lines(text)
    out = _Builder()
    ranges: list[tuple[int, int]] = []
    define = 0
    continued = False  # the previous line was a non-recipe line ending with a continuation
    i = 0
    while i < len(lines):
        a, b, nxt = lines[i]
        i += 1
        if continued:
            continued = _odd_backslashes(text, b, a)
            continue
        if not text.startswith("\t", a) or a >= b:
            if _DEFINE.match(text, a, b):
                define += 1
            elif define and _ENDEF.match(text, a, b):
                define -= 1
            continued = _odd_backslashes(text, b, a)
            continue
        if define:
            continue
        j = a + 1
        while j < b and text[j] in " \t@-+":
            j += 1
        lo = out.size
        while True:
            _make_segment(text, j, b, out)
            if not (_odd_backslashes(text, b, j) and i < len(lines)):
                break
            out.char("\n", b, nxt)
            a, b, nxt = lines[i]
            i += 1
            j = a + 1 if text.startswith("\t", a) else a
        ranges.append((lo, out.size))
        if nxt > b:
            out.char("\n", b, nxt)
    source = out.source()
    return [(source, lo, hi) for lo, hi in ranges]


# ------------------------------------------------------------------------------------------------
# Jenkinsfiles (Groovy)


_GROOVY_STOP = re.compile(r"[/'\"]")
_GROOVY_IN_STRING = re.compile(r"[\\\n'\"$]")
_GROOVY_PATH = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")
_GROOVY_ESCAPES = {
    "b": "\b",
    "t": "\t",
    "n": "\n",
    "f": "\f",
    "r": "\r",
    "s": " ",
    "\\": "\\",
    "'": "'",
    '"': '"',
    "$": "$",
}
_SH_CALL = re.compile(
    r"(?<![\w.$])sh\s*(?:\(\s*)?(?:[A-Za-z_]\w*\s*:\s*[^,():]*,\s*)*(?:script\s*:\s*)?$"
)
_MAX_GROOVY_NESTING = 16


def _groovy_string_end(text: str, i: int, quote: str, depth: int = 0) -> tuple[int, bool]:
    """Index after the closing ``quote`` of a string whose content starts at ``i``."""
    n = len(text)
    triple = len(quote) == 3
    interpolating = quote[0] == '"'
    while i < n:
        m = _GROOVY_IN_STRING.search(text, i)
        if m is None:
            return n, False
        i = m.start()
        c = text[i]
        if c == "\\":
            i += 2
        elif c == "\n":
            if not triple:
                return i, False
            i += 1
        elif text.startswith(quote, i):
            return i + len(quote), True
        elif c == "$" and interpolating and text.startswith("{", i + 1):
            end = _groovy_brace_end(text, i + 2, depth + 1)
            if end < 0:
                return n, False
            i = end
        else:
            i += 1
    return n, False


def _groovy_brace_end(text: str, j: int, depth: int) -> int:
    """Index after the ``}`` closing a ``${`` whose code starts at ``j``; -1 if none."""
    n = len(text)
    level = 1
    while j < n:
        c = text[j]
        if c == "{":
            level += 1
        elif c == "}":
            level -= 1
            if level == 0:
                return j + 1
        elif c in "'\"" and depth < _MAX_GROOVY_NESTING:
            quote = c * 3 if text.startswith(c * 3, j) else c
            j, closed = _groovy_string_end(text, j + len(quote), quote, depth)
            if not closed:
                return -1
            continue
        j += 1
    return -1


def _groovy_decode(text: str, a: int, b: int, interpolating: bool) -> ShellSource:
    out = _Builder()
    i = a
    while i < b:
        c = text[i]
        if c == "\\" and i + 1 < b:
            nxt = text[i + 1]
            if nxt == "\n":
                i += 2
            elif nxt == "\r":
                i += 3 if text.startswith("\n", i + 2) and i + 2 < b else 2
            elif nxt in _GROOVY_ESCAPES:
                out.char(_GROOVY_ESCAPES[nxt], i, i + 2)
                i += 2
            elif nxt == "u" and re.fullmatch(r"[0-9A-Fa-f]{4}", text[i + 2 : i + 6]) and i + 6 <= b:
                out.char(chr(int(text[i + 2 : i + 6], 16)), i, i + 6)
                i += 6
            else:
                out.copy(text, i, i + 1)
                i += 1
        elif c == "$" and interpolating:
            if text.startswith("{", i + 1) and i + 1 < b:
                end = _groovy_brace_end(text, i + 2, 1)
                end = b if end < 0 or end > b else end
            else:
                m = _GROOVY_PATH.match(text, i + 1, b)
                end = m.end() if m else -1
            if end > i:
                out.template(text, i, end)
                i = end
            else:
                out.copy(text, i, i + 1)
                i += 1
        else:
            j = i + 1
            while j < b and text[j] not in "\\$":
                j += 1
            out.copy(text, i, j)
            i = j
    return out.source(a)


def _jenkins_sources(
    text: str, index: LineIndex
) -> tuple[list[tuple[ShellSource, int, int]], list[Problem]]:
    literals: list[tuple[int, int, str, bool]] = []
    masks: list[tuple[int, int, str]] = []
    n = len(text)
    i = 0
    while i < n:
        m = _GROOVY_STOP.search(text, i)
        if m is None:
            break
        k = m.start()
        c = text[k]
        if c == "/":
            if text.startswith("//", k):
                e = text.find("\n", k)
                e = n if e < 0 else e
            elif text.startswith("/*", k):
                e = text.find("*/", k + 2)
                e = n if e < 0 else e + 2
            else:
                i = k + 1
                continue
            masks.append((k, e, " "))
            i = e
            continue
        quote = c * 3 if text.startswith(c * 3, k) else c
        e, closed = _groovy_string_end(text, k + len(quote), quote)
        literals.append((k, e, quote, closed))
        masks.append((k, e, "0"))
        i = max(e, k + 1)
    pieces: list[str] = []
    pos = 0
    for a, b, filler in masks:
        pieces.append(text[pos:a])
        pieces.append(filler * (b - a))
        pos = b
    pieces.append(text[pos:])
    masked = "".join(pieces)

    sources: list[tuple[ShellSource, int, int]] = []
    problems: list[Problem] = []
    for a, e, quote, closed in literals:
        content_end = e - len(quote) if closed else e
        if NEEDLE not in text[a:e] or not _SH_CALL.search(masked, max(0, a - 300), a):
            continue
        if not closed:
            problems.append(
                Problem("CFG001", "unterminated Groovy string passed to sh", index.span(a, a + 1))
            )
        source = _groovy_decode(text, a + len(quote), content_end, quote[0] == '"')
        sources.append((source, 0, len(source.text)))
    return sources, problems


# ------------------------------------------------------------------------------------------------
# CI YAML


_YAML_ESCAPES = {
    "0": "\0",
    "a": "\a",
    "b": "\b",
    "t": "\t",
    "\t": "\t",
    "n": "\n",
    "v": "\v",
    "f": "\f",
    "r": "\r",
    "e": "\x1b",
    " ": " ",
    '"': '"',
    "/": "/",
    "\\": "\\",
    "N": "\x85",
    "_": "\xa0",
    "L": "\u2028",
    "P": "\u2029",
}
_YAML_HEX = {"x": 2, "u": 4, "U": 8}
_GITHUB_EXPRESSION = re.compile(r"\$\{\{.*?\}\}")
_AZURE_MACRO = re.compile(r"\$\([A-Za-z0-9_.]+\)")
_YAML_TAG = re.compile(r"(?m)(^[ \t]*|[:?-][ \t]+|[\[{,][ \t]*)(!(?!!)[^\s\[\]{},]*)")


def _break_len(text: str, i: int) -> int:
    return 2 if text.startswith("\r\n", i) else 1


def _decode_flow(text: str, a: int, b: int, style: str | None) -> _Builder | None:
    out = _Builder()
    trimmable: list[bool] = []
    i = a
    while i < b:
        c = text[i]
        if c in "\r\n":
            while trimmable and trimmable[-1]:
                trimmable.pop()
                out.parts.pop()
                out.starts.pop()
                out.ends.pop()
                out.size -= 1
            first = (i, i + _break_len(text, i))
            i = first[1]
            empties: list[tuple[int, int]] = []
            while True:
                while i < b and text[i] in " \t":
                    i += 1
                if i < b and text[i] in "\r\n":
                    empties.append((i, i + _break_len(text, i)))
                    i = empties[-1][1]
                    continue
                break
            for x, y in empties or [first]:
                out.char("\n" if empties else " ", x, y)
                trimmable.append(False)
            continue
        if style == '"' and c == "\\" and i + 1 < b:
            nxt = text[i + 1]
            if nxt in "\r\n":
                i += 1 + _break_len(text, i + 1)
                while i < b and text[i] in " \t":
                    i += 1
                continue
            if nxt in _YAML_ESCAPES:
                out.char(_YAML_ESCAPES[nxt], i, i + 2)
                trimmable.append(False)
                i += 2
                continue
            width = _YAML_HEX.get(nxt)
            digits = text[i + 2 : i + 2 + width] if width else ""
            if not width or len(digits) != width or not re.fullmatch(r"[0-9A-Fa-f]+", digits):
                return None
            code = int(digits, 16)
            if code > 0x10FFFF:
                return None
            out.char(chr(code), i, i + 2 + width)
            trimmable.append(False)
            i += 2 + width
            continue
        if style == "'" and c == "'" and i + 1 < b and text[i + 1] == "'":
            out.char("'", i, i + 2)
            trimmable.append(False)
            i += 2
            continue
        out.copy(text, i, i + 1)
        trimmable.append(c in " \t")
        i += 1
    return out


def _block_lines(text: str, s: int, e: int) -> list[tuple[int, int, int]]:
    j = s + 1
    while j < e and text[j] not in "\r\n":
        j += 1
    if j >= e:
        return []
    pos = j + _break_len(text, j)
    lines: list[tuple[int, int, int]] = []
    while pos < e:
        m = _BREAK.search(text, pos, e)
        if m is None:
            lines.append((pos, e, e))
            break
        lines.append((pos, m.start(), m.end()))
        pos = m.end()
    return lines


def _decode_block(
    text: str, lines: list[tuple[int, int, int]], indent: int, folded: bool
) -> _Builder | None:
    out = _Builder()
    previous: str | None = None  # kind of the previous non-empty line: "text" or "spaced"
    last_break = (0, 0)
    empties: list[tuple[int, int]] = []
    for a, b, nxt in lines:
        if b - a <= indent or not text[a + indent : b].strip(" "):
            if text[a : min(b, a + indent)].strip(" "):
                break  # less indented: past the scalar (a comment)
            if not folded:
                if b - a > indent:
                    out.copy(text, a + indent, b)
                out.char("\n", b, nxt)
            elif previous is None:
                out.char("\n", b, nxt)
            else:
                empties.append((b, nxt))
            continue
        if text[a : a + indent].strip(" "):
            break
        content = a + indent
        if not folded:
            out.copy(text, content, b)
            out.char("\n", b, nxt)
            continue
        kind = "spaced" if text[content] in " \t" else "text"
        if previous is not None:
            if previous == "text" and kind == "text":
                if not empties:
                    out.char(" ", *last_break)
            else:
                out.char("\n", *last_break)
            for x, y in empties:
                out.char("\n", x, y)
        out.copy(text, content, b)
        previous, last_break, empties = kind, (b, nxt), []
    return out


def _scalar_source(text: str, node: YNode, templates: list[re.Pattern[str]]) -> ShellSource:
    value = str(node.value)
    s, e = node.span.start, node.span.end
    decoded: _Builder | None = None
    if node.style in ("|", ">"):
        lines = _block_lines(text, s, e)
        widths = [b - a - len(text[a:b].lstrip(" ")) for a, b, _ in lines if text[a:b].strip(" ")]
        if widths:
            for indent in range(widths[0], -1, -1):
                candidate = _decode_block(text, lines, indent, node.style == ">")
                if candidate is not None and "".join(candidate.parts).rstrip("\n") == value.rstrip(
                    "\n"
                ):
                    decoded = candidate
                    break
    elif node.style in (None, "'", '"'):
        quoted = node.style is not None
        if not quoted or (e - s >= 2 and text[s] == node.style and text[e - 1] == node.style):
            candidate = _decode_flow(text, s + quoted, e - quoted, node.style)
            if candidate is not None and "".join(candidate.parts) == value:
                decoded = candidate
    if decoded is None:
        decoded = _Builder()
        decoded.parts.append(value)
        decoded.starts.extend([s] * len(value))
        decoded.ends.extend([e] * len(value))
        decoded.size = len(value)
    decoded_text = "".join(decoded.parts)
    for pattern in templates:
        for m in pattern.finditer(decoded_text):
            decoded.templates.setdefault(m.start(), m.end())
    return ShellSource(decoded_text, decoded.starts, decoded.ends, decoded.templates, s)


def _strings(node: YNode | None, depth: int = 0) -> Iterator[YNode]:
    """A string node, or the strings of a list (nested lists flattened, as GitLab does)."""
    if node is None:
        return
    if node.kind == "str":
        yield node
    elif node.kind == "seq" and depth < 8:
        for element in node.elements():
            yield from _strings(element, depth + 1)


def _walk(root: YNode | None) -> Iterator[YNode]:
    """Every map node under ``root`` (aliases visited once)."""
    if root is None:
        return
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if node.kind == "map":
            yield node
            stack.extend(v for _, v in node.items())
        elif node.kind == "seq":
            stack.extend(node.elements())


def _github_scripts(root: YNode) -> Iterator[YNode]:
    jobs = root.get("jobs")
    for _, job in jobs.items() if jobs is not None else ():
        steps = job.get("steps")
        for step in steps.elements() if steps is not None else ():
            run = step.get("run")
            if run is not None and run.kind == "str":
                yield run


def _gitlab_scripts(root: YNode) -> Iterator[YNode]:
    keys = ("before_script", "script", "after_script")
    for key, value in root.items():
        if key.value in keys:
            yield from _strings(value)
        elif value.kind == "map":
            for name in keys:
                yield from _strings(value.get(name))


_AZURE_SCRIPT_TASKS = frozenset({"Bash", "CmdLine", "AzureCLI", "ShellScript"})


def _azure_scripts(root: YNode) -> Iterator[YNode]:
    for node in _walk(root):
        steps = node.get("steps")
        for step in steps.elements() if steps is not None else ():
            for key in ("script", "bash"):
                script = step.get(key)
                if script is not None and script.kind == "str":
                    yield script
            task = step.get("task")
            inputs = step.get("inputs")
            if (
                task is not None
                and inputs is not None
                and str(task.value).split("@", 1)[0] in _AZURE_SCRIPT_TASKS
            ):
                for key in ("script", "inlineScript"):
                    script = inputs.get(key)
                    if script is not None and script.kind == "str":
                        yield script


def _bitbucket_scripts(root: YNode) -> Iterator[YNode]:
    for top in ("pipelines", "definitions"):
        for node in _walk(root.get(top)):
            for key in ("script", "after-script"):
                value = node.get(key)
                if value is not None and value.kind == "seq":
                    for element in value.elements():
                        if element.kind == "str":
                            yield element


def _yaml_sources(
    text: str, kind: ScriptKind
) -> tuple[list[tuple[ShellSource, int, int]], list[Problem]]:
    result = parse_yaml(text)
    if result.problem is not None and result.problem.message.startswith("YAML tag"):
        # CI tags (GitLab's !reference) are the CI's own: read the tagged node as untagged.
        masked = _YAML_TAG.sub(lambda m: m.group(1) + " " * len(m.group(2)), text)
        retry = parse_yaml(masked)
        if retry.problem is None:
            result = retry
    if result.problem is not None:
        return [], [result.problem]
    root = result.root
    if root is None or root.kind != "map":
        return [], []
    templates: list[re.Pattern[str]] = []
    if kind == "github-actions":
        scripts = _github_scripts(root)
        templates = [_GITHUB_EXPRESSION]
    elif kind == "gitlab-ci":
        scripts = _gitlab_scripts(root)
    elif kind == "azure-pipelines":
        scripts = _azure_scripts(root)
        templates = [_GITHUB_EXPRESSION, _AZURE_MACRO]
    else:
        scripts = _bitbucket_scripts(root)
    sources: list[tuple[ShellSource, int, int]] = []
    seen: set[int] = set()
    for node in scripts:
        if node.span.start in seen or NEEDLE not in str(node.value):
            continue
        seen.add(node.span.start)
        source = _scalar_source(text, node, templates)
        sources.append((source, 0, len(source.text)))
    return sources, []


# ------------------------------------------------------------------------------------------------
# Entry point


def find_aio_commands(
    text: str,
    kind: ScriptKind,
    *,
    is_secret_name: Callable[[str], bool] | None = None,
) -> tuple[tuple[AioCommand, ...], tuple[Problem, ...]]:
    """The set-variables commands of a script of ``kind``, and file-level problems.

    A literal VALUE is a :class:`Secret` for a secret flag, and also for a variable flag whose
    literal NAME ``is_secret_name`` calls secret-named (as the variables-file parser does).

    File-level problems: unparseable CI YAML, an unterminated Groovy string passed to ``sh``, and
    an unterminated quote or substitution in shell text that cuts an aio command short or runs
    over one (each CFG001, at the opening quote). Never raises on any text.
    """
    if NEEDLE not in text:
        return (), ()
    index = LineIndex(text)
    problems: list[Problem] = []
    sources: list[tuple[ShellSource, int, int]]
    if kind == "shell":
        sources = [(ShellSource(text), 1 if text.startswith("\ufeff") else 0, len(text))]
    elif kind == "makefile":
        sources = _make_sources(text)
    elif kind == "jenkinsfile":
        sources, problems = _jenkins_sources(text, index)
    else:
        sources, problems = _yaml_sources(text, kind)
    commands: list[AioCommand] = []
    for source, lo, hi in sources:
        if NEEDLE not in source.text[lo:hi]:
            continue
        at = _Positions(source, index)
        found, errors = iter_commands(source, lo, hi, needle=NEEDLE)
        cut = {id(error.command) for error in errors}
        for words in found:
            command = _aio_command(
                words, at, truncated=id(words) in cut, is_secret_name=is_secret_name
            )
            if command is not None:
                commands.append(command)
        for error in errors:
            name = _command_name_index(error.command)
            if NEEDLE in source.text[error.start : hi] or (
                name is not None and error.command[name].text in COMMAND_NAMES
            ):
                problems.append(
                    Problem(
                        "CFG001",
                        f"{error.message}: the shell reads the rest of the script as one word",
                        at.span(error.start, error.end),
                    )
                )
    commands.sort(key=lambda c: (c.span.start, c.span.end))
    problems.sort(key=lambda p: p.span.start if p.span is not None else -1)
    return tuple(commands), tuple(problems)
