#!/usr/bin/env bash
# Compares bss-codegen with cargo-progenitor and openapi-generator (rust) on the same machine and
# the same input: generation time, callgrind instruction counts, lines of generated code, cold and
# crate-only build/check time of each generated crate, and our crate's build time by feature set.
# Not part of the test suite. See bench/README.md.
#
# Usage: bench/compare.sh [--quick] [--gen-only]
#   --quick     fewer hyperfine runs and no cold builds (crate-only builds reuse the target dirs
#               of an earlier run, or build the dependencies once untimed)
#   --gen-only  generation time, instruction counts and lines only: no builds
#
# Writes only under target/bench/ and target/bench-tools/ (git-ignored).
set -euo pipefail

PROGENITOR_VERSION=0.15.1
OAG_VERSION=7.26.0 # PyPI openapi-generator-cli (ships the openapi-generator jar)

QUICK=0 GEN_ONLY=0
for arg in "$@"; do
  case $arg in
    --quick) QUICK=1 ;;
    --gen-only) GEN_ONLY=1 ;;
    -h | --help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $arg (try --help)" >&2; exit 2 ;;
  esac
done

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
B=$ROOT/target/bench
TOOLS=$ROOT/target/bench-tools
R=$B/results
START=$(date +%s)

if ((QUICK)); then
  GEN_RUNS=5 GEN_WARMUP=1 OAG_RUNS=2 BUILD_RUNS=2
else
  GEN_RUNS=20 GEN_WARMUP=3 OAG_RUNS=5 BUILD_RUNS=3
fi

mkdir -p "$B" "$TOOLS" "$B/logs"
rm -rf "$R" "$B/gen" "$B/crates"
mkdir -p "$R" "$B/gen" "$B/crates" "$B/callgrind"
: >"$R/notes.txt"
: >"$R/meta.tsv"

say() { printf '\n==> %s\n' "$*"; }
note() { printf '  NOTE: %s\n' "$*"; printf '%s\n' "$*" >>"$R/notes.txt"; }
meta() { printf '  %s: %s\n' "$1" "$2"; printf '%s\t%s\n' "$1" "$2" >>"$R/meta.tsv"; }

# Full compilations of each crate, not incremental replays: with incremental on, a touch-only
# rebuild reuses almost all of the previous compilation and says little about the crate.
export CARGO_INCREMENTAL=0
unset RUSTC_WRAPPER CARGO_BUILD_RUSTC_WRAPPER 2>/dev/null || true

command -v python3 >/dev/null || { echo "python3 is required (results, preprocessing)" >&2; exit 1; }

# ---------------------------------------------------------------------------------------------
say "Machine"
meta "date" "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
meta "nproc" "$(nproc)"
meta "cpu" "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//' || echo unknown)"
meta "memory" "$(free -h 2>/dev/null | awk '/^Mem:/ {print $2}' || echo unknown)"
meta "rustc" "$(rustc -V)"
meta "cargo" "$(cargo -V)"
meta "load average at start" "$(cut -d' ' -f1-3 /proc/loadavg)"
meta "mode" "$( ((QUICK)) && echo "--quick (no cold builds, fewer runs)" || echo full)"
meta "build settings" "dev profile (cargo build / cargo check, no --release), CARGO_INCREMENTAL=0"
note "Other builds may run on this machine at the same time (see the load averages): wall-clock figures are noisy; CPU times less so; callgrind counts barely move."

# ---------------------------------------------------------------------------------------------
say "Tools"
HAVE_HYPERFINE=0
if [[ ${BENCH_NO_HYPERFINE:-} == 1 ]]; then
  echo "  BENCH_NO_HYPERFINE=1: not using hyperfine"
elif command -v hyperfine >/dev/null; then
  HAVE_HYPERFINE=1
elif command -v apt-get >/dev/null && [[ $(id -u) == 0 ]]; then
  echo "  installing hyperfine with apt-get"
  if { apt-get install -y hyperfine || { apt-get update && apt-get install -y hyperfine; }; } \
    >"$B/logs/apt-hyperfine.log" 2>&1; then
    HAVE_HYPERFINE=1
  fi
fi
if ((HAVE_HYPERFINE)); then
  meta "timer" "$(hyperfine --version)"
else
  meta "timer" "python3 timing loop (hyperfine unavailable)"
  [[ ${BENCH_NO_HYPERFINE:-} == 1 ]] || note "hyperfine could not be installed (apt-get missing, not root, or failed: $B/logs/apt-hyperfine.log); timings come from a small python3 loop with the same warmup/run counts."
