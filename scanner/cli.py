"""Command line: ``mynumber-dlp scan | rules check | fingerprint | demo``.

Exit status of ``scan``: 0 no findings at or above --min-confidence, 1 findings,
2 error (bad usage, bad config or rules, or items not scanned with
--fail-on-unscanned).
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import time
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from scanner import __version__
from scanner.audit import AuditOptions, run_audit
from scanner.config import ConfigError, ScanConfig, load_scan_config
from scanner.detect.engine import Engine
from scanner.detect.finding import Confidence
from scanner.i18n import LANGUAGES, _, language_from_env, ngettext, os_error_text, set_language, translate_argparse
from scanner.jobs.commands import add_audit_commands
from scanner.privacy.fingerprint import Fingerprinter
from scanner.privacy.keyfile import ResolvedKey, resolve_key
from scanner.privacy.known_numbers import fingerprints_from_texts, load_list, write_list
from scanner.report.formats import (
    CsvWriter,
    JsonlWriter,
    JsonWriter,
    Presented,
    TextWriter,
    Writer,
    suppressed_by_text,
)
from scanner.report.names import name_bytes, shown_name
from scanner.report.records import safe_detail
from scanner.report.sarif import SarifWriter, sarif_rules
from scanner.rules.loader import RuleError, load_ruleset, shipped_rules_dir
from scanner.rules.model import Ruleset
from scanner.sources.smb.credentials import SmbCredentials
from scanner.sources.smb.location import is_smb_url
from scanner.sources.stdin import STDIN_OPERAND, spool_stdin
from scanner.sources.walk import WalkOptions
from scanner.triage.baseline import write_baseline
from scanner.triage.setup import TriageError, TriageFiles, build_suppressor
from scanner.triage.suppressor import Suppressor

if TYPE_CHECKING:
    from tqdm import tqdm  # for the annotation only: tqdm is imported when a bar is shown

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2
FORMATS = ("text", "jsonl", "json", "csv", "sarif", "html")
DEBUG_ENV = "MYNUMBER_DLP_DEBUG"
STDOUT_BUFFER_BYTES = 64 * 1024
"""A report to a pipe or a file is written in blocks of this size, as grep and ripgrep do (a
roster is a million lines, and PYTHONUNBUFFERED, common in containers, would make each one a
write of its own); a terminal gets every line as it comes."""
"""Set to show a traceback for an internal error instead of the one-line message."""


class UsageError(Exception):
    """A problem the user must fix; printed without a traceback, exit status 2."""


def _say(msg: str) -> None:
    print(f"mynumber-dlp: {msg}", file=sys.stderr)


def _key(config: ScanConfig) -> ResolvedKey:
    try:
        resolved = resolve_key(config.fingerprint_key)
    except (OSError, ValueError) as exc:
        why = os_error_text(exc) if isinstance(exc, OSError) else str(exc)
        where = f" ({exc.filename})" if isinstance(exc, OSError) and exc.filename else ""
        raise UsageError(_(
            "cannot read or create the fingerprint key file{where}: {why}; "
            "set MYNUMBER_DLP_FINGERPRINT_KEY or fingerprint_key in the config"
        ).format(where=where, why=why)) from None
    if resolved.created:
        _say(_(
            "created a new fingerprint key in {source} (mode 0600). Fingerprints match only "
            "between scans with the same key; set MYNUMBER_DLP_FINGERPRINT_KEY or fingerprint_key in the "
            "config to share one."
        ).format(source=resolved.source))
    return resolved


def _ruleset(dirs: list[Path]) -> Ruleset:
    try:
        return load_ruleset(dirs)
    except RuleError as exc:
        raise UsageError(_("rules: {error}").format(error=exc)) from None


def _writer(args: argparse.Namespace, out: TextIO, ruleset: Ruleset) -> Writer:
    fmt = args.format
    if fmt == "jsonl":
        return JsonlWriter(out)
    if fmt == "json":
        return JsonWriter(out)
    if fmt == "csv":
        return CsvWriter(out, excel=args.excel)
    if fmt == "sarif":
        return SarifWriter(out, sarif_rules(ruleset))
    if fmt == "html":
        from scanner.report.html_report import HtmlWriter

        t = ruleset.rules[0].thresholds
        return HtmlWriter(out, (t.low, t.medium, t.high), [shown_name(p) for p in args.paths])
    return TextWriter(out, by_directory=args.summary_by_dir)


class _Progress:
    """A progress bar on stderr (files and bytes), only when stderr is a terminal."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.bar: tqdm[Any] | None = None

    def total(self, n: int) -> None:
        if self.enabled:
            from tqdm import tqdm

            # a pseudo-terminal may report size 0x0, with which tqdm hides its bar
            size = shutil.get_terminal_size()
            self.bar = tqdm(total=n, unit="file", file=sys.stderr, ncols=size.columns, nrows=size.lines, leave=False)

    def step(self, files: int, size: int) -> None:
        if self.bar is not None:
            self.bar.update(files)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def cmd_scan(args: argparse.Namespace) -> int:
    try:
        config = load_scan_config(args.config)
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    ruleset = _ruleset(list(config.rules_dirs) + args.rules)
    key = _key(config).key
    known_path = args.known or config.known_numbers
    known: frozenset[str] = frozenset()
    if known_path is not None:
        try:
            known = load_list(Path(known_path))
        except (OSError, ValueError) as exc:
            raise UsageError(_("known-numbers list: {error}").format(error=exc)) from None
    min_conf = Confidence.parse(args.min_confidence) if args.min_confidence else config.min_confidence
    jobs = args.jobs if args.jobs is not None else config.jobs
    options = AuditOptions(
        limits=config.limits,
        min_confidence=min_conf,
        jobs=jobs if jobs > 0 else (os.cpu_count() or 1),
        walk=WalkOptions(
            exclude=tuple(config.exclude) + tuple(args.exclude),
            follow_symlinks=args.follow_symlinks or config.follow_symlinks,
        ),
        smb=_smb_credentials(args) if any(is_smb_url(p) for p in args.paths) else None,
    )
    engine = Engine(ruleset, Fingerprinter(key), known)
    suppress = _suppressor(args, config, key)
    out = report_output(args)
    progress = _Progress(enabled=sys.stderr.isatty() and not args.no_progress)
    with ExitStack() as stack:
        if out is not sys.stdout:
            stack.callback(out.close)
        paths, rename = list(args.paths), {}
        if STDIN_OPERAND in paths:
            spooled = stack.enter_context(spool_stdin(config.limits.max_file_size))
            paths = [spooled if p == STDIN_OPERAND else p for p in paths]
            rename = {spooled: STDIN_OPERAND}
        writer = Presented(_writer(args, out, ruleset), args.raw_paths, rename)
        missing = _missing_operands(paths, rename, options.smb)
        summary = run_audit(engine, paths, options, writer.record, progress.step, progress.total, suppress,
                            writer.file)
        progress.close()
        writer.close(summary)
    if summary.suppressed:
        _say(_("{count} findings suppressed ({by})").format(
            count=sum(summary.suppressed.values()), by=suppressed_by_text(summary.suppressed)))
    if args.write_baseline:
        written = write_baseline(Path(args.write_baseline), suppress.collect or [], key)
        _say(_("baseline of {count} findings written to {path}").format(count=written, path=args.write_baseline))
    if missing:
        # like grep and clamscan: a named operand that cannot be read is an error, whatever was found
        _say(_("cannot read {count} of the paths given: {paths}").format(
            count=len(missing), paths=", ".join(shown_name(m) for m in missing[:3])))
        return EXIT_ERROR
    if args.fail_on_unscanned and summary.total_not_scanned:
        return EXIT_ERROR
    return EXIT_FINDINGS if summary.total_findings else EXIT_CLEAN


