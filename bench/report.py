#!/usr/bin/env python3
"""Summarise bench/compare.sh's raw results (target/bench/results/) as text and Markdown.

Usage: report.py RESULTS_DIR OUT.md
Reads the hyperfine JSON exports (<id>.json, or the same shape from the script's fallback loop),
loc-<crate>.json, callgrind-<gen>.json, meta.tsv and notes.txt. Prints the summary to stdout and
writes OUT.md (tables plus every raw figure as JSON).
"""
import glob
import json
import os
import sys

GENERATORS = [("ours", "bss-codegen generate"), ("progenitor", "cargo progenitor"),
              ("openapi-generator", "openapi-generator -g rust")]
CRATES = [("ours", "huaweicloud-bss (ours)"), ("progenitor", "progenitor"),
          ("openapi-generator", "openapi-generator rust")]


def load(results):
    data = {"timings": {}, "loc": {}, "callgrind": {}, "meta": [], "notes": []}
    for path in sorted(glob.glob(os.path.join(results, "*.json"))):
        name = os.path.basename(path)[:-5]
        with open(path) as f:
            doc = json.load(f)
        if name.startswith("loc-"):
            data["loc"][name[4:]] = doc
        elif name.startswith("callgrind-"):
            data["callgrind"][name[10:]] = doc
        else:
            r = doc["results"][0]
            data["timings"][name] = {k: r.get(k) for k in
                                     ("mean", "stddev", "median", "min", "max", "user", "system", "times")}
            t = data["timings"][name]
            t["cpu"] = (t["user"] or 0) + (t["system"] or 0) if t.get("user") is not None else None
            data["timings"][name]["runs"] = len(r.get("times") or [])
            data["timings"][name]["timer"] = r.get("timer", "hyperfine")
    meta = os.path.join(results, "meta.tsv")
    if os.path.exists(meta):
        with open(meta) as f:
            data["meta"] = [line.rstrip("\n").split("\t", 1) for line in f if "\t" in line]
    notes = os.path.join(results, "notes.txt")
    if os.path.exists(notes):
        with open(notes) as f:
            data["notes"] = [line.rstrip("\n") for line in f if line.strip()]
    return data


def fmt_s(v):
    if v is None:
        return "—"
    return f"{v * 1000:.0f} ms" if v < 1 else f"{v:.2f} s" if v < 100 else f"{v:.0f} s"


def fmt_t(t):
    if t is None:
        return "—"
    s = fmt_s(t["mean"])
    if t["runs"] > 1 and t.get("stddev") is not None:
        s += f" ± {fmt_s(t['stddev'])}"
    return s


def ratio(a, b):
    if not a or not b:
        return "—"
    return f"{a / b:.2f}×" if a / b < 10 else f"{a / b:.0f}×"


def table(headers, rows):
    return headers, rows


def render_text(title, headers, rows):
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows)]
    out = [title, "  ".join(h.ljust(w) for h, w in zip(headers, widths)),
           "  ".join("-" * w for w in widths)]
    out += ["  ".join(str(c).ljust(w) for c, w in zip(r, widths)) for r in rows]
    return "\n".join(out)


def render_md(title, headers, rows):
    out = [f"### {title}", "", "| " + " | ".join(headers) + " |",
           "|" + "|".join("---" for _ in headers) + "|"]
    out += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(out)


