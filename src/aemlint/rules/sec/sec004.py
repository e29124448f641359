from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from pathlib import PurePosixPath

from aemlint.model.credentials import CredentialMatch, find_credentials, may_hold_credential
from aemlint.model.osgi import OsgiConfig
from aemlint.model.placeholder_checks import FileLocator, ValueLocator, string_values
from aemlint.model.project import Project
from aemlint.registry import RuleContext, rule
from aemlint.types import Violation, reveal


def _violations(
    matches: list[CredentialMatch], where: ValueLocator, path: PurePosixPath, label: str
) -> Iterator[Violation]:
    for match in matches:
        yield Violation(
            message=(
                f"{label} holds {match.kind} (<redacted {match.end - match.start} chars>): a "
                "credential committed to Git; store it as a Cloud Manager secret and read it "
                "with $[secret:NAME]"
            ),
            path=path,
            span=where.at(match.start, match.end),
            property=label,
        )


_KEY = "SEC004.violations"


def _in_config(cfg: OsgiConfig, text: str | None) -> tuple[Violation, ...]:
    """The violations in one configuration's string values (``text`` is its file's)."""
    if not may_hold_credential(text):  # (most files: one scan of the text in C)
        return ()
    found: list[Violation] = []
    file = FileLocator(text)
    for value in string_values(cfg, file):
        matches = find_credentials(value.text)
        if matches:  # (the value's locator is made only then)
            found.extend(_violations(matches, value.where, cfg.path, value.prop.name))
    return tuple(found)


@rule(code="SEC004", name="credential-pattern", severity="error", scope="project")
def credential_pattern(project: Project, ctx: RuleContext) -> Iterator[Violation]:
    """A value contains a credential in a well-known format (a key, a token, a URL password).

    ## What it does
    Reports, at the credential inside the value, any string value — each array element, text
    around and inside placeholders (so a `default=` too), in every OSGi configuration (also one
    the platform cannot read) and every literal `string` variable value of a Cloud Manager source
    (variables files, `aio … set-variables` commands) — that contains one of these formats:
    a private-key block (`-----BEGIN … PRIVATE KEY-----` with a key body), an AWS access key id
    (`AKIA…`, `ASIA…`), a Google API key (`AIza…`), a SendGrid API key (`SG.….…`), a Slack
    token (`xoxb-…`, `xoxp-`…) or webhook URL, a GitHub token (`ghp_…`, `github_pat_…`), a JSON
    Web Token, a user name and password in a URL (`scheme://user:password@host`, Oracle's
    `user/password@`), and `password=`/`pwd=` in a connection string. Values set as
    `secretString` are SEC006's. A secret-named property is also SEC001's.
    Not reported (the guards of `aemlint.model.credentials`): look-alikes without randomness
    (`AKIAXXXXXXXXXXXXXXXX`), AWS's documented example key `AKIAIOSFODNN7EXAMPLE` (any key id
    ending in `EXAMPLE`), tokens glued to other letters or inside a `data:…;base64,` image,
    template key blocks, certificates and public keys, passwords that are placeholders,
    expansions, templates or masks (`$[secret:X]`, `${PW}`, `<password>`, `****`), hashes,
    UUIDs, and comments (they are not values). The match is never printed, only its length (for
    a URL, the length of its userinfo).

    ## Why is this bad?
    Everyone with read access to the repository, its forks and CI logs can use the credential,
    and these formats are exactly what automated scanners look for in public repositories.
    Rotating it means a code change and a deployment.

    ## Example
    ```json
    {"jdbc.connection.uri": "jdbc:mysql://app:S3cr3t-pw@$[env:AEM_PROXY_HOST]:30001/shop"}
    ```

    ## Use instead
    ```json
    {"jdbc.connection.uri": "jdbc:mysql://$[env:AEM_PROXY_HOST]:30001/shop",
     "jdbc.username": "app", "jdbc.password": "$[secret:SHOP_DB_PASSWORD]"}
    ```

    ## Source
    Adobe, "Configuring OSGi for AEM as a Cloud Service" [S1]: AEMaaCS "requires the use of
    environment-specific configurations (`$[secret:SECRET_VAR_NAME]`) for any secret OSGi
    configuration values, such as passwords, private API keys, or any other values that cannot
    be stored in Git for security reasons" (AEM-FACTS §1.6). The formats are the vendors'
    published token formats; the list and its guards are aemlint's (SPEC §4), not Adobe's.
    """
    texts = project.texts
    for cfg in project.configs:
        # A function of the configuration and its text (which its parse implies): kept with
        # the configuration, so the language server re-scans only what changed.
        yield from cfg.memo(_KEY, partial(_in_config, text=texts.get(cfg.path)))
    files: dict[PurePosixPath, FileLocator] = {}
    for setting in project.variable_settings:
        if (
            setting.value is None
            or setting.runtime
            or setting.deleted
            or setting.type == "secretString"
            or setting.value_span is None
        ):
            continue
        text = reveal(setting.value)
        if setting.path not in files:
            files[setting.path] = FileLocator(project.texts.get(setting.path))
        where = files[setting.path].value(setting.value_span, text)
        yield from _violations(find_credentials(text), where, setting.path, setting.name)


RULE = credential_pattern
