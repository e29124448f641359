"""YAML 1.2 with positions: ruamel.yaml's composer turned into plain positioned nodes.

YAML 1.2 is what the aio CLI's YAML library reads (``yes``/``no`` stay strings). Custom tags
(``!foo``) are refused, anchors and aliases are resolved by the composer, and any syntax error is
a CFG001 problem at the parser's mark — never an exception. ruamel.yaml is imported only when a
YAML input is actually read.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from aemlint.parsing.text import LineIndex
from aemlint.parsing.values import Problem
from aemlint.types import Span

Kind = Literal["map", "seq", "str", "int", "float", "bool", "null"]
_STANDARD = "tag:yaml.org,2002:"
#: The tags of YAML 1.2's core schema (plus ``merge``, which ruamel gives ``<<`` keys): anything
#: else — ``!custom``, ``!!python/object/apply:…``, ``!!binary`` — is refused, never constructed.
_CORE_TAGS = frozenset(
    _STANDARD + t for t in ("str", "int", "float", "bool", "null", "seq", "map", "merge")
)
MAX_DEPTH = 500


@dataclass(frozen=True, slots=True)
class YNode:
    """A YAML node: ``value`` is a Python scalar, a tuple of nodes (seq), or of (key, value) pairs.

    ``style`` is the scalar style (``None`` plain, ``'`` single, ``"`` double, ``|`` literal,
    ``>`` folded); ``span`` covers the node in the file.
    """

    kind: Kind
    value: Any
    span: Span
    style: str | None = None

    def get(self, key: str) -> YNode | None:
        """The value of ``key`` in a mapping (first occurrence), else None."""
        if self.kind != "map":
            return None
        for k, v in self.items():
            if k.kind == "str" and k.value == key:
                return v
        return None

    def items(self) -> Iterator[tuple[YNode, YNode]]:
        if self.kind == "map":
            yield from self.value

    def elements(self) -> Iterator[YNode]:
        if self.kind == "seq":
            yield from self.value


@dataclass(frozen=True, slots=True)
class YamlResult:
    root: YNode | None
    problem: Problem | None


def _scalar(tag: str, text: str) -> tuple[Kind, Any]:
    short = tag[len(_STANDARD) :] if tag.startswith(_STANDARD) else tag
    if short == "int":
        cleaned = text.replace("_", "")
        try:
            return "int", int(cleaned, 0) if cleaned[:2].lower() in ("0x", "0o") else int(cleaned)
        except ValueError:
            return "str", text
    if short == "float":
        try:
            return "float", float(text.replace("_", ""))
        except ValueError:
            return "str", text
    if short == "bool":
        return "bool", text.lower() == "true"
    if short == "null":
        return "null", None
    return "str", text


def parse_yaml(text: str) -> YamlResult:
    """Compose one YAML document; an empty document gives ``root=None`` and no problem."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError
    from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

    index = LineIndex(text)
    loader = YAML(typ="safe", pure=True)
    loader.version = (1, 2)
    try:
        node = loader.compose(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        offset = mark.index if mark is not None else 0
        what = " ".join(str(exc.problem or exc.context or "syntax error").split())
        return YamlResult(
            None, Problem("CFG001", f"invalid YAML: {what}", index.span(offset, offset))
        )
    except YAMLError as exc:
        what = " ".join(str(exc).split())[:200]
        return YamlResult(None, Problem("CFG001", f"invalid YAML: {what}", index.span(0, 0)))
    except RecursionError:
        return YamlResult(
            None, Problem("CFG001", "invalid YAML: nesting too deep", index.span(0, 0))
        )
    if node is None:
        return YamlResult(None, None)

    def span(n: Any) -> Span:
        return index.span(n.start_mark.index, n.end_mark.index)

    # Convert iteratively: an explicit stack, so depth never costs Python recursion.
    problem: Problem | None = None
    results: dict[int, YNode] = {}
    stack: list[tuple[Any, int, bool]] = [(node, 0, False)]
    while stack:
        n, depth, expanded = stack.pop()
        if not expanded and id(n) in results:
            continue  # an alias of a converted node: shared, so an alias bomb stays linear
        if depth > MAX_DEPTH:
            return YamlResult(None, Problem("CFG001", "invalid YAML: nesting too deep", span(n)))
        tag = n.tag or ""
        if tag not in _CORE_TAGS and problem is None:
            problem = Problem("CFG001", f"YAML tag {tag!r} is not supported", span(n))
        if isinstance(n, ScalarNode):
            kind, value = _scalar(tag, n.value)
            results[id(n)] = YNode(kind, value, span(n), n.style)
        elif isinstance(n, SequenceNode):
            if expanded:
                results[id(n)] = YNode("seq", tuple(results[id(c)] for c in n.value), span(n))
            else:
                stack.append((n, depth, True))
                stack.extend((c, depth + 1, False) for c in n.value)
        elif isinstance(n, MappingNode):
            if expanded:
                pairs = tuple((results[id(k)], results[id(v)]) for k, v in n.value)
                results[id(n)] = YNode("map", pairs, span(n))
            else:
                stack.append((n, depth, True))
                for k, v in n.value:
                    stack.append((k, depth + 1, False))
                    stack.append((v, depth + 1, False))
    if problem is not None:
        return YamlResult(None, problem)
    return YamlResult(results[id(node)], None)