def report_output(args: argparse.Namespace) -> TextIO:
    """``-o FILE`` open for the report, else standard output."""
    try:
        return open(args.output, "w", encoding="utf-8", newline="") if args.output else _report_stdout()
    except OSError as exc:
        raise UsageError(_("cannot write {path}: {why}").format(path=args.output, why=os_error_text(exc))) from None


def _suppressor(args: argparse.Namespace, config: ScanConfig, key: str) -> Suppressor:
    """What the scan hides: ``--allowlist``/``--baseline``/``--allow-samples`` or the config's."""
    files = TriageFiles(args.allowlist or config.allowlist, args.baseline or config.baseline,
                        args.allow_samples or config.allow_samples)
    try:
        suppress, warnings = build_suppressor(files, key)
    except TriageError as exc:
        raise UsageError(str(exc)) from None
    for warning in warnings:
        _say(warning)
    if args.write_baseline:
        suppress.collect = []
    return suppress


def _missing_operands(paths: list[str], rename: dict[str, str], smb: SmbCredentials | None) -> list[str]:
    """Operands named on the command line that do not exist or cannot be examined; a share
    that refuses the logon or a malformed ``smb://`` URL is a usage error (exit 2) before any scan."""
    missing = []
    for p in paths:
        try:
            if is_smb_url(p):
                _smb_operand(p, smb or SmbCredentials())
            else:
                os.stat(p)
        except OSError:
            missing.append(rename.get(p, p))
    return missing


