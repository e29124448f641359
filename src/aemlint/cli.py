"""The command line: ``aemlint check|rule|rules`` (SPEC §1).

Exit codes: 0 no finding at or above ``--fail-on``; 1 findings; 2 usage or configuration error;
3 internal error (a bug: the message says where to report it).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import traceback
from collections.abc import Sequence
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from aemlint import __version__

if TYPE_CHECKING:
    from aemlint.baseline import Baseline
    from aemlint.discovery import DiscoveredFile
    from aemlint.model.project import Project
    from aemlint.registry import RuleSet
    from aemlint.types import Finding

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
OUTPUT_FORMATS = ("full", "concise", "json", "json-lines", "sarif", "github", "gitlab", "junit")
REPORT_URL = "https://github.com/aemlint/aemlint/issues"


EFFECTIVE_HELP = """\
The configuration AEM applies for PID (or factory PID~NAME) on each service x environment:
the winning file (most run modes; /apps over /libs; preview reads publish's folders), the files
it overrides, and its properties with their platform types, placeholders resolved against the
environment's Cloud Manager variables (secret values redacted).

Defaults: no --service: author, publish and preview. --environment NAME: that configured
[[cloud-manager.environments]] entry, its type and variables (unknown NAME: exit 2; without
configured environments the only name is "default", the pool of every discovered variables
source, shown for each type). --env TYPE: each configured environment of that type (none of that
type: placeholder defaults only), or the pool when none is configured. Neither: the configured
environments, else the four types with the pool.

A tie (RUN004/CFG005) shows the first tied file by path as winner and lists all in "tied".
Placeholders: the environment's variable, else default=, else left as written (what AEM
deploys); secret values are shown as <redacted N chars> (json: value null, redacted true).
--format json prints an array with one object per (service, environment).
Exit: 0 shown; 1 no configuration file for PID anywhere in the project; 2 usage error.
"""


def _codes(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="aemlint",
        description="Static checker for AEM as a Cloud Service projects.",
    )
    parser.add_argument("--version", action="version", version=f"aemlint {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = sub.add_parser("check", help="lint files or folders (default: the project)")
    check.add_argument("paths", nargs="*", metavar="PATH")
    check.add_argument("--output-format", choices=OUTPUT_FORMATS, default=None)
    check.add_argument("-o", "--output-file", metavar="FILE")
    check.add_argument("--select", type=_codes, metavar="CODES")
    check.add_argument("--extend-select", type=_codes, action="extend", default=[], metavar="CODES")
    check.add_argument("--ignore", type=_codes, action="extend", default=[], metavar="CODES")
    check.add_argument("--fail-on", choices=("error", "warning", "info"))
    check.add_argument("--exit-zero", action="store_true")
    check.add_argument("--stdin-filename", metavar="PATH")
    check.add_argument("--config", metavar="FILE")
    check.add_argument("--environment", metavar="NAME")
    check.add_argument("--no-cache", action="store_true")
    check.add_argument(
        "--cache-dir", metavar="DIR", help="the cache folder (default: the user's cache folder)"
    )
    check.add_argument("--statistics", action="store_true")
    check.add_argument("--baseline", metavar="FILE", help="hide the findings recorded in FILE")
    check.add_argument(
        "--write-baseline", metavar="FILE", help="record the current findings in FILE (exit 0)"
    )
    check.add_argument(
        "--no-inline-suppressions",
        action="store_true",
        help="report findings even where an `aemlint: ignore[…]` comment hides them",
    )
    check.add_argument("-q", "--quiet", action="store_true")
    check.add_argument("-v", "--verbose", action="store_true")

    explain = sub.add_parser("rule", help="explain one rule")
    explain.add_argument("rule", metavar="CODE|NAME")

    sub.add_parser("server", help="run the language server over stdio (extra aemlint[lsp])")

    effective = sub.add_parser(
        "effective",
        help="the configuration AEM applies for a PID (or factory PID~NAME)",
        description=EFFECTIVE_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    effective.add_argument("pid", metavar="PID[~NAME]")
    effective.add_argument("--service", choices=("author", "publish", "preview"))
    effective.add_argument("--env", choices=("dev", "stage", "prod", "rde"), metavar="TYPE")
    effective.add_argument("--environment", metavar="NAME")
    effective.add_argument("--format", choices=("text", "json"), default="text")

    listing = sub.add_parser("rules", help="list every rule")
    listing.add_argument("--format", choices=("text", "json"), default="text")
    return parser


def _err(message: str) -> None:
    sys.stderr.write(f"aemlint: {message}\n")


def _rel(path: Path, root: Path) -> PurePosixPath:
    from aemlint.session import UsageError

    try:
        return PurePosixPath(path.relative_to(root).as_posix())
    except ValueError:
        raise UsageError(f"{path} is outside the project root {root}") from None


def cmd_check(args: argparse.Namespace) -> int:
    from aemlint.cache import cache_dir_chosen

    with cache_dir_chosen(Path(os.path.abspath(args.cache_dir)) if args.cache_dir else None):
        return _check(args)


def _check(args: argparse.Namespace) -> int:
    from aemlint.discovery import classify
    from aemlint.engine import fails, inside_targets
    from aemlint.reporters import ReportContext, renderer, summary
    from aemlint.session import Session, UsageError
    from aemlint.settings import find_config, find_root, git_root
    from aemlint.sources import Unreadable, decode

    started = time.perf_counter()
    cwd = Path.cwd()
    if args.stdin_filename and args.paths:
        raise UsageError("PATH arguments cannot be combined with --stdin-filename")
    paths = [Path(os.path.abspath(p)) for p in args.paths]
    for given, path in zip(args.paths, paths, strict=True):
        if not path.exists():
            raise UsageError(f"path not found: {given}")
    stdin_path = Path(os.path.abspath(args.stdin_filename)) if args.stdin_filename else None
    first = paths[0] if paths else stdin_path
    if args.config:
        config_file: Path | None = Path(os.path.abspath(args.config))
        assert config_file is not None
        if not config_file.is_file():
            raise UsageError(f"configuration file not found: {args.config}")
        root = config_file.parent if first is None else find_root(first, cwd, False)
    else:
        root = find_root(first, cwd)
        config_file = find_config(root)

    session = Session.open(
        root,
        config_file,
        no_cache=args.no_cache,
        select=args.select,
        extend_select=args.extend_select,
        ignore=args.ignore,
        environment=args.environment,
    )
    for warning in session.warnings:
        _err(f"warning: {warning}")
    baseline, recorder = _baselines(args)
    fail_on = args.fail_on or session.settings.fail_on
    discovery = session.discover()
    files = list(discovery.files)
    known = {f.path for f in files}
    targets: list[PurePosixPath] = []
    notes: list[str] = []
    for path in paths:
        rel = _rel(path, root)
        targets.append(rel)
        if path.is_file() and rel not in known:
            found = classify(rel)
            if found is None:
                notes.append(f"{rel}: not an aemlint input, skipped")
            else:
                files.append(found)
                known.add(rel)
    overrides: dict[PurePosixPath, str | Unreadable] = {}
    if stdin_path is not None:
        rel = _rel(stdin_path, root)
        found = classify(rel)
        if found is None:
            return EXIT_OK
        overrides[rel] = decode(sys.stdin.buffer.read())
        if rel not in known:
            files.append(found)
        targets = [rel]
    discovered_at = time.perf_counter()

    project = session.build(files, overrides, args.environment)
    parsed_at = time.perf_counter()
    result = session.check(project, inline_suppressions=not args.no_inline_suppressions)
    in_targets = inside_targets(targets)
    findings = [f for f in result.findings if in_targets(f)]
    suppressed = tuple(s for s in result.suppressed if in_targets(s.finding))
    if recorder is not None:
        written = recorder.recording(findings, project)
        written.write(Path(args.write_baseline))
        if not args.quiet:
            n = len(findings)
            _err(f"recorded {n} finding{'s' if n != 1 else ''} in {args.write_baseline}")
        return EXIT_OK
    baselined = 0
    if baseline is not None:
        findings, baselined = baseline.split(findings, project)
    checked_at = time.perf_counter()

    fmt = (
        args.output_format
        or os.environ.get("AEMLINT_OUTPUT_FORMAT")
        or ("full" if sys.stdout.isatty() else "concise")
    )
    if fmt not in OUTPUT_FORMATS:
        raise UsageError(f"unknown output format {fmt!r} (choose from {', '.join(OUTPUT_FORMATS)})")
    to_terminal = args.output_file is None and sys.stdout.isatty()
    ctx = ReportContext(
        cwd=cwd,
        root=root,
        project=project,
        color=to_terminal and "NO_COLOR" not in os.environ,
        checked=project.checked_paths,
        rules=session.selected,
        ci_root=git_root(root),
        suppressed=suppressed,
        baselined=baselined,
    )
    render = renderer(fmt) if not args.statistics else None
    report = render(findings, ctx) if render else statistics(findings, session.ruleset, fmt)
    if args.output_file:
        from aemlint.cache import write_atomic

        write_atomic(Path(args.output_file), report)
    else:
        sys.stdout.write(report)
    if not args.quiet and (fmt != "full" or args.output_file or args.statistics):
        sys.stderr.write(summary(findings, ctx.files_checked, len(suppressed), baselined) + "\n")
    if args.verbose:
        _verbose(session.root, config_file, files, discovery.skipped, project, notes)
        done = time.perf_counter()
        _err(
            f"timings: discover {(discovered_at - started) * 1e3:.1f} ms, "
            f"parse {(parsed_at - discovered_at) * 1e3:.1f} ms, "
            f"rules {(checked_at - parsed_at) * 1e3:.1f} ms, "
            f"report {(done - checked_at) * 1e3:.1f} ms"
        )
    if args.exit_zero:
        return EXIT_OK
    return EXIT_FINDINGS if fails(findings, fail_on) else EXIT_OK


def _baselines(args: argparse.Namespace) -> tuple[Baseline | None, Baseline | None]:
    """(the baseline that hides findings, the one to write), read before linting: a missing or
    malformed ``--baseline`` is exit 2, and so is a ``--write-baseline`` target that exists
    but is not a baseline (it is not overwritten). Rewriting a baseline keeps its salt."""
    if args.baseline is None and args.write_baseline is None:
        return None, None
    from aemlint.baseline import Baseline, BaselineError, load_baseline
    from aemlint.session import UsageError

    try:
        hide = load_baseline(Path(args.baseline)) if args.baseline else None
        record = None
        if args.write_baseline:
            target = Path(args.write_baseline)
            if target.is_dir():
                raise BaselineError(f"--write-baseline {args.write_baseline}: is a folder")
            if target.exists():
                try:
                    record = load_baseline(target)
                except BaselineError as exc:
                    raise BaselineError(f"{exc}; not overwritten (remove it first)") from None
            else:
                record = Baseline.new()
    except BaselineError as exc:
        raise UsageError(str(exc)) from None
    return hide, record


def _verbose(
    root: Path,
    config_file: Path | None,
    files: Sequence[DiscoveredFile],
    skipped: Sequence[tuple[PurePosixPath, str]],
    project: Project,
    notes: Sequence[str],
) -> None:
    _err(f"project root: {root}")
    _err(f"configuration: {config_file or 'none (defaults)'}")
    for f in files:
        what = f"{f.place.form}, {f.place.folder}" if f.place else f.kind
        _err(f"input: {f.path} ({what})")
    for env in project.environments:
        nets = ", ".join(str(n.path) for n in env.networking) or "no advanced networking"
        _err(
            f"environment: {env.name} ({env.type or 'type unknown'}"
            f"{', id ' + env.id if env.id else ''}): {nets}; "
            f"{len(env.variables)} variable settings; forwards: "
            f"{', '.join(map(str, sorted(env.port_origs))) or 'none'}"
        )
    for path, reason in skipped:
        _err(f"skipped: {path}: {reason}")
    for path, note in project.notes:
        _err(f"skipped: {path}: {note}")
    for note in notes:
        _err(f"skipped: {note}")


def statistics(findings: Sequence[Finding], ruleset: RuleSet, fmt: str) -> str:
    """``--statistics``: counts per rule, most frequent first (JSON for the JSON formats)."""
    import json
    from collections import Counter

    counts = Counter(f.code for f in findings)
    rows = []
    for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        r = ruleset.get(code)
        rows.append(
            {
                "code": code,
                "name": r.name if r else code,
                "count": count,
                "fixable": bool(r and r.fix != "none"),
            }
        )
    if fmt in ("json", "json-lines", "sarif", "gitlab"):
        return json.dumps(rows, indent=2) + "\n"
    width = max((len(str(row["count"])) for row in rows), default=1)
    return "".join(f"{row['count']:>{width}}  {row['code']}  {row['name']}\n" for row in rows)


def _project_ruleset() -> RuleSet:
    """Built-in and plugin rules plus the ``rule-packs`` of the project found from the cwd."""
    from aemlint.session import load_ruleset, rule_pack_plugins
    from aemlint.settings import find_config, find_root

    root = find_root(None, Path.cwd())
    ruleset, _ = load_ruleset(False, rule_pack_plugins(root, find_config(root)))
    return ruleset


def cmd_rule(args: argparse.Namespace) -> int:
    from aemlint.session import UsageError

    ruleset = _project_ruleset()
    found = ruleset.get(args.rule)
    if found is None:
        raise UsageError(f"unknown rule {args.rule!r} (see `aemlint rules`)")
    text = (
        f"# {found.code} {found.name}\n\n"
        f"Severity: {found.severity} · group: {found.group} · fix: {found.fix}"
        f" · from: {found.origin}\n\n{found.doc}\n"
    )
    if sys.stdout.isatty() and "NO_COLOR" not in os.environ:
        from rich.console import Console
        from rich.markdown import Markdown

        Console().print(Markdown(text))
    else:
        sys.stdout.write(text)
    return EXIT_OK


def cmd_effective(args: argparse.Namespace) -> int:
    from aemlint.effective import run as show_effective
    from aemlint.session import Session
    from aemlint.settings import find_config, find_root

    cwd = Path.cwd()
    root = find_root(None, cwd)
    session = Session.open(root, find_config(root), environment=args.environment)
    for warning in session.warnings:
        _err(f"warning: {warning}")
    project = session.build(session.discover().files)
    services = (args.service,) if args.service else ("author", "publish", "preview")
    return show_effective(project, args.pid, services, args.env, args.environment, args.format, cwd)


def cmd_server(args: argparse.Namespace) -> int:
    from aemlint.session import UsageError

    try:
        from aemlint.lsp import main as serve
    except ImportError as exc:
        raise UsageError(
            f"the language server needs the lsp extra: pip install 'aemlint[lsp]' ({exc.name})"
        ) from None
    return serve()


def cmd_rules(args: argparse.Namespace) -> int:
    import json

    ruleset = _project_ruleset()
    rows = sorted(ruleset, key=lambda r: r.code)
    if args.format == "json":
        data = [
            {
                "code": r.code,
                "name": r.name,
                "group": r.group,
                "severity": r.severity,
                "fix": r.fix,
                "summary": r.summary,
                "origin": r.origin,
                "documentation": r.doc,
            }
            for r in rows
        ]
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
        return EXIT_OK
    width = max((len(r.name) for r in rows), default=0)
    for r in rows:
        sys.stdout.write(f"{r.code}  {r.name:<{width}}  {r.severity:<7}  {r.fix:<6}  {r.summary}\n")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    commands = {
        "check": cmd_check,
        "effective": cmd_effective,
        "rule": cmd_rule,
        "rules": cmd_rules,
        "server": cmd_server,
    }
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    from aemlint.session import UsageError

    try:
        return commands[args.command](args)
    except UsageError as exc:
        _err(str(exc))
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - a crash is a bug: say where to report it
        # The exception's message is not printed: it may quote a value from the project.
        frames = "".join(traceback.format_tb(exc.__traceback__))
        _err(
            f"internal error: {type(exc).__name__}. This is a bug; please report it at "
            f"{REPORT_URL} with this trace:\n{frames}"
        )
        return EXIT_INTERNAL


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def run() -> None:
    """The console entry: SIGTERM unwinds like Ctrl-C, so no temporary file is left behind."""
    import signal

    signal.signal(signal.SIGTERM, _interrupt)
    try:
        code = main()
    except KeyboardInterrupt:  # arrived outside main's own handler (argument parsing, exit)
        code = 130
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # from here on, nothing left to clean up
    sys.exit(code)


if __name__ == "__main__":
    run()
