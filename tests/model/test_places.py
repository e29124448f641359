"""Path → configuration place (SPEC §3.1, AEM-FACTS §2.2): which files are OSGi configurations,
their PID, folder and run modes."""

from __future__ import annotations

import re
from pathlib import PurePosixPath, PureWindowsPath

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aemlint.model.osgi import ConfigPlace
from aemlint.model.places import (
    SUPPORTED_FOLDERS,
    is_stray_config,
    place_of,
    reordered_folder,
    split_pid,
)

ARCH = "ui.config/src/main/content/jcr_root/apps/__appId__/osgiconfig"


def place(path: str) -> ConfigPlace | None:
    return place_of(PurePosixPath(path))


# (path, form, area, folder, run_modes, supported, pid, factory_pid, name, dash_factory)
# fmt: off
CASES = [
    pytest.param(
        f"{ARCH}/config/org.apache.sling.commons.log.LogManager.factory.config~__appId__.cfg.json",
        "cfg.json", "apps", "config", (), True,
        "org.apache.sling.commons.log.LogManager.factory.config~__appId__",
        "org.apache.sling.commons.log.LogManager.factory.config", "__appId__", False,
        id="archetype-factory",
    ),
    pytest.param(
        f"{ARCH}/config.author/com.adobe.granite.cors.impl.CORSPolicyImpl~__appId__.cfg.json",
        "cfg.json", "apps", "config.author", ("author",), True,
        "com.adobe.granite.cors.impl.CORSPolicyImpl~__appId__",
        "com.adobe.granite.cors.impl.CORSPolicyImpl", "__appId__", False,
        id="archetype-author",
    ),
    pytest.param(
        "all/src/main/content/jcr_root/apps/venia/osgiconfig-cloud/config.author/"
        "com.adobe.cq.commerce.graphql.client.impl.GraphqlClientImpl~venia.cfg.json",
        "cfg.json", "apps", "config.author", ("author",), True,
        "com.adobe.cq.commerce.graphql.client.impl.GraphqlClientImpl~venia",
        "com.adobe.cq.commerce.graphql.client.impl.GraphqlClientImpl", "venia", False,
        id="osgiconfig-cloud",
    ),
    pytest.param(
        "current/ui.apps/src/main/content/jcr_root/apps/brightcove/runmodes/config.author.dev/"
        "org.apache.sling.commons.log.LogManager.factory.config-brightcove.config",
        "config", "apps", "config.author.dev", ("author", "dev"), True,
        "org.apache.sling.commons.log.LogManager.factory.config-brightcove",
        "org.apache.sling.commons.log.LogManager.factory.config", "brightcove", True,
        id="runmodes-author-dev-dash",
    ),
    pytest.param(
        "it/config/src/main/content/jcr_root/apps/system/config/Guide Localization Service.cfg.json",
        "cfg.json", "apps", "config", (), True,
        "Guide Localization Service", None, None, False,
        id="apps-system-config-space",
    ),
    pytest.param(
        "step-02/pkg.zip.d/jcr_root/apps/system/config/org.apache.jackrabbit.oak.security."
        "authentication.ldap.impl.LdapIdentityProvider-a9b59f32-4194-44ba-9fdb-151e98cf4418.config",
        "config", "apps", "config", (), True,
        "org.apache.jackrabbit.oak.security.authentication.ldap.impl.LdapIdentityProvider-"
        "a9b59f32-4194-44ba-9fdb-151e98cf4418",
        "org.apache.jackrabbit.oak.security.authentication.ldap.impl.LdapIdentityProvider",
        "a9b59f32-4194-44ba-9fdb-151e98cf4418", True,
        id="dash-legacy-first-dash",
    ),
    pytest.param(
        "ui.apps/src/main/content/jcr_root/apps/hootsuite/config.author/"
        "com.adobe.core.hootsuite.integration.internal.services.MessageServiceImpl.config.xml",
        "xml", "apps", "config.author", ("author",), True,
        "com.adobe.core.hootsuite.integration.internal.services.MessageServiceImpl", None, None,
        False,
        id="xml-node-dot-config",
    ),
    pytest.param(
        "ui.apps/src/main/content/jcr_root/apps/hootsuite/config.author/"
        "org.apache.sling.serviceusermapping.impl.ServiceUserMapperImpl.amended-demo.config.xml",
        "xml", "apps", "config.author", ("author",), True,
        "org.apache.sling.serviceusermapping.impl.ServiceUserMapperImpl.amended-demo",
        "org.apache.sling.serviceusermapping.impl.ServiceUserMapperImpl.amended", "demo", True,
        id="xml-dot-config-dash-factory",
    ),
    pytest.param(
        "ui.apps/src/main/content/jcr_root/apps/aemlab/oneweb/config/"
        "com.community.aemlab.core.services.sample.impl.CryptoServiceImpl.xml",
        "xml", "apps", "config", (), True,
        "com.community.aemlab.core.services.sample.impl.CryptoServiceImpl", None, None, False,
        id="xml-node",
    ),
    pytest.param(
        "ui.apps/src/main/content/jcr_root/apps/demo/config.publish/com.example.Svc/.content.xml",
        "xml", "apps", "config.publish", ("publish",), True,
        "com.example.Svc", None, None, False,
        id="content-xml-node",
    ),
    pytest.param(
        "ui.apps/src/main/content/jcr_root/apps/demo/config/com.example.Svc.config/.content.xml",
        "xml", "apps", "config", (), True,
        "com.example.Svc", None, None, False,
        id="content-xml-node-dot-config",
    ),
    pytest.param(
        "classic/ui.config/src/main/content/jcr_root/apps/venia/osgiconfig-classic/config.author/"
        "com.adobe.granite.resourcestatus.impl.CompositeStatusType~editor.config.cfg.json",
        "cfg.json", "apps", "config.author", ("author",), True,
        "com.adobe.granite.resourcestatus.impl.CompositeStatusType~editor.config",
        "com.adobe.granite.resourcestatus.impl.CompositeStatusType", "editor.config", False,
        id="factory-name-with-dot-config",
    ),
    pytest.param(
        "x/jcr_root/apps/acs/config/org.apache.sling.event.jobs.QueueConfiguration~"
        "package-garbage-collection.config",
        "config", "apps", "config", (), True,
        "org.apache.sling.event.jobs.QueueConfiguration~package-garbage-collection",
        "org.apache.sling.event.jobs.QueueConfiguration", "package-garbage-collection", False,
        id="tilde-before-dash",
    ),
    pytest.param(
        "x/jcr_root/apps/app/config/odd.dir.xml",
        "xml", "apps", "config", (), True, "odd.dir", None, None, False,
        id="xml-node-named-dir",
    ),
    pytest.param(
        "x/jcr_root/apps/app/config/com.example.Legacy.cfg",
        "cfg", "apps", "config", (), True, "com.example.Legacy", None, None, False,
        id="properties-cfg",
    ),
    pytest.param(
        "x/jcr_root/libs/app/config.publish.prod/com.example.Svc.cfg.json",
        "cfg.json", "libs", "config.publish.prod", ("publish", "prod"), True,
        "com.example.Svc", None, None, False,
        id="libs",
    ),
    pytest.param(
        "x/jcr_root/apps/app/install.author/com.example.Svc.cfg.json",
        "cfg.json", "apps", "install.author", ("author",), True,
        "com.example.Svc", None, None, False,
        id="install-author",
    ),
    pytest.param(
        "x/jcr_root/apps/app/install.dev/com.example.Svc.cfg.json",
        "cfg.json", "apps", "install.dev", ("dev",), False,
        "com.example.Svc", None, None, False,
        id="install-dev-unsupported",
    ),
    pytest.param(
        "x/jcr_root/apps/app/config.qa/com.example.Svc.cfg.json",
        "cfg.json", "apps", "config.qa", ("qa",), False, "com.example.Svc", None, None, False,
        id="custom-run-mode",
    ),
    pytest.param(
        "x/jcr_root/apps/app/config.dev.author/com.example.Svc.cfg.json",
        "cfg.json", "apps", "config.dev.author", ("dev", "author"), False,
        "com.example.Svc", None, None, False,
        id="misordered",
    ),
    pytest.param(
        "x/jcr_root/apps/app/config.preview/com.example.Svc.cfg.json",
        "cfg.json", "apps", "config.preview", ("preview",), False,
        "com.example.Svc", None, None, False,
        id="preview-unsupported",
    ),
    pytest.param(
        "x/jcr_root/apps/app/config./com.example.Svc.cfg.json",
        "cfg.json", "apps", "config.", ("",), False, "com.example.Svc", None, None, False,
        id="trailing-dot",
    ),
    pytest.param(
        "x/jcr_root/apps/app/config/sub/com.example.Svc.cfg.json",
        "cfg.json", "apps", "config", (), True, "com.example.Svc", None, None, False,
        id="sub-folder-of-config-as-cp2fm",
    ),
    pytest.param(
        "x/jcr_root/apps/app/config.author/install/com.example.Svc.cfg.json",
        "cfg.json", "apps", "install", (), True, "com.example.Svc", None, None, False,
        id="nearest-config-folder",
    ),
    pytest.param(
        "x/jcr_root/apps/app/config/~odd.cfg.json",
        "cfg.json", "apps", "config", (), True, "~odd", None, None, False,
        id="separator-at-start-splits-nothing",
    ),
    pytest.param(
        "x/jcr_root/apps/app/config/-odd.config",
        "config", "apps", "config", (), True, "-odd", None, None, False,
        id="dash-at-start-splits-nothing",
    ),
]
# fmt: on