def _smb_operand(url: str, credentials: SmbCredentials) -> None:
    """Log on to the share ``url`` names and stat it (OSError when it is not there)."""
    from scanner.sources.smb.client import SmbLogonError, client_for
    from scanner.sources.smb.location import SmbUrlError, parse_smb_url

    try:
        loc = parse_smb_url(url)
        client = client_for(credentials)
        client.logon(loc)
    except (SmbUrlError, SmbLogonError) as exc:
        raise UsageError(str(exc)) from None
    client.stat(loc)


def _smb_credentials(args: argparse.Namespace, configured: Path | None = None) -> SmbCredentials:
    """``--smb-credentials FILE``, else the config's file, else the environment's (see
    ``sources/smb/credentials.py``)."""
    from scanner.sources.smb.credentials import CredentialsError, find_credentials

    given = getattr(args, "smb_credentials", None)
    try:
        return find_credentials(Path(given) if given else configured)
    except CredentialsError as exc:
        raise UsageError(str(exc)) from None


def _check_shares(args: argparse.Namespace, cfg: Any) -> None:
    """Log on to every ``smb://`` watch and find its directory, before the daemon starts: a wrong
    password or a missing share is one line and exit 2, never a daemon that watches nothing."""
    from scanner.sources.smb.client import SmbLogonError, client_for, close_clients

    shares = [w.share for w in cfg.watches if w.share is not None]
    if not shares:
        return
    client = client_for(_smb_credentials(args, cfg.smb_credentials))
    try:
        for share in shares:
            client.logon(share)
            try:
                if not client.stat(share).is_dir:
                    raise UsageError(_("watch {url} is not a directory").format(url=share.url))
            except OSError as exc:
                raise UsageError(_("watch {url}: {why}").format(url=share.url, why=os_error_text(exc))) from None
    except SmbLogonError as exc:
        raise UsageError(str(exc)) from None
    finally:
        close_clients()  # the daemon opens its own sessions, from its own threads


def cmd_allow_add(args: argparse.Namespace) -> int:
    """Append one ``[[allow]]`` entry (checked as the allowlist reader checks it) to a file."""
    from pydantic import ValidationError

    from scanner.schema import first_error
    from scanner.triage.allowlist import AllowEntry, entry_toml, load_allowlist

    try:
        config = load_scan_config(args.config)
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    target = args.file or config.allowlist
    if target is None:
        raise UsageError(_("allow add: name the allowlist with --file (or allowlist = ... in the config)"))
    fields = {k: getattr(args, k) for k in ("fingerprint", "path", "member", "rule", "reason", "until")}
    data = {k: v for k, v in fields.items() if v is not None}
    try:
        entry = AllowEntry.model_validate(data)
    except ValidationError as exc:
        raise UsageError(_("allow add: {error}").format(error=first_error(exc, AllowEntry, data))) from None
    path = Path(target)
    if path.exists():
        try:
            load_allowlist(path)  # never append to a file that is not a valid allowlist
        except ValueError as exc:
            raise UsageError(str(exc)) from None
    before = path.read_text(encoding="utf-8-sig") if path.exists() else ""
    with open(path, "a", encoding="utf-8") as f:
        f.write(("\n" if before and not before.endswith("\n") else "") + ("\n" if before else "") + entry_toml(entry))
    _say(_("added to {path}: {reason}").format(path=path, reason=entry.reason)
         + (_(" (until {day})").format(day=entry.until) if entry.until else ""))
    return EXIT_CLEAN


def cmd_rules_check(args: argparse.Namespace) -> int:
    dirs = [Path(d) for d in args.dirs]
    try:
        ruleset = load_ruleset(dirs, shipped=not args.only)
    except RuleError as exc:
        _say(_("rules: {error}").format(error=exc))
        return EXIT_ERROR
    for rule in ruleset.rules:
        words = sum(len(g.words) for g in rule.positive + rule.negative)
        print(
            f"ok  {rule.id}: {len(rule.forms)} forms, {words} context words, "
            f"thresholds {rule.thresholds.low}/{rule.thresholds.medium}/{rule.thresholds.high}"
            f"  ({', '.join(rule.sources)})"
        )
    print(_("ruleset version {version}").format(version=ruleset.version))
    return EXIT_CLEAN


