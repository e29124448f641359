"""The speed-ups of a cold run give the same answers as the plain computations they replace.

Facts memoized per configuration or per project (host/port pairs, string values, variable uses,
effective configurations, secret-name verdicts), the parsers' fast paths (``.cfg.json`` members,
one-bracket placeholders), and the collector pause: each is compared with a reference.
"""

from __future__ import annotations

import gc
import re
from pathlib import Path, PurePosixPath

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import aemlint.parsing.cfg_json as cfg_json
from aemlint.model.egress import effective_proxied, host_port_pairs, proxied_pairs
from aemlint.model.gc_pause import gc_paused
from aemlint.model.osgi import OsgiConfig
from aemlint.model.placeholder_checks import FileLocator, placeholders, string_values
from aemlint.model.places import place_of
from aemlint.model.project import Project
from aemlint.model.runmodes import ENV_TYPES, SERVICES, applies, resolve
from aemlint.model.secrets import SecretNamer, classify_value, is_crypto
from aemlint.parsing.cfg_json import parse_cfg_json
from aemlint.parsing.placeholders import find_placeholders, iter_candidates, parse_directives
from aemlint.parsing.text import LineIndex
from aemlint.parsing.values import Placeholder
from aemlint.sources import read_text
from aemlint.types import Secret

CI = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
APPS = "ui.config/src/main/content/jcr_root/apps/demo/osgiconfig"
LIBS = "ui.config/src/main/content/jcr_root/libs/demo/osgiconfig"


def plain(value: object) -> object:
    """A parse result as plain data, secrets revealed (for comparisons only)."""
    if isinstance(value, Secret):
        return ("secret", value.reveal())
    if isinstance(value, tuple | list):
        return tuple(plain(v) for v in value)
    fields = getattr(value, "__dataclass_fields__", None)
    if fields is not None:
        return (type(value).__name__, *(plain(getattr(value, f)) for f in fields))
    if isinstance(value, float) and value != value:
        return "NaN"
    return (type(value).__name__, value)


def config(path: str, text: str, namer: SecretNamer | None = None) -> OsgiConfig:
    rel = PurePosixPath(path)
    place = place_of(rel)
    assert place is not None, path
    return OsgiConfig(rel, place, parse_cfg_json(text, namer or SecretNamer()))


# ------------------------------------------------------------------------------------------------
# Parsers' fast paths


def _reference_placeholders(text: str, secret_context: bool) -> tuple[Placeholder, ...]:
    """find_placeholders as it was: every candidate through iter_candidates."""
    found: list[Placeholder] = []
    for candidate in iter_candidates(text):
        body = candidate.body
        if body is None or candidate.end is None:
            break
        sep = body.find(":")
        if sep == -1:
            continue
        kind, postfix = body[:sep], body[sep + 1 :]
        name, semi, rest = postfix.partition(";")
        directives: tuple[tuple[str, str | Secret], ...] = ()
        if semi:
            parsed = parse_directives(rest)
            if secret_context or kind == "secret":
                directives = tuple((k, Secret(v)) for k, v in parsed.items())
            else:
                directives = tuple(parsed.items())
        found.append(Placeholder(kind, name, directives, candidate.start, candidate.end))
    return tuple(found)


PLACEHOLDER_TEXT = st.text(alphabet="$[]:;=\\ab{}/ ", max_size=24) | st.builds(
    "".join,
    st.lists(
        st.sampled_from(["$[", "]", "[", "env", "secret", ":", ";", "default=", "x", "\\", " "]),
        max_size=10,
    ),
)


@CI
@given(PLACEHOLDER_TEXT, st.booleans())
def test_find_placeholders_fast_path_is_the_general_one(text: str, secret: bool) -> None:
    assert plain(find_placeholders(text, secret)) == plain(_reference_placeholders(text, secret))


@pytest.mark.parametrize(
    "text",
    [
        "$[env:A]",
        "x$[env:A;default=b]y",
        "]$[env:A",
        "$[env:A",
        "$[envA]",
        "$[secret:P;default=s3cret]",
        "jdbc:mysql://$[env:AEM_PROXY_HOST;default=proxy.tunnel]:30901/db",
    ],
)
def test_find_placeholders_examples(text: str) -> None:
    for secret in (False, True):
        assert plain(find_placeholders(text, secret)) == plain(
            _reference_placeholders(text, secret)
        )


NEVER = re.compile(r"(?!)")


