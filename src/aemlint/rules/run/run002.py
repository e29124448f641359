from __future__ import annotations

from collections.abc import Iterator

from aemlint.model.osgi import OsgiConfig
from aemlint.model.places import reordered_folder
from aemlint.registry import RuleContext, rule
from aemlint.types import Fix, Violation


@rule(
    code="RUN002",
    name="run-mode-order",
    severity="error",
    scope="config",
    readable_only=False,
    fix="unsafe",
)
def run_mode_order(cfg: OsgiConfig, ctx: RuleContext) -> Iterator[Violation]:
    """A run-mode folder names the environment type before the service (`config.dev.author`).

    ## What it does
    Reports, at each configuration file, a folder whose run modes would be a supported
    combination in the other order: `config.dev.author` (use `config.author.dev`),
    `config.prod.publish` (use `config.publish.prod`). Such a folder is reported here only, not
    also as RUN001: the remedy is a rename.

    ## Why is this bad?
    AEM as a Cloud Service supports `<service>.<environment type>` in that order only; a
    configuration in a misordered folder is never applied, silently.

    ## Example
    ```
    osgiconfig/config.dev.author/com.acme.core.impl.FooImpl.cfg.json
    ```

    ## Use instead
    ```
    osgiconfig/config.author.dev/com.acme.core.impl.FooImpl.cfg.json
    ```

    ## Source
    Adobe, "Deploying to AEM as a Cloud Service", Run Modes [S2]: "A combination of
    `<service>.<environment_type>` is being supported, whereas these environments have to be
    used in this particular order (for example, `author.dev` or `publish.prod`)." The AEM
    analyser reports the reversed order with the corrected name [S23]; Cloud Manager's quality
    rule `SupportedRunmode` is "Only use supported run mode names and ordering" [S7]
    (AEM-FACTS §3).

    ## Fix safety
    Unsafe: the fix renames the folder (with everything in it) to the corrected name, which
    makes AEM apply configurations it ignored until now; they may hold values nobody has
    tested. Not offered when a folder of the corrected name already exists in the project
    (the two would have to be merged by hand); `--fix` also checks the disk before renaming.
    """
    target = reordered_folder(cfg.place.folder)
    if target is None:
        return
    folder = cfg.path.parent
    renamed = folder.with_name(target)
    taken = any(c.path.parent == renamed for c in ctx.project.configs)
    fix = Fix(
        message=f"rename {cfg.place.folder} to {target}",
        applicability="unsafe",
        renames=((folder, renamed),),
    )
    yield Violation(
        message=(
            f"{cfg.place.folder}: the service must come before the environment type, so AEM as "
            f"a Cloud Service never applies configurations in this folder; rename it to {target}"
        ),
        path=cfg.path,
        span=None,
        fix=None if taken else fix,
    )


RULE = run_mode_order
