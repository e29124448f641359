"""``aemlint effective PID[~NAME]``: the configuration AEM applies for one PID (SPEC §1).

For every (service, environment) asked for, the run-mode resolution of the model
(:func:`aemlint.model.runmodes.resolve`) picks the file AEM applies; its properties are shown with
the platform's type names and their placeholders resolved the way the Felix interpolation plugin
does, against the Cloud Manager variables of that environment.

Choices (also in ``aemlint effective --help``):

* Services: ``--service`` or all three (``author``, ``publish``, ``preview``; preview reads
  publish's folders).
* Environments: ``--environment NAME`` is one configured ``[[cloud-manager.environments]]`` entry
  (its type, its variables; an unknown NAME is exit 2; in implicit mode the only name is
  ``default``, the pool of every discovered variables source, evaluated for each type).
  ``--env TYPE`` is that type: with configured environments, each environment of that type (none of
  that type: defaults only); without, the implicit pool. Neither: the configured environments,
  else the four types with the implicit pool. ``environment`` in the output is the configured
  environment's name, or the type where none is configured.
* Only files the platform installs compete: a file its reader rejects (CFG001…) is listed under
  ``not_installed`` where it would otherwise apply; files in unsupported or misordered folders
  (RUN001, RUN002: ``config.qa``, ``config.dev.author``) never apply and are listed under
  ``ignored``.
* Ties (RUN004, or CFG005 duplicates): ``winner`` is the first tied file by path, ``tied`` lists
  every tied file (the winner included); AEM's choice between them is not documented.
* Placeholders (only in ``String`` and ``String[]`` values, as the plugin does): ``$[env:X]`` and
  ``$[secret:X]`` take the value of variable X of the environment (a service-scoped variable wins
  over an unscoped one; the variable's type is not checked against the placeholder's kind, which
  AEM-FACTS §1.6 leaves undocumented; ``$[env:AEM_PROXY_HOST]`` is ``proxy.tunnel``, set by AEM
  where no variable applies), else the ``default=`` directive, else the placeholder stays
  as written (what AEM deploys). A variable whose value is provided at deploy time (``"$X"`` in a
  script) keeps the placeholder and is reported as ``runtime``. A ``type=`` directive converts a
  whole-value placeholder. Other kinds (``prop``, ``conf``) take their default, else stay.
* Redaction (SPEC §5): a value is redacted (``value`` null, ``redacted`` true; in an array, the
  element is null) when it comes from a ``$[secret:…]`` placeholder, a ``secretString`` variable or
  any :class:`~aemlint.types.Secret` (secret-named properties, secret-named variables), or when it
  is a CryptoSupport value or holds a credential SEC004 recognises. A secret-named property whose
  value is an untouched placeholder is shown as written.
* A PID with no configuration file anywhere is exit 1 (the answer is "nothing"), with close
  matches; usage mistakes are exit 2.
"""

from __future__ import annotations

import difflib
import json
import math
import os
import re
import struct
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from aemlint.model.cloud_manager import Environment, VariableSetting
from aemlint.model.credentials import find_credentials
from aemlint.model.osgi import INTERPOLATED_TYPES, OsgiConfig
from aemlint.model.project import Project
from aemlint.model.runmodes import ENV_TYPES, resolve
from aemlint.model.secrets import classify_value
from aemlint.parsing.placeholders import iter_candidates, parse_directives
from aemlint.parsing.values import Property, Scalar
from aemlint.types import Secret

__all__ = ["Target", "effective_blocks", "plan_targets", "render_json", "render_text", "run"]

EXIT_OK, EXIT_NOTHING, EXIT_USAGE = 0, 1, 2
Source = Literal["variable", "platform", "default", "runtime", "unset"]
#: Variables AEM itself sets, used where no Cloud Manager variable of that name applies:
#: "``$[env:AEM_PROXY_HOST]`` is a reserved variable that AEM as a Cloud Service maps to the
#: internal ``proxy.tunnel`` host" (AEM-FACTS §1.5 [S9]).
PLATFORM_VARIABLES = {"AEM_PROXY_HOST": "proxy.tunnel"}
_ESCAPED_START = re.compile(r"(?<!\\)\\\$\[")


