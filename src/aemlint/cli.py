"""The command line: ``aemlint check|rule|rules`` (SPEC §1).

Exit codes: 0 no finding at or above ``--fail-on``; 1 findings; 2 usage or configuration error;
3 internal error (a bug: the message says where to report it).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from aemlint import __version__

TYPE_CHECKING = False  # not `typing` (≈ 4 ms): the on-save path imports this module
if TYPE_CHECKING:
    from typing import NoReturn

    from aemlint.baseline import Baseline
    from aemlint.discovery import DiscoveredFile
    from aemlint.fixing import Outcome
    from aemlint.model.project import Project
    from aemlint.registry import RuleSet
    from aemlint.result_cache import Hit, Probe
    from aemlint.session import Session
    from aemlint.sources import Unreadable
    from aemlint.types import Finding

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
OUTPUT_FORMATS = ("full", "concise", "json", "json-lines", "sarif", "github", "gitlab", "junit")
REPORT_URL = "https://github.com/aemlint/aemlint/issues"

#: What a check built, kept until the process ends when :func:`run` ends it with ``os._exit``
#: (None otherwise: a caller of :func:`main` in its own process gets everything freed). Freeing
#: a large model object by object when ``_check`` returns is wasted work then.
_kept_until_exit: list[object] | None = None


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


class _Help(argparse.HelpFormatter):
    """argparse's formatter, sized without importing ``shutil`` (≈ 1 ms on the on-save path:
    argparse makes a formatter for every ``add_argument``, to check its metavar)."""

    def __init__(
        self,
        prog: str,
        indent_increment: int = 2,
        max_help_position: int = 24,
        width: int | None = None,
    ) -> None:
        if width is None:  # what shutil.get_terminal_size gives, as argparse uses it
            try:
                columns = int(os.environ["COLUMNS"])
            except (KeyError, ValueError):
                columns = 0
            if columns <= 0:
                try:
                    columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
                except (AttributeError, ValueError, OSError):
                    columns = 0
            width = (columns or 80) - 2
        super().__init__(prog, indent_increment, max_help_position, width)


class _RawDescriptionHelp(_Help, argparse.RawDescriptionHelpFormatter):
    """:class:`_Help` keeping the description's line breaks."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="aemlint",
        description="Static checker for AEM as a Cloud Service projects.",
        formatter_class=_Help,
    )
    parser.add_argument("--version", action="version", version=f"aemlint {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = sub.add_parser(
        "check", help="lint files or folders (default: the project)", formatter_class=_Help
    )
    check.add_argument("paths", nargs="*", metavar="PATH")
    check.add_argument("--output-format", choices=OUTPUT_FORMATS, default=None)
    check.add_argument("-o", "--output-file", metavar="FILE")
    check.add_argument("--select", type=_codes, metavar="CODES")
    check.add_argument("--extend-select", type=_codes, action="extend", default=[], metavar="CODES")
    check.add_argument("--ignore", type=_codes, action="extend", default=[], metavar="CODES")
    check.add_argument("--fail-on", choices=("error", "warning", "info"))
    check.add_argument("--exit-zero", action="store_true")
    check.add_argument("--fix", action="store_true", help="apply the safe fixes")
    check.add_argument(
        "--unsafe-fixes", action="store_true", help="with --fix or --diff: also the unsafe fixes"
    )
    check.add_argument(
        "--diff", action="store_true", help="print the fixes as a unified diff; write nothing"
    )
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

    explain = sub.add_parser("rule", help="explain one rule", formatter_class=_Help)
    explain.add_argument("rule", metavar="CODE|NAME")

    sub.add_parser(
        "server",
        help="run the language server over stdio (extra aemlint[lsp])",
        formatter_class=_Help,
    )

    effective = sub.add_parser(
        "effective",
        help="the configuration AEM applies for a PID (or factory PID~NAME)",
        description=EFFECTIVE_HELP,
        formatter_class=_RawDescriptionHelp,
    )
    effective.add_argument("pid", metavar="PID[~NAME]")
    effective.add_argument("--service", choices=("author", "publish", "preview"))
    effective.add_argument("--env", choices=("dev", "stage", "prod", "rde"), metavar="TYPE")
    effective.add_argument("--environment", metavar="NAME")
    effective.add_argument("--format", choices=("text", "json"), default="text")

    listing = sub.add_parser("rules", help="list every rule", formatter_class=_Help)
    listing.add_argument("--format", choices=("text", "json"), default="text")
    return parser


def _err(message: str) -> None:
    sys.stderr.write(f"aemlint: {message}\n")


