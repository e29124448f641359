"""Reading rule-pack TOML files into rules (metadata only; the schema is compiled later).

A rule file::

    code = "ACME001"                      # GROUP + three digits
    name = "acme-timeout-type"            # kebab-case
    severity = "error"                    # error | warning | info
    summary = "One line."
    pids = ["com.acme.Service", "com.acme.Factory~*"]   # globs; `~` = factory configurations
    run-modes = ["publish"]               # optional: only configurations active there
    message = "why it matters"            # optional: added to every message, in parentheses
    schema-file = "schemas/acme.schema.json"   # or: [schema] table, or schema = false
    docs = '''
    ## What it does
    ...'''

A mistake in a pack (bad TOML, a missing or unknown key, a bad code, a schema file outside the
pack) raises :class:`PackError` naming the file: the command line exits 2, as for an invalid
configuration. Nothing from a pack is ever executed.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aemlint.cache import JsonCache
from aemlint.plugins import RuleSourceError, hookimpl
from aemlint.registry import CODE_RE, NAME_RE, REQUIRED_SECTIONS, Rule

SEVERITIES = ("error", "warning", "info")
RUN_MODES = ("author", "publish", "dev", "stage", "prod", "rde")
_REQUIRED = ("code", "name", "severity", "summary", "pids", "docs")
_OPTIONAL = ("run-modes", "message", "schema", "schema-file")
MAX_FILE_BYTES = 256 * 1024


class PackError(RuleSourceError):
    """A rule pack that cannot be used: the message names the file and the reason (exit 2)."""


@dataclass(frozen=True, slots=True)
class PackSpec:
    """One rule file, read and checked; ``schema`` is the inline schema, else ``schema_file``."""

    file: Path
    folder: Path
    code: str
    name: str
    severity: str
    summary: str
    docs: str
    pids: tuple[str, ...]
    run_modes: tuple[str, ...]
    message: str
    schema: Mapping[str, Any] | bool | None
    schema_file: Path | None


def _fail(file: Path, reason: str) -> PackError:
    return PackError(f"invalid rule pack {file}: {reason}")


def _str_list(file: Path, data: Mapping[str, Any], key: str) -> tuple[str, ...]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise _fail(file, f"`{key}` must be a list of non-empty strings")
    return tuple(value)


def _text(file: Path, data: Mapping[str, Any], key: str) -> str:
    value = data.get(key, "")
    if not isinstance(value, str):
        raise _fail(file, f"`{key}` must be a string")
    return value.strip()


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except (ValueError, OSError):
        return False
    return True


def read_spec(file: Path, folder: Path) -> PackSpec:
    """Parse and check one rule file of the pack in ``folder``."""
    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise _fail(file, f"cannot be read: {exc.strerror or exc}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise _fail(file, f"larger than {MAX_FILE_BYTES} bytes")
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise _fail(file, "not valid TOML: the file is not UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise _fail(file, f"not valid TOML: {exc}") from None
    missing = [k for k in _REQUIRED if k not in data]
    if missing:
        raise _fail(file, "missing key(s): " + ", ".join(f"`{k}`" for k in missing))
    unknown = sorted(set(data) - set(_REQUIRED) - set(_OPTIONAL))
    if unknown:
        raise _fail(file, "unknown key(s): " + ", ".join(f"`{k}`" for k in unknown))
    code, name, severity = data["code"], data["name"], data["severity"]
    if not isinstance(code, str) or not CODE_RE.match(code):
        raise _fail(file, "`code` must be 2-5 upper-case letters and 3 digits (e.g. ACME001)")
    if not isinstance(name, str) or not NAME_RE.match(name):
        raise _fail(file, "`name` must be kebab-case (e.g. acme-timeout-type)")
    if severity not in SEVERITIES:
        raise _fail(file, "`severity` must be one of " + ", ".join(SEVERITIES))
    summary = _text(file, data, "summary")
    if not summary or "\n" in summary:
        raise _fail(file, "`summary` must be one non-empty line")
    docs = _text(file, data, "docs")
    sections = Rule(code, name, "error", summary, docs, "config", _never).sections()
    absent = [t for t in REQUIRED_SECTIONS if not sections.get(t)]
    if absent:
        raise _fail(file, "`docs` lacks the section(s) " + ", ".join(f"## {t}" for t in absent))
    pids = _str_list(file, data, "pids")
    if not pids:
        raise _fail(file, "`pids` must name at least one PID (glob)")
    run_modes = _str_list(file, data, "run-modes")
    bad = [m for m in run_modes if m not in RUN_MODES]
    if bad:
        raise _fail(file, f"`run-modes` entries must be among {', '.join(RUN_MODES)}: {bad}")
    has_inline, has_file = "schema" in data, "schema-file" in data
    if has_inline == has_file:
        raise _fail(file, "give exactly one of `schema` (inline) and `schema-file`")
    schema: Mapping[str, Any] | bool | None = None
    schema_file: Path | None = None
    if has_inline:
        schema = data["schema"]
        if not isinstance(schema, dict | bool):
            raise _fail(file, "`schema` must be a table (a JSON Schema object) or a boolean")
    else:
        rel = data["schema-file"]
        if not isinstance(rel, str) or not rel:
            raise _fail(file, "`schema-file` must be a path relative to the pack folder")
        schema_file = folder / rel
        if Path(rel).is_absolute() or not _inside(schema_file, folder / "schemas"):
            raise _fail(file, f"`schema-file` {rel!r} must be a file under the pack's schemas/")
        if not schema_file.is_file():
            raise _fail(file, f"`schema-file` {rel!r} not found")
    return PackSpec(
        file=file,
        folder=folder,
        code=code,
        name=name,
        severity=severity,
        summary=summary,
        docs=f"{summary}\n\n{docs}",
        pids=pids,
        run_modes=run_modes,
        message=_text(file, data, "message"),
        schema=schema,
        schema_file=schema_file,
    )


def _never(_target: Any, _ctx: Any) -> list[Any]:
    return []


def load_pack_file(file: Path, folder: Path, origin: str = "aemlint") -> Rule:
    """The rule of one pack file (its schema is compiled when a configuration first matches)."""
    from aemlint.packs.check import PackCheck

    spec = read_spec(file, folder)
    check = PackCheck(spec)
    return Rule(
        code=spec.code,
        name=spec.name,
        severity=spec.severity,  # type: ignore[arg-type]  # checked against SEVERITIES
        summary=spec.summary,
        doc=spec.docs,
        scope="config",
        check=check,
        pids=check.engine_pids,
        origin=origin,
    )


def load_pack_folder(folder: Path, label: str | None = None) -> list[Rule]:
    """Every ``*.toml`` rule file directly inside ``folder``, in name order.

    ``label`` names a user pack in each rule's origin (``rule pack <label>/<file>``), which is
    what a duplicate code or name reports; built-in packs (no label) have origin ``aemlint``.
    """
    if not folder.is_dir():
        raise PackError(f"rule pack folder not found: {folder}")
    return [
        load_pack_file(f, folder, "aemlint" if label is None else f"rule pack {label}/{f.name}")
        for f in sorted(folder.glob("*.toml"))
    ]


class UserPacks:
    """The ``rule-packs`` of a project's configuration, as a plugin of the ``aemlint_rules`` hook.

    Entries are folders relative to the project root and must stay inside it (symbolic links
    are resolved first). Every schema is compiled when the packs are loaded, so a broken pack is
    exit 2 before any file is linted; with a ``cache``, that verdict is kept per content of the
    packs' files, so a run with unchanged packs does not import jsonschema up front.
    """

    def __init__(self, root: Path, entries: Sequence[str], cache: JsonCache | None = None) -> None:
        self.root = root
        self.entries = tuple(entries)
        self.cache = cache

    def folders(self) -> list[Path]:
        out = []
        for i, entry in enumerate(self.entries):
            folder = self.root / entry
            if Path(entry).is_absolute() or not _inside(folder, self.root):
                raise PackError(
                    f"invalid configuration: rule-packs[{i}]: {entry!r} is outside the "
                    f"project root {self.root}"
                )
            if not folder.is_dir():
                raise PackError(
                    f"invalid configuration: rule-packs[{i}]: folder not found: {entry}"
                )
            out.append(folder)
        return out

    def _fingerprint(self, folders: Sequence[Path]) -> str:
        from aemlint import __version__
        from aemlint.cache import digest

        parts: list[object] = [__version__]
        for folder in folders:
            files = sorted(folder.glob("*.toml"))
            files += sorted(p for p in (folder / "schemas").rglob("*") if p.is_file())
            for f in files:
                try:
                    parts.append([f.as_posix(), f.read_bytes().hex()])
                except OSError:
                    parts.append([f.as_posix(), None])
        return "rule-packs-" + digest(*parts)

    @hookimpl
    def aemlint_rules(self) -> list[Rule]:
        from aemlint.packs.check import PackCheck

        folders = self.folders()
        key = self._fingerprint(folders) if self.cache is not None else None
        known_valid = self.cache is not None and self.cache.get(str(key)) == "valid"
        rules: list[Rule] = []
        for entry, folder in zip(self.entries, folders, strict=True):
            for r in load_pack_folder(folder, label=entry.rstrip("/\\")):
                if not known_valid and isinstance(r.check, PackCheck):
                    r.check.compiled()
                rules.append(r)
        if self.cache is not None and not known_valid:
            self.cache.put(str(key), "valid")
        return rules
