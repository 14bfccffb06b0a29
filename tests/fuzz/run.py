"""Fuzz ``dispatch.extract`` by hand (see README.md).

    python -m tests.fuzz.run --list
    python -m tests.fuzz.run TARGET [-atheris_runs=N] [-max_total_time=S] [libFuzzer flags ...]
    python -m tests.fuzz.run TARGET --plain [--runs N] [--seconds S]     # no atheris: plain mutator
    python -m tests.fuzz.run --replay FILE ...                           # re-run saved inputs
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import resource
import sys
import time
import traceback
from pathlib import Path

TARGET_NAMES = (
    "zip", "docx", "xlsx", "pptx", "odt", "pdf", "eml", "mbox", "tar", "gz", "7z", "rtf", "html", "msg", "xls", "text",
)
"""The targets (seeds.TARGETS), named here so that nothing is imported before atheris instruments it."""
WORK = Path(os.environ.get("MYNUMBER_DLP_FUZZ_DIR", "/tmp/mynumber-dlp-fuzz"))
"""Corpus and crash artifacts live here (outside the repository), one folder per target."""
MEMORY_MB = 4096
"""Address space (RLIMIT_AS) of a fuzzing process: a blow-up becomes a MemoryError, i.e. a failure."""
RSS_LIMIT_MB = 2048
"""libFuzzer's own resident-memory bound."""
MAX_LEN = 64 * 1024
"""Longest input libFuzzer makes (seeds are a few KB)."""
TIME_LIMIT = 5.0
"""Seconds one input may take, unless --time-limit says otherwise (harness.TIME_LIMIT)."""
INSTRUMENTED = ("scanner.extract", "zipfile", "tarfile", "gzip", "email", "html", "xml")
"""Modules atheris instruments for coverage in every target: the extractors and the stdlib parsers."""
TARGET_PARSERS = {
    "pdf": ("pypdf",),
    "7z": ("py7zr",),
    "msg": ("olefile", "extract_msg"),
    "xls": ("olefile", "xlrd"),
    "rtf": ("striprtf",),
}
"""Third-party parsers instrumented only for the targets that reach them (instrumenting them all
costs about 40 s at start)."""


def _args(argv: list[str]) -> tuple[argparse.Namespace, list[str]]:
    p = argparse.ArgumentParser(
        prog="python -m tests.fuzz.run", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("target", nargs="?", help="what to fuzz (--list shows the targets)")
    p.add_argument("--list", action="store_true", help="list the targets")
    p.add_argument("--replay", nargs="+", metavar="FILE", help="run these inputs once each and report")
    p.add_argument("--plain", action="store_true", help="use the plain mutator instead of atheris")
    p.add_argument("--runs", type=int, default=0, help="--plain: inputs to run (0: until --seconds)")
    p.add_argument("--seconds", type=float, default=60.0, help="--plain: seconds to run")
    p.add_argument("--seed", type=int, default=0, help="--plain: random seed")
    p.add_argument("--time-limit", type=float, default=TIME_LIMIT, help="seconds one input may take")
    p.add_argument("--memory-mb", type=int, default=MEMORY_MB, help="address space limit of this process")
    return p.parse_known_args(argv)


def _limit_memory(mb: int) -> None:
    limit = mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _corpus(target: str) -> Path:
    """The target's corpus folder, holding its seeds (libFuzzer adds what it finds)."""
    from tests.fuzz.seeds import TARGETS

    folder = WORK / target
    folder.mkdir(parents=True, exist_ok=True)
    for seed in TARGETS[target]():
        (folder / f"seed-{hashlib.sha1(seed).hexdigest()[:16]}").write_bytes(seed)
    return folder


def _import_parsers(names: tuple[str, ...]) -> None:
    """The parser libraries the extractors import lazily, imported now (under instrumentation)."""
    import importlib

    for name in ("email.parser", "html.parser", "xml.etree.ElementTree", *names):
        try:
            importlib.import_module(name)
        except ImportError:
            pass  # an optional format library that is not installed: its files are "unsupported"


def replay(files: list[str], time_limit: float) -> int:
    """Run each file once; print how it went; 1 if any failed."""
    from tests.fuzz import harness

    failed = 0
    for name in files:
        data = Path(name).read_bytes()
        try:
            items = harness.check_one(data, time_limit)
            print(f"ok      {name}: {items} items")
        except harness.FuzzFailure as exc:
            failed += 1
            print(f"FAILED  {name}: {exc}")
            traceback.print_exception(exc.__cause__ or exc)
    return 1 if failed else 0


def plain(target: str, runs: int, seconds: float, seed: int, time_limit: float) -> int:
    """Fuzz with the plain mutator; a failing input is saved beside the corpus. 1 on a failure."""
    from tests.fuzz import harness
    from tests.fuzz.seeds import TARGETS

    seeds = TARGETS[target]()
    rng = random.Random(seed)
    end = time.monotonic() + seconds
    n = 0
    while (runs and n < runs) or (not runs and time.monotonic() < end):
        data = harness.mutate(rng, seeds)
        n += 1
        try:
            harness.check_one(data, time_limit)
        except harness.FuzzFailure as exc:
            path = WORK / f"{target}-crash-{hashlib.sha1(data).hexdigest()[:16]}"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            print(f"after {n} inputs: {exc}; input saved to {path}")
            traceback.print_exception(exc.__cause__ or exc)
            return 1
    print(f"{target}: {n} inputs, no failure")
    return 0


def fuzz(target: str, libfuzzer_args: list[str], time_limit: float) -> None:
    """Coverage-guided fuzzing with atheris (libFuzzer); does not return."""
    import atheris

    include = [*INSTRUMENTED, *TARGET_PARSERS.get(target, ())]
    early = [name for name in include if name in sys.modules]
    if early:
        print(f"not instrumented (imported before atheris): {', '.join(early)}", file=sys.stderr)
    with atheris.instrument_imports(include=include):
        from tests.fuzz import harness

        _import_parsers(TARGET_PARSERS.get(target, ()))
    harness.prefilter()  # the engine's rules are not under test
    corpus = _corpus(target)
    defaults = {
        "-timeout": str(int(time_limit * 2) + 1),
        "-rss_limit_mb": str(RSS_LIMIT_MB),
        "-max_len": str(MAX_LEN),
        "-artifact_prefix": f"{WORK}/{target}-",
    }
    given = {arg.split("=", 1)[0] for arg in libfuzzer_args}
    extra = [f"{k}={v}" for k, v in defaults.items() if k not in given]

    def one(data: bytes) -> None:
        harness.check_one(data, time_limit, alarm=False)  # libFuzzer's -timeout catches a hang in C code

    atheris.Setup([sys.argv[0], *libfuzzer_args, *extra, str(corpus)], one)
    atheris.Fuzz()


def main(argv: list[str] | None = None) -> int:
    args, rest = _args(sys.argv[1:] if argv is None else argv)
    if args.list:
        print("\n".join(TARGET_NAMES))
        return 0
    _limit_memory(args.memory_mb)
    if args.replay:
        return replay(args.replay, args.time_limit)
    if args.target not in TARGET_NAMES:
        print("a target is needed, one of: " + " ".join(TARGET_NAMES), file=sys.stderr)
        return 2
    if args.plain:
        return plain(args.target, args.runs, args.seconds, args.seed, args.time_limit)
    fuzz(args.target, rest, args.time_limit)
    return 0


if __name__ == "__main__":
    sys.exit(main())
