"""Run-mode resolution (SPEC §3.1, AEM-FACTS §3): which file AEM applies for a key on a service x
environment type, what it overrides, and when the platform's choice is not documented (ties)."""

from __future__ import annotations

from pathlib import PurePosixPath

import pytest

from aemlint.model.osgi import OsgiConfig
from aemlint.model.places import place_of
from aemlint.model.runmodes import (
    ENV_TYPES,
    SERVICES,
    EnvType,
    Service,
    applies,
    effective_matrix,
    resolve,
    resolve_all,
)
from aemlint.parsing.values import ParsedConfig

APPS = "ui.config/src/main/content/jcr_root/apps/demo/osgiconfig"
LIBS = "ui.config/src/main/content/jcr_root/libs/demo/osgiconfig"
PID = "com.example.Svc"


def cfg(path: str) -> OsgiConfig:
    rel = PurePosixPath(path)
    place = place_of(rel)
    assert place is not None, path
    return OsgiConfig(rel, place, ParsedConfig((), (), True))


def at(folder: str, file: str = f"{PID}.cfg.json", root: str = APPS) -> str:
    return f"{root}/{folder}/{file}"


# (files, service, env_type, expected winners, expected overridden); None = nothing applies.
# Winners are sorted by path; overridden files closest to winning first.
# fmt: off
TABLE = [
    pytest.param(
        [at("config"), at("config.author"), at("config.author.dev")], "author", "dev",
        [at("config.author.dev")], [at("config.author"), at("config")],
        id="most-run-modes-wins-whole-pid",
    ),
    pytest.param(
        [at("config"), at("config.author.dev")], "publish", "prod",
        [at("config")], [],
        id="other-service-env-falls-back",
    ),
    pytest.param(
        [at("config"), at("config.author"), at("config.dev")], "author", "dev",
        [at("config.author"), at("config.dev")], [at("config")],
        id="tie-author-vs-dev-on-author-dev",
    ),
    pytest.param(
        [at("config.author"), at("config.dev"), at("config.author.dev")], "author", "dev",
        [at("config.author.dev")], [at("config.author"), at("config.dev")],
        id="tie-broken-by-more-specific",
    ),
    pytest.param(
        [at("config"), at("config.publish")], "preview", "prod",
        [at("config.publish")], [at("config")],
        id="preview-uses-publish",
    ),
    pytest.param(
        [at("config.publish"), at("config.publish.prod")], "preview", "prod",
        [at("config.publish.prod")], [at("config.publish")],
        id="preview-uses-publish-env",
    ),
    pytest.param(
        [at("config"), at("config.preview")], "preview", "dev",
        [at("config")], [],
        id="config-preview-never-applies",
    ),
    pytest.param(
        [at("config.author"), at("config.publish")], "preview", "stage",
        [at("config.publish")], [],
        id="preview-never-uses-author",
    ),
    pytest.param(
        [at("config.author.dev", root=LIBS), at("config")], "author", "dev",
        [at("config")], [at("config.author.dev", root=LIBS)],
        id="apps-beats-libs-whatever-run-modes",
    ),
    pytest.param(
        [at("config.author.dev", root=LIBS), at("config"), at("config.author")], "author", "dev",
        [at("config.author")], [at("config"), at("config.author.dev", root=LIBS)],
        id="overridden-closest-first",
    ),
    pytest.param(
        [at("config", root=LIBS), at("config.author", root=LIBS)], "author", "prod",
        [at("config.author", root=LIBS)], [at("config", root=LIBS)],
        id="libs-alone-by-run-modes",
    ),
    pytest.param(
        [
            f"ui.config/src/main/content/jcr_root/apps/a/config.author/{PID}.cfg.json",
            f"ui.apps/src/main/content/jcr_root/apps/b/config.author/{PID}.cfg.json",
        ],
        "author", "stage",
        [
            f"ui.apps/src/main/content/jcr_root/apps/b/config.author/{PID}.cfg.json",
            f"ui.config/src/main/content/jcr_root/apps/a/config.author/{PID}.cfg.json",
        ],
        [],
        id="two-app-folders-same-run-modes",
    ),
    pytest.param(
        [at("config", f"{PID}.cfg.json"), at("config", f"{PID}.config")], "publish", "dev",
        [at("config", f"{PID}.cfg.json"), at("config", f"{PID}.config")], [],
        id="two-forms-one-folder",
    ),
    pytest.param(
        [at("config", "F-a.config"), at("config", "F~a.cfg.json")], "author", "dev",
        [at("config", "F-a.config"), at("config", "F~a.cfg.json")], [],
        id="dash-and-tilde-spellings-one-key",
    ),
    pytest.param(
        [at("config"), at("config.qa")], "author", "dev",
        [at("config")], [],
        id="unsupported-never-applies",
    ),
    pytest.param(
        [at("config.author"), at("config.dev.author")], "author", "dev",
        [at("config.author")], [],
        id="misordered-never-applies",
    ),
    pytest.param(
        [at("config.publish")], "author", "dev", None, None,
        id="nothing-applicable",
    ),
    pytest.param(
        [at("config.qa"), at("config.preview")], "preview", "prod", None, None,
        id="only-unsupported",
    ),
    pytest.param(
        [at("config"), at("config.rde"), at("config.author.rde")], "author", "rde",
        [at("config.author.rde")], [at("config.rde"), at("config")],
        id="rde",
    ),
    pytest.param(
        [at("config.dev")], "author", "rde", None, None,
        id="dev-is-not-rde",
    ),
    pytest.param(
        [at("config"), at("install.author")], "author", "prod",
        [at("install.author")], [at("config")],
        id="install-folder-counts",
    ),
    pytest.param(
        [at("config.author"), at("install.author")], "author", "prod",
        [at("config.author"), at("install.author")], [],
        id="config-and-install-same-run-modes",
    ),
]
# fmt: on