class EffectiveUsageError(Exception):
    """A usage mistake specific to ``effective`` (exit 2)."""


# -- which (service, environment) pairs -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Target:
    """One (service, environment) to show; ``variables`` are the settings that apply to it."""

    service: str
    env_type: str
    environment: str
    explicit: bool
    variables: tuple[VariableSetting, ...]
    variables_note: str


def _service_variables(
    settings: Sequence[VariableSetting], service: str
) -> tuple[VariableSetting, ...]:
    """The settings reaching ``service``: unscoped ones, then the service's own (which win)."""
    out: dict[str, VariableSetting] = {}
    for scoped in (False, True):
        for v in settings:
            if (v.service not in (None, "", "all")) != scoped:
                continue
            if scoped and v.service != service:
                continue
            if v.deleted:
                out.pop(v.name, None)
            else:
                out[v.name] = v
    return tuple(out.values())


def plan_targets(
    environments: Sequence[Environment],
    services: Sequence[str],
    env_type: str | None,
    environment: str | None,
) -> list[Target]:
    """The (service, environment) pairs asked for, in environment order, then service order."""
    explicit = any(e.explicit for e in environments)
    pool = next((e for e in environments if not e.explicit), None)
    envs: list[tuple[Environment | None, str]] = []  # (environment or None, env type)
    if environment is not None:
        chosen = next((e for e in environments if e.name == environment), None)
        if chosen is None:
            known = ", ".join(e.name for e in environments) or "none"
            raise EffectiveUsageError(f"unknown environment {environment!r} (known: {known})")
        if chosen.type is None:
            envs = [(chosen, t) for t in ((env_type,) if env_type else ENV_TYPES)]
        else:
            if env_type is not None and env_type != chosen.type:
                raise EffectiveUsageError(
                    f"environment {environment!r} is of type {chosen.type}, not {env_type}"
                )
            envs = [(chosen, chosen.type)]
    elif explicit:
        typed = [e for e in environments if env_type is None or e.type == env_type]
        envs = [(e, e.type or t) for e in typed for t in ((e.type,) if e.type else ENV_TYPES)]
        if env_type is not None and not typed:
            envs = [(None, env_type)]
    else:
        envs = [(pool, t) for t in ((env_type,) if env_type else ENV_TYPES)]
    targets = []
    for env, t in envs:
        if env is None:
            note = f"no configured environment of type {t}: defaults only"
        elif env.explicit:
            sources = sorted({v.path.as_posix() for v in env.variables})
            note = f"environment {env.name}" + (
                f" ({', '.join(sources)})" if sources else ": no variables"
            )
        else:
            note = "every discovered Cloud Manager variables source (implicit)"
        settings = env.variables if env is not None else ()
        label = env.name if env is not None and env.explicit else t
        for service in services:
            targets.append(
                Target(
                    service=service,
                    env_type=t,
                    environment=label,
                    explicit=env is not None and env.explicit,
                    variables=_service_variables(settings, service),
                    variables_note=note,
                )
            )
    return targets


# -- placeholder resolution -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Ref:
    """How one placeholder was resolved (never its directives: a default may be a secret)."""

    kind: str
    name: str
    source: Source
    path: PurePosixPath | None = None


@dataclass(slots=True)
class _Interpolated:
    text: str  # may hold a secret: only for output when ``secret`` is False
    secret: bool = False
    changed: bool = False
    refs: list[Ref] = field(default_factory=list)
    converted: tuple[str, Any] | None = None  # (type name, value) of a ``type=`` directive


def _unescape(text: str) -> str:
    return _ESCAPED_START.sub("$[", text) if "\\$[" in text else text