def _list_texts(name: str, config: ScanConfig) -> tuple[list[str], list]:
    """The text of each part of a number list, read as ``scan`` reads files: any encoding
    (CP932, UTF-16 ...), and any format (an xlsx sheet, a docx table) through the same extractors."""
    import io

    from scanner.extract.dispatch import extract
    from scanner.extract.limits import Budget
    from scanner.extract.parts import Context, Unscanned
    from scanner.extract.textfile import segment_texts

    try:
        raw = sys.stdin.buffer.read() if name == STDIN_OPERAND else Path(name).read_bytes()
    except OSError as exc:
        raise UsageError(_("cannot read {path}: {why}").format(path=name, why=os_error_text(exc))) from None
    # prefilter None: the whole text, not only the lines around 12-digit runs (the header row matters)
    ctx = Context(None, config.limits, Budget(config.limits))
    texts, problems = [], []
    try:
        for item in extract(io.BytesIO(raw), ctx):
            if isinstance(item, Unscanned):
                problems.append(item)
            else:
                texts.append("".join(segment_texts(item.segments)))
                if item.problem is not None:
                    problems.append(item.problem)
    except Exception as exc:  # noqa: BLE001 - a broken list is the user's input: one line, exit 2
        raise UsageError(_("cannot read {path}: {why}").format(path=name, why=type(exc).__name__)) from None
    return texts, problems


