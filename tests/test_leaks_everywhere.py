"""Distinct secrets planted everywhere a value can live; none appears anywhere aemlint writes.

Places: a secret-named `.cfg.json` literal, an array element, a `$[secret:…;default=…]`, a JDBC URL
with `user:password@`, a private-key block, a Felix `.config` literal, a `.cfg` property, a
`sling:OsgiConfig` XML attribute, a CryptoSupport value, a YAML and a JSON variables file
(`secretString`), an `aio … --secret` command, a broken file around a secret.
Outputs: every report format (with `-v`), `-o` files, `--statistics`, the baseline file,
`aemlint effective` (text and JSON) for every planted PID, a rule that raises on a value
(AEM000), and every file in the cache folder after the runs.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from aemlint.cli import OUTPUT_FORMATS

from helpers import Result, run_cli, write

APPS = "ui.config/src/main/content/jcr_root/apps/demo/osgiconfig/config/"
CRYPTO_HEX = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c"
PLANTED = {
    "cfg-json": "Leak-cfgjson-9f3a",
    "array": "Leak-array-51bd",
    "default": "Leak-default-7c2e",
    "url": "Leak-url-0d4f",
    "key": "MIIBOgIBAAJBALeakPrivKey9fQz7Tk2Lm5Np8Xw3Vb6Cd1Ef4Gh",
    "felix": "Leak-felix-a81c",
    "properties": "Leak-props-33e0",
    "xml": "Leak-xml-6b9d",
    "crypto": CRYPTO_HEX,
    "yaml-var": "Leak-yamlvar-2f71",
    "json-var": "Leak-jsonvar-c0de",
    "script": "Leak-script-e5a3",
    "broken": "Leak-broken-94b2",
}
PIDS = [
    "com.acme.Api",
    "com.acme.Jdbc",
    "com.acme.Felix",
    "com.acme.Props",
    "com.acme.Xml",
    "com.acme.Crypto",
]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("leaks")
    write(root, "aemlint.toml", "")
    s = PLANTED
    write(
        root,
        APPS + "com.acme.Api.cfg.json",
        "{\n"
        f'  "api.password": "{s["cfg-json"]}",\n'
        f'  "tokens": ["$[secret:T]", "{s["array"]}"],\n'
        f'  "client.secret": "$[secret:CLIENT_SECRET;default={s["default"]}]",\n'
        f'  "signing.pem": "-----BEGIN RSA PRIVATE KEY-----\\n{s["key"]}\\n-----END RSA PRIVATE KEY-----"\n'
        "}\n",
    )
    write(
        root,
        APPS + "com.acme.Jdbc.cfg.json",
        f'{{"jdbc.connection.uri": "jdbc:mysql://admin:{s["url"]}@db.example.com:3306/x"}}\n',
    )
    write(root, APPS + "com.acme.Felix.config", f'bind.password="{s["felix"]}"\nhost.port=I"389"\n')
    write(root, APPS + "com.acme.Props.cfg", f"smtp.password = {s['properties']}\n")
    write(
        root,
        APPS + "com.acme.Xml.xml",
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<jcr:root xmlns:sling="http://sling.apache.org/jcr/sling/1.0" '
        'xmlns:jcr="http://www.jcp.org/jcr/1.0"\n'
        '    jcr:primaryType="sling:OsgiConfig"\n'
        f'    keyStorePassword="{s["xml"]}"/>\n',
    )
    write(root, APPS + "com.acme.Crypto.cfg.json", f'{{"apiKey": "{{{CRYPTO_HEX}}}"}}\n')
    write(
        root,
        APPS + "com.acme.Broken.cfg.json",
        f'{{\n  "bind.password": "{s["broken"]}",,\n  "x": 1\n}}\n',
    )
    write(
        root,
        "cloudmanager/variables.yaml",
        f"- name: SMTP_PASSWORD\n  value: {s['yaml-var']}\n  type: secretString\n"
        "- name: AEM_PROXY_HOST\n  value: x\n  type: string\n",
    )
    write(
        root,
        "cloudmanager/variables.json",
        f'[{{"name": "API_TOKEN", "value": "{s["json-var"]}", "type": "secretString"}}]\n',
    )
    write(
        root,
        "scripts/set-env.sh",
        "aio cloudmanager:environment:set-variables 123 \\\n"
        f'  --secret EMAIL_PASSWORD "{s["script"]}" --variable API_PASSWORD "{s["script"]}"\n',
    )
    return root


def _leaks(text: str) -> list[str]:
    return [place for place, secret in PLANTED.items() if secret in text]


def _cache_text(cache: Path) -> str:
    return "".join(p.read_text(errors="replace") for p in cache.rglob("*") if p.is_file())


def test_the_planted_secrets_are_found(project: Path) -> None:
    r = run_cli(["check", "--output-format", "concise"], project)
    assert r.code == 1
    for code in ("SEC001", "SEC003", "SEC004", "SEC005", "SEC006", "CFG001", "VAR009"):
        assert f" {code} [" in r.out, code


@pytest.mark.parametrize("fmt", OUTPUT_FORMATS)
def test_every_format_verbose_and_to_a_file(project: Path, fmt: str, tmp_path: Path) -> None:
    out = tmp_path / "report"
    r = run_cli(["check", "--output-format", fmt, "-v", "-o", str(out)], project)
    assert r.code == 1, r.err
    assert _leaks(r.out + r.err + out.read_text()) == []
    r = run_cli(["check", "--output-format", fmt, "--statistics"], project)
    assert _leaks(r.out + r.err) == []


def test_baseline_and_cache_hold_no_secret(project: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    baseline = tmp_path / "baseline.json"
    env_args = ["--cache-dir", str(cache)]
    r = run_cli(["check", *env_args, "--write-baseline", str(baseline)], project)
    assert r.code == 0, r.err
    r2 = run_cli(["check", *env_args, "--baseline", str(baseline)], project)
    assert r2.code == 0, r2.err
    assert _leaks(baseline.read_text() + r.out + r.err + r2.out + r2.err) == []
    assert cache.exists()
    assert _leaks(_cache_text(cache)) == []
    user_cache = Path(os.environ["AEMLINT_CACHE_DIR"])
    assert _leaks(_cache_text(user_cache)) == []


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_effective_redacts(project: Path, fmt: str) -> None:
    for pid in PIDS:
        r = run_cli(["effective", pid, "--format", fmt], project)
        assert r.code == 0, (pid, r.err)
        assert _leaks(r.out + r.err) == [], pid


def test_a_rule_raising_on_a_value_does_not_print_it(project: Path, tmp_path: Path) -> None:
    """AEM000 names the exception type and place, never its message (which may quote a value)."""
    plugin = tmp_path / "plugin"
    write(
        plugin,
        "leaky_rule.py",
        "from aemlint.registry import rule\n"
        "from aemlint.types import reveal\n"
        "@rule(code='LEAK001', name='leaky', severity='error', scope='config')\n"
        "def leaky(cfg, ctx):\n"
        '    """Raises with every value in its message.\n\n'
        "    ## What it does\nx\n## Why is this bad?\nx\n## Example\nx\n## Use instead\nx\n"
        '    ## Source\nx\n    """\n'
        "    raise ValueError(' '.join(str(reveal(s.value)) for p in cfg.properties for s in p.values))\n"
        "    yield\n",
    )
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import leaky_rule, aemlint.plugins as p;"
        "from aemlint.cli import main;"
        "orig = p.load_rules;"
        "p.load_rules = lambda *a, **k: (lambda r: (r.rules.append(leaky_rule.leaky), r)[1])(orig(*a, **k));"
        "sys.exit(main(['check', '--output-format', 'concise', '--no-cache']))"
    )
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-c", code, str(plugin)],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    out = proc.stdout + proc.stderr
    assert "AEM000" in out, out
    assert _leaks(out) == []