def _interpolate(
    text: str, secret_context: bool, variables: Mapping[str, VariableSetting], depth: int = 0
) -> _Interpolated:
    """Felix's ``Interpolator.replace`` over ``text`` (outermost placeholders; names and
    directives are interpolated first, as Felix does)."""
    result = _Interpolated(text)
    if "$[" not in text or depth > 8:
        return result
    pieces: list[str] = []
    pos = 0
    whole: tuple[str, dict[str, str], str] | None = None
    for cand in iter_candidates(text):
        if cand.start < pos:
            continue
        if cand.body is None or cand.end is None:
            break
        body = cand.body
        sep = body.find(":")
        if sep == -1:
            continue
        kind, postfix = body[:sep], body[sep + 1 :]
        semi = postfix.find(";")
        name = postfix if semi == -1 else postfix[:semi]
        directives = {} if semi == -1 else parse_directives(postfix[semi + 1 :])
        if "$[" in name:
            inner = _interpolate(name, secret_context, variables, depth + 1)
            name, result.secret = inner.text, result.secret or inner.secret
            result.refs.extend(inner.refs)
        for key, directive in list(directives.items()):
            if "$[" in directive:
                inner = _interpolate(directive, secret_context, variables, depth + 1)
                directives[key] = inner.text
                result.refs.extend(inner.refs)
                result.secret = result.secret or inner.secret
        pieces.append(_unescape(text[pos : cand.start]))
        pos = cand.end
        value, ref, secret = _lookup(kind, name, directives, secret_context, variables)
        result.refs.append(ref)
        if value is None:
            pieces.append(text[cand.start : cand.end])
            continue
        result.changed = True
        result.secret = result.secret or secret
        pieces.append(value)
        if cand.start == 0 and cand.end == len(text) and "type" in directives:
            whole = (directives["type"], directives, value)
    pieces.append(_unescape(text[pos:]))
    result.text = "".join(pieces)
    result.changed = result.changed or result.text != text
    if whole is not None:
        result.converted = _convert(*whole)
    return result


def _lookup(
    kind: str,
    name: str,
    directives: Mapping[str, str],
    secret_context: bool,
    variables: Mapping[str, VariableSetting],
) -> tuple[str | None, Ref, bool]:
    """(replacement or None to keep the placeholder, how, whether the replacement is secret)."""
    secret_kind = kind == "secret" or secret_context
    if kind in ("env", "secret"):
        v = variables.get(name)
        if v is not None:
            if v.runtime or v.value is None:
                return None, Ref(kind, name, "runtime", v.path), False
            is_secret = secret_kind or v.type == "secretString" or isinstance(v.value, Secret)
            text = v.value.reveal() if isinstance(v.value, Secret) else v.value
            return text, Ref(kind, name, "variable", v.path), is_secret
    if kind == "env" and name in PLATFORM_VARIABLES:
        return PLATFORM_VARIABLES[name], Ref(kind, name, "platform"), secret_context
    if "default" in directives:
        return directives["default"], Ref(kind, name, "default"), secret_kind
    return None, Ref(kind, name, "unset"), False


_INT_RANGES = {"Integer": 32, "Long": 64, "Byte": 8, "Short": 16}
_TYPE_ALIASES = {
    "int": "Integer",
    "long": "Long",
    "float": "Float",
    "double": "Double",
    "byte": "Byte",
    "short": "Short",
    "char": "Character",
    "boolean": "Boolean",
}


def _convert(type_hint: str, directives: Mapping[str, str], text: str) -> tuple[str, Any] | None:
    """A ``type=`` directive (Felix ``Interpolator``/converter); None when it does not convert."""
    multi = type_hint.endswith("[]")
    base = type_hint[:-2] if multi else type_hint
    boxed = _TYPE_ALIASES.get(base, base)
    if boxed not in ("String", "Character", "Boolean", "Float", "Double", *_INT_RANGES):
        return None
    parts = text.split(directives.get("delimiter") or ",") if multi else [text]
    values = []
    for part in parts:
        converted = _convert_one(boxed, part)
        if converted is None:
            return None
        values.append(converted)
    return (f"{base}[]" if multi else boxed), (values if multi else values[0])