def cmd_fingerprint(args: argparse.Namespace) -> int:
    try:
        config = load_scan_config(args.config)
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    fp = Fingerprinter(_key(config).key)
    texts, problems = _list_texts(args.file, config)
    for item in problems:
        where = f"{args.file}{' [' + shown_name(item.member) + ']' if item.member else ''}"
        _say(_("{where}: not read: {reason} ({detail})").format(where=where, reason=item.reason, detail=item.detail))
    try:
        fingerprints, stats = fingerprints_from_texts(texts, fp, args.column)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if problems and not fingerprints:
        raise UsageError(_("nothing could be read from {path}").format(path=args.file))
    content = write_list(fingerprints)
    if args.output:
        fd = os.open(args.output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(content)
    else:
        sys.stdout.write(content)
    _say(_(
        "{count} fingerprints from {valid} valid numbers; "
        "{invalid} with a wrong check digit and {skipped} other cells ignored"
    ).format(count=len(fingerprints), valid=stats.valid, invalid=stats.invalid, skipped=stats.skipped))
    return EXIT_CLEAN


def cmd_demo(args: argparse.Namespace) -> int:
    from scanner.demo import write_demo_files

    target = Path(args.dir) if args.dir else None
    directory = write_demo_files(target)
    if args.no_scan:
        _say(_("example files written to {path}").format(path=directory))
        return EXIT_CLEAN
    _say(_("example files written to {path}; scanning them:").format(path=directory))
    scan_args = build_parser().parse_args(["scan", str(directory), "--format", args.format, "-j", "1"])
    return cmd_scan(scan_args)


def _serve_config(args: argparse.Namespace):
    from scanner.config import apply_overrides, load_serve_config

    overrides = {
        "watch": getattr(args, "watch", None), "poll": getattr(args, "poll", None),
        "state_dir": getattr(args, "state_dir", None), "alert_log": getattr(args, "alert_log", None),
        "quarantine_dir": getattr(args, "quarantine_dir", None),
        "metrics_address": getattr(args, "metrics_address", None),
    }
    try:
        return apply_overrides(load_serve_config(args.config), overrides), overrides
    except ConfigError as exc:
        raise UsageError(_("config: {error}").format(error=exc)) from None


def _layout_notes(cfg) -> list[str]:
    """Refuse (exit 2) a layout whose watches lie inside the daemon's own directories, or whose
    alerts would go nowhere; what deserves only a warning is returned."""
    from scanner.config import check_alert_destinations
    from scanner.sources.protected import LayoutError, check_layout

    try:
        check_alert_destinations(cfg)
        return check_layout(cfg.state_dir, cfg.quarantine_dir, cfg.alert_log,
                            [w.local for w in cfg.watches if w.local])
    except ConfigError as exc:
        raise UsageError(_("config: {error}").format(error=exc)) from None
    except LayoutError as exc:
        raise UsageError(str(exc)) from None


def cmd_serve(args: argparse.Namespace) -> int:
    from scanner.serve.logs import setup_logging
    from scanner.serve.server import Server
    from scanner.serve.web_services import ListenError

    cfg, overrides = _serve_config(args)
    if cfg.language and getattr(args, "lang", None) is None:
        set_language(cfg.language)
    notes = _layout_notes(cfg)
    _check_shares(args, cfg)
    setup_logging(cfg.log_json)
    for note in notes:
        logging.getLogger("mynumber_dlp").warning("%s", note)
    _ruleset(list(cfg.scan.rules_dirs))  # fail early, with a clear message
    key = _key(cfg.scan).key
    try:
        return Server(cfg, key, args.config, overrides).run()
    except (ListenError, TriageError) as exc:
        raise UsageError(str(exc)) from None


def cmd_config_check(args: argparse.Namespace) -> int:
    """Validate a serve config; print a summary line, then the effective configuration as JSON."""
    import json

    from scanner.config import effective_config

    cfg, _overrides = _serve_config(args)
    for note in _layout_notes(cfg):
        _say(_("note: {note}").format(note=note))
    _check_shares(args, cfg)
    ruleset = _ruleset(list(cfg.scan.rules_dirs))
    if cfg.scan.allowlist is not None:
        from scanner.triage.allowlist import AllowlistError, load_allowlist

        try:
            for entry in load_allowlist(cfg.scan.allowlist).expired:
                _say(_("note: allowlist entry expired on {day} is not applied ({reason})").format(
                    day=entry.until, reason=entry.reason))
        except AllowlistError as exc:
            raise UsageError(str(exc)) from None
    watches = ", ".join(
        f"{w.name}={w.path}{' (poll ' + format(w.poll, 'g') + ' s)' if w.poll else ''}" for w in cfg.watches
    )
    print(f"ok  {args.config}: watches {watches or 'none'}; state {cfg.state_dir}; "
          f"quarantine {cfg.quarantine_dir or 'off'}; metrics {cfg.metrics_address}; ruleset {ruleset.version}")
    print(json.dumps(effective_config(cfg), ensure_ascii=False, indent=2))  # secrets masked
    return EXIT_CLEAN


def cmd_config_init(args: argparse.Namespace) -> int:
    """Write the commented example config; it is loaded before it is written, and never over a file."""
    from scanner.config import load_serve_config
    from scanner.config.example import example_config
    from scanner.config.paths import default_home

    target: Path = args.file
    if target.exists() and not args.force:
        raise UsageError(_("{path} exists; give --force to overwrite it").format(path=target))
    text = example_config(args.watch.resolve() if args.watch else default_home() / "watch")
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    try:
        load_serve_config(tmp)
    except ConfigError as exc:  # the shipped example must load; a failure is ours
        tmp.unlink()
        raise UsageError(_("config init: {error}").format(error=exc)) from None
    os.replace(tmp, target)
    _say(_("wrote {path}; edit it, then: mynumber-dlp config check {path}").format(path=target))
    return EXIT_CLEAN


def cmd_completion(args: argparse.Namespace) -> int:
    """The shell's completion script for every command and option (shtab, from this parser)."""
    import shtab

    print(shtab.complete(build_parser(), shell=args.shell))
    return EXIT_CLEAN


def cmd_man(args: argparse.Namespace) -> int:
    """The manual page in roff (argparse-manpage, from this parser): ``mynumber-dlp man | man -l -``."""
    from argparse_manpage.manpage import Manpage  # type: ignore[import-untyped]

    print(str(Manpage(build_parser())))
    return EXIT_CLEAN


def _quarantine_store(args: argparse.Namespace):
    from scanner.actions.quarantine import QuarantineOptions, QuarantineStore
    from scanner.state import STATE_FILE, StateDB

    cfg, _overrides = _serve_config(args)
    if cfg.quarantine_dir is None:
        raise UsageError(_("no quarantine directory configured (--quarantine-dir or [serve] quarantine_dir)"))
    if not (cfg.state_dir / STATE_FILE).exists():
        raise UsageError(_("no state database in {dir}: give the daemon's --state-dir (or --config)").format(
            dir=cfg.state_dir))
    smb = _smb_credentials(args, cfg.smb_credentials)
    options = QuarantineOptions(cfg.quarantine_dir, cfg.quarantine_stub, cfg.share_quarantine)
    return QuarantineStore(options, StateDB(cfg.state_dir), smb)


QUARANTINE_STATES = ("stored", "restored", "restored_elsewhere", "purged", "aborted", "moving")
"""States of a manifest row; ``quarantine list`` shows ``stored`` unless told otherwise."""


def _public_entry(e: dict, raw: bool = False) -> dict:
    entry = {
        "id": e["id"], "original_path": e["original_path"], "state": e["state"],
        "quarantined_at": time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(e["quarantined_at"])),
        "size": e["size"], "sha256": e["sha256"], "reasons": e["reasons"],
    }
    exact = name_bytes(e["original_path"], raw)
    entry["original_path"] = shown_name(e["original_path"], raw)
    if exact is not None:
        entry["original_path_bytes"] = exact
    return entry


