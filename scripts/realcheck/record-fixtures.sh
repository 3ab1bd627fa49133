#!/bin/bash
# Record the committed real-kernel fixtures (src/trace/fixtures/): Debian's 6.1 and 6.12 cloud kernels,
# softirq with the UDP sink on the rx CPU (0) and on the other CPU (1), threaded NAPI with the sink on
# the rx CPU. Needs qemu-system-x86, busybox-static, gcc (Debian packages). The kernel packages are
# fetched with a private apt state under $WORK (apt-get download: nothing is installed on the host).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${OUT:-$HERE/../../src/trace/fixtures}
WORK=${WORK:-/tmp/irqlab-realcheck}
MS=${MS:-100}
mkdir -p "$OUT" "$WORK"
for pkg in ${KERNELS:-linux-image-6.1.0-47-cloud-amd64-unsigned linux-image-6.12.117+deb12-cloud-amd64-unsigned}; do
  d="$WORK/$pkg"
  if [ ! -d "$d/boot" ]; then
    (cd "$WORK" && apt-get download "$pkg" >/dev/null)
    mkdir -p "$d" && dpkg-deb -x "$WORK/${pkg}"_*.deb "$d"
  fi
  ver=$(basename "$(ls -d "$d"/lib/modules/*)" | grep -oE '^[0-9]+\.[0-9]+')
  for run in "softirq 0 same-cpu" "softirq 1 other-cpu" "threaded-napi 0 same-cpu"; do
    set -- $run
    f="$OUT/linux-$ver-$1-$3.txt"
    "$HERE/record.sh" "$d" "$1" "$2" "$MS" "$f" "$WORK/w-$ver" && mv "$f.snmp" "${f%.txt}.snmp.txt"
  done
done
