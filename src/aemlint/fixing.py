"""Applying fixes: ``--fix``, ``--unsafe-fixes``, ``--diff`` (SPEC §1, §5 fix shape, §7).

The loop follows ruff's: lint, take each shown finding whose fix may be applied, apply those
that do not overlap to an in-memory copy of the project, lint that again, until no fix applies
(at most :data:`MAX_ROUNDS` rounds). Nothing touches the disk during the loop. Then ``--diff``
prints the change as a git-style unified diff (renames, new and deleted files included) and
writes nothing; ``--fix`` writes it: folder renames and deletions replayed in the order they
were applied, then each file whose text changed, atomically (temporary file + rename), in the
encoding it was read with. A file whose text ends unchanged is never written.

Edits splice the text the parser read at the offsets it reported, so every other character
is unchanged — and every other byte, since the text is encoded back with the encoding it was
decoded with. Which fixes apply: shown findings only (``per-file-ignores``, inline
suppressions, the baseline and the PATH arguments are honoured); safe ones, and unsafe ones
with ``--unsafe-fixes``; never an edit without content (one that would carry a secret), nor
one in a file its parser could not read to the end; with
PATHs, only fixes that change files under them; with ``--stdin-filename``, only edits of that
file. Diffs mask every secret value the parsers found, as code frames do.
"""

from __future__ import annotations

import difflib
import os
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from aemlint.cache import write_atomic
from aemlint.discovery import DiscoveredFile, classify
from aemlint.masking import mask
from aemlint.model.project import Project
from aemlint.sources import Unreadable, encoding_of, read_text
from aemlint.types import Edit, Finding, Fix

MAX_ROUNDS = 10

Lint = Callable[[Project, Sequence[PurePosixPath]], list[Finding]]
Build = Callable[[list[DiscoveredFile], dict[PurePosixPath, str | Unreadable]], Project]


def _under(path: PurePosixPath, folder: PurePosixPath) -> bool:
    """``path`` is ``folder`` or inside it (by parts: ``folder in path.parents`` builds every
    parent, which made a --diff over thousands of files spend most of its time here)."""
    return path.parts[: len(folder.parts)] == folder.parts