fi

HAVE_VALGRIND=0
if command -v valgrind >/dev/null; then
  HAVE_VALGRIND=1
elif command -v apt-get >/dev/null && [[ $(id -u) == 0 ]] &&
  { apt-get install -y valgrind || { apt-get update && apt-get install -y valgrind; }; } >"$B/logs/apt-valgrind.log" 2>&1; then
  HAVE_VALGRIND=1
fi
if ((HAVE_VALGRIND)); then meta "valgrind" "$(valgrind --version)"; else note "valgrind unavailable: no callgrind instruction counts."; fi

echo "  building bss-codegen (release)"
cargo build -q --release --locked -p bss-codegen
OURS_BIN=$ROOT/target/release/bss-codegen
meta "bss-codegen" "$("$OURS_BIN" --version) (release build of this checkout, $(git rev-parse --short HEAD 2>/dev/null || echo '?'))"

HAVE_PROGENITOR=0
PROG_BIN=$TOOLS/bin/cargo-progenitor
echo "  cargo install cargo-progenitor $PROGENITOR_VERSION (log: target/bench/logs/progenitor-install.log)"
if cargo install --locked --root "$TOOLS" --version "$PROGENITOR_VERSION" cargo-progenitor \
  >"$B/logs/progenitor-install.log" 2>&1 && [[ -x $PROG_BIN ]]; then
  HAVE_PROGENITOR=1
  meta "cargo-progenitor" "$PROGENITOR_VERSION (crates.io, cargo install --locked)"
else
  tail -n 15 "$B/logs/progenitor-install.log" | sed 's/^/    /'
  note "cargo-progenitor $PROGENITOR_VERSION could not be installed (target/bench/logs/progenitor-install.log): its columns are skipped."
fi

HAVE_OAG=0
OAG_BIN=$TOOLS/venv/bin/openapi-generator-cli
echo "  pip install openapi-generator-cli==$OAG_VERSION into target/bench-tools/venv (log: target/bench/logs/oag-install.log)"
if ! command -v java >/dev/null; then
  note "java not found: openapi-generator (a Java program) is skipped."
elif { [[ -x $TOOLS/venv/bin/pip ]] || python3 -m venv "$TOOLS/venv"; } >"$B/logs/oag-install.log" 2>&1 &&
  "$TOOLS/venv/bin/pip" install -q "openapi-generator-cli==$OAG_VERSION" >>"$B/logs/oag-install.log" 2>&1 &&
  "$OAG_BIN" version >>"$B/logs/oag-install.log" 2>&1; then
  HAVE_OAG=1
  meta "openapi-generator" "$("$OAG_BIN" version) (PyPI openapi-generator-cli, run on $(java -version 2>&1 | head -n1))"
else
  tail -n 15 "$B/logs/oag-install.log" | sed 's/^/    /'
  note "openapi-generator-cli $OAG_VERSION could not be installed or run (target/bench/logs/oag-install.log): its columns are skipped."
fi

# ---------------------------------------------------------------------------------------------
# measure ID RUNS WARMUP PREPARE CMD: times CMD (a shell command line) into $R/ID.json in
# hyperfine's export format. On failure, runs CMD once more to show why, and returns 1.
measure() {
  local id=$1 runs=$2 warmup=$3 prepare=$4 cmd=$5 out=$R/$1.json ok=0
  echo "  -- $id: $cmd"
  if ((HAVE_HYPERFINE)); then
    local args=(--style basic --runs "$runs" --warmup "$warmup" --export-json "$out" --command-name "$id")
    [[ -n $prepare ]] && args+=(--prepare "$prepare")
    hyperfine "${args[@]}" "$cmd" && ok=1
  else
    python3 - "$runs" "$warmup" "$prepare" "$cmd" "$out" <<'EOF' && ok=1
import json, resource, statistics, subprocess, sys, time
runs, warmup, prepare, cmd, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
times, user, system = [], [], []
for i in range(warmup + runs):
    if prepare:
        subprocess.run(["bash", "-c", prepare], check=True, stdout=subprocess.DEVNULL)
    r0, t = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    rc = subprocess.run(["bash", "-c", cmd], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
    dt, r1 = time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN)
    if rc:
        sys.exit(1)
    if i >= warmup:
        times.append(dt)
        user.append(r1.ru_utime - r0.ru_utime)
        system.append(r1.ru_stime - r0.ru_stime)
print(f"  mean {statistics.mean(times):.3f} s over {len(times)} run(s)")
json.dump({"results": [{"command": cmd, "mean": statistics.mean(times), "median": statistics.median(times),
                        "stddev": statistics.stdev(times) if len(times) > 1 else None,
                        "min": min(times), "max": max(times), "times": times, "timer": "python3 loop",
                        "user": statistics.mean(user), "system": statistics.mean(system)}]},
          open(out, "w"))
EOF
  fi
  ((ok)) && return 0
  rm -f "$out"
  echo "  !! $id failed; running it once more to show why (target/bench/logs/$id.log):"
  bash -c "$cmd" >"$B/logs/$id.log" 2>&1 || true
  tail -n 25 "$B/logs/$id.log" | sed 's/^/    /'
  note "$id failed (target/bench/logs/$id.log); its cell is empty."
  return 1
}