@pytest.mark.parametrize(
    ("path", "form", "area", "folder", "run_modes", "supported", "pid", "factory", "name", "dash"),
    CASES,
)
def test_place_of(
    path: str,
    form: str,
    area: str,
    folder: str,
    run_modes: tuple[str, ...],
    supported: bool,
    pid: str,
    factory: str | None,
    name: str | None,
    dash: bool,
) -> None:
    p = place(path)
    assert p is not None
    assert (p.form, p.area, p.folder, p.run_modes, p.supported) == (
        form,
        area,
        folder,
        run_modes,
        supported,
    )
    assert (p.pid, p.factory_pid, p.name, p.dash_factory) == (pid, factory, name, dash)
    assert p.folder_kind == folder.split(".")[0]
    # app_root is the folder holding the configuration folder
    assert f"/{p.app_root.as_posix()}/{folder}/" in f"/{path}"
    assert p.key == (f"{factory}~{name}" if factory else pid)
    assert p.service_pid == (factory or pid)


@pytest.mark.parametrize(
    "path",
    [
        "x/jcr_root/apps/x/components/a.cfg.json",  # not in a config folder (CFG007's case)
        "x/jcr_root/content/site/config/a.cfg.json",  # not below apps or libs
        "x/jcr_root/apps/config/a.cfg.json",  # no folder between apps and config
        "x/jcr_root/libs/install/a.cfg.json",
        "x/jcr_root/conf/app/config/a.cfg.json",
        "x/apps/app/config/a.cfg.json",  # no jcr_root
        "x/src/main/resources/config/a.cfg.json",
        "x/jcr_root/apps/app/Config/a.cfg.json",  # case-sensitive, as cp2fm's pattern
        "x/jcr_root/apps/app/configuration/a.cfg.json",
        "x/jcr_root/apps/app/config_old/a.cfg.json",
        "x/jcr_root/apps/app/installer/a.cfg.json",
        "x/jcr_root/apps/app/config/a.json",  # not a form
        "x/jcr_root/apps/app/config/a.properties",
        "x/jcr_root/apps/app/config/a.CFG.JSON",
        "x/jcr_root/apps/app/config/a.cfg.json.bak",
        "x/jcr_root/apps/app/config/.cfg.json",  # no PID
        "x/jcr_root/apps/app/config/.config",
        "x/jcr_root/apps/app/config/.content.xml",  # the config folder's own node
        "x/jcr_root/apps/app/config/sub/node/.content.xml",  # node not directly in the folder
        "x/jcr_root/apps/app/config/com.example.Svc.config.dir/.content.xml",  # SLING-10469
        "x/jcr_root/apps/app/config/a.cfg.json.dir/.content.xml",
        "jcr_root/apps/app/config",
        "a.cfg.json",
        "",
    ],
)
def test_not_a_configuration(path: str) -> None:
    assert place(path) is None


