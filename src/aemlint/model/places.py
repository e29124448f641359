"""Path → configuration place: is a file an OSGi configuration, and which PID, folder, run modes.

Pure string work on path parts (no file system, no regex): :func:`place_of` runs for every file
of a project, so it rejects most paths on their last name alone.

The decision follows the build converter Cloud Manager uses to turn content packages into
features (Sling cp2fm, AEM-FACTS §2.2 [S24]), whose path pattern is
``/jcr_root/(?:apps|libs)/.+/(config|install)(\\.<runmodes>)?…/<pid>.<ext>``:

* the file sits below ``jcr_root/apps/`` or ``jcr_root/libs/`` with at least one folder between
  ``apps``/``libs`` and the configuration folder (``apps/x/config/``, never ``apps/config/``);
* its nearest ancestor folder named exactly ``config``, ``config.<runmodes>``, ``install`` or
  ``install.<runmodes>`` is the configuration folder (deeper sub-folders are allowed, as in cp2fm);
  folder names are case-sensitive, as the converter's pattern is;
* forms: ``.cfg.json``, ``.config`` (Felix), ``.cfg`` (properties) and ``.xml`` (a FileVault node,
  ``<node>.xml`` or ``<node>/.content.xml``; for ``.content.xml`` the node's parent must be the
  configuration folder itself). Whether an XML node is a ``sling:OsgiConfig`` is the parser's call.
  FileVault's ``<name>.dir/.content.xml`` folders (properties of a file node, SLING-10469) are not
  configurations: cp2fm skips them.

The PID comes from the file or node name (SPEC §3.1): the extension is removed, for XML nodes a
trailing ``.config`` too (``X.config.xml`` is node ``X.config``, which the JCR installer reads as
PID ``X``). Then, as cp2fm's ``extractId`` does: the first ``~`` separates factory PID and name;
without ``~`` the first ``-`` does (legacy, ``dash_factory``); a separator at position 0 splits
nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import PurePosixPath
from typing import Literal

from aemlint.model.osgi import Area, ConfigPlace, Form

__all__ = [
    "AREAS",
    "CONFIG_SUFFIXES",
    "SUPPORTED_FOLDERS",
    "folder_run_modes",
    "is_config_folder_name",
    "is_stray_config",
    "place_in",
    "place_of",
    "reordered_folder",
    "split_pid",
]

#: The folders below ``jcr_root`` whose trees can hold OSGi configurations.
AREAS: tuple[Area, ...] = ("apps", "libs")

#: Last-name endings that can be an OSGi configuration (``.cfg.json`` ends with ``.json``).
CONFIG_SUFFIXES: tuple[str, ...] = (".cfg.json", ".config", ".cfg", ".xml")

_SERVICES = ("author", "publish")
_ENV_TYPES = ("dev", "stage", "prod", "rde")

#: The 15 configuration folders AEM as a Cloud Service supports (AEM-FACTS §3 [S2]) and the
#: install folders it documents for bundles (``install``, ``install.author``, ``install.publish``).
SUPPORTED_FOLDERS: frozenset[str] = frozenset(
    ["config"]
    + [f"config.{s}" for s in _SERVICES]
    + [f"config.{e}" for e in _ENV_TYPES]
    + [f"config.{s}.{e}" for s in _SERVICES for e in _ENV_TYPES]
    + ["install", "install.author", "install.publish"]
)


def is_config_folder_name(name: str) -> bool:
    """``config``, ``config.<runmodes>``, ``install`` or ``install.<runmodes>`` (case-sensitive)."""
    if name.startswith("config"):
        return len(name) == 6 or name[6] == "."
    if name.startswith("install"):
        return len(name) == 7 or name[7] == "."
    return False


def folder_run_modes(folder: str) -> tuple[str, ...]:
    """The run modes a configuration folder's name carries, in name order (``()`` for ``config``).

    A name ending with a dot (``config.``) yields an empty run mode, which no service has: the
    folder is reported as unsupported and never applies.
    """
    _head, dot, rest = folder.partition(".")
    return tuple(rest.split(".")) if dot else ()


def reordered_folder(folder: str) -> str | None:
    """The supported spelling of a folder whose run modes are only misordered, else None.

    ``config.dev.author`` → ``config.author.dev`` (the service comes first, AEM-FACTS §3 [S2]);
    a supported folder, or one no reordering makes supported, gives None.
    """
    if folder in SUPPORTED_FOLDERS:
        return None
    head, dot, rest = folder.partition(".")
    if not dot:
        return None
    modes = rest.split(".")
    ordered = sorted(modes, key=lambda m: 0 if m in _SERVICES else 1)
    if ordered == modes:
        return None
    candidate = f"{head}.{'.'.join(ordered)}"
    return candidate if candidate in SUPPORTED_FOLDERS else None


def is_stray_config(folder: Sequence[str], name: str) -> bool:
    """A ``*.cfg.json`` below ``jcr_root/apps/`` that is not in a configuration folder (CFG007).

    Only called for files :func:`place_in` rejected, so the common case costs one suffix test.
    The nearest ``jcr_root`` ancestor decides the area, as for configurations.
    """
    if not name.endswith(".cfg.json") or len(name) == 9:
        return False
    for j in range(len(folder) - 2, -1, -1):
        if folder[j] == "jcr_root":
            return folder[j + 1] == "apps"
    return False


def split_pid(pid: str) -> tuple[str | None, str | None, bool]:
    """``(factory_pid, name, dash_factory)`` for a PID as written, exactly as cp2fm splits it."""
    n = pid.find("~")
    dash = False
    if n == -1:
        n = pid.find("-")
        dash = True
    if n > 0:
        return pid[:n], pid[n + 1 :], dash
    return None, None, False


def _form_and_stem(name: str) -> tuple[Form, str] | None:
    # Ordered: ".cfg.json" before any shorter ending; ".config" is not ".cfg".
    if name.endswith(".json"):
        if name.endswith(".cfg.json"):
            return "cfg.json", name[:-9]
        return None
    if name.endswith(".config"):
        return "config", name[:-7]
    if name.endswith(".cfg"):
        return "cfg", name[:-4]
    if name.endswith(".xml"):
        return "xml", name[:-4]
    return None


def place_of(rel_path: PurePosixPath) -> ConfigPlace | None:
    """Where the root-relative ``rel_path`` sits as an OSGi configuration, or None if it is not one.

    Callers normalise Windows paths to :class:`PurePosixPath` first.
    """
    parts = rel_path.parts
    if len(parts) < 5:  # jcr_root/apps/<x>/<config>/<file> at least
        return None
    return place_in(parts[:-1], parts[-1])


def place_in(folder: Sequence[str], name: str) -> ConfigPlace | None:
    """:func:`place_of` for a file ``name`` inside the folder whose root-relative parts are given.

    Discovery calls this with the parts it already holds, so no path object is built per file.
    """
    fs = _form_and_stem(name)
    if fs is None:
        return None
    form, stem = fs
    if form == "xml":
        if name == ".content.xml":
            if not folder:
                return None
            stem = folder[-1]  # the node is the folder; its parent must be the config folder
            if stem.endswith(".dir"):
                return None  # FileVault's properties of a file node (SLING-10469), no node
            k = len(folder) - 2
            if k < 0 or not is_config_folder_name(folder[k]):
                return None
        else:
            k = _nearest_config_folder(folder)
        if stem.endswith(".config"):
            stem = stem[:-7]
    else:
        k = _nearest_config_folder(folder)
    if k < 0 or not stem:
        return None
    context = _folder_context(tuple(folder[: k + 1]))
    if context is None:
        return None
    area, app_root, folder_name, kind, run_modes, supported = context
    factory_pid, instance, dash = split_pid(stem)
    return ConfigPlace(
        form=form,
        area=area,
        app_root=app_root,
        folder=folder_name,
        folder_kind=kind,
        run_modes=run_modes,
        supported=supported,
        pid=stem,
        factory_pid=factory_pid,
        name=instance,
        dash_factory=dash,
    )


_FolderContext = tuple[
    Area, PurePosixPath, str, Literal["config", "install"], tuple[str, ...], bool
]


@lru_cache(maxsize=4096)
def _folder_context(folder: tuple[str, ...]) -> _FolderContext | None:
    # What the configuration folder (the last part) says; shared by every file inside it, so
    # the path object and run modes are built once per folder, not once per file.
    k = len(folder) - 1
    area = _area_below(folder, k)
    if area is None:
        return None
    name = folder[k]
    kind: Literal["config", "install"] = "config" if name[0] == "c" else "install"
    return (
        area,
        PurePosixPath(*folder[:k]),
        name,
        kind,
        folder_run_modes(name),
        name in SUPPORTED_FOLDERS,
    )


def _nearest_config_folder(folder: Sequence[str]) -> int:
    # Index of the nearest configuration-folder ancestor (the converter's greedy ``.+`` picks the
    # deepest one too). 3 is the lowest index that can qualify: jcr_root/apps/<x>/config.
    for i in range(len(folder) - 1, 2, -1):
        if is_config_folder_name(folder[i]):
            return i
    return -1


def _area_below(folder: Sequence[str], k: int) -> Area | None:
    # The configuration folder at index k must sit below jcr_root/(apps|libs)/<at least one>/.
    for j in range(k - 3, -1, -1):
        if folder[j] == "jcr_root":
            area = folder[j + 1]
            if area == "apps":
                return "apps"
            if area == "libs":
                return "libs"
    return None
