"""Precision and recall of the scanner on a generated corpus (see generate.py).

    python -m tests.corpus.quality OUTDIR            # runs `mynumber-dlp scan OUTDIR --format jsonl -j 2`
    python -m tests.corpus.quality OUTDIR --engine   # calls the detection engine in-process
    python -m tests.corpus.quality OUTDIR --check    # exit 1 if recall@low < 0.98 or precision@high < 0.98

Findings are matched to the ground truth (``truth.jsonl``) by (path, line, column).
A finding that is not a true number is a false positive; it is attributed to the
distractor whose span covers it, if any. Only masked numbers are ever printed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

if __package__:
    from .generate import TRUTH_FILE, load_truth
else:  # run as a script: python tests/corpus/quality.py
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from generate import TRUTH_FILE, load_truth  # type: ignore[no-redef]

LEVELS = ("low", "medium", "high")
RANK = {name: i + 1 for i, name in enumerate(LEVELS)}
TEST_KEY = "corpus-quality-test-key"
MIN_RECALL_LOW = 0.98
MIN_PRECISION_HIGH = 0.98
WORST_SHOWN = 25


@dataclass(frozen=True, slots=True)
class Hit:
    path: str
    line: int
    column: int
    confidence: str
    score: float
    masked: str
    reasons: tuple[str, ...]


def cli_command() -> list[str]:
    exe = shutil.which("mynumber-dlp")
    return [exe] if exe else [sys.executable, "-m", "scanner"]


def run_cli(corpus_dir: Path, jobs: int = 2, timeout: float = 600) -> tuple[list[dict], str, str, int]:
    """Run the CLI; returns its JSONL records, raw stdout, raw stderr and exit status."""
    env = dict(os.environ, MYNUMBER_DLP_FINGERPRINT_KEY=TEST_KEY)
    cmd = [*cli_command(), "scan", str(corpus_dir), "--format", "jsonl", "-j", str(jobs), "--min-confidence", "low", "--no-progress"]
    p = subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8", errors="replace", env=env, timeout=timeout)
    records = []
    for line in p.stdout.splitlines():
        line = line.strip()
        if line.startswith("{"):
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError:
                pass
    return records, p.stdout, p.stderr, p.returncode


def _rel(path: str, corpus_dir: Path) -> str:
    p = Path(path)
    if not p.is_absolute():
        p = Path.cwd() / p
    try:
        return p.resolve().relative_to(corpus_dir.resolve()).as_posix()
    except ValueError:
        return Path(path).as_posix()


def hits_from_cli(corpus_dir: Path) -> tuple[list[Hit], list[dict], dict]:
    records, _, stderr, rc = run_cli(corpus_dir)
    hits, not_scanned = [], []
    for r in records:
        if r.get("type") == "finding":
            path = _rel(r["path"], corpus_dir)
            if r.get("member"):
                path += "!" + r["member"]
            hits.append(Hit(path, int(r["line"]), int(r["column"]), r["confidence"], float(r.get("score", 0.0)),
                            r.get("masked", ""), tuple(r.get("reasons", ()))))
        elif r.get("type") == "not_scanned":
            not_scanned.append({**r, "path": _rel(r.get("path", ""), corpus_dir)})
    return hits, not_scanned, {"exit_status": rc, "stderr_tail": stderr[-2000:]}


def hits_from_engine(corpus_dir: Path, truth: list[dict]) -> tuple[list[Hit], list[dict], dict]:
    from scanner.detect.engine import Engine
    from scanner.privacy.fingerprint import Fingerprinter
    from scanner.rules.loader import load_ruleset

    engine = Engine(load_ruleset(), Fingerprinter(TEST_KEY))
    hits = []
    for rec in truth:
        text = (corpus_dir / rec["path"]).read_bytes().decode(rec["encoding"])
        for f in engine.scan_text(text):
            hits.append(Hit(rec["path"], f.line, f.column, f.confidence.label, float(f.score), f.masked, tuple(f.reasons)))
    return hits, [], {}


def _ratio(a: int, b: int) -> float:
    return a / b if b else 1.0


def evaluate(corpus_dir: str | Path, engine: bool = False) -> dict:
    """Match findings to the truth; returns counts, ratios and the worst errors."""
    corpus_dir = Path(corpus_dir)
    truth = load_truth(corpus_dir)
    hits, not_scanned, run = hits_from_engine(corpus_dir, truth) if engine else hits_from_cli(corpus_dir)

    true_at: dict[tuple, dict] = {}
    dist_spans: dict[tuple, list[dict]] = defaultdict(list)
    case_of: dict[str, str] = {TRUTH_FILE: "(truth file)"}
    for rec in truth:
        case_of[rec["path"]] = rec["case"]
        for n in rec["numbers"]:
            true_at[(rec["path"], n["line"], n["column"])] = {**n, "case": rec["case"], "path": rec["path"]}
        for d in rec["distractors"]:
            dist_spans[(rec["path"], d["line"])].append(d)

    best: dict[tuple, Hit] = {}
    for h in hits:
        k = (h.path, h.line, h.column)
        if k not in best or RANK[h.confidence] > RANK[best[k].confidence]:
            best[k] = h

    def distractor_of(h: Hit) -> str:
        for d in dist_spans.get((h.path, h.line), ()):
            if d["column"] <= h.column < d["column"] + d["length"]:
                return d["kind"] + ("(valid)" if d.get("valid12") else "")
        return "(no distractor: " + case_of.get(h.path, "?") + ")"

    def counts(level: str, case: str | None = None) -> dict:
        rank = RANK[level]
        tk = [k for k, t in true_at.items() if case is None or t["case"] == case]
        tp = sum(1 for k in tk if k in best and RANK[best[k].confidence] >= rank)
        fp = sum(1 for k, h in best.items() if k not in true_at and RANK[h.confidence] >= rank
                 and (case is None or case_of.get(h.path) == case))
        fn = len(tk) - tp
        return {"tp": tp, "fp": fp, "fn": fn, "precision": _ratio(tp, tp + fp), "recall": _ratio(tp, tp + fn)}

    cases = sorted({rec["case"] for rec in truth})
    overall = {lv: counts(lv) for lv in LEVELS}
    per_case = {c: {lv: counts(lv, c) for lv in LEVELS} for c in cases}

    fps = [
        {"path": h.path, "line": h.line, "column": h.column, "confidence": h.confidence, "score": h.score,
         "masked": h.masked, "kind": distractor_of(h), "reasons": list(h.reasons)}
        for k, h in best.items() if k not in true_at
    ]
    fps.sort(key=lambda f: (-RANK[f["confidence"]], -f["score"]))
    fp_kinds: dict[str, Counter] = defaultdict(Counter)
    for f in fps:
        fp_kinds[f["kind"]][f["confidence"]] += 1

    fns = []
    for k, t in true_at.items():
        h = best.get(k)
        if h is None or h.confidence != "high":
            fns.append({"path": t["path"], "line": t["line"], "column": t["column"], "case": t["case"], "strength": t["strength"],
                        "form": t["form"], "masked": t["masked"], "found": h.confidence if h else None,
                        "score": h.score if h else None, "reasons": list(h.reasons) if h else []})
    fns.sort(key=lambda f: (f["found"] is not None, RANK.get(f["found"] or "", 0), f["score"] or 0))
    fn_kinds: dict[str, Counter] = defaultdict(Counter)
    for f in fns:
        fn_kinds[f"{f['case']}/{f['strength']}/{f['form']}"][f["found"] or "missed"] += 1

    return {
        "corpus": str(corpus_dir),
        "mode": "engine" if engine else "cli",
        "files": len(truth),
        "true_numbers": len(true_at),
        "findings": len(best),
        "overall": overall,
        "per_case": per_case,
        "false_positives": fps,
        "false_positive_kinds": {k: dict(v) for k, v in fp_kinds.items()},
        "below_high": fns,
        "below_high_kinds": {k: dict(v) for k, v in fn_kinds.items()},
        "not_scanned": not_scanned,
        "run": run,
    }


def passes(result: dict) -> bool:
    return (result["overall"]["low"]["recall"] >= MIN_RECALL_LOW
            and result["overall"]["high"]["precision"] >= MIN_PRECISION_HIGH)


def _row(label: str, c: dict) -> str:
    return f"{label:<28} {c['tp']:>6} {c['fp']:>6} {c['fn']:>6} {c['precision']:>9.3f} {c['recall']:>7.3f}"


def report(r: dict, out=sys.stdout) -> None:
    p = lambda *a: print(*a, file=out)  # noqa: E731
    p(f"corpus {r['corpus']} ({r['mode']}): {r['files']} files, {r['true_numbers']} true numbers, {r['findings']} finding positions")
    hdr = f"{'threshold / case':<28} {'TP':>6} {'FP':>6} {'FN':>6} {'precision':>9} {'recall':>7}"
    p("")
    p(hdr)
    p("-" * len(hdr))
    for lv in LEVELS:
        p(_row(f">= {lv}", r["overall"][lv]))
    for lv in LEVELS:
        p("")
        p(f"per case, >= {lv}")
        for case, c in r["per_case"].items():
            p(_row(f"  {case}", c[lv]))
    p("")
    p("false positives by distractor kind (count per confidence):")
    for kind, c in sorted(r["false_positive_kinds"].items(), key=lambda kv: -sum(kv[1].values())):
        p(f"  {kind:<40} " + "  ".join(f"{lv}={c.get(lv, 0)}" for lv in LEVELS))
    p("")
    p(f"worst false positives (up to {WORST_SHOWN}):")
    for f in r["false_positives"][:WORST_SHOWN]:
        p(f"  {f['confidence']:<6} {f['score']:.2f} {f['kind']:<28} {f['path']}:{f['line']}:{f['column']} {f['masked']} {','.join(f['reasons'])}")
    p("")
    p("true numbers below high, by case/strength/form (count per level found):")
    for kind, c in sorted(r["below_high_kinds"].items(), key=lambda kv: -sum(kv[1].values())):
        p(f"  {kind:<40} " + "  ".join(f"{k}={v}" for k, v in sorted(c.items())))
    p("")
    p(f"worst false negatives (up to {WORST_SHOWN}; 'found' = level reported, if below high):")
    for f in r["below_high"][:WORST_SHOWN]:
        p(f"  {str(f['found']):<6} {f['case']:<18} {f['strength']:<6} {f['form']:<16} {f['path']}:{f['line']}:{f['column']} "
          f"{f['masked']} {','.join(f['reasons'])}")
    if r["not_scanned"]:
        p("")
        p("not scanned:")
        for ns in r["not_scanned"]:
            p(f"  {ns.get('path')} {ns.get('reason')} {ns.get('detail', '')}")
    if r["run"].get("exit_status") not in (None, 0, 1):
        p("")
        p(f"CLI exit status {r['run']['exit_status']}; stderr tail:\n{r['run']['stderr_tail']}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus_dir")
    ap.add_argument("--engine", action="store_true", help="use the detection engine in-process instead of the CLI")
    ap.add_argument("--check", action="store_true",
                    help=f"exit 1 unless recall at low >= {MIN_RECALL_LOW} and precision at high >= {MIN_PRECISION_HIGH}")
    ap.add_argument("--json", action="store_true", help="print the whole result as JSON (masked numbers only)")
    a = ap.parse_args(argv)
    result = evaluate(a.corpus_dir, engine=a.engine)
    if a.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        report(result)
    if a.check and not passes(result):
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
