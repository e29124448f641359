from __future__ import annotations

from collections.abc import Iterator

from aemlint.model.osgi import OsgiConfig
from aemlint.model.places import reordered_folder
from aemlint.registry import RuleContext, rule
from aemlint.types import Violation


@rule(
    code="RUN002",
    name="run-mode-order",
    severity="error",
    scope="config",
    readable_only=False,
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
    (AEM-FACTS §3). No automatic rename yet (planned as an unsafe fix: moving a folder can
    collide with an existing one).
    """
    target = reordered_folder(cfg.place.folder)
    if target is None:
        return
    yield Violation(
        message=(
            f"{cfg.place.folder}: the service must come before the environment type, so AEM as "
            f"a Cloud Service never applies configurations in this folder; rename it to {target}"
        ),
        path=cfg.path,
        span=None,
    )


RULE = run_mode_order
