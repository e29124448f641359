from __future__ import annotations

from collections.abc import Iterator

from aemlint.model.osgi import OsgiConfig
from aemlint.registry import RuleContext, rule
from aemlint.types import Violation


@rule(
    code="CFG006",
    name="dash-factory-separator",
    severity="warning",
    scope="config",
    readable_only=False,
)
def dash_factory_separator(cfg: OsgiConfig, ctx: RuleContext) -> Iterator[Violation]:
    """A configuration's name uses `-` (not `~`) between factory PID and instance name.

    ## What it does
    Reports, at the file, a configuration whose name has a `-` and no `~`
    (`<factoryPid>-<name>.cfg.json`, `.config`, `.cfg`, `.xml`). Without a `~` the build reads
    the part before the first `-` as a factory PID and the rest as the instance name. That is
    right for a legacy-named factory instance (rename it with `~`), and wrong for a singleton
    PID that contains a `-`, which the build then turns into a factory configuration.

    ## Why is this bad?
    The `-` separator is legacy: Sling prefers `~` since Installer Configuration Factory 1.2.0
    (SLING-7786). A dash is ambiguous — it can also be part of a PID or of an instance name —
    so the build converter guesses, and a singleton PID with a dash is misread as a factory.
    With `~` the identity is explicit.

    ## Example
    ```
    config/org.apache.sling.commons.log.LogManager.factory.config-acme.cfg.json
    ```

    ## Use instead
    ```
    config/org.apache.sling.commons.log.LogManager.factory.config~acme.cfg.json
    ```

    ## Source
    Sling, "Configuration Installer Factory" [S19]: "The subname is separated by a tilde
    (prefered) or dash from the factory PID"; "Since Installer Configuration Factory 1.2.0
    (SLING-7786) you should use the tilde `~` as separator". The build converter (cp2fm) [S24]:
    when a file name has a `-` and no `~`, the part before the first `-` becomes the factory PID
    (AEM-FACTS §2.2). Adobe's own text still shows `<factoryPID>-<name>.cfg.json` [S1] while
    its archetype and tutorials use `~` [S28][S12] (AEM-FACTS §9.9); SPEC follows Sling.
    No automatic rename yet.
    """
    place = cfg.place
    if not place.dash_factory or place.factory_pid is None:
        return
    written = cfg.path.name
    if written == ".content.xml":
        written = cfg.path.parent.name
    renamed = place.key + written[len(place.pid) :] if written.startswith(place.pid) else place.key
    yield Violation(
        message=(
            f"the legacy '-' separates factory PID {place.factory_pid} from instance name "
            f"{place.name}: rename it to {renamed}; if the whole name is one singleton PID, the "
            "build misreads it as a factory configuration"
        ),
        path=cfg.path,
        span=None,
    )


RULE = dash_factory_separator