def _rel(path: Path, root: Path) -> PurePosixPath:
    from aemlint.errors import UsageError

    try:
        return PurePosixPath(path.relative_to(root).as_posix())
    except ValueError:
        raise UsageError(f"{path} is outside the project root {root}") from None


def cmd_check(args: argparse.Namespace) -> int:
    import gc

    from aemlint.cache import cache_dir_chosen

    # A check builds a model of mostly long-lived, acyclic objects: the cyclic collector would
    # only traverse them again and again (≈ 15% of a 10,000-configuration run), and reference
    # counting frees everything else. Measured: peak RSS +2%. Restored for in-process callers.
    enabled = gc.isenabled()
    gc.disable()
    try:
        with cache_dir_chosen(Path(os.path.abspath(args.cache_dir)) if args.cache_dir else None):
            return _check(args)
    finally:
        if enabled:
            gc.enable()


def _check(args: argparse.Namespace) -> int:
    # Light imports only up to the result cache's lookup: a hit imports no rule, model or parser.
    from aemlint.errors import UsageError
    from aemlint.roots import find_config, find_root, git_root

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
    stdin_raw = sys.stdin.buffer.read() if stdin_path is not None else b""
    fmt = _output_format(args)
    color = args.output_file is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    ci_root = git_root(root)
    probe = _result_probe(args, root, config_file, paths, stdin_path, stdin_raw)
    variant = ""
    if probe is not None:
        from aemlint.result_cache import variant as report_variant

        ci_base = (ci_root or root).resolve() if fmt == "sarif" else ci_root
        variant = report_variant(fmt, args.statistics, color, cwd, str(ci_base))
        hit = probe.lookup(variant, args.verbose)
        if hit is not None:
            return _replay(args, hit, fmt, started)

    from aemlint.discovery import classify
    from aemlint.engine import fails, inside_targets
    from aemlint.reporters import ReportContext, renderer, summary
    from aemlint.result_cache import RANK, Recorder
    from aemlint.session import RecordingParseCache, Session
    from aemlint.sources import decode, encoding_of

    record = Recorder(root, probe.recording_salt()) if probe is not None else None
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
    discovery = session.discover(record)
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
    stdin_rel: PurePosixPath | None = None
    if stdin_path is not None:
        rel = _rel(stdin_path, root)
        found = classify(rel)
        if found is None:
            if probe is not None:
                probe.store_not_an_input()
            return EXIT_OK
        overrides[rel] = decode(stdin_raw, encoding_of(rel))
        stdin_rel = rel
        if rel not in known:
            files.append(found)
        targets = [rel]
    discovered_at = time.perf_counter()

    report_stream = sys.stdout
    if args.fix or args.unsafe_fixes or args.diff:
        if recorder is not None:
            raise UsageError("--write-baseline cannot be combined with --fix or --diff")
        outcome = _fix(args, session, files, overrides, targets, baseline, stdin_rel)
        if args.diff:
            return _print_diff(args, outcome, root, cwd, fail_on)
        if stdin_rel is not None:
            fixed = outcome.workspace.overrides.get(stdin_rel)
            if outcome.applied and isinstance(fixed, str):
                sys.stdout.buffer.write(fixed.encode(encoding_of(stdin_rel)))
            else:
                sys.stdout.buffer.write(stdin_raw)
            sys.stdout.flush()
            report_stream = sys.stderr
        else:
            _write_fixes(args, outcome, root, cwd)
        targets = outcome.workspace.targets
        project = outcome.project
        parsed_at = time.perf_counter()
        result = session.check(project, inline_suppressions=not args.no_inline_suppressions)
    else:
        cache = RecordingParseCache(record) if record is not None else None
        marks: list[float] = []
        project, result = session.build_and_check(
            files,
            overrides,
            args.environment,
            cache,
            inline_suppressions=not args.no_inline_suppressions,
            built=lambda: marks.append(time.perf_counter()),
        )
        parsed_at = marks[0]
        if record is not None:
            for entry in session.settings.rule_packs:
                record.tree(root / entry)
    if _kept_until_exit is not None:
        _kept_until_exit.append((project, result))
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

    ctx = ReportContext(
        cwd=cwd,
        root=root,
        project=project,
        color=color,
        checked=project.checked_paths,
        rules=session.selected,
        ci_root=ci_root,
        suppressed=suppressed,
        baselined=baselined,
    )
    render = renderer(fmt) if not args.statistics else None
    report = render(findings, ctx) if render else statistics(findings, session.ruleset, fmt)
    if args.output_file:
        from aemlint.cache import write_atomic

        write_atomic(Path(args.output_file), report)
    else:
        report_stream.write(report)
    summary_line = summary(findings, ctx.files_checked, len(suppressed), baselined)
    if not args.quiet and (fmt != "full" or args.output_file or args.statistics):
        sys.stderr.write(summary_line + "\n")
    verbose = (
        _verbose(session.root, config_file, files, discovery.skipped, project, notes)
        if args.verbose
        else None
    )
    if probe is not None and record is not None:
        probe.store(
            record,
            variant=variant,
            report=report,
            summary=summary_line,
            rank=max((RANK[f.severity] for f in findings), default=-1),
            fail_on=session.settings.fail_on,
            warnings=session.warnings,
            verbose=verbose,
        )
    if verbose is not None:
        for line in verbose:
            _err(line)
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