def cmd_quarantine(args: argparse.Namespace) -> int:
    import json

    from scanner.actions.quarantine import QuarantineError

    store = _quarantine_store(args)
    raw = getattr(args, "raw_paths", False)
    try:
        if args.quarantine_command == "list":
            states = QUARANTINE_STATES if args.all else tuple(args.state or ("stored",))
            for e in store.db.quarantine_list(states):
                entry = _public_entry(e, raw)
                if args.format == "jsonl":
                    print(json.dumps(entry, ensure_ascii=False))
                else:
                    count = len(entry["reasons"])
                    print(f"{entry['id']}  {entry['state']:<8}  {entry['quarantined_at']}  "
                          + ngettext("{count} finding", "{count} findings", count).format(count=count)
                          + f"  {entry['original_path']}")
        elif args.quarantine_command == "show":
            entry = store.db.quarantine_get(store.resolve(args.id))
            assert entry is not None  # resolve() found it
            print(json.dumps(_public_entry(entry, raw), ensure_ascii=False, indent=2))
        elif args.quarantine_command == "restore":
            print(shown_name(store.restore(args.id, Path(args.to) if args.to else None), raw))
        elif args.quarantine_command == "purge":
            print(_("purged {id}").format(id=store.purge(args.id)))
    except QuarantineError as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:
        raise UsageError(f"quarantine: {os_error_text(exc)}"
                         f"{' (' + shown_name(str(exc.filename)) + ')' if exc.filename else ''}") from None
    return EXIT_CLEAN


def _serve_flags(p: argparse.ArgumentParser, all_flags: bool = True) -> None:
    p.add_argument("--config", type=Path, metavar="FILE", help=_("serve config (TOML); default: the embedded one"))
    p.add_argument("--state-dir", metavar="DIR")
    p.add_argument("--quarantine-dir", metavar="DIR")
    if all_flags:
        p.add_argument("--watch", action="append", metavar="DIR",
                       help=_("watch DIR (repeatable; replaces the config's)"))
        p.add_argument("--poll", type=float, metavar="SECONDS", help=_("poll the watched dirs instead of inotify"))
        p.add_argument("--alert-log", metavar="FILE")
        p.add_argument("--metrics-address", metavar="HOST:PORT", help=_("default 127.0.0.1:9108"))


