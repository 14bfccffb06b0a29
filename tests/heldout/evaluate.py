#!/usr/bin/env python3
"""Score mynumber-dlp against a held-out corpus made by generate.py.

    python tests/heldout/evaluate.py OUTDIR [--findings saved.jsonl] [--save out.jsonl]

Runs `mynumber-dlp scan OUTDIR --format jsonl -j 2 --no-progress` (with
MYNUMBER_DLP_FINGERPRINT_KEY=heldout), matches findings to OUTDIR/truth.jsonl by
(path, line, column) and prints precision/recall per confidence level, category, strength,
written form and tag, then the false positives and false negatives.  Only masked numbers
are printed; context snippets have every digit replaced by '#'.
"""
import argparse
import collections
import json
import os
import re
import subprocess
import sys

LEVELS = ("low", "medium", "high")
RANK = {k: i for i, k in enumerate(LEVELS)}
DIGIT = re.compile(r"[0-9０-９]")


def decode_file(data, enc):
    if enc == "utf-8-sig":
        return data[3:].decode("utf-8")
    if enc == "utf-16":
        return data[2:].decode("utf-16-le")
    return data.decode(enc)


def scan(outdir):
    env = dict(os.environ, MYNUMBER_DLP_FINGERPRINT_KEY="heldout")
    cmd = ["mynumber-dlp", "scan", outdir, "--format", "jsonl", "-j", "2", "--no-progress",
           "--exclude", "truth.jsonl"]
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if p.returncode not in (0, 1):
        sys.stderr.write(p.stderr)
        raise SystemExit(f"scanner exited with {p.returncode}")
    return p.stdout


def pct(a, b):
    return f"{100.0 * a / b:5.1f}" if b else "  n/a"