def _output_format(args: argparse.Namespace) -> str:
    from aemlint.errors import UsageError

    fmt: str = (
        args.output_format
        or os.environ.get("AEMLINT_OUTPUT_FORMAT")
        or ("full" if sys.stdout.isatty() else "concise")
    )
    if fmt not in OUTPUT_FORMATS:
        raise UsageError(f"unknown output format {fmt!r} (choose from {', '.join(OUTPUT_FORMATS)})")
    return fmt


def _result_probe(
    args: argparse.Namespace,
    root: Path,
    config_file: Path | None,
    paths: Sequence[Path],
    stdin_path: Path | None,
    stdin_raw: bytes,
) -> Probe | None:
    """The result cache's entry for this run (SPEC §7), or None: not with ``--no-cache``, and
    never for a run that writes (``--fix``, ``--diff``, ``--write-baseline``)."""
    if args.no_cache or args.write_baseline or args.fix or args.unsafe_fixes or args.diff:
        return None
    from aemlint.result_cache import Probe

    return Probe.open(
        root,
        config_file,
        options=[
            args.select,
            args.extend_select,
            args.ignore,
            args.environment,
            args.no_inline_suppressions,
        ],
        baseline=Path(os.path.abspath(args.baseline)) if args.baseline else None,
        targets=[(_rel(p, root).as_posix(), p.is_file()) for p in paths],
        stdin_name=None if stdin_path is None else _rel(stdin_path, root).as_posix(),
        stdin=stdin_raw if stdin_path is not None else None,
    )


def _replay(args: argparse.Namespace, hit: Hit, fmt: str, started: float) -> int:
    """A result cache hit: print what the run that made the entry printed."""
    if hit.not_an_input:
        return EXIT_OK
    for warning in hit.warnings:
        _err(f"warning: {warning}")
    if args.output_file:
        from aemlint.cache import write_atomic

        write_atomic(Path(args.output_file), hit.report)
    else:
        sys.stdout.write(hit.report)
    if not args.quiet and (fmt != "full" or args.output_file or args.statistics):
        sys.stderr.write(hit.summary + "\n")
    if args.verbose and hit.verbose is not None:
        for line in hit.verbose:
            _err(line)
        _err(f"timings: result cache hit, {(time.perf_counter() - started) * 1e3:.1f} ms in all")
    if args.exit_zero:
        return EXIT_OK
    return EXIT_FINDINGS if hit.fails(args.fail_on) else EXIT_OK


def _fix(
    args: argparse.Namespace,
    session: Session,
    files: list[DiscoveredFile],
    overrides: dict[PurePosixPath, str | Unreadable],
    targets: list[PurePosixPath],
    baseline: Baseline | None,
    stdin: PurePosixPath | None,
) -> Outcome:
    """The fix loop over the findings the report would show (targets, ignores, baseline)."""
    from aemlint.engine import inside_targets
    from aemlint.fixing import fix_loop

    inline = not args.no_inline_suppressions

    def build(found: list[DiscoveredFile], texts: dict[PurePosixPath, str | Unreadable]) -> Project:
        return session.build(found, texts, args.environment)

    def lint(project: Project, where: Sequence[PurePosixPath]) -> list[Finding]:
        test = inside_targets(where)
        shown = [f for f in session.check(project, inline_suppressions=inline).findings if test(f)]
        if baseline is not None:
            shown, _ = baseline.split(shown, project)
        return shown

    outcome = fix_loop(
        files,
        overrides,
        targets,
        root=session.root,
        build=build,
        lint=lint,
        unsafe=args.unsafe_fixes,
        stdin=stdin,
    )
    if not outcome.converged:
        _err("warning: the fixes did not settle after 10 rounds; shown: the last round's state")
    return outcome