def test_windows_paths_normalised_by_the_caller() -> None:
    win = PureWindowsPath(r"ui.config\src\main\content\jcr_root\apps\x\config.author\A~b.cfg.json")
    p = place_of(PurePosixPath(win.as_posix()))
    assert p is not None
    assert (p.pid, p.factory_pid, p.name, p.run_modes) == ("A~b", "A", "b", ("author",))
    assert p.app_root == PurePosixPath("ui.config/src/main/content/jcr_root/apps/x")


def test_supported_folders_are_exactly_the_documented_ones() -> None:
    # AEM-FACTS §3 [S2]: 15 config folders; install folders limited to the service [S2].
    configs = sorted(f for f in SUPPORTED_FOLDERS if f.startswith("config"))
    assert configs == sorted(
        [
            "config",
            "config.author",
            "config.author.dev",
            "config.author.rde",
            "config.author.stage",
            "config.author.prod",
            "config.publish",
            "config.publish.dev",
            "config.publish.rde",
            "config.publish.stage",
            "config.publish.prod",
            "config.dev",
            "config.rde",
            "config.stage",
            "config.prod",
        ]
    )
    assert SUPPORTED_FOLDERS - set(configs) == {"install", "install.author", "install.publish"}


@pytest.mark.parametrize(
    ("pid", "expected"),
    [
        ("a.b.C", (None, None, False)),
        ("a.b.C~x", ("a.b.C", "x", False)),
        ("a.b.C-x", ("a.b.C", "x", True)),
        ("a.b.C-x~y", ("a.b.C-x", "y", False)),
        ("a.b.C~x-y", ("a.b.C", "x-y", False)),
        ("a.b.C~", ("a.b.C", "", False)),
        ("~x", (None, None, False)),
        ("-x", (None, None, False)),
    ],
)
def test_split_pid_as_cp2fm(pid: str, expected: tuple[str | None, str | None, bool]) -> None:
    assert split_pid(pid) == expected