@dataclass
class Workspace:
    """The project as the fixes so far have changed it, in memory.

    ``overrides`` holds the current text of every file a fix touched or moved (and of the
    ``--stdin-filename`` file); ``origin`` maps such a current path to the path it had on disk
    (None for a file a fix created); ``originals`` keeps the original text of those files;
    ``ops`` the folder moves and deletions to replay on disk, in order; ``others`` the
    non-input files a folder move carried (current path → original path).
    """

    root: Path
    files: dict[PurePosixPath, DiscoveredFile]
    overrides: dict[PurePosixPath, str | Unreadable]
    targets: list[PurePosixPath]
    origin: dict[PurePosixPath, PurePosixPath | None] = field(default_factory=dict)
    originals: dict[PurePosixPath, str | Unreadable] = field(default_factory=dict)
    ops: list[tuple[str, PurePosixPath, PurePosixPath | None]] = field(default_factory=list)
    others: dict[PurePosixPath, PurePosixPath] = field(default_factory=dict)

    def exists(self, path: PurePosixPath) -> bool:
        """Whether anything sits at ``path`` now (in memory, or on disk and not moved away)."""
        if path in self.files or path in self.overrides or path in self.others:
            return True
        if os.path.lexists(self.root / path):
            gone = set(self.origin.values()) | {op[1] for op in self.ops if op[0] == "delete"}
            moved_away = any(op[0] == "move" and _under(path, op[1]) for op in self.ops)
            if path not in gone and not moved_away:
                return True
        # A folder that exists only in memory (a move's target).
        return any(_under(o, path) for o in (*self.files, *self.others))

    def touch(self, path: PurePosixPath) -> None:
        """Remember the original text of ``path`` before a fix changes it."""
        if path in self.origin:
            return
        if path not in self.overrides:
            self.overrides[path] = read_text(self.root / path, encoding_of(path))
        self.origin[path] = path
        self.originals[path] = self.overrides[path]

    def set_text(self, path: PurePosixPath, text: str) -> None:
        if path not in self.origin and not self.exists(path):
            self.origin[path] = None  # created
            found = classify(path)
            if found is not None:
                self.files[path] = found
        else:
            self.touch(path)
        self.overrides[path] = text

    def delete(self, path: PurePosixPath) -> None:
        self.touch(path)
        was = self.origin.pop(path)
        self.overrides.pop(path, None)
        self.files.pop(path, None)
        if was is not None:
            self.ops.append(("delete", path, None))

    def move(self, folder: PurePosixPath, to: PurePosixPath) -> None:
        """Move ``folder`` (every input in it, and the other files on disk) to ``to``."""
        inputs = [p for p in self.files if _under(p, folder)]
        for path in inputs:
            if self.origin.get(path, path) is not None:
                self.touch(path)
            new = to / path.relative_to(folder)
            self.overrides[new] = self.overrides.pop(path)
            self.origin[new] = self.origin.pop(path)
            del self.files[path]
            found = classify(new)
            if found is not None:
                self.files[new] = found
        for path in [p for p in self.others if _under(p, folder)]:
            self.others[to / path.relative_to(folder)] = self.others.pop(path)
        if (self.root / folder).is_dir():
            for dirpath, _dirs, names in os.walk(self.root / folder):
                for name in names:
                    rel = PurePosixPath(Path(dirpath, name).relative_to(self.root).as_posix())
                    if rel not in inputs and rel not in self.origin:
                        self.others[to / rel.relative_to(folder)] = rel
        self.ops.append(("move", folder, to))
        self.targets[:] = [
            to / t.relative_to(folder) if _under(t, folder) else t for t in self.targets
        ]


@dataclass
class Outcome:
    """What the fix loop did: the final project and its shown findings, the findings whose fix
    was applied (in order), and the workspace to write or show."""

    first: Project
    project: Project
    findings: list[Finding]
    applied: list[Finding]
    workspace: Workspace
    converged: bool = True

    def changes(self) -> list[tuple[PurePosixPath | None, PurePosixPath | None]]:
        """(original path, final path) of every changed file: None for created / deleted."""
        ws = self.workspace
        out: list[tuple[PurePosixPath | None, PurePosixPath | None]] = []
        finals = {o: p for p, o in ws.origin.items() if o is not None}
        for original in sorted(ws.originals):
            final = finals.get(original)
            if final is None:
                out.append((original, None))
            elif final != original or ws.overrides.get(final) != ws.originals[original]:
                out.append((original, final))
        for path, was in sorted(ws.others.items()):
            if path != was:
                out.append((was, path))
        out.extend((None, p) for p, o in sorted(ws.origin.items()) if o is None)
        return out


def _allowed(f: Finding, unsafe: bool) -> Fix | None:
    fix = f.fix
    if fix is None or (fix.applicability == "unsafe" and not unsafe):
        return None
    if not (fix.edits or fix.renames or fix.deletes):
        return None
    if any(e.content is None for e in fix.edits):
        return None  # a hint: the replacement would carry a secret
    return fix


def _touched(fix: Fix) -> set[PurePosixPath]:
    paths = {e.path for e in fix.edits} | set(fix.deletes)
    for a, b in fix.renames:
        paths |= {a, b}
    return paths


def _overlaps(a: Edit, b: Edit) -> bool:
    if a.path != b.path:
        return False
    x, y = (a.span.start, a.span.end), (b.span.start, b.span.end)
    if x == y and x[0] == x[1]:
        return True  # two insertions at one point: their order would matter
    return (x[0] < y[1] and y[0] < x[1]) or x == y