def _command(parent: Any, name: str, help: str, **kwargs: Any) -> argparse.ArgumentParser:
    """A subcommand whose ``--help`` opens with the line the command list shows for it."""
    return parent.add_parser(name, help=help, description=help, **kwargs)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="mynumber-dlp",
        description=_("Find Japanese Individual Numbers (マイナンバー) in files; report them masked and "
                      "fingerprinted."),
    )
    p.add_argument("--version", action="version", version=f"mynumber-dlp {__version__}")
    p.add_argument("--lang", choices=LANGUAGES, help=_("language of messages and reports (default: from LANG)"))
    sub = p.add_subparsers(dest="command", required=True)

    s = _command(sub, "scan", help=_("scan files and directories"))
    s.add_argument("paths", nargs="+", metavar="PATH",
                   help=_("files and directories; smb://[user@]server/share/dir reads a share without a mount; "
                          "- reads standard input"))
    s.add_argument("--smb-credentials", metavar="FILE",
                   help=_("user and password for smb:// paths (username=/password=/domain= lines, mode 0600); "
                          "default: MYNUMBER_DLP_SMB_CREDENTIALS, or MYNUMBER_DLP_SMB_USER and "
                          "MYNUMBER_DLP_SMB_PASSWORD"))
    s.add_argument("--format", "-f", choices=FORMATS, default="text")
    s.add_argument("--min-confidence", choices=("low", "medium", "high"), help=_("default: low (or the config's)"))
    s.add_argument("--fail-on-unscanned", action="store_true", help=_("exit 2 when any item could not be scanned"))
    s.add_argument("-j", "--jobs", type=int, help=_("worker processes (default: one per core)"))
    s.add_argument("--exclude", action="append", default=[], metavar="GLOB", help=_("skip matching files/dirs"))
    s.add_argument("--follow-symlinks", action="store_true", help=_("follow symlinks met while walking"))
    s.add_argument("--rules", action="append", default=[], type=Path, metavar="DIR", help=_("extra rule directory"))
    s.add_argument("--known", type=Path, metavar="FILE", help=_("fingerprint list from `mynumber-dlp fingerprint`"))
    s.add_argument("--config", type=Path, metavar="FILE")
    s.add_argument("-o", "--output", metavar="FILE", help=_("write the report here instead of stdout"))
    s.add_argument("--no-progress", action="store_true", help=_("no progress bar even on a terminal"))
    s.add_argument("--raw-paths", action="store_true",
                   help=_("show numbers in file and member names unmasked (for those entitled to see them)"))
    s.add_argument("--baseline", type=Path, metavar="FILE", help=_("report only findings not in this baseline"))
    s.add_argument("--write-baseline", type=Path, metavar="FILE",
                   help=_("write this scan's findings as a baseline (mode 0600; no number inside)"))
    s.add_argument("--allowlist", type=Path, metavar="FILE", help=_("TOML [[allow]] entries of reviewed findings"))
    s.add_argument("--allow-samples", action="store_true",
                   help=_("do not report the well-known example numbers of tutorials and docs"))
    s.add_argument("--lang", choices=LANGUAGES, help=_("language of messages and reports (default: from LANG)"))
    s.add_argument("--summary-by-dir", action="store_true",
                   help=_("text format: end with a table of files, findings and unread items per directory"))
    s.add_argument("--excel", action="store_true",
                   help=_("csv format: UTF-8 with a byte order mark and CRLF, as Japanese Excel opens it"))
    s.set_defaults(func=cmd_scan)

    al = _command(sub, "allow", help=_("work with allowlists of reviewed findings"))
    alsub = al.add_subparsers(dest="allow_command", required=True)
    aa = _command(alsub, "add", help=_("append an [[allow]] entry to an allowlist"))
    aa.add_argument("--fingerprint", help=_("the finding's fingerprint (64 hex digits, from the report)"))
    aa.add_argument("--path", help=_("glob of the file's path"))
    aa.add_argument("--member", help=_("glob of the place inside the file"))
    aa.add_argument("--rule", help=_("rule id"))
    aa.add_argument("--reason", required=True, help=_("why the finding is accepted (who, ticket)"))
    aa.add_argument("--until", metavar="YYYY-MM-DD", help=_("last day the entry applies"))
    aa.add_argument("--file", type=Path, metavar="FILE", help=_("the allowlist (default: the config's allowlist)"))
    aa.add_argument("--config", type=Path, metavar="FILE")
    aa.set_defaults(func=cmd_allow_add)

    r = _command(sub, "rules", help=_("work with rule files"))
    rsub = r.add_subparsers(dest="rules_command", required=True)
    rc = _command(rsub, "check", help=_("validate rule directories (on top of the shipped rules)"))
    rc.add_argument("dirs", nargs="*", metavar="DIR")
    rc.add_argument("--only", action="store_true", help=_("check DIRs alone, without the shipped rules"))
    rc.set_defaults(func=cmd_rules_check)
    rp = _command(rsub, "path", help=_("print where the shipped rules are"))
    rp.set_defaults(func=lambda a: print(shipped_rules_dir()) or EXIT_CLEAN)

    f = _command(sub, "fingerprint", help=_("turn a list of known numbers into a fingerprint list"))
    f.add_argument("file", metavar="FILE", help=_("one number per line, or a CSV (see --column); - for stdin"))
    f.add_argument("--column", help=_("CSV column header holding the numbers"))
    f.add_argument("-o", "--output", metavar="FILE", help=_("write the list here (mode 0600)"))
    f.add_argument("--config", type=Path, metavar="FILE")
    f.set_defaults(func=cmd_fingerprint)

    sv = _command(sub, "serve", help=_("run the daemon: watch directories, alert, quarantine, export metrics"))
    _serve_flags(sv)
    sv.set_defaults(func=cmd_serve)

    cf = _command(sub, "config", help=_("work with serve configs"))
    cfsub = cf.add_subparsers(dest="config_command", required=True)
    cc = _command(cfsub, "check", help=_("validate a serve config and its rules"))
    cc.add_argument("config", type=Path, metavar="FILE")
    cc.set_defaults(func=cmd_config_check)
    ci = _command(cfsub, "init", help=_("write a commented example config (every key with its default)"))
    ci.add_argument("file", type=Path, metavar="FILE")
    ci.add_argument("--watch", type=Path, metavar="DIR", help=_("the directory to watch (default: the embedded one)"))
    ci.add_argument("--force", action="store_true", help=_("overwrite FILE if it exists"))
    ci.set_defaults(func=cmd_config_init)

    co = _command(sub, "completion", help=_("print a shell completion script (bash, zsh, tcsh)"))
    co.add_argument("shell", choices=("bash", "zsh", "tcsh"))
    co.set_defaults(func=cmd_completion)
    mp = _command(sub, "man", help=_("print the manual page (roff), made from these options"))
    mp.set_defaults(func=cmd_man)

    q = _command(sub, "quarantine", help=_("list, show, restore or purge quarantined files"))
    qsub = q.add_subparsers(dest="quarantine_command", required=True)
    ql = _command(qsub, "list", help=_("quarantined files (stored ones unless --state or --all)"))
    ql.add_argument("--format", choices=("text", "jsonl"), default="text")
    ql.add_argument("--state", action="append", choices=QUARANTINE_STATES, help=_("entries in this state (repeatable)"))
    ql.add_argument("--all", action="store_true", help=_("entries in every state: released and purged too"))
    ql.add_argument("--raw-paths", action="store_true", help=_("show numbers in file names unmasked"))
    _serve_flags(ql, all_flags=False)
    for name, what in (("show", _("one entry")), ("restore", _("put a file back exactly")),
                       ("purge", _("delete for good"))):
        qp = _command(qsub, name, help=what)
        qp.add_argument("id", help=_("quarantine id, or a unique prefix of it"))
        qp.add_argument("--raw-paths", action="store_true", help=_("show numbers in file names unmasked"))
        if name == "restore":
            qp.add_argument("--to", metavar="PATH", help=_("restore to this new path instead of the original one"))
        _serve_flags(qp, all_flags=False)
    q.set_defaults(func=cmd_quarantine)

    add_audit_commands(sub, _command, FORMATS, LANGUAGES)

    d = _command(sub, "demo", help=_("write example files with synthetic numbers and scan them"))
    d.add_argument("dir", nargs="?", help=_("where to write the examples (default: a new temporary directory)"))
    d.add_argument("--format", "-f", choices=FORMATS, default="text")
    d.add_argument("--no-scan", action="store_true", help=_("only write the files (e.g. into a watched directory)"))
    d.set_defaults(func=cmd_demo)
    return p


