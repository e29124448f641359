from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePosixPath

from aemlint.model.osgi import OsgiConfig
from aemlint.registry import RuleContext, rule
from aemlint.types import Violation

_FORMS = {
    "config": "Felix .config format",
    "cfg": "Java properties .cfg format (strings only)",
    "xml": "sling:OsgiConfig XML node (not all types, arrays only)",
}


@rule(
    code="CFG004",
    name="legacy-config-format",
    severity="warning",
    scope="config",
    readable_only=False,
)
def legacy_config_format(cfg: OsgiConfig, ctx: RuleContext) -> Iterator[Violation]:
    """An OSGi configuration in a legacy format (`.config`, `.cfg`, `sling:OsgiConfig` XML).

    ## What it does
    Reports every configuration written as a Felix `.config` file, a Java properties `.cfg`
    file or a FileVault `sling:OsgiConfig` node (`<pid>.xml`, `<pid>.config.xml`,
    `<pid>/.content.xml`), at the file. When a `.cfg.json` twin of the same PID already sits in
    the same folder, the message says so (the pair is also a CFG005).

    ## Why is this bad?
    On AEM as a Cloud Service the OSGi configuration format is `.cfg.json`; the others are
    superseded. They are also traps: the Felix reader silently drops or changes malformed
    values (CFG008) and throws on an unescaped `=` inside a value; `.cfg` holds strings only;
    XML nodes support only some types. A `.cfg.json` file has typed values, comments, and one
    reader that fails loudly.

    ## Example
    `config/com.acme.core.impl.FooImpl.config`:
    ```
    enabled=B"true"
    retries=I"3"
    ```

    ## Use instead
    `config/com.acme.core.impl.FooImpl.cfg.json`:
    ```json
    {"enabled": true, "retries:Integer": 3}
    ```

    ## Source
    Adobe, "Configuring OSGi for AEM as a Cloud Service" [S1]: "Prior versions of AEM supported
    OSGi configuration files using different file formats such as `.cfg`, `.config` and as XML
    `sling:OsgiConfig` resource definitions. These formats are superseded by the `.cfg.json`
    OSGi configuration format." Sling's installer documentation [S19] on `sling:OsgiConfig`:
    "it should be avoided as it neither supports all required types nor is it portable"
    (AEM-FACTS §2.1, §2.3). An older Adobe page recommended `.config` for repoinit scripts
    because of multi-line values [S8]; the current project archetype ships
    `RepositoryInitializer~<app>.cfg.json` instead [S28], so repoinit files are reported too.
    No automatic conversion yet (planned as an unsafe fix).
    """
    place = cfg.place
    what = _FORMS.get(place.form)
    if what is None:
        return
    target = f"{place.key}.cfg.json"
    twin = next(
        (
            c
            for c in ctx.project.configs_for(place.key)
            if c.place.form == "cfg.json" and c.path.parent == _folder_of(cfg)
        ),
        None,
    )
    if twin is not None:
        advice = f"{target} in this folder already defines it: delete this file"
    else:
        advice = f"convert it to {target} with the same typed values"
    yield Violation(
        message=(f"{what}: superseded by .cfg.json on AEM as a Cloud Service; {advice}"),
        path=cfg.path,
        span=None,
    )


def _folder_of(cfg: OsgiConfig) -> PurePosixPath:
    # A `<node>/.content.xml` node lives in its grandparent folder.
    parent = cfg.path.parent
    return parent.parent if cfg.path.name == ".content.xml" else parent


RULE = legacy_config_format
