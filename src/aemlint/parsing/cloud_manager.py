"""Cloud Manager settings kept as code: advanced-networking documents and variables files.

Networking documents (SPEC §3.2)
    The body of ``PUT /api/program/{programId}/environment/{environmentId}/advancedNetworking``
    (api.yaml ``EnableAdvancedNetworkingConfiguration``: ``nonProxyHosts`` string[],
    ``portForwards`` of ``PortForwardRepresentation`` {``name``, ``portDest`` int32, ``portOrig``
    int32}), as strict JSON (:mod:`aemlint.parsing.json_nodes`) or YAML 1.2
    (:mod:`aemlint.parsing.yaml_nodes`). Also read: the GET response of the same path
    (``AdvancedNetworkingConfigurationList``: ``_embedded.networkingConfigurations[]``, each an
    ``AdvancedNetworkingConfiguration`` with the same two keys plus read-only ones): its first
    configuration is the document (all regions share one environment configuration, so the list
    holds the same rules per region). A single ``AdvancedNetworkingConfiguration`` object is the
    PUT shape with extra read-only keys and is read as such. ``NetworkingDoc.body`` is the mapping
    that holds the two keys (the root, or the embedded configuration), None when there is none.

    The root must be a mapping, else CFG001. Entries keep what is readable: a port is an ``int``
    only when the file has an integer (``"30465"`` and ``30465.0`` are not: the API takes
    int32, and the schema rule reports them); a name only when it is a string. A duplicate key
    keeps its last value (Jackson's and ``JSON.parse``'s behaviour).

Variables (SPEC §3.3)
    ``file``: the array read by ``aio cloudmanager:environment:set-variables --jsonFile`` /
    ``--yamlFile``. The plugin (``base-variables-command.js``, ``loadVariablesFromJson``) does::

        data.forEach(item => {
          if (item.name && !_.isUndefined(item.value)) {
            if (!item.type) { item.type = 'string' } ...
            variables.push(item)

    so an entry with a falsy name (absent, ``""``, ``null``, ``0``, ``false``) is not read here
    either; an entry without ``value`` is kept with ``value=None, value_span=None`` (the plugin
    skips it: rules decide); a falsy ``type`` is ``"string"``. The parsed item is sent as JSON, so
    a YAML or JSON number or boolean is sent as such and stored by the API as its text: values are
    given as JavaScript prints them (``12`` -> ``"12"``, YAML ``012`` -> ``"12"``, ``1.50`` ->
    ``"1.5"``, ``true`` -> ``"true"``, ``1e21`` -> ``"1e+21"``); ``null``, a non-finite number and a
    mapping or sequence give ``value=None`` with the value's span. YAML is 1.2 (``yes`` stays a
    string); a duplicate key in a YAML mapping is CFG001 (the JavaScript YAML parsers refuse it).

    ``list-variables``: the output of ``aio cloudmanager:environment:list-variables -j`` (or
    ``-y``): cli-ux's table printer (``resolveColumnsToObjectArray``) writes one object per
    variable with the columns ``name, type, value`` and, since the service column was added,
    ``service``, every value a string (``d[col.key] || ''``), the value column rendered by
    ``item.type === 'secretString' ? '****' : item.value`` and the service one by
    ``item.service || ''``. Recognised by exactly those keys in that order, all strings, with at
    least one ``service`` of ``""`` or one masked secret; a masked value is ``value=None`` (span
    kept) and ``service: ""`` is ``None``.

    ``api-export``: ``GET …/environment/{environmentId}/variables`` (``VariableList``:
    ``_embedded.variables[]`` of ``Variable``; secret values are write-only, so usually absent).
    A pipeline-variable export (``/pipeline/`` in a ``_links`` href, or a
    ``…/rel/pipeline`` link) is not environment variables: None.

    Discovery (``explicit=False``) reads only these shapes, with the ``file`` shape test of SPEC
    §3.3 (all objects have ``name`` and ``value``, one has ``type`` ``string``/``secretString``),
    and gives None for anything else — also for a file that does not parse, unless its text
    contains ``secretString`` (then it is a broken variables file: CFG001). A file named in the
    configuration (``explicit=True``) is read as ``file`` when it is any array (entries without
    ``name`` skipped, as the plugin does); any other content, or a syntax error, is a CFG001
    problem, never None.

    A value is a :class:`~aemlint.types.Secret` when the type is ``secretString`` or the name is
    secret-named; ``runtime`` is True for a whole-value template ``${NAME}`` or ``$NAME`` (SPEC
    §3.3). Problem messages never quote values.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePosixPath
from typing import Final, Literal

from aemlint.parsing.json_nodes import parse_json
from aemlint.parsing.values import Problem
from aemlint.parsing.yaml_nodes import YamlResult, YNode, parse_yaml
from aemlint.types import Secret, Span

__all__ = [
    "NetworkingDoc",
    "PortForward",
    "Service",
    "Variable",
    "VariablesDoc",
    "parse_networking",
    "parse_variables",
    "sniff",
]

Service = Literal["author", "publish", "preview"]
SERVICES: Final[tuple[Service, ...]] = ("author", "publish", "preview")


@dataclass(frozen=True, slots=True)
class PortForward:
    """One ``portForwards`` entry; a field is None when absent or not of the API's type."""

    index: int
    span: Span
    name: str | None
    name_span: Span | None
    port_dest: int | None
    port_dest_span: Span | None
    port_orig: int | None
    port_orig_span: Span | None
    node: YNode


