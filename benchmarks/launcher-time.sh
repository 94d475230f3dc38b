#!/usr/bin/env bash
# End-to-end time of the launcher on a built tree: ./kmodel -c 'uname -r' N times (default 10), median.
# Target (issue 14): median <= 0.8 s on an idle 2-core machine. Uses hyperfine if installed, else bash.
# The runs use a scratch state directory (KMODEL_STATE, default a fresh temp dir removed at the end), never
# ~/.kmodel; the first run builds if needed and creates the class-data-sharing archive, and is not timed.
# Also prints the CPU time (user + sys) of each run: on a loaded machine it moves far less than wall time.
set -eu
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
N="${1:-10}"
CMD="${KMODEL_CMD:-uname -r}"
if [ -z "${KMODEL_STATE:-}" ]; then
  KMODEL_STATE="$(mktemp -d "${TMPDIR:-/tmp}/kmodel-launcher-time.XXXXXX")"
  trap 'rm -rf "$KMODEL_STATE"' EXIT
fi
export KMODEL_STATE
cd "$ROOT"
./kmodel -c "$CMD" >/dev/null   # build if needed, warm the page cache
if command -v hyperfine >/dev/null 2>&1; then
  hyperfine -N --warmup 1 --runs "$N" "./kmodel -c '$CMD'" --export-json /tmp/kmodel-launcher.json >/dev/null
  python3 -c "import json;r=json.load(open('/tmp/kmodel-launcher.json'))['results'][0];print('median %.3f s  mean %.3f s  min %.3f s  max %.3f s  (%d runs, hyperfine)'%(r['median'],r['mean'],r['min'],r['max'],len(r['times'])))"
  exit 0
fi
times=()
cpus=()
TF="$(mktemp)"
for i in $(seq "$N"); do
  s=$(date +%s.%N)
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f '%U %S' -o "$TF" ./kmodel -c "$CMD" >/dev/null
    cpus+=("$(awk '{print $1 + $2}' "$TF")")
  else
    ./kmodel -c "$CMD" >/dev/null
  fi
  e=$(date +%s.%N)
  times+=("$(echo "$e - $s" | bc -l)")
done
rm -f "$TF"
printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "median %.3f s  min %.3f s  max %.3f s  (%d runs)\n", m, a[1], a[NR], NR}'
if [ "${#cpus[@]}" -gt 0 ]; then
  printf '%s\n' "${cpus[@]}" | sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "cpu (user+sys) median %.3f s  min %.3f s  max %.3f s\n", m, a[1], a[NR]}'
fi
