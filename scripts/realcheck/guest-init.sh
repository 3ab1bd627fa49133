#!/bin/busybox sh
# PID 1 of the realcheck guest. Parameters come from the kernel command line: rc.mode=softirq|threaded-napi,
# rc.sink=<cpu>, rc.ms=<trace length>, rc.warm=<seconds of flood before tracing>.
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mount -t tracefs tracefs /sys/kernel/tracing
for m in $(cat /mods/order); do insmod /mods/$m || echo "insmod $m failed"; done
arg() { for w in $(cat /proc/cmdline); do case $w in rc.$1=*) echo "${w#*=}";; esac; done; }
MODE=$(arg mode); SINK=$(arg sink); MS=$(arg ms); WARM=$(arg warm)
ip link set lo up
ip link set eth0 up
ip addr add 10.0.2.15/24 dev eth0
ip route add default via 10.0.2.2
IRQ=$(grep -m1 'input\.0' /proc/interrupts | cut -d: -f1 | tr -d ' ')
echo 1 > /proc/irq/$IRQ/smp_affinity   # rx IRQ on CPU 0
if [ "$MODE" = threaded-napi ]; then echo 1 > /sys/class/net/eth0/threaded; fi
/udp_sink 5555 $SINK &
T=/sys/kernel/tracing
echo 0 > $T/tracing_on   # on since boot: nothing before our window
echo 4096 > $T/buffer_size_kb
for e in irq/irq_handler_entry irq/irq_handler_exit irq/softirq_raise irq/softirq_entry irq/softirq_exit napi/napi_poll \
         sched/sched_switch sched/sched_wakeup sched/sched_wakeup_new sched/sched_migrate_task \
         skb/skb_copy_datagram_iovec udp/udp_fail_queue_rcv_skb; do
  [ -e $T/events/$e/enable ] && echo 1 > $T/events/$e/enable
done
echo "events: $(cat $T/set_event | tr "\n" " ")"
echo "==READY== irq $IRQ mode $MODE sink $SINK $(uname -r)"
sleep $WARM
grep Udp: /proc/net/snmp > /snmp0
echo > $T/trace   # clear
echo 1 > $T/tracing_on
usleep $((MS * 1000))
echo 0 > $T/tracing_on
grep Udp: /proc/net/snmp > /snmp1
echo "==SNMP-BEGIN=="; cat /snmp0 /snmp1; echo "==SNMP-END=="
echo "==TRACE-BEGIN=="
cat $T/trace
echo "==TRACE-END=="
poweroff -f