@dataclass(frozen=True, slots=True)
class NetworkingDoc:
    port_forwards: tuple[PortForward, ...]
    port_forwards_span: Span | None
    non_proxy_hosts: tuple[tuple[str, Span], ...]
    declares_forwards: bool
    root: YNode | None
    problems: tuple[Problem, ...]
    body: YNode | None = None
    """The mapping holding ``portForwards``/``nonProxyHosts`` (None when neither is there)."""


@dataclass(frozen=True, slots=True)
class Variable:
    """One environment variable.

    ``value`` is None when the source holds no usable value: ``value_span`` is None when the key
    is absent (a ``file`` entry the aio CLI skips; a secret in an ``api-export``), else it points
    at a ``null``, an object/array, or the ``****`` mask of ``list-variables``.
    """

    name: str
    name_span: Span
    value: str | Secret | None
    value_span: Span | None
    type: str
    service: str | None
    runtime: bool
    span: Span
    type_span: Span | None = None  # the ``type`` value, when the source has one
    service_span: Span | None = None  # the ``service`` value, when the source has one


@dataclass(frozen=True, slots=True)
class VariablesDoc:
    shape: Literal["file", "list-variables", "api-export"]
    variables: tuple[Variable, ...]
    problems: tuple[Problem, ...]


# ----------------------------------------------------------------------------------------------
# Discovery pre-check

_SUFFIXES: Final = frozenset({".json", ".yaml", ".yml"})
_NOT_CANDIDATES: Final = frozenset({"package.json", "package-lock.json", "composer.json"})
_YAML_STRING_TYPE = re.compile(r"type\s*:\s*[\"']?string\b")


def sniff(rel_path: PurePosixPath, text: str) -> Literal["networking", "variables"] | None:
    """Cheap text pre-check of a file outside ``jcr_root``; no parsing.

    ``"variables"`` only says the file may be one: :func:`parse_variables` decides by shape.
    """
    suffix = rel_path.suffix.lower()
    if suffix not in _SUFFIXES or "node_modules" in rel_path.parts:
        return None
    name = rel_path.name.lower()
    if (
        name in _NOT_CANDIDATES
        or name.startswith(".eslintrc")
        or (suffix == ".json" and name.startswith("tsconfig"))
    ):
        return None
    if "portForwards" in text or "nonProxyHosts" in text:
        return "networking"
    if (
        ('"name"' in text or "name:" in text)
        and "value" in text
        and (
            "secretString" in text
            or "_embedded" in text
            or '"string"' in text
            or _YAML_STRING_TYPE.search(text) is not None
        )
    ):
        return "variables"
    return None


# ----------------------------------------------------------------------------------------------
# Shared helpers


def _is_yaml(suffix: str) -> bool:
    return suffix.lower().lstrip(".") in ("yaml", "yml")