def main(results, md_out):
    d = load(results)
    T = d["timings"]
    mean = lambda k: (T.get(k) or {}).get("mean")
    cpu = lambda k: (T.get(k) or {}).get("cpu")
    tables = []

    ours_gen = mean("gen-ours")
    rows = []
    for key, label in GENERATORS:
        t = T.get(f"gen-{key}")
        rows.append([label, fmt_t(t), fmt_s(t and t["min"]), t["runs"] if t else "—",
                     ratio(mean(f"gen-{key}"), ours_gen), fmt_s(cpu(f"gen-{key}")),
                     ratio(cpu(f"gen-{key}"), cpu("gen-ours"))])
    tables.append(("Generation time (whole crate from the same spec; CPU = user+sys, mean per run)",
                   ["generator", "wall mean ± σ", "wall min", "runs", "wall × ours", "CPU",
                    "CPU × ours"], rows))

    if d["callgrind"]:
        rows = []
        base = (d["callgrind"].get("ours") or {}).get("instructions") or [None]
        for key, label in GENERATORS:
            c = d["callgrind"].get(key)
            if not c:
                continue
            ins = c["instructions"]
            spread = (max(ins) - min(ins)) / min(ins) * 100
            rows.append([label, c.get("processes", 1), " / ".join(f"{i:,}" for i in ins),
                         "exactly" if spread == 0 else f"within {spread:.3f}%",
                         ratio(ins[0], base[0])])
        tables.append(("Instructions executed (callgrind Ir, summed over the process and its children)",
                       ["generator", "processes", "instructions (run 1 / run 2)", "repeats", "× ours"], rows))

    rows = []
    base = d["loc"].get("ours") or {}
    for key, label in CRATES:
        loc = d["loc"].get(key)
        if loc:
            rows.append([label, f"{loc['lines']:,}", f"{loc['code']:,}", loc["files"],
                         ratio(loc["lines"], base.get("lines"))])
    tables.append(("Generated code (*.rs under src/, tests excluded)",
                   ["crate", "Rust lines", "code lines", "files", "lines × ours"], rows))

    steps = [("build-cold", "cold build (deps+crate)"), ("build-crate", "crate-only build"),
             ("check-cold", "cold check (deps+crate)"), ("check-crate", "crate-only check")]
    for what, get, fmt in [("wall clock, mean ± σ", mean, fmt_t), ("CPU time (user+sys)", cpu, None)]:
        rows = []
        for key, label in CRATES:
            cols = [label]
            for m, _ in steps:
                k = f"{key}-{m}"
                cell = fmt(T.get(k)) if fmt else fmt_s(cpu(k))
                if key != "ours" and get(k) and get("ours-" + m):
                    cell += f" ({ratio(get(k), get('ours-' + m))})"
                cols.append(cell)
            rows.append(cols)
        tables.append((f"Generated crates, dev profile: {what} (× ours in parentheses)",
                       ["crate"] + [h for _, h in steps], rows))

    rows = []
    for key, label in [("ours", "default (all 17 groups)"),
                       ("ours-budgets", "--no-default-features --features budgets"),
                       ("ours-customers", "--no-default-features --features customers")]:
        cold, crate = f"{key}-build-cold", f"{key}-build-crate"
        rows.append([label, fmt_t(T.get(cold)), fmt_t(T.get(crate)), fmt_s(cpu(crate)),
                     ratio(mean("ours-build-cold"), mean(cold)),
                     ratio(mean("ours-build-crate"), mean(crate)),
                     ratio(cpu("ours-build-crate"), cpu(crate))])
    tables.append(("huaweicloud-bss: dev build by feature set (all/this = default's time / this row's)",
                   ["features", "cold build (deps+crate)", "crate-only build", "crate-only CPU",
                    "all/this cold", "all/this crate-only", "all/this crate-only CPU"], rows))

    text = [render_text(t, h, r) for t, h, r in tables]
    meta_text = "\n".join(f"  {k}: {v}" for k, v in d["meta"])
    notes_text = "\n".join(f"  - {n}" for n in d["notes"]) or "  (none)"
    print("\n\n".join(["Machine and run:\n" + meta_text] + text + ["Notes:\n" + notes_text]))

    md = ["## Comparison benchmark (bench/compare.sh)", "", "Machine and run:", ""]
    md += [f"- {k}: {v}" for k, v in d["meta"]]
    md += [""] + ["\n".join([render_md(t, h, r), ""]) for t, h, r in tables]
    md += ["### Notes", ""] + [f"- {n}" for n in d["notes"]] + [""]
    md += ["### Raw results", "", "```json", json.dumps(
        {"meta": dict(d["meta"]), "timings_seconds": T, "loc": d["loc"],
         "callgrind": d["callgrind"], "notes": d["notes"]}, indent=1), "```", ""]
    with open(md_out, "w") as f:
        f.write("\n".join(md))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