@pytest.mark.parametrize("unsafe", [False, True])
def test_diff_and_fix_outputs_hold_no_secret(project: Path, tmp_path: Path, unsafe: bool) -> None:
    """`--diff` shows removed and added lines of every fixed file (CFG004 deletes whole legacy
    files holding secrets); `--fix` lists what it fixed. Neither shows a secret value."""
    from helpers import copy_tree

    flags = ["--unsafe-fixes"] if unsafe else []
    r = run_cli(["check", "--diff", *flags, "-v"], project)
    assert r.code == 1, r.err
    if unsafe:
        assert "deleted file mode" in r.out and "new file mode" in r.out
    assert _leaks(r.out + r.err) == []
    copy = copy_tree(project, tmp_path / "copy")
    r = run_cli(["check", "--fix", *flags, "-v", "--output-format", "full"], copy)
    assert _leaks(r.out + r.err) == []


def test_the_result_cache_holds_no_secret_and_replays_every_format(
    project: Path, tmp_path: Path
) -> None:
    """Every format (with ``-v``) and an on-save run, each twice: the second run replays the
    result cache's entry, which holds what was printed and never a planted secret."""
    cache = tmp_path / "cache"

    def shown(r: Result) -> tuple[int, str, str]:
        err = "".join(line for line in r.err.splitlines(True) if "timings:" not in line)
        return r.code, r.out, err

    for fmt in OUTPUT_FORMATS:
        args = ["check", "--output-format", fmt, "-v", "--cache-dir", str(cache)]
        miss, warm = run_cli(args, project), run_cli(args, project)
        assert "result cache hit" in warm.err, (fmt, warm.err)
        assert shown(miss) == shown(warm), fmt
    rel = APPS + "com.acme.Api.cfg.json"
    stdin = (project / rel).read_bytes()
    args = ["check", "--output-format", "json", "--cache-dir", str(cache), "--stdin-filename", rel]
    miss, warm = run_cli(args, project, stdin=stdin), run_cli(args, project, stdin=stdin)
    assert miss.code == warm.code == 1 and miss.out == warm.out
    assert list((cache / "results").glob("*/*.json"))
    assert _leaks(_cache_text(cache)) == []