# loc ID DIR: Rust lines under DIR/src (tests/ excluded; top-level #[cfg(test)] modules excluded).
loc() {
  python3 - "$1" "$2" "$R/loc-$1.json" <<'EOF'
import json, pathlib, re, sys
ident, root, out = sys.argv[1], pathlib.Path(sys.argv[2]) / "src", sys.argv[3]
files = lines = code = test_lines = 0
for path in sorted(root.rglob("*.rs")):
    files += 1
    in_test = False
    prev = ""
    for line in path.read_text().splitlines():
        if not in_test and prev.strip() == "#[cfg(test)]" and re.match(r"^mod \w+ \{", line):
            in_test = True
        if in_test:
            test_lines += 1
            if line == "}":
                in_test = False
        else:
            lines += 1
            s = line.strip()
            if s and not s.startswith("//"):
                code += 1
        prev = line
json.dump({"files": files, "lines": lines, "code": code, "test_module_lines_excluded": test_lines}, open(out, "w"))
print(f"  {ident}: {files} files, {lines} lines, {code} code lines (excluded {test_lines} lines of #[cfg(test)] modules)")
EOF
}

# callgrind ID CMD...: instruction counts of two runs, summed over the process and every child
# it starts (cargo-progenitor runs rustfmt as a child process; bss-codegen formats in-process).
callgrind() {
  local id=$1 counts=() i n procs
  shift
  for i in 1 2; do
    rm -rf "$B/gen/callgrind-$id" "$B/callgrind/$id.$i".*
    # --log-file per process: a child's stderr may be captured by its parent (rustfmt's is).
    if ! valgrind --tool=callgrind --trace-children=yes --callgrind-out-file="$B/callgrind/$id.$i.%p.out" \
      --log-file="$B/callgrind/$id.$i.%p.log" "$@" >"$B/logs/callgrind-$id.$i.log" 2>&1; then
      tail -n 10 "$B/logs/callgrind-$id.$i.log" | sed 's/^/    /'
      note "callgrind of $id failed (target/bench/logs/callgrind-$id.$i.log)"
      return 1
    fi
    cat "$B/callgrind/$id.$i".*.log >>"$B/logs/callgrind-$id.$i.log"
    n=$(python3 - "$B/callgrind" "$id.$i" "$R/callgrind-$id.$i.json" <<'EOF'
import glob, json, re, sys
procs = []
for path in sorted(glob.glob(f"{sys.argv[1]}/{sys.argv[2]}.*.log")):
    text = open(path).read()
    cmd = re.search(r"Command: (.*)", text)
    ins = re.search(r"Collected : (\d+)", text)
    if ins:
        procs.append({"command": cmd.group(1)[:160] if cmd else "?", "instructions": int(ins.group(1))})
json.dump(procs, open(sys.argv[3], "w"))
print(sum(p["instructions"] for p in procs), len(procs))
EOF
    )
    echo "  $id run $i: ${n% *} instructions over ${n#* } process(es)"
    counts+=("${n% *}")
    procs=${n#* }
  done
  python3 -c 'import json, sys; json.dump({"instructions": [int(sys.argv[1]), int(sys.argv[2])], "processes": int(sys.argv[3]), "per_process_run1": json.load(open(sys.argv[4]))}, open(sys.argv[5], "w"))' \
    "${counts[0]}" "${counts[1]}" "$procs" "$R/callgrind-$id.1.json" "$R/callgrind-$id.json"
  rm -f "$R/callgrind-$id".[12].json
}

# ---------------------------------------------------------------------------------------------
say "Input: the project's OpenAPI export"
"$OURS_BIN" openapi --out "$B/openapi.json"
python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
ops = sum(1 for p in d['paths'].values() for m in p if m in ('get','put','post','delete','patch'))
print(f'  target/bench/openapi.json: OpenAPI {d[\"openapi\"]}, {len(d[\"paths\"])} paths, {ops} operations, {len(d[\"components\"][\"schemas\"])} schemas')
" "$B/openapi.json"
meta "input" "bss-codegen reads spec/ (YAML); the others read target/bench/openapi.json, the export of the same spec"

PROG_INPUT=$B/openapi.json
if ((HAVE_PROGENITOR)); then
  say "cargo progenitor on the export as is"
  if "$PROG_BIN" progenitor -i "$B/openapi.json" -o "$B/gen/progenitor-raw" -n bss-progenitor -v 0.1.0 \
    >"$B/logs/progenitor-raw.log" 2>&1; then
    echo "  accepted as is"
  else
    echo "  rejected:"
    grep -m3 -E 'panicked|assertion|Error|error' "$B/logs/progenitor-raw.log" | sed 's/^/    /' || true
    say "Preprocessing the export for progenitor (bench/prep_progenitor.py; see its docstring)"
    PROG_INPUT=$B/openapi-progenitor.json
    python3 "$ROOT/bench/prep_progenitor.py" "$B/openapi.json" "$PROG_INPUT" | tee "$B/logs/progenitor-prep.log" | sed 's/^/  /'
    note "progenitor rejects the export as is (assertion response_types.len() <= 1: it counts a 'default' response as a possible success, so a typed 200 plus a differently typed 'default' error is two success types). It was given target/bench/openapi-progenitor.json instead (bench/prep_progenitor.py): $(head -n1 "$B/logs/progenitor-prep.log") Operations with their own 400 body lose typed errors for other statuses in progenitor's client; no other change."
  fi
fi

# ---------------------------------------------------------------------------------------------
say "1. Generation time"
measure gen-ours "$GEN_RUNS" "$GEN_WARMUP" "rm -rf $B/gen/ours" "$OURS_BIN generate --out $B/gen/ours" || true
if ((HAVE_PROGENITOR)); then
  measure gen-progenitor "$GEN_RUNS" "$GEN_WARMUP" "rm -rf $B/gen/progenitor" \
    "$PROG_BIN progenitor -i $PROG_INPUT -o $B/gen/progenitor -n bss-progenitor -v 0.1.0" || HAVE_PROGENITOR=0
fi
if ((HAVE_OAG)); then
  measure gen-openapi-generator "$OAG_RUNS" 1 "rm -rf $B/gen/openapi-generator" \
    "$OAG_BIN generate -g rust -i $B/openapi.json -o $B/gen/openapi-generator" || HAVE_OAG=0
  note "openapi-generator's time includes the JVM start (and the PyPI wrapper's python start, a few tens of ms); it is how the tool is run."
fi

if ((HAVE_VALGRIND)); then
  say "1b. Instructions executed (callgrind, two runs each)"
  note "callgrind counts can differ slightly between runs of the same binary on the same input (probably the per-process random keys of std's HashMap); the table gives the spread."
  callgrind ours "$OURS_BIN" generate --out "$B/gen/callgrind-ours" || true
  if ((HAVE_PROGENITOR)); then
    note "cargo-progenitor formats its output by running rustfmt (and rustc -V) as child processes; bss-codegen formats in-process (prettyplease). Wall/CPU times include the children; callgrind counts are summed over all processes (--trace-children=yes)."
    callgrind progenitor "$PROG_BIN" progenitor -i "$PROG_INPUT" -o "$B/gen/callgrind-progenitor" -n bss-progenitor -v 0.1.0 || true
  fi
  if ((HAVE_OAG)); then note "no callgrind count for openapi-generator: a JIT-compiled, multi-threaded JVM run has no meaningful, repeatable instruction count."; fi
fi

# ---------------------------------------------------------------------------------------------
say "2. Generated crates"
# Ours builds in place, in this workspace, with the checked-in Cargo.lock: that is how it is used.
OURS_MANIFEST=$ROOT/generated/Cargo.toml
OURS_SRC=$ROOT/generated/src
loc ours "$ROOT/generated"
if ! diff -rq "$ROOT/generated" "$B/gen/ours" >/dev/null 2>&1; then
  note "target/bench/gen/ours differs from the checked-in generated/ (stale checkout?); generated/ is what was built."
fi
cargo fetch --locked --manifest-path "$OURS_MANIFEST" >"$B/logs/fetch-ours.log" 2>&1 || note "cargo fetch for ours failed (target/bench/logs/fetch-ours.log)"

# prepare_foreign ID: copy the generated crate to target/bench/crates/ID, give it an empty
# [workspace] table (it lives below our workspace root), resolve and download its dependencies.
prepare_foreign() {
  local id=$1 dir=$B/crates/$1
  cp -r "$B/gen/$id" "$dir"
  if ! grep -q '^\[workspace\]' "$dir/Cargo.toml"; then
    printf '\n[workspace]\n' >>"$dir/Cargo.toml"
    echo "  $id: appended an empty [workspace] table to its Cargo.toml (it lives below our workspace root)"
  fi
  (cd "$dir" && cargo generate-lockfile && cargo fetch) >"$B/logs/fetch-$id.log" 2>&1 || {
    tail -n 15 "$B/logs/fetch-$id.log" | sed 's/^/    /'
    note "$id: resolving/fetching its dependencies failed (target/bench/logs/fetch-$id.log)"
    return 1
  }
  loc "$id" "$dir"
}
if ((HAVE_PROGENITOR)); then
  prepare_foreign progenitor || HAVE_PROGENITOR=0
  note "progenitor's crate is built as generated: reqwest without any TLS backend (its Cargo.toml enables none), plus progenitor-client; it has no runtime of its own in src/."
fi
OAG_FEATURES="--no-default-features --features rustls"
if ((HAVE_OAG)); then
  prepare_foreign openapi-generator || HAVE_OAG=0
  note "openapi-generator's crate is built with '$OAG_FEATURES' (its default is native-tls/OpenSSL) so that its TLS stack is the one ours uses (reqwest + rustls)."
fi
note "Foreign crates get freshly resolved dependencies (cargo generate-lockfile); ours uses the workspace Cargo.lock. Cold = empty CARGO_TARGET_DIR, so it includes building all dependencies; crate-only = dependencies already built, the crate's sources touched, one rebuild of the crate alone."
note "Lines: *.rs under src/ (tests/ excluded, top-level #[cfg(test)] modules excluded); 'code lines' also drop blank and // comment lines. Ours ships its runtime (auth, signing, retry, pagination, ...) in src/; progenitor's is in the progenitor-client dependency."

# crate_builds ID MANIFEST SRCDIR KINDS EXTRA: cold and crate-only timings, each kind in its own
# fresh target dir under target/bench/tgt/.
crate_builds() {
  local id=$1 manifest=$2 src=$3 kinds=$4 extra=$5 kind td cmd
  for kind in $kinds; do
    td=$B/tgt/$id-$kind
    cmd="env CARGO_TARGET_DIR=$td cargo $kind --manifest-path $manifest $extra"
    if ((!QUICK)); then
      measure "$id-$kind-cold" 1 0 "rm -rf $td" "$cmd" || continue
    fi
    # The warmup run builds the dependencies when there is no earlier target dir (--quick).
    measure "$id-$kind-crate" "$BUILD_RUNS" 1 "find $src -name '*.rs' -exec touch {} +" "$cmd" || true
  done
}

if ((GEN_ONLY)); then
  note "--gen-only: no builds."
else
  crate_builds ours "$OURS_MANIFEST" "$OURS_SRC" "build check" "--locked"
  if ((HAVE_PROGENITOR)); then
    crate_builds progenitor "$B/crates/progenitor/Cargo.toml" "$B/crates/progenitor/src" "build check" ""
  fi
  if ((HAVE_OAG)); then
    crate_builds openapi-generator "$B/crates/openapi-generator/Cargo.toml" "$B/crates/openapi-generator/src" "build check" "$OAG_FEATURES"
  fi

  say "3. huaweicloud-bss: all groups (above) vs one group"
  for group in budgets customers; do
    crate_builds "ours-$group" "$OURS_MANIFEST" "$OURS_SRC" "build" "--locked --no-default-features --features $group"
  done
fi

# ---------------------------------------------------------------------------------------------
meta "load average at end" "$(cut -d' ' -f1-3 /proc/loadavg)"
ELAPSED=$(($(date +%s) - START))
meta "script duration" "$((ELAPSED / 60)) min $((ELAPSED % 60)) s"
say "Summary"
python3 "$ROOT/bench/report.py" "$R" "$B/results.md"
echo
echo "Raw results: target/bench/results/ (hyperfine JSON), target/bench/results.md (tables + JSON)."