# --- property: place_of agrees with a regular expression modelled on cp2fm's path pattern -------
# cp2fm: /jcr_root/(?:apps|libs)/.+/(config|install)(\.<runmode>)?(.*)/<pid>\.<ext>  [S24];
# aemlint requires the folder name to be exactly config[.<runmodes>] / install[.<runmodes>].
ORACLE = re.compile(
    r"^(?:.*/)?jcr_root/(apps|libs)/.+/((?:config|install)(?:\.[^/]*)?)/(?:.*/)?"
    r"([^/]+)\.(cfg\.json|config|cfg)$"
)
# fmt: off
SEGMENTS = [
    "jcr_root", "apps", "libs", "content", "x", "y", "config", "config.author", "config.dev",
    "config.dev.author", "install", "install.publish", "config.", "configs", "installs", "sub",
]
NAMES = [
    "A.cfg.json", "a~b.config", "c-d.cfg", "e.json", "g.properties", ".cfg.json",
    "h.cfg.config", "i.config.cfg", "j~k.cfg.json",
]
# fmt: on


_SEGMENT = st.sampled_from(SEGMENTS)
_SHAPED = st.tuples(  # prefix / jcr_root / area / middle / folder / tail: mostly near-misses
    st.lists(_SEGMENT, max_size=2),
    st.just(["jcr_root"]),
    st.lists(st.sampled_from(["apps", "libs", "content"]), min_size=1, max_size=1),
    st.lists(_SEGMENT, max_size=3),
    st.lists(_SEGMENT, min_size=1, max_size=1),
    st.lists(_SEGMENT, max_size=2),
).map(lambda parts: [s for part in parts for s in part])


@given(st.one_of(st.lists(_SEGMENT, max_size=9), _SHAPED), st.sampled_from(NAMES))
def test_place_of_agrees_with_the_cp2fm_pattern(segments: list[str], name: str) -> None:
    path = "/".join([*segments, name])
    m = ORACLE.match(path)
    p = place(path)
    if m is None:
        assert p is None
        return
    assert p is not None
    area, folder, stem, _ext = m.groups()
    assert (p.area, p.folder, p.pid) == (area, folder, stem)


# --- RUN002: misordered folders; CFG007: configurations outside configuration folders ----------


@pytest.mark.parametrize(
    ("folder", "expected"),
    [
        ("config.dev.author", "config.author.dev"),
        ("config.prod.publish", "config.publish.prod"),
        ("config.rde.author", "config.author.rde"),
        ("config.author.dev", None),  # supported already
        ("config", None),
        ("config.qa.author", None),  # custom run mode: RUN001, not a reordering
        ("config.dev.preview", None),  # preview has no folders at all
        ("config.dev.prod", None),
        ("config.author.publish", None),
        ("install.dev.author", None),  # install takes the service only
        ("config.Dev.Author", None),  # case matters (RUN001 suggests the spelling)
    ],
)
def test_reordered_folder(folder: str, expected: str | None) -> None:
    assert reordered_folder(folder) == expected


def test_every_reordering_of_a_supported_folder_is_found() -> None:
    for folder in SUPPORTED_FOLDERS:
        head, _, rest = folder.partition(".")
        modes = rest.split(".") if rest else []
        if len(modes) == 2:
            assert reordered_folder(f"{head}.{modes[1]}.{modes[0]}") == folder


@pytest.mark.parametrize(
    ("path", "stray"),
    [
        ("x/jcr_root/apps/a/osgiconfig/A.cfg.json", True),
        ("x/jcr_root/apps/A.cfg.json", True),
        ("x/jcr_root/apps/config/A.cfg.json", True),
        ("x/jcr_root/libs/a/A.cfg.json", False),
        ("x/jcr_root/conf/a/A.cfg.json", False),
        ("x/jcr_root/apps/a/A.config", False),
        ("x/jcr_root/apps/a/.cfg.json", False),
        ("x/jcr_root/libs/a/jcr_root/apps/b/A.cfg.json", True),  # the nearest jcr_root decides
    ],
)
def test_is_stray_config(path: str, stray: bool) -> None:
    parts = PurePosixPath(path).parts
    assert place_of(PurePosixPath(path)) is None
    assert is_stray_config(parts[:-1], parts[-1]) is stray