def _convert_one(boxed: str, text: str) -> Any:
    if boxed == "String":
        return text
    if boxed == "Character":
        return text[:1] or None
    if boxed == "Boolean":
        return text.strip().lower() == "true"
    if boxed in _INT_RANGES:
        if not re.fullmatch(r"[+-]?[0-9]+", text):
            return None
        number, bits = int(text), _INT_RANGES[boxed]
        return number if -(1 << (bits - 1)) <= number < (1 << (bits - 1)) else None
    try:
        return float(text)
    except ValueError:
        return None


# -- properties -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Shown:
    """One property as output: ``value`` is JSON data with secrets replaced by None."""

    name: str
    type_name: str
    value: Any
    redacted: bool
    display: str  # the text format's right-hand side (redacted as ``<redacted N chars>``)
    refs: tuple[Ref, ...]


def _looks_secret(text: str) -> bool:
    return classify_value(text) == "crypto" or bool(find_credentials(text))


def _number(value: float | int, element_type: str) -> Any:
    if isinstance(value, int):  # bool is an int
        return value
    if not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if element_type in ("Float", "float"):
        packed = struct.pack(">f", value)
        for digits in range(1, 10):
            shorter = float(f"{value:.{digits}g}")
            if struct.pack(">f", shorter) == packed:
                return shorter
    return value


def _element_type(type_name: str) -> str:
    if type_name.endswith("[]"):
        return type_name[:-2]
    if type_name.startswith("Collection<") and type_name.endswith(">"):
        return type_name[len("Collection<") : -1]
    return type_name


@dataclass(frozen=True, slots=True)
class _Cell:
    value: Any  # None when redacted
    redacted: bool
    length: int | None  # length of a redacted value, when known
    refs: tuple[Ref, ...]
    type_name: str | None = None  # set by a ``type=`` directive


def _cell(scalar: Scalar, type_name: str, variables: Mapping[str, VariableSetting]) -> _Cell:
    raw_value = scalar.value
    element = _element_type(type_name)
    if isinstance(raw_value, bool | int | float):
        return _Cell(_number(raw_value, element), False, None, ())
    secret_context = isinstance(raw_value, Secret)
    raw = raw_value.reveal() if isinstance(raw_value, Secret) else raw_value
    interpolates = type_name in INTERPOLATED_TYPES
    got = _interpolate(raw, secret_context, variables) if interpolates else _Interpolated(raw)
    untouched_placeholder = not got.changed and classify_value(raw, scalar.is_placeholder_only) in (
        "placeholder",
        "empty",
    )
    if got.secret or (secret_context and not untouched_placeholder) or _looks_secret(got.text):
        length = None if any(r.source == "runtime" for r in got.refs) else len(got.text)
        converted_type = got.converted[0] if got.converted else None
        return _Cell(None, True, length, tuple(got.refs), converted_type)
    if got.converted is not None:
        return _Cell(got.converted[1], False, None, tuple(got.refs), got.converted[0])
    return _Cell(got.text, False, None, tuple(got.refs))


def _redacted_text(cell: _Cell) -> str:
    return f"<redacted {cell.length} chars>" if cell.length is not None else "<redacted>"


def show_property(prop: Property, variables: Mapping[str, VariableSetting]) -> Shown:
    cells = [_cell(s, prop.type_name, variables) for s in prop.values]
    refs = tuple(r for c in cells for r in c.refs)
    redacted = any(c.redacted for c in cells)
    if prop.is_multi:
        value: Any = [c.value for c in cells]
        display = (
            "["
            + ", ".join(
                _redacted_text(c) if c.redacted else json.dumps(c.value, ensure_ascii=False)
                for c in cells
            )
            + "]"
        )
        type_name = prop.type_name
    else:
        cell = cells[0] if cells else _Cell(None, False, None, ())
        value = cell.value
        type_name = cell.type_name or prop.type_name
        display = _redacted_text(cell) if cell.redacted else json.dumps(value, ensure_ascii=False)
    return Shown(prop.name, type_name, value, redacted, display, refs)