def _report_stdout() -> TextIO:
    """Standard output for a report: block-buffered unless it is a terminal (its file
    descriptor stays open when the report is closed)."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # replaced by an object without a descriptor
        return sys.stdout
    if sys.stdout.isatty():
        return sys.stdout
    sys.stdout.flush()
    return open(fd, "w", buffering=STDOUT_BUFFER_BYTES, encoding=sys.stdout.encoding,
                errors=sys.stdout.errors, closefd=False)


def _language_of(argv: list[str]) -> str:
    """``--lang ja`` / ``--lang=ja`` anywhere on the line, else the environment's locale (before
    the parser is built: its help is in that language too)."""
    for i, arg in enumerate(argv):
        value = argv[i + 1] if arg == "--lang" and i + 1 < len(argv) else arg.partition("=")[2]
        if (arg == "--lang" or arg.startswith("--lang=")) and value in LANGUAGES:
            return value
    return language_from_env()


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``mynumber-dlp`` command."""
    argv = sys.argv[1:] if argv is None else argv
    language = _language_of(argv)
    set_language(language)
    translate_argparse(language)
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except UsageError as exc:
        _say(str(exc))
        return EXIT_ERROR
    except KeyboardInterrupt:
        _say(_("interrupted"))
        return 130
    except BrokenPipeError:
        # stdout closed early (e.g. piped into head): not an error of the scan
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_ERROR
    except OSError as exc:
        # a directory we may not write, a file we may not read: the user's to fix, not a bug
        if os.environ.get(DEBUG_ENV):
            raise
        where = f": {shown_name(os.fsdecode(exc.filename))}" if exc.filename else ""
        _say(f"{os_error_text(exc)}{where}")
        return EXIT_ERROR
    except Exception as exc:  # noqa: BLE001 - a bug must never exit 1 ("findings") or show a traceback
        if os.environ.get(DEBUG_ENV):
            raise
        _say(_("internal error ({error}); please report it; set {variable}=1 for a traceback").format(
            error=f"{type(exc).__name__}: {safe_detail(str(exc))[:200]}", variable=DEBUG_ENV))
        return EXIT_ERROR