def _parse(text: str, suffix: str) -> YamlResult:
    """YAML for ``yaml``/``yml``, strict JSON for anything else."""
    return parse_yaml(text) if _is_yaml(suffix) else parse_json(text)


def _member(node: YNode | None, key: str) -> tuple[YNode, YNode] | None:
    """The last ``key: value`` pair of a mapping (JSON.parse and Jackson keep the last)."""
    if node is None or node.kind != "map":
        return None
    found = None
    for pair in node.items():
        if pair[0].kind == "str" and pair[0].value == key:
            found = pair
    return found


def _value(node: YNode | None, key: str) -> YNode | None:
    pair = _member(node, key)
    return pair[1] if pair is not None else None


def _head(span: Span) -> Span:
    """The first character of a span (a location for a problem about a whole document)."""
    if span.end > span.start and span.end_line == span.line:
        return span
    if span.end > span.start:
        return Span(span.line, span.column, span.line, span.column + 1, span.start, span.start + 1)
    return span


def _js_number(value: int | float) -> str | None:
    """``String(n)`` of JavaScript for a number a JSON/YAML file gives (None: not finite).

    JavaScript numbers are IEEE doubles: an integer beyond 2**53 is rounded first.
    """
    if isinstance(value, int):
        if -(2**53) <= value <= 2**53:
            return str(value)
        try:
            value = float(value)
        except OverflowError:
            return None
    if not math.isfinite(value):
        return None
    if value == 0:
        return "0"
    sign = "-" if value < 0 else ""
    parts = Decimal(repr(abs(value))).normalize().as_tuple()
    digits = "".join(map(str, parts.digits))
    exponent = parts.exponent
    assert isinstance(exponent, int)
    k = len(digits)
    n = exponent + k  # the decimal point sits after n digits
    if k <= n <= 21:
        text = digits + "0" * (n - k)
    elif 0 < n <= 21:
        text = digits[:n] + "." + digits[n:]
    elif -6 < n <= 0:
        text = "0." + "0" * -n + digits
    else:
        e = n - 1
        mantissa = digits if k == 1 else digits[0] + "." + digits[1:]
        text = f"{mantissa}e{'+' if e >= 0 else '-'}{abs(e)}"
    return sign + text


def _scalar_text(node: YNode) -> str | None:
    """The text the API stores for a scalar sent as JSON; None for null/containers/non-finite."""
    if node.kind == "str":
        return str(node.value)
    if node.kind == "bool":
        return "true" if node.value else "false"
    if node.kind in ("int", "float"):
        return _js_number(node.value)
    return None


def _js_truthy(node: YNode | None) -> bool:
    """JavaScript truthiness of a parsed value (absent = undefined)."""
    if node is None or node.kind == "null":
        return False
    if node.kind in ("map", "seq"):
        return True
    if node.kind == "float":
        return bool(node.value) and not math.isnan(node.value)
    return bool(node.value)


def _problem_at(span: Span, message: str) -> Problem:
    return Problem("CFG001", message, _head(span))


# ----------------------------------------------------------------------------------------------
# Networking


def _port(node: YNode | None) -> tuple[int | None, Span | None]:
    if node is None:
        return None, None
    return (node.value if node.kind == "int" else None), node.span


def _forward(index: int, entry: YNode) -> PortForward:
    name = _value(entry, "name")
    port_dest, port_dest_span = _port(_value(entry, "portDest"))
    port_orig, port_orig_span = _port(_value(entry, "portOrig"))
    return PortForward(
        index=index,
        span=entry.span,
        name=name.value if name is not None and name.kind == "str" else None,
        name_span=name.span if name is not None else None,
        port_dest=port_dest,
        port_dest_span=port_dest_span,
        port_orig=port_orig,
        port_orig_span=port_orig_span,
        node=entry,
    )


def _networking_body(root: YNode) -> YNode | None:
    """The mapping holding the two keys: the root, or the GET list's first configuration."""
    if _member(root, "portForwards") is not None or _member(root, "nonProxyHosts") is not None:
        return root
    configurations = _value(_value(root, "_embedded"), "networkingConfigurations")
    if configurations is not None:
        for configuration in configurations.elements():
            if configuration.kind == "map":
                return configuration
    return None