# -- blocks -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Block:
    """The outcome for one (service, environment)."""

    key: str
    factory_pid: str | None
    name: str | None
    target: Target
    winner: OsgiConfig | None
    tied: tuple[OsgiConfig, ...]
    overridden: tuple[OsgiConfig, ...]
    not_installed: tuple[OsgiConfig, ...]
    ignored: tuple[OsgiConfig, ...]  # in unsupported or misordered folders: never applied
    properties: tuple[Shown, ...]


def effective_blocks(
    configs: Sequence[OsgiConfig], key: str, targets: Sequence[Target]
) -> list[Block]:
    installed = [c for c in configs if c.parsed.readable]
    rejected = [c for c in configs if not c.parsed.readable]
    factory_pid, _, name = key.partition("~")
    ignored = tuple(sorted((c for c in configs if not c.place.supported), key=lambda c: c.path))
    blocks = []
    for target in targets:
        res = resolve(installed, target.service, target.env_type) if installed else None
        broken = resolve(rejected, target.service, target.env_type) if rejected else None
        not_installed = (broken.winners + broken.overridden) if broken else ()
        by_name = {v.name: v for v in target.variables}
        winner: OsgiConfig | None = None
        tied: tuple[OsgiConfig, ...] = ()
        overridden: tuple[OsgiConfig, ...] = ()
        props: tuple[Shown, ...] = ()
        if res is not None:
            winner = res.winner
            tied = res.winners if res.ambiguous else ()
            overridden = res.overridden
            props = tuple(show_property(p, by_name) for p in winner.properties)
        blocks.append(
            Block(
                key=key,
                factory_pid=factory_pid if name else None,
                name=name or None,
                target=target,
                winner=winner,
                tied=tied,
                overridden=overridden,
                not_installed=tuple(not_installed),
                ignored=ignored,
                properties=props,
            )
        )
    return blocks


# -- output -----------------------------------------------------------------------------------


def _ref_json(ref: Ref, path: Callable[[PurePosixPath], str]) -> dict[str, Any]:
    return {
        "kind": ref.kind,
        "name": ref.name,
        "source": ref.source,
        "path": path(ref.path) if ref.path is not None else None,
    }


def render_json(blocks: Sequence[Block], path: Callable[[PurePosixPath], str]) -> str:
    data = [
        {
            "pid": b.key,
            "factory_pid": b.factory_pid,
            "name": b.name,
            "service": b.target.service,
            "environment": b.target.environment,
            "environment_type": b.target.env_type,
            "winner": path(b.winner.path) if b.winner else None,
            "tied": [path(c.path) for c in b.tied],
            "overridden": [path(c.path) for c in b.overridden],
            "not_installed": [path(c.path) for c in b.not_installed],
            "ignored": [path(c.path) for c in b.ignored],
            "properties": {
                p.name: {
                    "type": p.type_name,
                    "value": p.value,
                    "redacted": p.redacted,
                    "placeholders": [_ref_json(r, path) for r in p.refs],
                }
                for p in b.properties
            },
        }
        for b in blocks
    ]
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _ref_text(ref: Ref, path: Callable[[PurePosixPath], str]) -> str:
    where = {
        "variable": f"variable {ref.name}",
        "platform": "set by AEM",
        "default": "its default",
        "runtime": f"variable {ref.name}, set at deploy time: value not in the repository",
        "unset": "not set and no default: left as written",
    }[ref.source]
    origin = f" ({path(ref.path)})" if ref.path is not None else ""
    return f"$[{ref.kind}:{ref.name}] <- {where}{origin}"


