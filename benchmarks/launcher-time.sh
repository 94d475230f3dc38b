#!/usr/bin/env bash
# End-to-end time of the launcher on a built tree: ./kmodel -c 'uname -r' N times (default 10), median.
# Target (issue 2): median <= 1.5 s on the 2-core build machines. Uses hyperfine if installed, else bash.
set -eu
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
N="${1:-10}"
CMD="${KMODEL_CMD:-uname -r}"
cd "$ROOT"
./kmodel -c "$CMD" >/dev/null   # build if needed, warm the page cache
if command -v hyperfine >/dev/null 2>&1; then
  hyperfine -N --warmup 1 --runs "$N" "./kmodel -c '$CMD'" --export-json /tmp/kmodel-launcher.json >/dev/null
  python3 -c "import json;r=json.load(open('/tmp/kmodel-launcher.json'))['results'][0];print('median %.3f s  mean %.3f s  min %.3f s  max %.3f s  (%d runs, hyperfine)'%(r['median'],r['mean'],r['min'],r['max'],len(r['times'])))"
  exit 0
fi
times=()
for i in $(seq "$N"); do
  s=$(date +%s.%N)
  ./kmodel -c "$CMD" >/dev/null
  e=$(date +%s.%N)
  times+=("$(echo "$e - $s" | bc -l)")
done
printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "median %.3f s  min %.3f s  max %.3f s  (%d runs)\n", m, a[1], a[NR], NR}'
