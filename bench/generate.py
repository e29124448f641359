"""Generate a realistic AEM project of N OSGi configurations for benchmarks.

    python bench/generate.py OUT --configs 500 [--seed 1]

The mix follows the public projects in ../shared/corpus: mostly `.cfg.json` (some with `//`
comments and `:Type` hints), a share of Felix `.config` and `sling:OsgiConfig` XML, run-mode
folders (`config`, `config.author`, `config.publish.prod`…), several app roots, placeholders
(`$[env:…]`, `$[secret:…]`, embedded in JDBC URIs), and planted findings whose count is printed
(so a benchmark can check they were found: speed is never bought by skipping work). Also writes
advanced-networking documents, variables files and a script with an `aio` command.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

FOLDERS = [
    "config",
    "config",
    "config",
    "config.author",
    "config.publish",
    "config.prod",
    "config.stage",
    "config.dev",
    "config.author.prod",
    "config.publish.prod",
]
SECRET_SENTINEL = "Plant3dSecret"


def _cfg_json(rng: random.Random, i: int, planted: dict[str, int]) -> str:
    props: dict[str, object] = {
        "enabled": rng.random() < 0.8,
        "service.ranking:Integer": rng.randint(0, 1000),
        "paths": [f"/content/site{i}/{k}" for k in range(rng.randint(1, 4))],
        "endpoint": f"https://api{i}.example.com/v{rng.randint(1, 3)}",
        "timeout": str(rng.randint(1, 60)),
        "api.user": f"$[env:API_USER_{i % 40};default=svc-user]",
        "api.password": f"$[secret:API_PASSWORD_{i % 40}]",
        "label": f"Component {i}",
    }
    roll = rng.random()
    if roll < 0.03:
        props["api.password"] = f"{SECRET_SENTINEL}-{i}"
        planted["SEC001"] += 1
    elif roll < 0.05:
        props["jdbc.connection.uri"] = (
            f"jdbc:mysql://$[env:AEM_PROXY_HOST;default=proxy.tunnel]:{30900 + i % 50}/db{i}"
        )
        planted["NET001"] += 1
    body = json.dumps(props, indent=4)
    if rng.random() < 0.2:
        body = f"// generated configuration {i}\n{body}"
    return body + "\n"


def _felix(i: int) -> str:
    return (
        f'# generated\nenabled=B"true"\nservice.ranking=I"{i % 100}"\n'
        f'paths=["/content/a{i}","/content/b{i}"]\nlabel="Legacy {i}"\n'
    )


def _xml(i: int) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<jcr:root xmlns:sling="http://sling.apache.org/jcr/sling/1.0" '
        'xmlns:jcr="http://www.jcp.org/jcr/1.0"\n'
        '    jcr:primaryType="sling:OsgiConfig"\n'
        f'    enabled="{{Boolean}}true"\n    label="Xml {i}"\n    paths="[/content/x{i},/content/y{i}]"/>\n'
    )


def generate(out: Path, configs: int, seed: int = 1) -> dict[str, int]:
    rng = random.Random(seed)
    planted = {"SEC001": 0, "NET001": 0, "MAIL001": 0, "VAR001": 0}
    apps = [f"app{k}" for k in range(max(1, configs // 250))]
    for i in range(configs):
        app = apps[i % len(apps)]
        folder = FOLDERS[i % len(FOLDERS)]
        base = out / f"{app}.ui.config/src/main/content/jcr_root/apps/{app}/osgiconfig/{folder}"
        base.mkdir(parents=True, exist_ok=True)
        pid = f"com.example.{app}.core.impl.Service{i}Impl"
        kind = rng.random()
        if kind < 0.8:
            (base / f"{pid}.cfg.json").write_text(_cfg_json(rng, i, planted))
        elif kind < 0.9:
            (base / f"{pid}.config").write_text(_felix(i))
        else:
            (base / f"{pid}.xml").write_text(_xml(i))
    mail = out / f"{apps[0]}.ui.config/src/main/content/jcr_root/apps/{apps[0]}/osgiconfig/config"
    (mail / "com.day.cq.mailer.DefaultMailService.cfg.json").write_text(
        json.dumps({"smtp.host": "smtp.example.com", "smtp.port": 465}, indent=4) + "\n"
    )
    planted["MAIL001"] += 1
    cm = out / "cloudmanager"
    cm.mkdir(parents=True, exist_ok=True)
    (cm / "advanced-networking.json").write_text(
        json.dumps(
            {"portForwards": [{"name": "mysql.example.com", "portDest": 3306, "portOrig": 30001}]},
            indent=2,
        )
        + "\n"
    )
    (cm / "variables.yaml").write_text(
        "".join(f"- name: API_USER_{k}\n  value: svc{k}\n  type: string\n" for k in range(40))
    )
    scripts = out / "scripts"
    scripts.mkdir(exist_ok=True)
    (scripts / "set-env.sh").write_text(
        '#!/bin/sh\naio cloudmanager:environment:set-variables "$ENV_ID" '
        "--variable AEM_PROXY_HOST proxy.example.com\n"
    )
    planted["VAR001"] += 1
    (out / "aemlint.toml").write_text("")
    return planted


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--configs", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(json.dumps(generate(args.out, args.configs, args.seed)))


if __name__ == "__main__":
    main()