def render_text(blocks: Sequence[Block], path: Callable[[PurePosixPath], str]) -> str:
    out: list[str] = []
    for b in blocks:
        t = b.target
        where = f"{t.environment} ({t.env_type})" if t.explicit else t.env_type
        out.append(f"{b.key} on {t.service} in {where}")
        if b.winner is None:
            out.append("  no configuration file applies: AEM uses the component's defaults")
        else:
            out.append(f"  winner:     {path(b.winner.path)}")
            for i, c in enumerate(x for x in b.tied if x is not b.winner):
                out.append(("  tied with:  " if i == 0 else " " * 14) + path(c.path))
            if b.tied:
                out.append(
                    " " * 14 + "(same rank: which file AEM applies is not documented, "
                    "RUN004/CFG005; shown: the first by path)"
                )
            for i, c in enumerate(b.overridden):
                out.append(("  overrides:  " if i == 0 else " " * 14) + path(c.path))
        for i, c in enumerate(b.not_installed):
            out.append(("  not installed (unreadable): " if i == 0 else " " * 30) + path(c.path))
        out.append(f"  variables:  {t.variables_note}")
        for p in b.properties:
            out.append(f"  {p.name} ({p.type_name}) = {p.display}")
            out.extend(f"      {_ref_text(r, path)}" for r in p.refs)
        out.append("")
    if blocks and blocks[0].ignored:
        out.append("never applied (unsupported or misordered run-mode folder, RUN001/RUN002):")
        out.extend(f"  {path(c.path)}" for c in blocks[0].ignored)
        out.append("")
    return "\n".join(out)


def _display_path(root: Path, cwd: Path) -> Callable[[PurePosixPath], str]:
    def show(rel: PurePosixPath) -> str:
        absolute = root.joinpath(*rel.parts)
        if absolute == cwd or cwd in absolute.parents:
            return Path(os.path.relpath(absolute, cwd)).as_posix()
        return absolute.as_posix()

    return show


def find_key(project: Project, wanted: str) -> tuple[str | None, str]:
    """The configuration identity for ``wanted`` (``PID`` or ``factoryPid~name``), or None and
    a message saying what exists instead."""
    keys = project.keys()
    if wanted in keys:
        return wanted, ""
    if "~" not in wanted and "-" in wanted:
        dashed = wanted.replace("-", "~", 1)  # legacy factory naming (CFG006)
        if dashed in keys:
            return dashed, ""
    instances = [k for k in keys if k.startswith(wanted + "~")]
    if instances:
        listed = ", ".join(instances[:10]) + (", …" if len(instances) > 10 else "")
        return None, f"{wanted} is a factory PID: name one instance as PID~NAME ({listed})"
    close = difflib.get_close_matches(wanted, keys, n=3, cutoff=0.6)
    hint = f"; did you mean {' or '.join(close)}?" if close else ""
    return None, (
        f"no OSGi configuration for {wanted} in the project at the root "
        f"({len(project.configs)} configuration files read){hint}"
    )


def run(
    project: Project,
    wanted: str,
    services: Sequence[str],
    env_type: str | None,
    environment: str | None,
    fmt: str,
    cwd: Path,
) -> int:
    """Print the effective configuration; the exit code (0, 1 nothing configured, 2 usage)."""
    try:
        targets = plan_targets(project.environments, services, env_type, environment)
    except EffectiveUsageError as exc:
        sys.stderr.write(f"aemlint: {exc}\n")
        return EXIT_USAGE
    key, message = find_key(project, wanted)
    if key is None:
        sys.stderr.write(f"aemlint: {message}\n")
        return EXIT_NOTHING
    blocks = effective_blocks(project.configs_for(key), key, targets)
    path = _display_path(project.root, cwd)
    sys.stdout.write(render_json(blocks, path) if fmt == "json" else render_text(blocks, path))
    return EXIT_OK