def _choose(
    findings: Sequence[Finding],
    ws: Workspace,
    project: Project,
    unsafe: bool,
    stdin: PurePosixPath | None,
) -> tuple[list[Finding], list[Finding]]:
    """The findings whose fixes apply this round, and those fixed by an identical fix."""
    chosen: list[Finding] = []
    twins: list[Finding] = []
    edits: list[Edit] = []
    structural: set[PurePosixPath] = set()
    seen: list[Fix] = []
    inside = ws.targets
    for f in findings:
        fix = _allowed(f, unsafe)
        if fix is None:
            continue
        if any(fix == s for s in seen):
            twins.append(f)
            continue
        paths = _touched(fix)
        if stdin is not None and (fix.renames or fix.deletes or paths != {stdin}):
            continue
        changed = {e.path for e in fix.edits} | set(fix.deletes)
        if inside and not all(any(_under(p, t) for t in inside) for p in changed):
            continue
        if fix.renames and inside and not any(_under(f.path, t) for t in inside):
            continue
        if any(_under(p, s) or _under(s, p) for p in paths for s in structural):
            continue
        if fix.renames or fix.deletes:
            if any(_under(e.path, p) for e in edits for p in paths):
                continue
            if any(ws.exists(b) for _, b in fix.renames):
                continue
        if any(_overlaps(e, c) for e in fix.edits for c in edits):
            continue
        if not _edits_apply(fix, ws, project):
            continue
        chosen.append(f)
        seen.append(fix)
        edits.extend(fix.edits)
        if fix.renames or fix.deletes:
            structural |= paths
    return chosen, twins


def _edits_apply(fix: Fix, ws: Workspace, project: Project) -> bool:
    """Every edit can be made: on the text the parser read in full (never in a file it could
    not read to the end: the fix waits until the file is repaired), or as a new file."""
    for path in (*(e.path for e in fix.edits), *fix.deletes):
        cfg = project.config_at(path)
        if cfg is not None and not cfg.parsed.readable:
            return False
    for e in fix.edits:
        text = project.texts.get(e.path)
        if text is None:
            if ws.exists(e.path) or (e.span.start, e.span.end) != (0, 0):
                return False  # only a new file can be written without the parser's text
        elif e.span.end > len(text):
            return False
    return True


def _apply(chosen: Sequence[Finding], ws: Workspace, project: Project) -> None:
    by_path: dict[PurePosixPath, list[Edit]] = {}
    for f in chosen:
        assert f.fix is not None
        for e in f.fix.edits:
            by_path.setdefault(e.path, []).append(e)
    for path, edits in by_path.items():
        text = project.texts.get(path, "")
        for e in sorted(edits, key=lambda e: (e.span.start, e.span.end), reverse=True):
            assert e.content is not None
            text = text[: e.span.start] + e.content + text[e.span.end :]
        ws.set_text(path, text)
    for f in chosen:
        assert f.fix is not None
        for old in f.fix.deletes:
            ws.delete(old)
        for a, b in f.fix.renames:
            ws.move(a, b)


def fix_loop(
    files: Sequence[DiscoveredFile],
    overrides: dict[PurePosixPath, str | Unreadable],
    targets: Sequence[PurePosixPath],
    *,
    root: Path,
    build: Build,
    lint: Lint,
    unsafe: bool,
    stdin: PurePosixPath | None = None,
) -> Outcome:
    """Lint and fix until no fix applies; nothing is written (see :meth:`Outcome.write`)."""
    ws = Workspace(root, {f.path: f for f in files}, dict(overrides), list(targets))
    if stdin is not None and stdin in ws.overrides:
        ws.origin[stdin] = stdin
        ws.originals[stdin] = ws.overrides[stdin]
    project = first = build(list(ws.files.values()), ws.overrides)
    findings = lint(project, ws.targets)
    applied: list[Finding] = []
    for _ in range(MAX_ROUNDS):
        chosen, twins = _choose(findings, ws, project, unsafe, stdin)
        if not chosen:
            return Outcome(first, project, findings, applied, ws)
        _apply(chosen, ws, project)
        applied.extend(sorted([*chosen, *twins], key=Finding.sort_key))
        project = build(list(ws.files.values()), ws.overrides)
        findings = lint(project, ws.targets)
    return Outcome(first, project, findings, applied, ws, converged=False)


