"""The plugin API: pluggy hook specifications, and loading built-in and third-party plugins.

Built-in rule groups register through the same ``aemlint_rules`` hook as third-party plugins
(entry-point group ``aemlint``), as pytest registers its default plugins; so do the built-in
declarative rule packs (:mod:`aemlint.packs.builtin`) and the project's own ``rule-packs``
(:class:`aemlint.packs.UserPacks`, registered per project). Hook calls are wrapped in typed
functions so callers see real types (pluggy#191). ``docs/plugins.md`` is the guide.

A third-party plugin is a module (or object) named by an entry point::

    [project.entry-points.aemlint]
    acme = "aemlint_acme.plugin"

whose hook implementations are marked with :data:`hookimpl`::

    from aemlint.plugins import hookimpl

    @hookimpl
    def aemlint_rules():
        from aemlint_acme import acme001
        return [acme001.RULE]
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import pluggy

from aemlint.cache import site_fingerprint as site_fingerprint  # re-exported

if TYPE_CHECKING:
    from aemlint.registry import Rule

hookspec = pluggy.HookspecMarker("aemlint")
hookimpl = pluggy.HookimplMarker("aemlint")

BUILTIN_PLUGINS = (
    "aemlint.rules.aem",
    "aemlint.rules.cfg",
    "aemlint.rules.mail",
    "aemlint.rules.net",
    "aemlint.rules.ph",
    "aemlint.rules.run",
    "aemlint.rules.sec",
    "aemlint.rules.var",
    "aemlint.packs.builtin",
)


class RuleSourceError(Exception):
    """A user's rule source is invalid (e.g. a malformed rule pack): exit 2, never skipped.

    A hook implementation raises it for a mistake the user must fix; unlike any other exception
    from a plugin (which names the plugin and skips it), it stops the run with its message.
    """


class AemlintHookspecs:
    """Hooks a plugin may implement (mark implementations with ``aemlint.plugins.hookimpl``).

    Every hook is called once per run, never per file. Hook implementations may accept any
    subset of a hook's parameters (pluggy passes them by name).
    """

    @hookspec
    def aemlint_rules(self) -> list[Rule]:
        """Return the rules this plugin provides.

        Called once per run, not per file; every implementation is called and the results are
        concatenated (no ``firstresult``). Import rule modules inside the hook, so a plugin
        costs nothing at start-up until its rules are asked for.

        Each rule is a :class:`aemlint.registry.Rule`, made with the
        :func:`aemlint.registry.rule` decorator (a Python check) or by
        :func:`aemlint.packs.load_pack_folder` (a declarative pack shipped as package data).
        Rules are stamped with the distribution that provided them (their ``origin``); a code or
        a name that another rule already has is exit 2, naming both distributions.

        An exception raised here names the plugin in a warning and skips it (the run goes on);
        :class:`RuleSourceError` stops the run with exit 2 instead.

        :return: the plugin's rules.
        """
        raise NotImplementedError


@dataclass(frozen=True, slots=True)
class EntryPointSpec:
    """An entry point in the ``aemlint`` group: ``name = module[:attr]`` from a distribution."""

    name: str
    value: str
    dist: str


@dataclass(frozen=True, slots=True)
class LoadedRules:
    rules: list[Rule]
    warnings: list[str]


def _load_entry_point(spec: EntryPointSpec) -> object:
    module_name, _, attr = spec.value.partition(":")
    obj: object = importlib.import_module(module_name.strip())
    for part in filter(None, attr.strip().split(".")):
        obj = getattr(obj, part)
    return obj


def load_rules(
    entry_points: list[EntryPointSpec],
    import_plugin: Callable[[str], object] = importlib.import_module,
    project_plugins: Sequence[tuple[str, object]] = (),
) -> LoadedRules:
    """Register the built-in groups and the given third-party plugins; collect their rules.

    Third-party plugins are loaded one at a time: a plugin that fails to import or register is
    named in a warning and skipped (pluggy's own loader stops at the first failure, unnamed).
    Each rule is stamped with the distribution that provided it. ``project_plugins`` are
    ``(name, plugin)`` pairs the project's configuration asks for (its ``rule-packs``): their
    rules keep the origin they carry, and their :class:`RuleSourceError` propagates.
    """
    pm = pluggy.PluginManager("aemlint")
    pm.add_hookspecs(AemlintHookspecs)
    origins: dict[int, str] = {}
    for module_name in BUILTIN_PLUGINS:
        plugin = import_plugin(module_name)
        pm.register(plugin, name=module_name)
        origins[id(plugin)] = "aemlint"
    warnings: list[str] = []
    for spec in entry_points:
        try:
            plugin = _load_entry_point(spec)
            pm.register(plugin, name=f"{spec.dist}:{spec.name}")
        except Exception as exc:  # noqa: BLE001 - any failure of third-party code is reported
            warnings.append(
                f"plugin {spec.name!r} from distribution {spec.dist!r} failed to load and is "
                f"skipped: {type(exc).__name__}: {exc}"
            )
            continue
        origins[id(plugin)] = spec.dist
    for name, plugin in project_plugins:
        pm.register(plugin, name=name)
        origins[id(plugin)] = "aemlint"  # the rules name their pack themselves
    rules: list[Rule] = []
    for impl in pm.hook.aemlint_rules.get_hookimpls():
        origin = origins.get(id(impl.plugin), impl.plugin_name)
        try:
            provided = _rules_of(impl.function())
        except RuleSourceError:
            raise
        except Exception as exc:  # noqa: BLE001 - a broken plugin must not stop the run
            warnings.append(
                f"plugin {impl.plugin_name!r} failed to provide rules and is skipped: "
                f"{type(exc).__name__}: {exc}"
            )
            continue
        rules.extend(replace(r, origin=origin) if origin != "aemlint" else r for r in provided)
    return LoadedRules(rules=rules, warnings=warnings)


def _rules_of(result: object) -> list[Rule]:
    """The typed result of one ``aemlint_rules`` implementation (pluggy returns ``Any``)."""
    from aemlint.registry import Rule

    if not isinstance(result, list | tuple) or not all(isinstance(r, Rule) for r in result):
        raise TypeError("aemlint_rules must return a list of aemlint.registry.Rule")
    return list(result)


def discover_entry_points() -> list[EntryPointSpec]:
    """The ``aemlint`` entry points of the installed distributions (imports importlib.metadata)."""
    from importlib.metadata import distributions

    found: list[EntryPointSpec] = []
    seen: set[tuple[str, str]] = set()
    for dist in distributions():
        ours = [ep for ep in dist.entry_points if ep.group == "aemlint"]
        if not ours:
            continue  # its METADATA is not parsed: that took most of the scan
        dist_name = dist.metadata["Name"] or "unknown"
        for ep in ours:
            if (dist_name, ep.name) not in seen:
                seen.add((dist_name, ep.name))
                found.append(EntryPointSpec(ep.name, ep.value, dist_name))
    return sorted(found, key=lambda e: (e.dist, e.name))