def _slow_parse(text: str, namer: SecretNamer) -> object:
    """The parser with its member and string-array fast paths off (token by token)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cfg_json, "_MEMBER", NEVER)
        patch.setattr(cfg_json, "_NEXT_MEMBER", NEVER)
        patch.setattr(cfg_json, "_STRING_ARRAY", NEVER)
        return plain(parse_cfg_json(text, namer))


JSON_PIECES = st.sampled_from(
    [
        "{", "}", "[", "]", ",", ":", " ", "\n", "\r\n", "// c\n", "/* , */", '"a"', '"a:Long"',
        '"api.password"', '"A"', '"x"', '"$[env:X;default=1]"', '"\\u0041"', '"\\n"', "1",
        "-0.5e3", "01", "true", "null", "NaN", "'q'",
    ]
)  # fmt: skip


WS = st.sampled_from(["", " ", "\n", "\r\n", "\t", "// c\n", "/* , */", "/* } */ "])
KEYS = st.sampled_from(['"a"', '"a:Long"', '"api.password"', '"A"', '"x:String[]"', '"\\u0041"'])
SCALARS = st.sampled_from(
    ["1", "-0.5e3", '"x"', '"$[env:X;default=1]"', "true", "false", "null", '"\\n"', "01", "NaN"]
)


def _object(members: list[tuple[str, str]]) -> str:
    return "{" + ",".join(f"{k}:{v}" for k, v in members) + "}"


VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3).map(lambda xs: "[" + " , ".join(xs) + "]")
        | st.lists(st.tuples(KEYS, inner), max_size=3).map(_object)
    ),
    max_leaves=6,
)
MEMBER = st.tuples(WS, KEYS, WS, WS, VALUES, WS).map(
    lambda t: f"{t[0]}{t[1]}{t[2]}:{t[3]}{t[4]}{t[5]}"
)
DOCUMENT = st.lists(MEMBER, max_size=6).map(lambda ms: "{" + ",".join(ms) + "}")


@CI
@given(DOCUMENT, st.integers(0, 200), JSON_PIECES, st.integers(0, 2))
def test_cfg_json_fast_paths_on_documents(document: str, at: int, piece: str, how: int) -> None:
    """Well-formed documents, and the same with one piece inserted or one character dropped."""
    at = min(at, len(document))
    text = [document, document[:at] + piece + document[at:], document[:at] + document[at + 1 :]]
    namer = SecretNamer()
    assert plain(parse_cfg_json(text[how], namer)) == _slow_parse(text[how], namer)


@CI
@given(st.lists(JSON_PIECES, max_size=30).map("".join))
def test_cfg_json_fast_paths_read_as_the_token_path(text: str) -> None:
    namer = SecretNamer()
    assert plain(parse_cfg_json(text, namer)) == _slow_parse(text, namer)


@pytest.mark.parametrize(
    "text",
    [
        '{"a": 1, "b": "x", "c": true}',
        '{"a": 1 /* , */ , "b": 2}',
        '{"a": 1,\n  // note\n  "b": [ "x" , "y" ], "c": null}',
        '{"a": 1, }',
        '{"a": 1 "b": 2}',
        '{"a": 1, "a": 2, "A:Long": 3}',
        '{"api.password": "s3cret", "x": 01}',
        '{"a": {"b": 1}, "c": 2}',
    ],
)
def test_cfg_json_fast_path_examples(text: str) -> None:
    namer = SecretNamer()
    assert plain(parse_cfg_json(text, namer)) == _slow_parse(text, namer)


@given(st.text(alphabet="ab\r\n", max_size=20), st.data())
def test_token_span_is_span_on_one_line(text: str, data: st.DataObject) -> None:
    index = LineIndex(text)
    start = data.draw(st.integers(0, len(text)))
    end = start
    while end < len(text) and text[end] not in "\r\n":
        end += 1
    end = data.draw(st.integers(start, end))
    assert index.token_span(start, end) == index.span(start, end)


def test_read_text_reads_whole_files(tmp_path: Path) -> None:
    for size in (0, 1, 4095, 4096, 4097, 100_000):
        path = tmp_path / f"f{size}"
        path.write_bytes(b"a" * size)
        assert read_text(path) == "a" * size


# ------------------------------------------------------------------------------------------------
# Memoized facts


def test_memo_computes_once_and_is_not_part_of_identity() -> None:
    a = config(f"{APPS}/config/com.example.A.cfg.json", '{"x": "1"}')
    b = config(f"{APPS}/config/com.example.A.cfg.json", '{"x": "1"}')
    calls: list[int] = []

    def make(cfg: OsgiConfig) -> tuple[str, ...]:
        calls.append(1)
        return tuple(p.name for p in cfg.properties)

    first = a.memo("names", make)
    assert a.memo("names", make) is first and calls == [1]
    assert a == b and hash(a) == hash(b) and repr(a) == repr(b)


URI_CFG = (
    '{"jdbc.connection.uri": "jdbc:mysql://$[env:AEM_PROXY_HOST;default=proxy]:30001/db",\n'
    ' "smtp.host": "$[env:AEM_PROXY_HOST]", "smtp.port": 30465, "db.host": "db.example.com",\n'
    ' "db.port": "3306", "api.password": "ldap://u:p@$[env:AEM_PROXY_HOST]:30636"}'
)


def test_host_port_pairs_and_proxied_subset() -> None:
    cfg = config(f"{APPS}/config/com.example.Db.cfg.json", URI_CFG)
    first = host_port_pairs(cfg, URI_CFG)
    second = host_port_pairs(cfg, URI_CFG)
    assert first == second and first is not second  # a new list of the same pairs
    # Another source is another entry: without the text, URI sub-spans fall back to the value.
    assert len(host_port_pairs(cfg, None)) == len(first)
    assert proxied_pairs(cfg, URI_CFG) == tuple(p for p in first if p.proxied)
    assert len(proxied_pairs(cfg, URI_CFG)) == 2  # (a secret value is never read for a URI)


def _reference_effective(project: Project, service: str, env_type: str) -> list[OsgiConfig]:
    found: list[OsgiConfig] = []
    for key in dict.fromkeys(c.key for c in project.configs):
        candidates = [c for c in project.configs_for(key) if c.parsed.readable]
        res = resolve(candidates, service, env_type)
        if res is not None:
            found.extend(res.winners)
    return found


FOLDERS = [
    "config",
    "config.author",
    "config.publish",
    "config.dev",
    "config.prod",
    "config.author.dev",
    "config.publish.prod",
    "config.dev.author",
    "config.preview",
    "install",
]


def _project(files: list[tuple[str, str, str]]) -> Project:
    configs = []
    for root, folder, name in files:
        text = "{" if name.endswith("Broken") else '{"smtp.host": "$[env:AEM_PROXY_HOST]"}'
        path = f"{root}/{folder}/{name}.cfg.json"
        if folder == "config" and name.endswith("Port"):
            text = '{"smtp.host": "$[env:AEM_PROXY_HOST]", "smtp.port": 30025}'
        configs.append(config(path, text))
    texts = {c.path: "" for c in configs}
    return Project(root=Path("."), configs=tuple(configs), texts=texts)


PROJECTS = st.lists(
    st.tuples(
        st.sampled_from([APPS, LIBS]),
        st.sampled_from(FOLDERS),
        st.sampled_from(
            [
                "com.day.cq.mailer.DefaultMailService",
                "com.example.A",
                "com.example.APort",
                "com.example.Broken",
                "com.example.F~one",
                "com.example.F~two",
            ]
        ),
    ),
    max_size=12,
    unique=True,
)


@CI
@given(PROJECTS)
def test_effective_configs_as_resolve_per_key(files: list[tuple[str, str, str]]) -> None:
    project = _project(files)
    for service in SERVICES:
        for env_type in ENV_TYPES:
            expected = _reference_effective(project, service, env_type)
            assert project.effective_configs(service, env_type) == expected
            for pid in ("com.day.cq.mailer.DefaultMailService", "com.example.F"):
                assert project.effective_singletons(pid, service, env_type) == [
                    c for c in expected if c.place.factory_pid is None and c.place.pid == pid
                ]
            assert effective_proxied(project, service, env_type) == [
                (c, proxied_pairs(c, project.texts.get(c.path)))
                for c in expected
                if proxied_pairs(c, project.texts.get(c.path))
            ]


def test_effective_configs_rejects_unknown_names() -> None:
    project = _project([(APPS, "config", "com.example.A")])
    with pytest.raises(ValueError):
        project.effective_configs("dispatcher", "dev")
    assert Project(root=Path("."), configs=()).effective_configs("dispatcher", "dev") == []


@given(st.sampled_from(FOLDERS), st.sampled_from(SERVICES), st.sampled_from(ENV_TYPES))
def test_applies_on_is_applies(folder: str, service: str, env_type: str) -> None:
    from aemlint.model.runmodes import applies_on

    place = place_of(PurePosixPath(f"{APPS}/{folder}/com.example.A.cfg.json"))
    assert place is not None
    assert applies_on(service, env_type)(place) == applies(place, service, env_type)


def test_string_values_and_placeholders_as_walked_directly() -> None:
    text = (
        '{"a": "x", "n": 1, "p": ["$[env:A]", "b"], "api.password": "$[secret:S;default=d]",'
        ' "c:Collection<String>": ["$[env:C]"]}'
    )
    cfg = config(f"{APPS}/config/com.example.V.cfg.json", text)
    file = FileLocator(text)
    expected = [
        (prop.name, scalar.span, reveal_text(scalar.value), isinstance(scalar.value, Secret))
        for prop in cfg.properties
        for scalar in prop.values
        if isinstance(scalar.value, str | Secret)
    ]
    for _ in range(2):  # computed, then memoized
        got = [(v.prop.name, v.scalar.span, v.text, v.is_secret) for v in string_values(cfg, file)]
        assert got == expected
        pairs = [(v.prop.name, p) for v in string_values(cfg, file) for p in v.scalar.placeholders]
        assert [(v.prop.name, p) for v, p in placeholders(cfg, file)] == pairs
    value = next(v for v in string_values(cfg, file) if v.text == "$[env:A]")
    assert value.where.at(2, 5) == file.value(value.scalar.span, value.text).at(2, 5)


def reveal_text(value: object) -> str:
    return value.reveal() if isinstance(value, Secret) else str(value)


NAMES = st.text(alphabet="aAzZ._-:0pPsSwWoOrRdDkKeEyYtT", max_size=20)


@CI
@given(st.lists(NAMES, max_size=20))
def test_secret_namer_verdicts_cached_as_decided(names: list[str]) -> None:
    namer = SecretNamer.from_options(["pin"], ["keypath"])
    for name in names + names:
        assert namer(name) == namer._decide(name)
    assert namer == SecretNamer.from_options(["pin"], ["keypath"])
    assert hash(namer) == hash(SecretNamer.from_options(["pin"], ["keypath"]))


@given(st.text(alphabet="{}0123456789abcdefABCDEF *x<>_ ", max_size=40))
def test_is_crypto(text: str) -> None:
    assert is_crypto(text) == (classify_value(text) == "crypto")


def test_gc_paused_restores_the_collector() -> None:
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
    with pytest.raises(RuntimeError), gc_paused():
        raise RuntimeError
    assert gc.isenabled()


def test_one_shot_read_as_cached_read(tmp_path: Path) -> None:
    from aemlint.model.project import OneShotCache, ParseCache

    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.json").write_text("{}\n")
    rel = PurePosixPath("a/x.json")
    assert OneShotCache().read(tmp_path, rel) == ParseCache().read(tmp_path, rel) == "{}\n"
    missing = PurePosixPath("a/none.json")
    assert plain(OneShotCache().read(tmp_path, missing)) == plain(
        ParseCache().read(tmp_path, missing)
    )


def test_read_and_stat_gives_the_stat_of_the_file_it_read(tmp_path: Path) -> None:
    """The result cache's recorder takes the stat from the open file, before reading: the
    same file as the path names; None only when there is no file."""
    import os

    from aemlint.result_cache import Recorder
    from aemlint.session import RecordingParseCache
    from aemlint.sources import Unreadable, read_text_and_stat

    file = tmp_path / "x.cfg.json"
    file.write_bytes(b'{"a": "\xc3\xa9"}\n')
    st, text = read_text_and_stat(file)
    assert text == '{"a": "\u00e9"}\n'
    on_disk = os.stat(file)
    assert st is not None
    assert (st.st_ino, st.st_size, st.st_mtime_ns) == (
        on_disk.st_ino,
        on_disk.st_size,
        on_disk.st_mtime_ns,
    )
    st, text = read_text_and_stat(tmp_path / "none.json")
    assert st is None and isinstance(text, Unreadable)
    st, text = read_text_and_stat(tmp_path)  # exists, opens, cannot be read as a file
    assert st is not None and isinstance(text, Unreadable)
    assert "cannot be read" in text.problem.message

    recorder = Recorder(tmp_path)
    cache = RecordingParseCache(recorder)
    assert cache.read(tmp_path, PurePosixPath("x.cfg.json")) == '{"a": "\u00e9"}\n'
    assert isinstance(cache.read(tmp_path, PurePosixPath("none.json")), Unreadable)
    size, mtime, ctime, inode = recorder.files["x.cfg.json"][:4]
    assert (size, mtime, ctime, inode) == (
        12,
        on_disk.st_mtime_ns,
        on_disk.st_ctime_ns,
        on_disk.st_ino,
    )
    assert recorder.missing == {"none.json"}


EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "email-demo"


def test_a_lint_leaves_no_model_in_reference_cycles() -> None:
    """What rules memoize never points back at what holds it: once a lint is over and its
    results dropped, reference counting frees the model (a cycle through a configuration would
    keep all of it for the collector, or until the interpreter's final collection)."""
    from aemlint.session import Session

    session = Session.open(EXAMPLE, EXAMPLE / "aemlint.toml", no_cache=True)
    files = list(session.discover().files)
    session.check(session.build(files))  # imports and lazy tables first
    gc.collect()
    gc.disable()
    try:
        project = session.build(files)
        result = session.check(project)
        assert result.findings  # the rules ran, memoizing what they use
        del project, result
        gc.set_debug(gc.DEBUG_SAVEALL)
        gc.collect()
        kept = [o for o in gc.garbage if isinstance(o, OsgiConfig | Project)]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert kept == []
