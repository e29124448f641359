from __future__ import annotations

from collections.abc import Iterator

from aemlint.model.osgi import OsgiConfig
from aemlint.model.project import Project
from aemlint.registry import RuleContext, rule
from aemlint.types import Location, Violation


@rule(code="CFG005", name="duplicate-pid", severity="error", scope="project")
def duplicate_pid(project: Project, ctx: RuleContext) -> Iterator[Violation]:
    """One PID (or factory PID + name) is defined twice with the same run modes.

    ## What it does
    Groups the configurations in supported folders by identity — the PID, or the factory PID
    and instance name, whatever the spelling (`X-name` and `X~name` are one identity) — by
    `/apps` or `/libs`, and by the set of run modes of their folder (`config.author` and
    `install.author` are one set). Two or more files in a group are reported, each at the file,
    with the others as related locations: two forms in one folder (`X.config` beside
    `X.cfg.json`), the `-` and `~` spellings of one factory instance, or two application
    folders (`apps/a/config/X.cfg.json` and `apps/b/config/X.cfg.json`). Two content packages
    holding the same repository node (`ui.apps/…/apps/a/config/X.cfg.json` and
    `ui.config/…/apps/a/config/X.cfg.json`) are reported the same way: only one can end up
    installed.

    ## Why is this bad?
    AEM applies one configuration per PID (per factory PID + name) and service: the file with
    the most matching run modes wins the whole PID. Between two files with the same run modes
    nothing decides, so which one is applied is not documented and can change between
    deployments; the values of the other file are silently lost.

    ## Example
    ```
    config/org.apache.sling.commons.log.LogManager.factory.config-acme.config
    config/org.apache.sling.commons.log.LogManager.factory.config~acme.cfg.json
    ```

    ## Use instead
    Keep one file per identity and run-mode folder:
    ```
    config/org.apache.sling.commons.log.LogManager.factory.config~acme.cfg.json
    ```

    ## Source
    Adobe, "Configuring OSGi for AEM as a Cloud Service" [S1]: "If multiple configurations for
    the same PID are applicable, the configuration with the highest number of matching run
    modes is applied" — a tie is not described there, nor by the Sling JCR installer, which
    ranks one point per run mode [S26] (AEM-FACTS §3: NOT FOUND). The build converter reads
    `X-name` as factory `X`, instance `name`, like `X~name` [S24] (AEM-FACTS §2.2). Cloud
    Manager's code-quality rule `DuplicateOsgiConfigurations` (Bug, "runmode-aware") reports
    the same [S7] (AEM-FACTS §8). Folders AEM does not support (RUN001, RUN002) never apply
    and are left out.
    """
    groups: dict[tuple[str, str, frozenset[str]], list[OsgiConfig]] = {}
    for cfg in project.configs:
        place = cfg.place
        if place.supported:
            groups.setdefault((place.key, place.area, frozenset(place.run_modes)), []).append(cfg)
    for (key, _area, _modes), configs in groups.items():
        if len(configs) < 2:
            continue
        first = configs[0].place
        what = f"factory configuration {key}" if first.factory_pid else f"PID {key}"
        folders = sorted({c.place.folder for c in configs})
        for cfg in configs:
            others = [c for c in configs if c is not cfg]
            names = (
                _describe(others[0], cfg)
                if len(others) == 1
                else f"{len(others)} other files (related locations)"
            )
            node = _node(cfg)
            if all(_node(o) == node for o in others):
                why = (
                    f"{len(configs)} content packages hold the same repository node {node}, "
                    "so only one of them ends up installed and the others' values are lost"
                )
            else:
                why = "AEM applies only one of them and which one is not documented"
            yield Violation(
                message=(
                    f"{what} is defined {len(configs)} times with the same run modes "
                    f"({' / '.join(folders)}); also in {names}: {why}; keep one file"
                ),
                path=cfg.path,
                span=None,
                related=tuple(
                    Location(o.path, None, f"also defines {key} ({o.place.folder})") for o in others
                ),
            )


def _node(cfg: OsgiConfig) -> str:
    # The repository path the file is installed at (below its package's jcr_root).
    # A FileVault XML file is the node it describes: `X.xml` and `X/.content.xml` are node X.
    parts = list(cfg.path.parts)
    at = len(parts) - 1 - parts[::-1].index("jcr_root")
    node = parts[at + 1 :]
    if cfg.place.form == "xml":
        if node[-1] == ".content.xml":
            node.pop()
        else:
            node[-1] = node[-1].removesuffix(".xml")
    return "/" + "/".join(node)


def _describe(other: OsgiConfig, cfg: OsgiConfig) -> str:
    # A file in the same folder is named; one elsewhere gets its project-relative path.
    if other.path.parent == cfg.path.parent:
        return other.path.name
    return other.path.as_posix()


RULE = duplicate_pid