def parse_networking(text: str, suffix: str) -> NetworkingDoc:
    """Read an advanced-networking document; ``suffix`` is ``json``, ``yaml`` or ``yml``."""
    parsed = _parse(text, suffix)
    root = parsed.root
    if parsed.problem is not None:
        return NetworkingDoc((), None, (), False, None, (parsed.problem,))
    if root is None:  # an empty YAML document (e.g. only comments)
        return NetworkingDoc((), None, (), False, None, ())
    if root.kind != "map":
        problem = _problem_at(
            root.span,
            "an advanced networking document must be an object: "
            '{"portForwards": [...], "nonProxyHosts": [...]}',
        )
        return NetworkingDoc((), None, (), False, root, (problem,))
    body = _networking_body(root)
    forwards: list[PortForward] = []
    forwards_span: Span | None = None
    pair = _member(body, "portForwards")
    if pair is not None:
        forwards_span = pair[0].span
        forwards = [_forward(i, entry) for i, entry in enumerate(pair[1].elements())]
    hosts = _value(body, "nonProxyHosts")
    non_proxy_hosts = tuple(
        (host.value, host.span)
        for host in (hosts.elements() if hosts is not None else iter(()))
        if host.kind == "str"
    )
    return NetworkingDoc(
        port_forwards=tuple(forwards),
        port_forwards_span=forwards_span,
        non_proxy_hosts=non_proxy_hosts,
        declares_forwards=pair is not None,
        root=root,
        problems=(),
        body=body,
    )


# ----------------------------------------------------------------------------------------------
# Variables

_RUNTIME = re.compile(r"\$(?:\{[A-Za-z_][A-Za-z0-9_]*\}|[A-Za-z_][A-Za-z0-9_]*)")
_LIST_KEYS: Final = (("name", "type", "value"), ("name", "type", "value", "service"))
_MASK: Final = "****"
_FILE_START: Final = Span(1, 1, 1, 1, 0, 0)
_PIPELINE_EXPORT: Final = (
    "a pipeline-variable export (its _links name a pipeline), not environment variables"
)
_NOT_VARIABLES: Final = (
    "not a Cloud Manager variables document: expected an array of "
    '{"name", "value", "type"?, "service"?} objects (aio cloudmanager:environment:set-variables '
    "--jsonFile/--yamlFile), list-variables output, or an API export with _embedded.variables"
)


def _keys(node: YNode) -> tuple[object, ...]:
    return tuple(k.value for k, _ in node.items())


def _is_list_variables(entries: list[YNode]) -> bool:
    marked = False
    for entry in entries:
        if entry.kind != "map" or _keys(entry) not in _LIST_KEYS:
            return False
        if any(v.kind != "str" for _, v in entry.items()):
            return False
        service = _value(entry, "service")
        kind = _value(entry, "type")
        value = _value(entry, "value")
        if service is not None and service.value == "":
            marked = True
        if kind is not None and kind.value == "secretString" and value is not None:
            marked = marked or value.value == _MASK
    return marked


def _is_variables_file(entries: list[YNode]) -> bool:
    typed = False
    for entry in entries:
        if _member(entry, "name") is None or _member(entry, "value") is None:
            return False
        kind = _value(entry, "type")
        typed = typed or (
            kind is not None and kind.kind == "str" and kind.value in ("string", "secretString")
        )
    return typed


