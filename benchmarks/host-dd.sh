#!/usr/bin/env bash
# Host baseline for SequentialIoBenchmark (issue 13): 1 GiB sequential write + fdatasync and a cold 1 GiB read
# with dd, on the disk that holds java.io.tmpdir (default /tmp; pass another directory as $1). Prints MB/s
# (10^6 bytes per second, as dd does) for each, N runs (default 3, $2). The cold read uses O_DIRECT so the
# page cache does not serve it; where O_DIRECT is refused, the page cache is dropped first (needs root).
set -eu
DIR="${1:-${TMPDIR:-/tmp}}"
N="${2:-3}"
F="$(mktemp -p "$DIR" kmodel-dd.XXXXXX)"
trap 'rm -f "$F"' EXIT
mbps() { # dd's last line: "... bytes (...) copied, S s, R MB/s" -> bytes / seconds / 1e6
  awk '/copied/ { for (i = 1; i <= NF; i++) if ($i ~ /^s,?$/) s = $(i-1); b = $1 } END { printf "%.0f", b / s / 1e6 }'
}
echo "host dd on $(df --output=source,fstype "$DIR" | tail -1) ($DIR), 1 GiB, bs=1M"
for i in $(seq "$N"); do
  w=$(dd if=/dev/zero of="$F" bs=1M count=1024 conv=fdatasync 2>&1 | mbps)
  if r=$(dd if="$F" of=/dev/null bs=1M iflag=direct 2>&1 | mbps) && [ -n "$r" ]; then
    how="iflag=direct"
  else
    sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
    r=$(dd if="$F" of=/dev/null bs=1M 2>&1 | mbps); how="after drop_caches"
  fi
  echo "run $i: write+fdatasync $w MB/s, cold read $r MB/s ($how)"
done
