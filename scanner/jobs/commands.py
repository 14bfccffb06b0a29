"""``mynumber-dlp audit enqueue | collect``: the command-line side of distributed audits.

Exit status of ``collect``: 0 complete and no findings, 1 complete with findings, 2 an error,
or an audit not complete yet (its report is written, and says only what is in).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from scanner.config import mask_url
from scanner.config.audit_jobs import DEFAULT_JOBS_STREAM
from scanner.detect.finding import Confidence
from scanner.i18n import _
from scanner.jobs.collect import Collector
from scanner.jobs.enqueue import DEFAULT_BATCH_FILES, AuditExists, EnqueueOptions, enqueue_audit
from scanner.jobs.job import WALK_JOB
from scanner.jobs.names import check_audit_name, manifest_stream, results_stream
from scanner.jobs.queue import JobQueue, open_job_queue
from scanner.report.formats import Presented
from scanner.report.records import FileDone, Summary
from scanner.sources.smb.location import is_smb_url
from scanner.sources.walk import WalkOptions

COLLECT_POLL_SECONDS = 1.0
"""How often ``collect --wait`` reads what arrived."""


def _usage(message: str) -> Exception:
    from scanner.cli import UsageError

    return UsageError(message)


def _connect(url: str, name: str) -> JobQueue:
    """The broker at ``url``; any problem is one line (the URL's password masked)."""
    try:
        check_audit_name(name)
        return open_job_queue(url)
    except ValueError as exc:
        raise _usage(str(exc)) from None
    except Exception as exc:  # noqa: BLE001 - redis/librdkafka errors: the user's broker, not a bug
        raise _usage(_("cannot reach the audit queue {url}: {error}").format(
            url=mask_url(url), error=type(exc).__name__)) from None


def cmd_audit_enqueue(args: argparse.Namespace) -> int:
    """Walk the paths and publish their jobs."""
    from scanner.audit import AuditOptions
    from scanner.cli import _missing_operands, _say, _smb_credentials
    from scanner.config import ConfigError, load_scan_config

    try:
        config = load_scan_config(args.config)
    except ConfigError as exc:
        raise _usage(str(exc)) from None
    if args.batch < 1:
        raise _usage(_("--batch must be at least 1"))
    smb = _smb_credentials(args) if any(is_smb_url(p) for p in args.paths) else None
    missing = _missing_operands(list(args.paths), {}, smb)
    if missing:  # before anything is published: half an audit is worse than none
        raise _usage(_("cannot read {count} of the paths given: {paths}").format(
            count=len(missing), paths=", ".join(missing[:3])))
    walk = WalkOptions(exclude=tuple(config.exclude) + tuple(args.exclude),
                       follow_symlinks=args.follow_symlinks or config.follow_symlinks)
    min_conf = Confidence.parse(args.min_confidence) if args.min_confidence else config.min_confidence
    # whoever takes the jobs reads the paths as written here: a local path must be absolute
    paths = [p if is_smb_url(p) else os.path.abspath(p) for p in args.paths]
    options = EnqueueOptions(args.stream, args.batch, min_conf, AuditOptions(walk=walk, smb=smb))
    queue = _connect(args.queue, args.name)
    try:
        manifest = enqueue_audit(queue, args.name, paths, options)
    except AuditExists as exc:
        raise _usage(str(exc)) from None
    except Exception as exc:  # noqa: BLE001
        raise _usage(_("cannot publish to the audit queue {url}: {error}").format(
            url=mask_url(args.queue), error=type(exc).__name__)) from None
    finally:
        queue.close()
    _say(_("audit {name}: {jobs} jobs ({files} files) published to {stream}").format(
        name=args.name, jobs=manifest.jobs - 1, files=manifest.files, stream=args.stream))
    return 0


def cmd_audit_collect(args: argparse.Namespace) -> int:
    """Gather the audit's results into one report."""
    from scanner.cli import EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, _ruleset, _say, _writer, report_output
    from scanner.config import ConfigError, load_scan_config

    try:
        config = load_scan_config(args.config)
    except ConfigError as exc:
        raise _usage(str(exc)) from None
    ruleset = _ruleset(list(config.rules_dirs) + args.rules)
    queue = _connect(args.queue, args.name)
    with ExitStack() as stack:
        stack.callback(queue.close)
        try:
            if not queue.exists(results_stream(args.name)) and not queue.exists(manifest_stream(args.name)):
                raise _usage(_("no audit named {name} on this broker").format(name=args.name))
            collector = Collector(queue, args.name)
            stack.callback(collector.close)
            collector.poll()
            deadline = time.monotonic() + args.wait
            while not collector.complete and time.monotonic() < deadline:
                time.sleep(min(COLLECT_POLL_SECONDS, max(deadline - time.monotonic(), 0)))
                collector.poll()
        except Exception as exc:  # noqa: BLE001
            if type(exc).__name__ == "UsageError":
                raise
            raise _usage(_("cannot read the audit queue {url}: {error}").format(
                url=mask_url(args.queue), error=type(exc).__name__)) from None
        out = report_output(args)
        if out is not sys.stdout:
            stack.callback(out.close)
        paths = list(collector.manifest.paths) if collector.manifest else []
        summary = _write_report(collector, Presented(_writer(_as_scan_args(args, paths), out, ruleset),
                                                     args.raw_paths))
    done, total = len(collector.assembly.done), collector.total
    _say(_("audit {name}: {done} of {total} jobs done ({files} files scanned)").format(
        name=args.name, done=done, total="?" if total is None else total, files=summary.files_scanned))
    _warn_mixed(collector, _say)
    if not collector.complete:
        _say(_("audit {name} is not complete: the report holds only the jobs done so far "
               "(collect again later, or give --wait SECONDS)").format(name=args.name))
        return EXIT_ERROR
    if args.fail_on_unscanned and summary.total_not_scanned:
        return EXIT_ERROR
    return EXIT_FINDINGS if summary.total_findings else EXIT_CLEAN


def _as_scan_args(args: argparse.Namespace, paths: list[str]) -> argparse.Namespace:
    """What the report writers read of ``scan``'s arguments."""
    return argparse.Namespace(format=args.format, excel=args.excel, summary_by_dir=args.summary_by_dir, paths=paths)


def _write_report(collector: Collector, writer: Presented) -> Summary:
    """Every accepted job's files and records to ``writer``; the summary of them."""
    reports = collector.assembly.reports()
    summary = Summary(ruleset=",".join(sorted({r.ruleset for r in reports if r.ruleset})))
    for report in reports:
        for f in report.files:
            done = FileDone(f.size, f.scanned)
            writer.file(f.path, done)
            if f.scanned:
                summary.files_scanned += 1
                summary.bytes_scanned += f.size
        for rec in report.records:
            summary.count(rec)
            writer.record(rec)
    if collector.manifest is not None and reports:
        summary.duration_seconds = max(r.finished for r in reports) - collector.manifest.created
    writer.close(summary)
    return summary


def _warn_mixed(collector: Collector, say: Any) -> None:
    """Say when the daemons did not agree on the key or the rules, and what was dropped."""
    reports = [r for r in collector.assembly.reports() if r.job != WALK_JOB]
    keys = {r.key_id for r in reports}
    if len(keys) > 1:
        say(_("the results come from daemons with {count} different fingerprint keys: fingerprints agree only "
              "between results made with the same key").format(count=len(keys)))
    rulesets = {r.ruleset for r in reports}
    if len(rulesets) > 1:
        say(_("the results come from daemons with {count} different rulesets: {rulesets}").format(
            count=len(rulesets), rulesets=", ".join(sorted(rulesets))))
    if collector.assembly.duplicates:
        say(_("{count} results of jobs done twice were dropped").format(count=collector.assembly.duplicates))
    if collector.assembly.foreign:
        say(_("{count} messages that are no results of this audit were skipped").format(
            count=collector.assembly.foreign))


def add_audit_commands(sub: Any, command: Any, formats: tuple[str, ...], languages: tuple[str, ...]) -> None:
    """``audit enqueue`` and ``audit collect`` under ``sub`` (``command`` makes a subcommand)."""
    au = command(sub, "audit", help=_("spread an audit over daemons through a broker (Redis Streams, Kafka)"))
    ausub = au.add_subparsers(dest="audit_command", required=True)
    en = command(ausub, "enqueue", help=_("walk PATHs and publish one job per batch of files"))
    en.add_argument("paths", nargs="+", metavar="PATH",
                    help=_("files and directories (every daemon must see them under the same name: one mount "
                           "point, or smb:// URLs)"))
    for p in (en,):
        p.add_argument("--queue", required=True, metavar="URL",
                       help=_("the broker: redis://host:port/0 or kafka://host:port"))
        p.add_argument("--name", required=True, metavar="NAME", help=_("the audit's name (used once per broker)"))
    en.add_argument("--stream", default=DEFAULT_JOBS_STREAM, metavar="NAME",
                    help=_("stream or topic of the jobs (default: %(default)s)"))
    en.add_argument("--batch", type=int, default=DEFAULT_BATCH_FILES, metavar="N",
                    help=_("files per job (default: %(default)s)"))
    en.add_argument("--min-confidence", choices=("low", "medium", "high"), help=_("default: low (or the config's)"))
    en.add_argument("--exclude", action="append", default=[], metavar="GLOB", help=_("skip matching files/dirs"))
    en.add_argument("--follow-symlinks", action="store_true", help=_("follow symlinks met while walking"))
    en.add_argument("--smb-credentials", metavar="FILE",
                    help=_("user and password for walking smb:// paths (the daemons use their own)"))
    en.add_argument("--config", type=Path, metavar="FILE")
    en.add_argument("--lang", choices=languages, help=_("language of messages and reports (default: from LANG)"))
    en.set_defaults(func=cmd_audit_enqueue)

    co = command(ausub, "collect", help=_("gather an audit's results into one report"))
    co.add_argument("--queue", required=True, metavar="URL",
                    help=_("the broker: redis://host:port/0 or kafka://host:port"))
    co.add_argument("--name", required=True, metavar="NAME", help=_("the audit's name"))
    co.add_argument("--format", "-f", choices=formats, default="text")
    co.add_argument("-o", "--output", metavar="FILE", help=_("write the report here instead of stdout"))
    co.add_argument("--wait", type=float, default=0.0, metavar="SECONDS",
                    help=_("wait up to SECONDS for the audit to complete (default: report what is in now)"))
    co.add_argument("--fail-on-unscanned", action="store_true", help=_("exit 2 when any item could not be scanned"))
    co.add_argument("--raw-paths", action="store_true",
                    help=_("show numbers in file and member names unmasked (for those entitled to see them)"))
    co.add_argument("--rules", action="append", default=[], type=Path, metavar="DIR", help=_("extra rule directory"))
    co.add_argument("--config", type=Path, metavar="FILE")
    co.add_argument("--summary-by-dir", action="store_true",
                    help=_("text format: end with a table of files, findings and unread items per directory"))
    co.add_argument("--excel", action="store_true",
                    help=_("csv format: UTF-8 with a byte order mark and CRLF, as Japanese Excel opens it"))
    co.add_argument("--lang", choices=languages, help=_("language of messages and reports (default: from LANG)"))
    co.set_defaults(func=cmd_audit_collect)