def _applied_lines(outcome: Outcome, root: Path, cwd: Path, verb: str) -> str:
    from aemlint.reporters import display_path

    lines = []
    for f in outcome.applied:
        assert f.fix is not None
        row, col = (f.span.line, f.span.column) if f.span else (1, 1)
        where = display_path(root, cwd, f.path)
        lines.append(f"{where}:{row}:{col}: {f.code} {verb}: {f.fix.message}\n")
    return "".join(lines)


def _print_diff(
    args: argparse.Namespace, outcome: Outcome, root: Path, cwd: Path, fail_on: str
) -> int:
    """``--diff``: the change on stdout, what it would fix on stderr; exit 1 if it changes
    anything or findings at or above ``--fail-on`` would remain."""
    from aemlint.engine import fails
    from aemlint.fixing import diff
    from aemlint.reporters import display_path

    text = diff(outcome, lambda p: display_path(root, cwd, p))
    sys.stdout.write(text)
    if not args.quiet:
        sys.stderr.write(_applied_lines(outcome, root, cwd, "would fix"))
        n, left = len(outcome.applied), len(outcome.findings)
        sys.stderr.write(
            f"{n} finding{'s' if n != 1 else ''} would be fixed, {left} would remain\n"
        )
    if args.exit_zero:
        return EXIT_OK
    failing = fails(outcome.findings, fail_on)  # type: ignore[arg-type]
    return EXIT_FINDINGS if text or failing else EXIT_OK


def _write_fixes(args: argparse.Namespace, outcome: Outcome, root: Path, cwd: Path) -> None:
    """``--fix``: write the change; say what was fixed and what could not be written."""
    from aemlint.fixing import write

    for problem in write(outcome):
        _err(f"warning: fix not written: {problem}")
    if not args.quiet:
        sys.stderr.write(_applied_lines(outcome, root, cwd, "fixed"))
        n = len(outcome.applied)
        sys.stderr.write(f"fixed {n} finding{'s' if n != 1 else ''}\n")


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
) -> list[str]:
    """The ``-v`` lines (printed, and kept by the result cache for a hit to print)."""
    lines: list[str] = []
    add = lines.append
    add(f"project root: {root}")
    add(f"configuration: {config_file or 'none (defaults)'}")
    for f in files:
        what = f"{f.place.form}, {f.place.folder}" if f.place else f.kind
        add(f"input: {f.path} ({what})")
    for env in project.environments:
        nets = ", ".join(str(n.path) for n in env.networking) or "no advanced networking"
        add(
            f"environment: {env.name} ({env.type or 'type unknown'}"
            f"{', id ' + env.id if env.id else ''}): {nets}; "
            f"{len(env.variables)} variable settings; forwards: "
            f"{', '.join(map(str, sorted(env.port_origs))) or 'none'}"
        )
    for path, reason in skipped:
        add(f"skipped: {path}: {reason}")
    for path, note in project.notes:
        add(f"skipped: {path}: {note}")
    for note in notes:
        add(f"skipped: {note}")
    return lines


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
    from aemlint.errors import UsageError

    try:
        return commands[args.command](args)
    except UsageError as exc:
        _err(str(exc))
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - a crash is a bug: say where to report it
        # The exception's message is not printed: it may quote a value from the project.
        import traceback

        frames = "".join(traceback.format_tb(exc.__traceback__))
        _err(
            f"internal error: {type(exc).__name__}. This is a bug; please report it at "
            f"{REPORT_URL} with this trace:\n{frames}"
        )
        return EXIT_INTERNAL


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def run() -> NoReturn:
    """The console entry (the ``aemlint`` command and ``python -m aemlint``).

    SIGTERM unwinds like Ctrl-C, so no temporary file is left behind. Once the outputs are
    flushed the process ends at once, as mypy's does: freeing a large model object by object
    would take ≈ 4% of a 10,000-configuration run, and everything was written by then (the
    model is kept in :data:`_kept_until_exit` meanwhile, so it is not freed either when the
    check returns). ``_signal``, not ``signal`` (whose enums cost ≈ 0.8 ms on the on-save path).
    """
    if TYPE_CHECKING:  # the same functions and constants, typed
        import signal as _signal
    else:
        import _signal

    global _kept_until_exit
    _kept_until_exit = []
    _signal.signal(_signal.SIGTERM, _interrupt)
    try:
        code = main()
    except KeyboardInterrupt:  # arrived outside main's own handler (argument parsing, exit)
        code = 130
    _signal.signal(_signal.SIGTERM, _signal.SIG_DFL)  # from here on, nothing left to clean up
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe or stream: Python's own exit reports it
        sys.exit(code)
    os._exit(code)


if __name__ == "__main__":
    run()