@pytest.mark.parametrize(("files", "service", "env", "winners", "overridden"), TABLE)
def test_resolve(
    files: list[str],
    service: Service,
    env: EnvType,
    winners: list[str] | None,
    overridden: list[str] | None,
) -> None:
    configs = [cfg(f) for f in files]
    result = resolve(configs, service, env)
    if winners is None:
        assert result is None
        return
    assert result is not None
    assert [c.path.as_posix() for c in result.winners] == winners
    assert [c.path.as_posix() for c in result.overridden] == overridden
    assert (result.service, result.env_type) == (service, env)
    assert result.key == configs[0].key
    assert result.winner is result.winners[0]
    assert result.ambiguous == (len(winners) > 1)


def test_tie_kinds() -> None:
    run004 = resolve([cfg(at("config.author")), cfg(at("config.dev"))], "author", "dev")
    assert run004 is not None and run004.ambiguous and run004.run_mode_tie
    cfg005 = resolve(
        [cfg(at("config", f"{PID}.cfg.json")), cfg(at("config", f"{PID}.config"))],
        "author",
        "dev",
    )
    assert cfg005 is not None and cfg005.ambiguous and not cfg005.run_mode_tie
    single = resolve([cfg(at("config"))], "author", "dev")
    assert single is not None and not single.ambiguous and not single.run_mode_tie


def test_factory_configurations_resolve_per_name() -> None:
    a_author = cfg(at("config.author", "com.example.Factory~a.cfg.json"))
    a_base = cfg(at("config", "com.example.Factory~a.cfg.json"))
    b_base = cfg(at("config", "com.example.Factory~b.cfg.json"))
    single = cfg(at("config.publish"))
    result = resolve_all([a_author, a_base, b_base, single], "author", "dev")
    assert set(result) == {"com.example.Factory~a", "com.example.Factory~b"}
    assert result["com.example.Factory~a"].winners == (a_author,)
    assert result["com.example.Factory~a"].overridden == (a_base,)
    assert result["com.example.Factory~b"].winners == (b_base,)  # not overridden by ~a
    assert result["com.example.Factory~b"].overridden == ()
    with pytest.raises(ValueError, match="one key"):
        resolve([a_author, b_base], "author", "dev")


def test_resolve_nothing() -> None:
    assert resolve([], "author", "dev") is None


def test_effective_matrix() -> None:
    base, author_dev, publish = (
        cfg(at("config")),
        cfg(at("config.author.dev")),
        cfg(at("config.publish")),
    )
    matrix = effective_matrix([base, author_dev, publish])
    assert set(matrix) == {(s, e) for s in SERVICES for e in ENV_TYPES}
    assert matrix[("author", "dev")].winners == (author_dev,)
    assert matrix[("author", "prod")].winners == (base,)
    for env in ENV_TYPES:
        assert matrix[("publish", env)].winners == (publish,)
        assert matrix[("preview", env)].winners == (publish,)
    assert effective_matrix([cfg(at("config.author"))]).keys() == {("author", e) for e in ENV_TYPES}


@pytest.mark.parametrize(
    ("folder", "active"),
    [
        ("config", {(s, e) for s in SERVICES for e in ENV_TYPES}),
        ("config.author", {("author", e) for e in ENV_TYPES}),
        ("config.publish", {(s, e) for s in ("publish", "preview") for e in ENV_TYPES}),
        ("config.prod", {(s, "prod") for s in SERVICES}),
        ("config.publish.stage", {("publish", "stage"), ("preview", "stage")}),
        ("install.publish", {(s, e) for s in ("publish", "preview") for e in ENV_TYPES}),
        ("config.preview", set()),
        ("config.stage.publish", set()),
        ("config.local", set()),
        ("install.dev", set()),
    ],
)
def test_applies(folder: str, active: set[tuple[str, str]]) -> None:
    place = cfg(at(folder)).place
    got = {(s, e) for s in SERVICES for e in ENV_TYPES if applies(place, s, e)}
    assert got == active


def test_applies_rejects_unknown_names() -> None:
    place = cfg(at("config")).place
    with pytest.raises(ValueError, match="service"):
        applies(place, "stage", "dev")
    with pytest.raises(ValueError, match="environment type"):
        applies(place, "author", "qa")
    with pytest.raises(ValueError, match="service"):
        resolve([cfg(at("config"))], "Author", "dev")
