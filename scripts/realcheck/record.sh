#!/bin/bash
# Record one real ftrace trace: boot a Debian kernel (extracted linux-image .deb) in QEMU/KVM with a
# busybox initramfs, flood 64 B UDP into the guest's virtio-net from the host (QEMU user networking,
# hostfwd), pin the rx IRQ to CPU 0 and a UDP sink to CPU $SINK, record $MS ms of ftrace.
# usage: record.sh KERNEL_ROOT(extracted deb) MODE(softirq|threaded-napi) SINK_CPU MS OUT_TRACE [WORK_DIR]
set -euo pipefail
KROOT=$1; MODE=$2; SINK=$3; MS=$4; OUT=$5; WORK=${6:-$(mktemp -d)}
HERE=$(cd "$(dirname "$0")" && pwd)
VMLINUZ=$(ls "$KROOT"/boot/vmlinuz-*)
MODDIR=$(ls -d "$KROOT"/lib/modules/*)
mkdir -p "$WORK"
[ -x "$WORK/udp_sink" ] || gcc -O2 -static -o "$WORK/udp_sink" "$HERE/sink.c"
[ -x "$WORK/flood" ] || gcc -O2 -o "$WORK/flood" "$HERE/flood.c"
R="$WORK/initramfs"; rm -rf "$R"; mkdir -p "$R"/{bin,proc,sys,mods,dev}
cp /bin/busybox "$R/bin/busybox"
cp "$HERE/guest-init.sh" "$R/init"; chmod +x "$R/init"
cp "$WORK/udp_sink" "$R/udp_sink"
: > "$R/mods/order"
for m in virtio/virtio virtio/virtio_ring virtio/virtio_pci_legacy_dev virtio/virtio_pci_modern_dev virtio/virtio_pci ../net/core/failover net/net_failover net/virtio_net; do
  f=$(ls "$MODDIR"/kernel/drivers/$m.ko* 2>/dev/null || true)
  [ -n "$f" ] || continue   # built in
  b=$(basename "$m").ko
  case $f in *.xz) xz -dc "$f" > "$R/mods/$b";; *) cp "$f" "$R/mods/$b";; esac
  echo "$b" >> "$R/mods/order"
done
(cd "$R" && find . | busybox cpio -o -H newc 2>/dev/null | gzip -1) > "$WORK/initramfs.gz"
PORT=$((20000 + RANDOM % 20000))
LOG="$WORK/console.log"
timeout 240 qemu-system-x86_64 -accel ${QEMU_ACCEL:-tcg,thread=multi} -cpu ${QEMU_CPU:-max} -smp ${SMP:-2} -m 512 -nographic -no-reboot \
  -kernel "$VMLINUZ" -initrd "$WORK/initramfs.gz" \
  -append "console=ttyS0 quiet panic=-1 rc.mode=$MODE rc.sink=$SINK rc.ms=$MS rc.warm=2 ${EXTRA_APPEND:-}" \
  -netdev user,id=n0,hostfwd=udp:127.0.0.1:$PORT-10.0.2.15:5555 -device virtio-net-pci,netdev=n0 > "$LOG" 2>&1 &
QPID=$!
for i in $(seq 1 1500); do grep -q '==READY==' "$LOG" 2>/dev/null && break; sleep 0.1; done
grep '==READY==' "$LOG" >&2 || { echo "guest did not come up; see $LOG" >&2; kill $QPID; exit 1; }
"$WORK/flood" 127.0.0.1 $PORT 64 $((3 + MS / 1000 + 1)) &
FPID=$!
wait $QPID || true
kill $FPID 2>/dev/null || true
tr -d '\r' < "$LOG" | sed -n '/==TRACE-BEGIN==/,/==TRACE-END==/p' | sed '1d;$d' > "$OUT"
tr -d '\r' < "$LOG" | sed -n '/==SNMP-BEGIN==/,/==SNMP-END==/p' | sed '1d;$d' > "$OUT.snmp"
echo "wrote $OUT ($(wc -c < "$OUT") bytes, $(wc -l < "$OUT") lines)" >&2
