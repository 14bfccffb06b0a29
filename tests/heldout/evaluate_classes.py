#!/usr/bin/env python3
"""Score mynumber-dlp against the class-wise held-out set made by generate_classes.py.

    python tests/heldout/evaluate_classes.py OUTDIR [--findings saved.jsonl] [--save out.jsonl]

Runs `mynumber-dlp scan OUTDIR --format jsonl -j 2 --no-progress --exclude truth_classes.jsonl`
(with MYNUMBER_DLP_FINGERPRINT_KEY=heldout), matches findings to OUTDIR/truth_classes.jsonl by
(top-level file path, fingerprint) whatever the member, and prints per class and overall:
recall at >=low, recall at the expected level (finding confidence >= the reviewer's level),
precision at high (a high finding whose fingerprint is not one of that file's numbers is a false
positive), false positives at each level, not_scanned records, then the false negatives and
false positives.  Only masked numbers are printed.
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import shutil
import subprocess
import sys

LEVELS = ("low", "medium", "high")
RANK = {k: i for i, k in enumerate(LEVELS)}
TRUTH = "truth_classes.jsonl"
TARGETS = (("recall@low", 0.98), ("recall@expected", 0.95), ("precision@high", 0.99))


def scanner_command() -> str:
    exe = shutil.which("mynumber-dlp")
    if exe:
        return exe
    local = os.path.join(os.path.dirname(sys.executable), "mynumber-dlp")
    if os.path.exists(local):
        return local
    raise SystemExit("mynumber-dlp not found on PATH (activate the venv or set PATH=.venv/bin:$PATH)")


def scan(outdir: str) -> str:
    env = dict(os.environ, MYNUMBER_DLP_FINGERPRINT_KEY="heldout")
    cmd = [scanner_command(), "scan", outdir, "--format", "jsonl", "-j", "2", "--no-progress",
           "--exclude", TRUTH]
    p = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    if p.returncode not in (0, 1):
        sys.stderr.write(p.stderr)
        raise SystemExit(f"scanner exited with {p.returncode}")
    return p.stdout


def ratio(a: int, b: int) -> float | None:
    return a / b if b else None


def mean(xs: list[float | None]) -> float | None:
    xs = [x for x in xs if x is not None]
    return sum(xs) / len(xs) if xs else None


def fmt3(v: float | None) -> str:
    return "n/a" if v is None else f"{v:.3f}"


def pct(a: int, b: int) -> str:
    r = ratio(a, b)
    return "  n/a" if r is None else f"{100.0 * r:5.1f}"


class Scored:
    """Truth, findings and their matching."""

    def __init__(self, outdir: str, raw: str):
        self.outdir = outdir
        self.truth: dict[str, dict] = {}
        with open(os.path.join(outdir, TRUTH), encoding="utf-8") as fh:
            for line in fh:
                rec = json.loads(line)
                self.truth[rec["path"]] = rec
        self.owner = {n["fingerprint"]: rel for rel, r in self.truth.items() for n in r["numbers"]}
        self.findings, self.not_scanned, self.summary, self.unparsed = [], [], None, 0
        for line in raw.splitlines():
            if not line.strip():
                continue
            try:
                r = json.loads(line)
            except json.JSONDecodeError:
                self.unparsed += 1
                continue
            kind = r.get("type")
            if kind == "finding":
                r["rel"] = self.top_level(r.get("path", ""))
                self.findings.append(r)
            elif kind == "not_scanned":
                self.not_scanned.append(r)
            elif kind == "summary":
                self.summary = r
        self.match()

    def top_level(self, path: str) -> str:
        """The truth path of a finding: relative to OUTDIR, cut back to a file the truth knows."""
        rel = os.path.relpath(os.path.abspath(path), os.path.abspath(self.outdir)).replace(os.sep, "/")
        parts = rel.split("/")
        for i in range(len(parts), 0, -1):
            cand = "/".join(parts[:i])
            if cand in self.truth:
                return cand
        return rel

    @staticmethod
    def strength(f: dict) -> tuple[int, float]:
        return RANK[f["confidence"]], f.get("score", 0)

    def match(self) -> None:
        best: dict[tuple[str, str], dict] = {}
        for f in self.findings:
            key = (f["rel"], f.get("fingerprint", ""))
            old = best.get(key)
            if old is None or self.strength(f) > self.strength(old):
                best[key] = f
        self.numbers = []
        for rel, rec in self.truth.items():
            for n in rec["numbers"]:
                self.numbers.append(dict(n, rel=rel, cls=rec["class"], found=best.get((rel, n["fingerprint"]))))
        self.fps = []
        for (rel, fp), f in best.items():
            rec = self.truth.get(rel)
            if rec and any(n["fingerprint"] == fp for n in rec["numbers"]):
                continue
            if rec is None:
                dist = {"kind": "file-not-in-truth", "valid": None}
            else:
                dist = next((d for d in rec["distractors"] if d["fingerprint"] == fp), None)
                if dist is None:
                    other = self.owner.get(fp)
                    dist = {"kind": f"number-of-another-file({other})" if other else "unlabelled", "valid": None}
            self.fps.append(dict(f, cls=rec["class"] if rec else "?", dist=dist))

    # -- measures
    @staticmethod
    def at(n: dict, lvl: str) -> bool:
        return n["found"] is not None and RANK[n["found"]["confidence"]] >= RANK[lvl]

    def stats(self, nums: list[dict], fps: list[dict]) -> dict:
        n = len(nums)
        low = sum(self.at(x, "low") for x in nums)
        exp = sum(self.at(x, x["expected"]) for x in nums)
        tp_hi = sum(self.at(x, "high") for x in nums)
        fp_at = {lv: sum(RANK[f["confidence"]] >= RANK[lv] for f in fps) for lv in LEVELS}
        return {"n": n, "low": low, "exp": exp, "tp_hi": tp_hi, "fp": fp_at,
                "recall@low": ratio(low, n), "recall@expected": ratio(exp, n),
                "precision@high": ratio(tp_hi, tp_hi + fp_at["high"])}


def row(name: str, files: int, s: dict) -> str:
    return (f"{name:<20}{files:>6}{s['n']:>6} | {pct(s['low'], s['n']):>6}{pct(s['exp'], s['n']):>7} | "
            f"{s['tp_hi']:>6}{s['fp']['high']:>6}{pct(s['tp_hi'], s['tp_hi'] + s['fp']['high']):>8} | "
            f"{s['fp']['low']:>6}{s['fp']['medium']:>6}{s['fp']['high']:>6}")


def report(sc: Scored) -> None:
    truth, nums, fps = sc.truth, sc.numbers, sc.fps
    classes = sorted({r["class"] for r in truth.values()})
    nd = sum(len(r["distractors"]) for r in truth.values())
    nv = sum(d["valid"] for r in truth.values() for d in r["distractors"])
    print(f"set: {len(truth)} files, {len(nums)} numbers, {nd} distractor windows ({nv} check-digit-valid); "
          f"scanner findings: {len(sc.findings)}" + (f", unparsed lines: {sc.unparsed}" if sc.unparsed else ""))
    if sc.summary:
        keep = ("files_scanned", "findings", "findings_by_confidence", "not_scanned", "duration_seconds")
        print("scanner summary:", json.dumps({k: sc.summary.get(k) for k in keep if k in sc.summary},
                                             ensure_ascii=False))
    print(f"not_scanned records: {len(sc.not_scanned)}")
    for r in sc.not_scanned:
        print("  NOT SCANNED:", r.get("path"), r.get("member") or "", r.get("reason"), r.get("detail") or "")

    print()
    print("== per class   (R = recall %, P = precision %; FP = distinct (file, fingerprint) not a number of the file,")
    print("               counted at >= each level)")
    print(f"{'class':<20}{'files':>6}{'nums':>6} | {'R@low':>6}{'R@exp':>7} | {'TP@hi':>6}{'FP@hi':>6}{'P@high':>8} | "
          f"{'FP>=lo':>6}{'>=med':>6}{'>=hi':>6}")
    per_class = []
    for c in classes:
        s = sc.stats([n for n in nums if n["cls"] == c], [f for f in fps if f["cls"] == c])
        per_class.append(s)
        print(row(c, sum(r["class"] == c for r in truth.values()), s))
    other = [f for f in fps if f["cls"] not in classes]
    total = sc.stats(nums, fps)
    print(row("OVERALL (pooled)", len(truth), total))
    macro = {name: mean([s[name] for s in per_class]) for name, _ in TARGETS}
    def p1(v: float | None) -> str:
        return "n/a" if v is None else f"{100 * v:.1f}"

    print(f"{'MACRO (class mean)':<32} | {p1(macro['recall@low']):>6}{p1(macro['recall@expected']):>7} | "
          f"{'':>12}{p1(macro['precision@high']):>8} |")
    if other:
        print(f"  ({len(other)} false positives in files not in the truth)")

    print()
    print("== recall by expected level")
    print(f"{'expected':<10}{'n':>5}{'>=low':>8}{'>=med':>8}{'>=high':>8}{'@exp':>8}")
    for lv in LEVELS:
        ns = [n for n in nums if n["expected"] == lv]
        if ns:
            print(f"{lv:<10}{len(ns):>5}" + "".join(f"{pct(sum(sc.at(n, x) for n in ns), len(ns)):>8}" for x in LEVELS)
                  + f"{pct(sum(sc.at(n, lv) for n in ns), len(ns)):>8}")

    print()
    print("== recall per class/tag")
    print(f"{'class/tag':<44}{'n':>5}{'>=low':>8}{'@exp':>8}{'>=high':>8}")
    groups = collections.defaultdict(list)
    for n in nums:
        for t in n["tags"] or ["(none)"]:
            groups[(n["cls"], t)].append(n)
    for (c, t), ns in sorted(groups.items()):
        print(f"{c + '/' + t:<44}{len(ns):>5}{pct(sum(sc.at(n, 'low') for n in ns), len(ns)):>8}"
              f"{pct(sum(sc.at(n, n['expected']) for n in ns), len(ns)):>8}"
              f"{pct(sum(sc.at(n, 'high') for n in ns), len(ns)):>8}")

    print()
    print("== distractors flagged (distinct file+fingerprint)")
    print(f"{'kind':<34}{'windows':>8}{'valid':>6} | {'@low':>5}{'@med':>5}{'@high':>6}")
    dk, dv = collections.Counter(), collections.Counter()
    for r in truth.values():
        for d in r["distractors"]:
            dk[d["kind"]] += 1
            dv[d["kind"]] += d["valid"]
    fk = collections.defaultdict(list)
    for f in fps:
        fk[f["dist"]["kind"]].append(f)
    for k in sorted(set(dk) | set(fk), key=lambda k: (-len(fk.get(k, [])), k)):
        fs = fk.get(k, [])
        cnt = [sum(f["confidence"] == lv for f in fs) for lv in LEVELS]
        print(f"{k[:34]:<34}{dk.get(k, 0):>8}{dv.get(k, 0):>6} | {cnt[0]:>5}{cnt[1]:>5}{cnt[2]:>6}")

    fns = [n for n in nums if not sc.at(n, n["expected"])]
    print()
    print(f"== false negatives: {len(fns)} numbers not found at their expected level "
          f"({sum(n['found'] is None for n in fns)} missed entirely)")
    for n in sorted(fns, key=lambda n: (n["found"] is not None, n["cls"], n["rel"])):
        f = n["found"]
        lvl = f"{f['confidence']} {f.get('score', 0):.2f}" if f else "MISSED"
        print(f"FN {n['masked']} [{n['cls']}] expected={n['expected']} found={lvl} tags={','.join(n['tags'])} "
              f"{n['rel']}" + (f"  member={f['member']}" if f and f.get("member") else "")
              + (f"  reasons={','.join(f.get('reasons') or [])}" if f else ""))

    print()
    print(f"== false positives: {len(fps)} (highest confidence first)")
    for f in sorted(fps, key=lambda f: (-RANK[f["confidence"]], -f.get("score", 0), f["rel"])):
        d = f["dist"]
        print(f"FP {f['confidence']:<6} {f.get('score', 0):.2f} {f.get('masked')} kind={d['kind']} "
              f"valid={d.get('valid')} [{f['cls']}] {f['rel']}" + (f"  member={f['member']}" if f.get("member") else "")
              + f"  reasons={','.join(f.get('reasons') or [])}")

    print()
    parts = []
    for name, goal in TARGETS:
        v, m = total[name], macro[name]
        ok = v is not None and v >= goal
        parts.append(f"{name} {fmt3(v)} (macro {fmt3(m)}; target >={goal:.2f} {'OK' if ok else 'MISS'})")
    print("TARGETS (pooled): " + " | ".join(parts))


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("outdir")
    ap.add_argument("--findings", help="use saved scanner JSONL instead of running the scan")
    ap.add_argument("--save", help="also save the scanner JSONL here")
    a = ap.parse_args(argv)
    outdir = a.outdir.rstrip("/") or "/"
    if a.findings:
        with open(a.findings, encoding="utf-8") as fh:
            raw = fh.read()
    else:
        raw = scan(outdir)
    if a.save:
        with open(a.save, "w", encoding="utf-8") as fh:
            fh.write(raw)
    report(Scored(outdir, raw))


if __name__ == "__main__":
    main()
