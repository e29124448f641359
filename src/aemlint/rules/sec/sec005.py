from __future__ import annotations

from collections.abc import Iterator

from aemlint.model.osgi import OsgiConfig
from aemlint.model.placeholder_checks import FileLocator, string_values
from aemlint.model.secrets import CRYPTO_VALUE, is_crypto
from aemlint.model.verbatim import may_match
from aemlint.registry import RuleContext, rule
from aemlint.types import Span, Violation, reveal


@rule(
    code="SEC005", name="encrypted-value", severity="warning", scope="config", readable_only=False
)
def encrypted_value(cfg: OsgiConfig, ctx: RuleContext) -> Iterator[Violation]:
    """An AEM CryptoSupport-encrypted value (`{` + hex + `}`): it only decrypts where it was made.

    ## What it does
    Reports a string value (each array element too), or a placeholder's `default=`, that is an
    AEM CryptoSupport-protected value: `{`, at least 32 hexadecimal digits, `}`, in any
    property. SEC001 never reports such a value. The value is never printed, only its length.

    ## Why is this bad?
    CryptoSupport encrypts with the key of the instance that encrypted the value; an instance
    with another key (another environment, the local SDK) cannot decrypt it, so the
    configuration silently gets ciphertext. It is also a secret in Git, protected only by a key
    outside your control.

    ## Example
    ```json
    {"bind.password": "{3f0c6e8a9b2d4c1e7f5a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7}"}
    ```

    ## Use instead
    ```json
    {"bind.password": "$[secret:LDAP_BIND_PASSWORD]"}
    ```
    with the clear value set as a Cloud Manager secret.

    ## Source
    SPEC §4 (SEC005): "encrypted with one instance's key, so it does not decrypt elsewhere; use
    `$[secret:]`". Adobe, "Configuring OSGi for AEM as a Cloud Service" [S1]: secret OSGi values
    use `$[secret:SECRET_VAR_NAME]` "on all Adobe Experience Manager as a Cloud Service
    environments" (AEM-FACTS §1.6). The `{hex}` form is what the corpus project
    arunpatidar02/aemaacs-aemlab commits; Adobe's documentation of CryptoSupport keys on
    AEMaaCS is NOT FOUND in AEM-FACTS.
    """
    file = FileLocator(ctx.project.texts.get(cfg.path))
    if not may_match(file.text, CRYPTO_VALUE):
        return  # no "{hex…}" anywhere in the file
    for value in string_values(cfg, file):
        found: list[tuple[int, Span]] = []
        if is_crypto(value.text):
            found.append((len(value.text.strip()), value.scalar.span))
        for p in value.scalar.placeholders:
            default = p.default
            if default is not None and is_crypto(reveal(default)):
                found.append((len(reveal(default).strip()), value.where.at(p.start, p.end)))
        for length, span in found:
            yield Violation(
                message=(
                    f"{value.prop.name} holds an AEM CryptoSupport-encrypted value "
                    f"(<redacted {length} chars>): it only decrypts on the instance whose key "
                    "encrypted it; store the clear value as a Cloud Manager secret and read it "
                    "with $[secret:NAME]"
                ),
                path=cfg.path,
                span=span,
                property=value.prop.name,
            )


RULE = encrypted_value