class Ctx:
    """Lazily decoded corpus files, for digit-masked context snippets."""

    def __init__(self, outdir, truth):
        self.outdir, self.truth, self.cache = outdir, truth, {}

    def line(self, rel, line):
        if rel not in self.cache:
            rec = self.truth.get(rel)
            try:
                with open(os.path.join(self.outdir, rel), "rb") as fh:
                    text = decode_file(fh.read(), rec["encoding"] if rec else "utf-8")
                self.cache[rel] = text.replace("\r\n", "\n").split("\n")
            except (OSError, UnicodeError):
                self.cache[rel] = []
        lines = self.cache[rel]
        return lines[line - 1] if 0 < line <= len(lines) else ""

    def snippet(self, rel, line, col, width=34):
        s = self.line(rel, line)
        a = max(0, col - 1 - width)
        out = s[a:col - 1 + width + 14]
        return ("…" if a else "") + DIGIT.sub("#", out).replace("\t", "⇥")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("outdir")
    ap.add_argument("--findings", help="use saved scanner JSONL instead of running the scan")
    ap.add_argument("--save", help="also save the scanner JSONL here")
    a = ap.parse_args(argv)
    outdir = a.outdir.rstrip("/") or "/"

    truth = {}
    with open(os.path.join(outdir, "truth.jsonl"), encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            truth[rec["path"]] = rec

    raw = open(a.findings, encoding="utf-8").read() if a.findings else scan(outdir)
    if a.save:
        with open(a.save, "w", encoding="utf-8") as fh:
            fh.write(raw)
    findings, not_scanned, summary = [], [], None
    for line in raw.splitlines():
        if not line.strip():
            continue
        r = json.loads(line)
        if r.get("type") == "finding":
            r["rel"] = os.path.relpath(r["path"], outdir)
            findings.append(r)
        elif r.get("type") == "not_scanned":
            not_scanned.append(r)
        elif r.get("type") == "summary":
            summary = r

    # ---- matching
    nums = {}       # (rel, line, col) -> truth number (with category)
    for rel, rec in truth.items():
        for n in rec["numbers"]:
            n = dict(n, category=rec["category"], rel=rel, found=None)
            nums[(rel, n["line"], n["column"])] = n
    fps, mask_mismatch = [], []
    for f in findings:
        key = (f["rel"], f["line"], f["column"])
        n = nums.get(key)
        if n is not None and (n["found"] is None or RANK[f["confidence"]] > RANK[n["found"]["confidence"]]):
            n["found"] = f
            if f.get("masked") != n["masked"]:
                mask_mismatch.append((n, f))
            continue
        if n is not None:
            continue    # duplicate finding at the same place: ignore
        rec = truth.get(f["rel"])
        hit = None
        if rec:
            for dd in rec["distractors"]:
                if dd["line"] == f["line"] and dd["column"] <= f["column"] < dd["column"] + dd["length"]:
                    hit = dd
                    break
            if hit is None:
                near = [x for x in rec["numbers"] if x["line"] == f["line"]]
                if near:
                    hit = {"kind": "POSITION-MISMATCH(number on this line at col %s)" % ",".join(str(x["column"]) for x in near),
                           "valid": True}
        f["category"] = rec["category"] if rec else "?"
        f["dist"] = hit or {"kind": "unlabelled", "valid": None}
        fps.append(f)

    allnums = list(nums.values())
    cats = sorted({r["category"] for r in truth.values()})

    def at(n, lvl):
        return n["found"] is not None and RANK[n["found"]["confidence"]] >= RANK[lvl]

    def fp_at(group, lvl):
        return sum(1 for f in group if RANK[f["confidence"]] >= RANK[lvl])

    # ---- tables
    print(f"corpus: {len(truth)} files, {len(allnums)} numbers "
          f"({sum(n['strength'] == 'strong' for n in allnums)} strong, {sum(n['strength'] == 'weak' for n in allnums)} weak), "
          f"{sum(len(r['distractors']) for r in truth.values())} distractors; scanner findings: {len(findings)}")
    if summary:
        print("scanner summary:", json.dumps({k: summary.get(k) for k in ("files_scanned", "findings", "findings_by_confidence", "not_scanned", "duration_seconds")}, ensure_ascii=False))
    for r in not_scanned:
        print("NOT SCANNED:", r.get("path"), r.get("reason"), r.get("detail"))
    print()
    print("== overall")
    print(f"{'level':<8}{'TP':>6}{'FP':>6}{'FN':>6}{'precision':>11}{'recall':>8}")
    for lvl in LEVELS:
        tp = sum(at(n, lvl) for n in allnums)
        fp = fp_at(fps, lvl)
        print(f">={lvl:<6}{tp:>6}{fp:>6}{len(allnums) - tp:>6}{pct(tp, tp + fp):>11}{pct(tp, len(allnums)):>8}")

    print()
    print("== per category   (P = precision %, R = recall %, FP counts)")
    print(f"{'category':<17}{'files':>6}{'nums':>6} | {'P@low':>6}{'R@low':>6}{'FP':>5} | {'P@med':>6}{'R@med':>6}{'FP':>5} | {'P@high':>7}{'R@high':>7}{'FP':>5}")
    for c in cats:
        ns = [n for n in allnums if n["category"] == c]
        fs = [f for f in fps if f["category"] == c]
        row = f"{c:<17}{sum(r['category'] == c for r in truth.values()):>6}{len(ns):>6}"
        for lvl in LEVELS:
            tp = sum(at(n, lvl) for n in ns)
            fp = fp_at(fs, lvl)
            w = 7 if lvl == "high" else 6
            row += f" | {pct(tp, tp + fp):>{w}}{pct(tp, len(ns)):>{w}}{fp:>5}"
        print(row)

    def recall_table(title, keyfn):
        print()
        print(f"== recall per {title}")
        print(f"{title:<22}{'n':>5}{'>=low':>8}{'>=med':>8}{'>=high':>8}")
        groups = collections.defaultdict(list)
        for n in allnums:
            for k in keyfn(n):
                groups[k].append(n)
        for k in sorted(groups):
            ns = groups[k]
            print(f"{k:<22}{len(ns):>5}" + "".join(f"{pct(sum(at(n, l) for n in ns), len(ns)):>8}" for l in LEVELS))

    recall_table("strength", lambda n: [n["strength"]])
    recall_table("form", lambda n: [n["form"]])
    recall_table("tag", lambda n: n["tags"] or ["(none)"])
    recall_table("encoding", lambda n: [truth[n["rel"]]["encoding"]])

    print()
    print("== distractors flagged (a finding inside the distractor's span)")
    print(f"{'kind':<26}{'n':>5}{'valid':>6} | {'FP@low':>7}{'@med':>6}{'@high':>6}")
    dk = collections.Counter()
    dv = collections.Counter()
    for r in truth.values():
        for dd in r["distractors"]:
            dk[dd["kind"]] += 1
            dv[dd["kind"]] += dd["valid"]
    fk = collections.defaultdict(list)
    for f in fps:
        fk[f["dist"]["kind"]].append(f)
    for k in sorted(set(dk) | set(fk), key=lambda k: (-len(fk.get(k, [])), k)):
        fs = fk.get(k, [])
        print(f"{k[:26]:<26}{dk.get(k, 0):>5}{dv.get(k, 0):>6} | {fp_at(fs, 'low'):>7}{fp_at(fs, 'medium'):>6}{fp_at(fs, 'high'):>6}")
    val = [dd for r in truth.values() for dd in r["distractors"] if dd["valid"]]
    print(f"check-digit-valid distractors: {len(val)}; flagged >=low {sum(1 for f in fps if f['dist'].get('valid'))}, "
          f">=high {sum(1 for f in fps if f['dist'].get('valid') and f['confidence'] == 'high')}")

    ctx = Ctx(outdir, truth)
    print()
    print(f"== false positives ({len(fps)}), highest confidence first")
    for f in sorted(fps, key=lambda f: (-RANK[f["confidence"]], -f.get("score", 0), f["rel"], f["line"])):
        print(f"FP {f['confidence']:<6} {f.get('score', 0):.2f} {f['masked']}  kind={f['dist']['kind']} valid={f['dist'].get('valid')} "
              f"[{f['category']}] {f['rel']}:{f['line']}:{f['column']}  reasons={','.join(f.get('reasons', []))}")
        print(f"      | {ctx.snippet(f['rel'], f['line'], f['column'])}")

    fns = [n for n in allnums if not at(n, "high")]
    print()
    print(f"== false negatives at >=high ({len(fns)}; found-below-high shows the level)")
    for n in sorted(fns, key=lambda n: (n["found"] is not None, n["category"], n["rel"], n["line"])):
        fnd = n["found"]
        lvl = f"{fnd['confidence']} {fnd.get('score', 0):.2f}" if fnd else "MISSED"
        print(f"FN {lvl:<11} {n['masked']} [{n['category']}/{n['strength']}/{n['form']}{'/' + ','.join(n['tags']) if n['tags'] else ''}] "
              f"{n['rel']}:{n['line']}:{n['column']}" + (f"  reasons={','.join(fnd.get('reasons', []))}" if fnd else ""))
        print(f"      | {ctx.snippet(n['rel'], n['line'], n['column'])}")
    if mask_mismatch:
        print()
        print(f"== masked value mismatches ({len(mask_mismatch)})")
        for n, f in mask_mismatch:
            print(f"  {n['rel']}:{n['line']}:{n['column']} truth {n['masked']} finding {f.get('masked')}")


if __name__ == "__main__":
    main()