def _walk(node: YNode) -> Iterator[YNode]:
    """Every node below ``node``, without recursion."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        if current.kind == "seq":
            stack.extend(current.value)
        elif current.kind == "map":
            for key, value in current.items():
                stack.append(key)
                stack.append(value)


def _is_pipeline_export(root: YNode) -> bool:
    links = _value(root, "_links")
    if links is None:
        return False
    for node in _walk(links):
        if node.kind == "map":
            for key, value in node.items():
                if key.kind == "str" and str(key.value).endswith("/rel/pipeline"):
                    return True
                if key.value == "href" and value.kind == "str" and "/pipeline/" in value.value:
                    return True
    return False


def _duplicate_key(root: YNode) -> tuple[YNode, YNode] | None:
    """The first mapping key that repeats an earlier one (first, repeat)."""
    for node in _walk(root):
        if node.kind != "map":
            continue
        seen: dict[tuple[str, object], YNode] = {}
        for key, _ in node.items():
            if key.kind in ("map", "seq"):
                continue
            identity = (key.kind, key.value)
            if identity in seen:
                return seen[identity], key
            seen[identity] = key
    return None


def _variable(
    entry: YNode,
    text: str,
    shape: Literal["file", "list-variables", "api-export"],
    is_secret_name: Callable[[str], bool],
) -> Variable | None:
    if entry.kind != "map":
        return None
    name_node = _value(entry, "name")
    if name_node is None or not _js_truthy(name_node) or name_node.kind in ("map", "seq"):
        return None
    name = _scalar_text(name_node)
    if name is None:
        return None

    type_node = _value(entry, "type")
    if not _js_truthy(type_node) or type_node is None:
        kind = "string"
    else:
        kind = _scalar_text(type_node) or text[type_node.span.start : type_node.span.end]

    service_node = _value(entry, "service")
    service = None
    if service_node is not None and service_node.kind != "null":
        service = _scalar_text(service_node)
        if service is None:
            service = text[service_node.span.start : service_node.span.end]
    if shape == "list-variables" and service == "":
        service = None

    value_node = _value(entry, "value")
    raw = _scalar_text(value_node) if value_node is not None else None
    if shape == "list-variables" and kind == "secretString" and raw == _MASK:
        raw = None
    runtime = raw is not None and _RUNTIME.fullmatch(raw) is not None
    value: str | Secret | None = raw
    if raw is not None and (kind == "secretString" or is_secret_name(name)):
        value = Secret(raw)
    return Variable(
        name=name,
        name_span=name_node.span,
        value=value,
        value_span=value_node.span if value_node is not None else None,
        type=kind,
        service=service,
        runtime=runtime,
        span=entry.span,
        type_span=type_node.span if type_node is not None else None,
        service_span=service_node.span if service_node is not None else None,
    )


def parse_variables(
    text: str,
    suffix: str,
    is_secret_name: Callable[[str], bool],
    explicit: bool = False,
) -> VariablesDoc | None:
    """Read a variables document, or None when a discovered file is not one (see module doc)."""

    def broken(problem: Problem) -> VariablesDoc | None:
        if explicit or "secretString" in text:
            return VariablesDoc("file", (), (problem,))
        return None

    parsed = _parse(text, suffix)
    if parsed.problem is not None:
        return broken(parsed.problem)
    root = parsed.root
    if root is None:
        if explicit:
            return VariablesDoc("file", (), (Problem("CFG001", _NOT_VARIABLES, _FILE_START),))
        return None
    if _is_yaml(suffix):
        duplicate = _duplicate_key(root)
        if duplicate is not None:
            first, repeat = duplicate
            return broken(
                Problem(
                    "CFG001",
                    f"duplicate mapping key (first on line {first.span.line}): the aio CLI's YAML "
                    "parser refuses the file",
                    repeat.span,
                )
            )

    shape: Literal["file", "list-variables", "api-export"] | None = None
    entries: list[YNode] = []
    if root.kind == "seq":
        entries = list(root.elements())
        if entries and _is_list_variables(entries):
            shape = "list-variables"
        elif explicit or (entries and _is_variables_file(entries)):
            shape = "file"
    elif root.kind == "map":
        listed = _value(_value(root, "_embedded"), "variables")
        if listed is not None and listed.kind == "seq":
            if _is_pipeline_export(root):
                if explicit:
                    return VariablesDoc(
                        "api-export", (), (_problem_at(root.span, _PIPELINE_EXPORT),)
                    )
                return None
            shape = "api-export"
            entries = list(listed.elements())
    if shape is None:
        if explicit:
            return VariablesDoc("file", (), (_problem_at(root.span, _NOT_VARIABLES),))
        return None
    variables = (_variable(entry, text, shape, is_secret_name) for entry in entries)
    return VariablesDoc(shape, tuple(v for v in variables if v is not None), ())
