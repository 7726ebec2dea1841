#!/usr/bin/env bash
# Start-up plus one call of the `bss` CLI against a local bss-emulator, against the issue's
# budget of 20 ms; and the binary's size. Not part of the test suite. The emulator is a dev
# build, so the figures include a slower server than a release one.
#
#   bench/cli.sh            # release build (profile.release: fat LTO), 200 runs
#   bench/cli.sh --dev      # dev build, 50 runs (quick look, not the figure to quote)
set -euo pipefail
cd "$(dirname "$0")/.."

profile=release
runs=200
if [ "${1:-}" = "--dev" ]; then
  profile=dev
  runs=50
fi
dir=target/$([ "$profile" = dev ] && echo debug || echo release)
flag=$([ "$profile" = dev ] && echo "" || echo "--release")

echo "== building bss ($profile) and bss-emulator (dev: the server's speed is not measured)"
start=$(date +%s)
cargo build -q $flag -p bss-cli
echo "build of bss: $(( $(date +%s) - start )) s (wall; whatever was built before is reused)"
echo "binary: $(stat -c %s "$dir/bss") bytes ($dir/bss)"
cargo build -q -p bss-emulator

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
target/debug/bss-emulator --port "$port" --no-throttling >/dev/null 2>&1 &
emulator=$!
trap 'kill "$emulator" 2>/dev/null || true' EXIT
for _ in $(seq 50); do
  if python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 0.2)" 2>/dev/null; then break; fi
  sleep 0.1
done

# The emulator's default credentials (its banner prints them); it runs without its documented
# rate limits, which 200 calls a second would exceed (the CLI then exits 4, as it should).
export HUAWEICLOUD_SDK_AK=EMULATORACCESSKEY000
export HUAWEICLOUD_SDK_SK=emulator-secret-key-not-a-real-credential

python3 - "$dir/bss" "$port" "$runs" <<'PY'
import statistics, subprocess, sys, time
bss, port, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
endpoint = f"http://127.0.0.1:{port}"
cases = {
    "bss --version (start-up only)": [bss, "--version"],
    "bss budgets show-sub-customer-budget (start-up + one call)": [
        bss, "budgets", "show-sub-customer-budget", "--customer-id", "06ff0000", "--endpoint", endpoint],
    "bss products list-service-types --output table": [
        bss, "products", "list-service-types", "--endpoint", endpoint, "--output", "table"],
}
for name, argv in cases.items():
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)  # warm the page cache
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    p95 = times[int(len(times) * 0.95) - 1]
    print(f"{name}: median {statistics.median(times):.1f} ms, mean {statistics.mean(times):.1f} ms, "
          f"p95 {p95:.1f} ms over {runs} runs; budget 20 ms -> median/budget {statistics.median(times) / 20:.2f}")
PY
