from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePosixPath

from aemlint.model.credentials import find_credentials
from aemlint.model.osgi import INTERPOLATED_TYPES, OsgiConfig
from aemlint.model.places import place_of
from aemlint.model.secret_names import unique_secret_name
from aemlint.model.secrets import classify_value, set_secret_command
from aemlint.parsing.cfg_json_writer import cfg_json_text
from aemlint.parsing.values import Property, Scalar
from aemlint.registry import RuleContext, rule
from aemlint.types import Edit, Fix, Secret, Span, Violation

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
    fix="unsafe",
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

    ## Fix safety
    Unsafe. The fix writes `<pid>.cfg.json` in the same configuration folder (beside the node's
    folder for `<pid>/.content.xml`; a factory configuration keeps its identity, written with
    `~`) with every property in file order and the same typed values as the platform reads them
    (a `:Type` hint where plain JSON would give another type: `"retries:Integer": 3`), and
    deletes the legacy file. It is unsafe because the comments of the legacy file (`#` lines,
    XML comments) are not carried over, and because a value SEC001 or SEC004 reports is written
    as `$[secret:NAME]` (NAME as SEC001 derives it): that secret must be set in Cloud Manager
    (`aio cloudmanager:environment:set-variables <ENVIRONMENT_ID> --secret NAME "<value>"`)
    before the next deployment. No fix is offered when the file is not read cleanly (CFG001,
    CFG002, CFG003, CFG008), when another file of the same PID sits in the same folder (it is
    never overwritten), or when a value has no `.cfg.json` spelling that reads back identically
    (NaN, infinities, a property name containing `:`, names equal ignoring case). When the
    result would still hold a secret value (a CryptoSupport value, a `default=` of a secret
    placeholder, a secret in a type the platform does not interpolate), the fix is a hint
    without content: those values must be moved by hand.
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
    fix = None if twin is not None else _conversion(cfg, ctx, target)
    yield Violation(
        message=(f"{what}: superseded by .cfg.json on AEM as a Cloud Service; {advice}"),
        path=cfg.path,
        span=None,
        fix=fix,
    )


def _folder_of(cfg: OsgiConfig) -> PurePosixPath:
    # A `<node>/.content.xml` node lives in its grandparent folder.
    parent = cfg.path.parent
    return parent.parent if cfg.path.name == ".content.xml" else parent


_START = Span(1, 1, 1, 1, 0, 0)
_WITHHELD = "?"  # written for a value that must not be: the content is then dropped


class _Values:
    """What the conversion writes for each string or character value (``text_of``).

    A value SEC001 or SEC004 reports becomes ``$[secret:NAME]`` (NAME as SEC001 derives it)
    where the platform interpolates it; any other value that holds a secret (SPEC §5) is
    *withheld*: a stand-in keeps the text well-formed, and the fix then carries no content.
    Secret values are revealed here only to classify them, as SEC001 and SEC004 do; what is
    written for one is either a placeholder naming a variable or text rebuilt from its parsed
    placeholder and checked equal to it.
    """

    __slots__ = ("cfg", "ctx", "names", "withheld")

    def __init__(self, cfg: OsgiConfig, ctx: RuleContext) -> None:
        self.cfg = cfg
        self.ctx = ctx
        self.names: dict[str, Secret] = {}  # NAME -> the value it stands for
        self.withheld = False

    def __call__(self, prop: Property, scalar: Scalar) -> str:
        value = scalar.value
        is_secret = isinstance(value, Secret)
        text = value.reveal() if isinstance(value, Secret) else value
        assert isinstance(text, str)
        hardcoded = (
            is_secret
            and self.ctx.secrets(prop.name)
            and classify_value(text, scalar.is_placeholder_only) == "literal"
        )
        if hardcoded or find_credentials(text):
            return self.secret_placeholder(prop, text)
        if isinstance(value, Secret):
            public = _public_text(value, scalar)
            if public is None:
                return self.withhold()
            return public
        if classify_value(text) == "crypto" or any(
            isinstance(v, Secret) and len(v) for p in scalar.placeholders for _, v in p.directives
        ):
            return self.withhold()  # a CryptoSupport value, a secret default
        return text

    def secret_placeholder(self, prop: Property, text: str) -> str:
        if prop.type_name not in INTERPOLATED_TYPES:
            return self.withhold()  # the platform would not resolve a placeholder there
        name = unique_secret_name(self.ctx.project, self.cfg, prop.name, self.ctx.secrets)
        earlier = self.names.setdefault(name, Secret(text))
        if earlier != Secret(text):
            return self.withhold()  # two different secrets would need the same variable
        return f"$[secret:{name}]"

    def withhold(self) -> str:
        self.withheld = True
        return _WITHHELD


def _public_text(value: Secret, scalar: Scalar) -> str | None:
    """The text of a secret-named property's value that holds no secret (empty, or exactly one
    placeholder without a default), rebuilt from its parts; None for anything else."""
    if not len(value):
        return ""
    if not scalar.is_placeholder_only or len(scalar.placeholders) != 1:
        return None
    placeholder = scalar.placeholders[0]
    if placeholder.directives:
        return None
    rebuilt = f"$[{placeholder.kind}:{placeholder.name}]"
    return rebuilt if Secret(rebuilt) == value else None


def _newline(text: str | None) -> str:
    if text is None:
        return "\n"
    first = text.find("\n")
    return "\r\n" if first > 0 and text[first - 1] == "\r" else "\n"


def _conversion(cfg: OsgiConfig, ctx: RuleContext, target: str) -> Fix | None:
    """The unsafe fix: ``target`` written with the same typed values, the legacy file deleted."""
    place = cfg.place
    parsed = cfg.parsed
    if not parsed.readable or parsed.problems:
        return None  # CFG001/CFG002/CFG003/CFG008: what it holds is not what it says
    for other in ctx.project.configs_for(place.key):
        if other.path != cfg.path and (other.place.app_root, other.place.folder) == (
            place.app_root,
            place.folder,
        ):
            return None  # never overwrite, nor race another file of this PID to the target
    new_path = _folder_of(cfg) / target
    if new_path in ctx.project.texts or ctx.project.config_at(new_path) is not None:
        return None  # the target exists (read as some other input): never overwritten
    back = place_of(new_path)
    if back is None or (back.app_root, back.folder, back.key) != (
        place.app_root,
        place.folder,
        place.key,
    ):
        return None
    values = _Values(cfg, ctx)
    text = cfg_json_text(parsed.properties, _newline(ctx.project.texts.get(cfg.path)), values)
    if text is None:
        return None  # NaN, infinity, a name with ':' or names equal ignoring case
    old = ".content.xml of the node folder" if cfg.path.name == ".content.xml" else "this file"
    commands = [set_secret_command(name, place.run_modes) for name in values.names]
    if values.withheld:
        message = (
            f"convert to {target} by hand and delete {old}: it holds secret values that must "
            "not be written into a file; move them to Cloud Manager secrets ($[secret:NAME]) by "
            "hand"
        )
    else:
        message = f"write {target} with the same typed values and delete {old} (comments are lost)"
    if commands:
        message += "; set the secrets before deploying: " + "; ".join(commands)
    content = None if values.withheld else text
    return Fix(
        message=message,
        applicability="unsafe",
        edits=(Edit(new_path, _START, content),),
        deletes=(cfg.path,),
    )


RULE = legacy_config_format