# ------------------------------------------------------------------------------------------------
# Writing


class FixWriteError(Exception):
    """A change could not be written (the message names the file and why)."""


def write(outcome: Outcome) -> list[str]:
    """Replay the moves and deletions, then write each changed file atomically. Returns the
    problems met (a file created meanwhile is never overwritten); raises nothing for them."""
    ws = outcome.workspace
    root = ws.root
    problems: list[str] = []
    for kind, a, b in ws.ops:
        try:
            if kind == "move":
                assert b is not None
                if os.path.lexists(root / b):
                    problems.append(f"{b}: exists already, {a} not renamed")
                    continue
                (root / b).parent.mkdir(parents=True, exist_ok=True)
                os.rename(root / a, root / b)
            else:
                (root / a).unlink(missing_ok=True)
        except OSError as exc:
            problems.append(f"{a}: {exc.strerror or exc}")
    for path, text in sorted(ws.overrides.items()):
        if path not in ws.origin or isinstance(text, Unreadable):
            continue
        was = ws.origin[path]
        if was is not None and ws.originals.get(was) == text:
            continue
        if was is None and os.path.lexists(root / path):
            problems.append(f"{path}: exists already, not overwritten")
            continue
        try:
            target = root / path
            write_atomic(target, text, encoding_of(path), mode=_mode_for(target), durable=True)
        except (OSError, UnicodeEncodeError) as exc:
            problems.append(f"{path}: not written ({type(exc).__name__})")
    return problems


def _mode_for(path: Path) -> int:
    """The permissions of the file ``path`` replaces (a new file: the umask's default)."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


# ------------------------------------------------------------------------------------------------
# Showing


def _masked(project: Project, path: PurePosixPath, text: str | Unreadable | None) -> str:
    if text is None:
        return ""
    if isinstance(text, Unreadable):
        return ""
    if project.texts.get(path) != text:
        return mask(text, [], conservative=True)
    cfg = project.config_at(path)
    return mask(text, project.secret_spans(path), cfg is None or not cfg.parsed.readable)


def _hunks(old: str, new: str, a: str, b: str) -> list[str]:
    out: list[str] = []
    lines = difflib.unified_diff(
        old.splitlines(keepends=True), new.splitlines(keepends=True), a, b, n=3
    )
    for line in lines:
        if line.startswith(("---", "+++")):
            out.append(line.rstrip("\n") + "\n")
        elif line.endswith("\n"):
            out.append(line)
        else:
            out.append(line + "\n\\ No newline at end of file\n")
    return out


def diff(outcome: Outcome, show: Callable[[PurePosixPath], str]) -> str:
    """The whole change as a git-style unified diff (``show`` gives a path as printed)."""
    ws = outcome.workspace
    first, last = outcome.first, outcome.project
    chunks: list[str] = []
    for original, final in outcome.changes():
        a = show(original) if original is not None else show(final)  # type: ignore[arg-type]
        b = show(final) if final is not None else a
        head = [f"diff --git a/{a} b/{b}\n"]
        old = _masked(first, original, ws.originals.get(original)) if original else ""
        if final is None:
            new = ""
        elif final in ws.overrides:
            new = _masked(last, final, ws.overrides[final])
        else:
            new = old  # a non-input file a folder move carried
        if original is None:
            head.append("new file mode 100644\n")
        elif final is None:
            head.append("deleted file mode 100644\n")
        elif final != original:
            if old == new:
                head.append("similarity index 100%\n")
            head += [f"rename from {a}\n", f"rename to {b}\n"]
        from_name = f"a/{a}" if original is not None else "/dev/null"
        to_name = f"b/{b}" if final is not None else "/dev/null"
        chunks.append("".join(head + _hunks(old, new, from_name, to_name)))
    return "".join(chunks)
