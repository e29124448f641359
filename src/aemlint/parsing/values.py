"""The positioned values every configuration parser produces, whatever the file form."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import MISSING, dataclass, fields, is_dataclass
from types import MemberDescriptorType
from typing import Any, Literal, TypeVar

from aemlint.types import Secret, Span

_T = TypeVar("_T")


def frozen_constructor(cls: type[_T]) -> Callable[..., _T]:
    """A faster ``cls(*all_fields)`` for a frozen, slotted dataclass with a plain ``__init__``.

    The ``__init__`` that ``dataclass`` writes for a frozen class stores each field through
    ``object.__setattr__``; the parsers make tens of thousands of these objects per run, and
    storing through the slots' own descriptors takes half the time. The result is the same
    object as ``cls(...)`` would make (same type, same field values). Every field must be
    passed, positionally, in declaration order. A class that is not such a plain dataclass (a
    ``__post_init__``, an ``init=False`` field, a base class, no slots) gets ``cls`` itself back.
    """
    if not (is_dataclass(cls) and isinstance(cls, type)):
        return cls
    names = [f.name for f in fields(cls)]
    plain = (
        cls.__bases__ == (object,)
        and cls.__new__ is object.__new__
        and not hasattr(cls, "__post_init__")
        and getattr(cls, "__dataclass_params__", None) is not None
        and cls.__dataclass_params__.frozen  # type: ignore[attr-defined]
        and all(f.init and f.default_factory is MISSING for f in fields(cls))
        and all(isinstance(cls.__dict__.get(name), MemberDescriptorType) for name in names)
        and names == [n for n in getattr(cls, "__slots__", ()) if n in names]
    )
    if not plain:
        return cls
    arguments = ", ".join(f"a{i}" for i in range(len(names)))
    body = "".join(f"    s{i}(o, a{i})\n" for i in range(len(names)))
    source = f"def make({arguments}):\n    o = new(cls)\n{body}    return o\n"
    namespace: dict[str, Any] = {"new": object.__new__, "cls": cls}
    for i, name in enumerate(names):
        namespace[f"s{i}"] = cls.__dict__[name].__set__
    exec(source, namespace)  # the source holds no field names, only a0, s0…
    make: Callable[..., _T] = namespace["make"]
    make.__qualname__ = make.__name__ = f"new_{cls.__name__.lower()}"
    return make


ScalarValue = str | int | float | bool | Secret
ProblemCode = Literal["CFG001", "CFG002", "CFG003", "CFG008", "AEM002"]


class SyntaxFailure(Exception):
    """A reader's first unrecoverable error inside one parser: offsets and a message.

    Internal to the parsers (they turn it into a CFG001 :class:`Problem`); the message is
    written by the parser, never copied from the input.
    """

    def __init__(self, start: int, end: int, message: str) -> None:
        super().__init__(message)
        self.start = start
        self.end = end
        self.message = message


@dataclass(frozen=True, slots=True)
class Problem:
    """Something a parser could not read as the platform would: becomes a finding of ``code``."""

    code: ProblemCode
    message: str
    span: Span | None


@dataclass(frozen=True, slots=True)
class Placeholder:
    """One ``$[type:name;directive=value…]`` inside a string value.

    ``start``/``end`` are offsets into the string value itself (after unescaping), so a
    placeholder embedded in a URI knows where it sits. ``default`` is a :class:`Secret` when the
    placeholder is a ``secret`` one or sits in a secret-named property.
    """

    kind: str
    name: str
    directives: tuple[tuple[str, str | Secret], ...]
    start: int
    end: int

    @property
    def default(self) -> str | Secret | None:
        for key, value in self.directives:
            if key == "default":
                return value
        return None

    def directive(self, key: str) -> str | Secret | None:
        for k, value in self.directives:
            if k == key:
                return value
        return None


@dataclass(frozen=True, slots=True)
class Scalar:
    """One value (a property's value, or one element of an array) with its position."""

    value: ScalarValue
    span: Span
    placeholders: tuple[Placeholder, ...] = ()

    @property
    def is_placeholder_only(self) -> bool:
        """The whole value is exactly one placeholder (surrounding whitespace aside)."""
        if not self.placeholders or not isinstance(self.value, str | Secret):
            return False
        # Nested placeholders (in a name or a default) sit inside the outermost one.
        outer = [
            p
            for p in self.placeholders
            if not any(q.start <= p.start and p.end <= q.end and q != p for q in self.placeholders)
        ]
        if len(outer) != 1:
            return False
        text = self.value.reveal() if isinstance(self.value, Secret) else self.value
        p = outer[0]
        return not text[: p.start].strip() and not text[p.end :].strip()


@dataclass(frozen=True, slots=True)
class Property:
    """A configuration property as the platform reads it.

    ``name`` is the key without a type hint; ``type_name`` is the platform's type name
    (``String``, ``Long``, ``Boolean``, ``String[]``, ``Collection<String>``…); ``values`` holds one
    scalar for a single value and one per element for arrays and collections (``is_multi``).
    """

    name: str
    type_name: str
    key_span: Span
    value_span: Span
    values: tuple[Scalar, ...]
    is_multi: bool = False

    @property
    def scalar(self) -> Scalar | None:
        """The single value, or None for a multi-value property."""
        return None if self.is_multi or not self.values else self.values[0]


@dataclass(frozen=True, slots=True)
class ParsedConfig:
    """What a configuration parser returns: properties in file order, and problems.

    ``readable`` is False when the platform would not install the file at all (a CFG001 or a
    CFG002/CFG003 that makes the platform's reader throw); ``properties`` then holds what could be
    read, for rules that still want to look (e.g. a secret in a broken file is still in Git).
    """

    properties: tuple[Property, ...]
    problems: tuple[Problem, ...]
    readable: bool


# The parsers' constructors (every field, positionally): see frozen_constructor.
new_placeholder: Callable[
    [str, str, tuple[tuple[str, str | Secret], ...], int, int], Placeholder
] = frozen_constructor(Placeholder)
new_scalar: Callable[[ScalarValue, Span, tuple[Placeholder, ...]], Scalar] = frozen_constructor(
    Scalar
)
new_property: Callable[[str, str, Span, Span, tuple[Scalar, ...], bool], Property] = (
    frozen_constructor(Property)
)
