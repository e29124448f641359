from __future__ import annotations

from collections.abc import Iterator

from aemlint.model.places import is_config_folder_name
from aemlint.model.project import Project
from aemlint.registry import RuleContext, rule
from aemlint.types import Violation


@rule(code="CFG007", name="config-outside-config-folder", severity="warning", scope="project")
def config_outside_config_folder(project: Project, ctx: RuleContext) -> Iterator[Violation]:
    """A `*.cfg.json` below `jcr_root/apps` is not inside a `config` or `install` folder.

    ## What it does
    Reports, at the file, every `*.cfg.json` below `jcr_root/apps/` that has no ancestor folder
    named `config`, `config.<runmodes>`, `install` or `install.<runmodes>` with at least one
    folder between it and `apps` (so `apps/config/X.cfg.json` is reported too). Such files are
    found by their path alone and never read; no other rule sees them as configurations.

    ## Why is this bad?
    The platform only installs OSGi configurations from `config*`/`install*` folders: the file
    is deployed as plain content and the configuration silently never applies. Adobe's own SQL
    tutorial prints such a path (`…/osgiconfig/<PID>.cfg.json`, without `config/`).

    ## Example
    ```
    ui.config/src/main/content/jcr_root/apps/acme/osgiconfig/com.acme.core.impl.FooImpl.cfg.json
    ```

    ## Use instead
    ```
    ui.config/src/main/content/jcr_root/apps/acme/osgiconfig/config/com.acme.core.impl.FooImpl.cfg.json
    ```

    ## Source
    The build converter Cloud Manager uses (Sling cp2fm) [S24] only takes configurations
    matching `/jcr_root/(?:apps|libs)/.+/(config|install)(\\.<runmode>)?…/<pid>.<ext>`;
    Adobe's archetype and docs place them in `/apps/<app>/osgiconfig/config[.<runmodes>]/`
    [S28][S1][S8] (AEM-FACTS §2.2; the tutorial path without `config/` is in §7 [S13]).
    Only `*.cfg.json` files are reported: other `.xml`, `.config` or `.cfg` files under
    `/apps` are usually not configurations.
    """
    for path in project.stray_configs:
        parent = path.parent
        if is_config_folder_name(parent.name) and parent.parent.name == "apps":
            where = (
                f"'{parent.name}' sits directly below /apps: the platform reads configuration "
                f"folders only one level deeper (apps/<app>/{parent.name}/)"
            )
        else:
            where = "not inside a config or install folder"
        yield Violation(
            message=(
                f"{where}, so AEM never installs this configuration; move it into a "
                "config[.<runmodes>] folder (e.g. apps/<app>/osgiconfig/config/)"
            ),
            path=path,
            span=None,
        )


RULE = config_outside_config_folder
