from __future__ import annotations

from collections.abc import Iterator

from aemlint.model.osgi import OsgiConfig
from aemlint.model.places import SUPPORTED_FOLDERS, reordered_folder
from aemlint.registry import RuleContext, rule
from aemlint.types import Violation


@rule(
    code="RUN001",
    name="unsupported-run-mode",
    severity="error",
    scope="config",
    readable_only=False,
)
def unsupported_run_mode(cfg: OsgiConfig, ctx: RuleContext) -> Iterator[Violation]:
    """A configuration sits in a run-mode folder AEM as a Cloud Service never applies.

    ## What it does
    Reports, at each configuration file, a folder that is not one of the 15 AEMaaCS
    configuration folders — `config`, `config.{author,publish}`, `config.{dev,stage,prod,rde}`,
    `config.{author,publish}.{dev,stage,prod,rde}` — nor `install`, `install.author` or
    `install.publish`: custom run modes (`config.qa`, `config.local`, `config.nosamplecontent`),
    `config.preview`, `install.dev`, misspellings and wrong case (`config.Author`). A folder
    whose run modes are only in the wrong order (`config.dev.author`) is RUN002 instead.

    ## Why is this bad?
    AEM as a Cloud Service supports an exact set of run modes; a configuration in any other
    folder is never applied, silently. Differences between environments are made with
    `$[env:…]`/`$[secret:…]` variables; the preview tier takes publish's configuration.

    ## Example
    ```
    osgiconfig/config.qa/com.acme.core.impl.FooImpl.cfg.json
    osgiconfig/config.preview/com.acme.core.impl.FooImpl.cfg.json
    ```

    ## Use instead
    ```
    osgiconfig/config/com.acme.core.impl.FooImpl.cfg.json   {"endpoint": "$[env:FOO_ENDPOINT]"}
    osgiconfig/config.publish/com.acme.core.impl.FooImpl.cfg.json
    ```
    with `FOO_ENDPOINT` set per environment (and per service: `--previewVariable`).

    ## Source
    Adobe, "Deploying to AEM as a Cloud Service", Run Modes [S2], lists the supported
    configuration folders exactly; "Configuring OSGi" [S1]: "AEM 6.x supports custom runmodes,
    however AEM as a Cloud Service does not. AEM as a Cloud Service support an exact set of
    runmodes." and "A `config.preview` OSGi configuration folder **cannot** be declared in the
    same way a `config.publish` can be declared folder. Instead, the preview tier inherits its
    OSGi configuration from the publish tier's values." [S2]: "OSGI bundles run modes are
    limited to the service (author, publish)" for `install.<runmode>` folders (AEM-FACTS §3).
    Cloud Manager's quality rule `SupportedRunmode` reports the same [S7]. `rde` is in Adobe's
    list although the AEM analyser calls it "SDK only" [S23]; SPEC follows Adobe's list.
    """
    place = cfg.place
    if place.supported or reordered_folder(place.folder) is not None:
        return
    yield Violation(
        message=f"{place.folder}: {_why(place.folder, place.folder_kind, place.run_modes)}",
        path=cfg.path,
        span=None,
    )


def _why(folder: str, kind: str, modes: tuple[str, ...]) -> str:
    never = "AEM as a Cloud Service never applies configurations in this folder"
    lower = folder.lower()
    if lower != folder and (lower in SUPPORTED_FOLDERS or reordered_folder(lower)):
        return f"run modes are case-sensitive: {never}; use {reordered_folder(lower) or lower}"
    if "" in modes:
        return f"an empty run mode (a stray dot): {never}"
    if "preview" in modes:
        return (
            f"{never}; the preview tier takes publish's configuration (config.publish*): "
            "vary preview values with a variable set for the preview service"
        )
    if kind == "install":
        return f"{never}; install folders take only the service: install.author, install.publish"
    return (
        f"custom run modes are not supported: {never}; use config, config.<author|publish>, "
        "config.<dev|stage|prod|rde> or config.<author|publish>.<dev|stage|prod|rde>, and "
        "$[env:…] variables for values that differ between environments"
    )


RULE = unsupported_run_mode
