from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePosixPath

from aemlint.model.osgi import OsgiConfig
from aemlint.model.places import SUPPORTED_FOLDERS
from aemlint.model.project import Project
from aemlint.model.runmodes import SERVICES, effective_matrix
from aemlint.registry import RuleContext, rule
from aemlint.rules.run._where import describe_other, describe_where
from aemlint.types import Location, Violation


@rule(code="RUN004", name="ambiguous-run-mode-override", severity="warning", scope="project")
def ambiguous_run_mode_override(project: Project, ctx: RuleContext) -> Iterator[Violation]:
    """Two files for one PID apply with the same number of run modes from different folders.

    ## What it does
    For each PID (factory PID + name) and each service x environment type, reports the files
    that tie for the most matching run modes while their folders carry different run modes —
    `config.author/X` and `config.dev/X` both apply on author-dev with one run mode each.
    Each tied file is reported at the file, the others as related locations, with the services
    and environment types where the tie holds. Ties between files with the same run modes are
    CFG005.

    ## Why is this bad?
    AEM applies the file with the most matching run modes, for the whole PID. When two files
    match equally, which one wins is not documented: the configuration on that environment
    depends on installation details and can change between deployments.

    ## Example
    ```
    config.author/com.acme.core.impl.FooImpl.cfg.json   {"endpoint": "https://author.example.com"}
    config.dev/com.acme.core.impl.FooImpl.cfg.json      {"endpoint": "https://dev.example.com"}
    ```

    ## Use instead
    Add the combination that decides, with the values meant there:
    ```
    config.author.dev/com.acme.core.impl.FooImpl.cfg.json
    ```
    or keep one of the dimensions and vary the value with a `$[env:…]` variable.

    ## Source
    Adobe, "Configuring OSGi for AEM as a Cloud Service" [S1]: "If multiple configurations for
    the same PID are applicable, the configuration with the highest number of matching run
    modes is applied." A tie-break between two applicable folders with the same number of run
    modes is NOT FOUND in Adobe's documentation; the Sling JCR installer adds one point of
    priority per run mode and does not describe ties [S26] (AEM-FACTS §3). This rule reports
    what the documentation leaves undecided; SPEC's choice stands.
    """
    ties: dict[tuple[PurePosixPath, ...], set[tuple[str, str]]] = {}
    tied: dict[tuple[PurePosixPath, ...], tuple[OsgiConfig, ...]] = {}
    keys = project.keys()
    for key in keys:
        candidates = [c for c in project.configs_for(key) if c.parsed.readable]
        if len(candidates) < 2:
            continue
        for (service, env_type), res in effective_matrix(candidates).items():
            if res.run_mode_tie:
                paths = tuple(w.path for w in res.winners)
                tied[paths] = res.winners
                ties.setdefault(paths, set()).add((service, env_type))
    for paths, where in ties.items():
        winners = tied[paths]
        text, services = describe_where(where)
        folders = sorted({w.place.folder for w in winners})
        decide = _deciding_folder(winners)
        advice = f"add a {decide} file with the values meant there" if decide else "keep one"
        key = winners[0].key
        for cfg in winners:
            others = [w for w in winners if w is not cfg]
            names = ", ".join(describe_other(o, cfg) for o in others)
            yield Violation(
                message=(
                    f"{key}: on {text} this file ({cfg.place.folder}) and {names} both apply, "
                    f"with {_count(len(cfg.place.run_modes))} each "
                    f"({' / '.join(folders)}): which one AEM applies is not documented; {advice}"
                ),
                path=cfg.path,
                span=None,
                related=tuple(
                    Location(o.path, None, f"also applies ({o.place.folder})") for o in others
                ),
                services=services,
            )


def _count(n: int) -> str:
    return f"{n} matching run mode{'' if n == 1 else 's'}"


def _deciding_folder(winners: tuple[OsgiConfig, ...]) -> str | None:
    # The folder with the union of the tied run modes (config.author + config.dev →
    # config.author.dev), when AEM supports it.
    modes = {m for w in winners for m in w.place.run_modes}
    ordered = sorted(modes, key=lambda m: (m not in SERVICES, m))
    folder = f"config.{'.'.join(ordered)}"
    return folder if folder in SUPPORTED_FOLDERS else None


RULE = ambiguous_run_mode_override
