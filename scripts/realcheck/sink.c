// UDP sink for the realcheck guest: bind a port, optionally pin to a CPU, read forever.
#define _GNU_SOURCE
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
int main(int argc, char **argv) {
  int port = argc > 1 ? atoi(argv[1]) : 5555;
  int cpu = argc > 2 ? atoi(argv[2]) : -1;
  if (cpu >= 0) { cpu_set_t s; CPU_ZERO(&s); CPU_SET(cpu, &s); if (sched_setaffinity(0, sizeof s, &s)) perror("sched_setaffinity"); }
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port), .sin_addr = { htonl(INADDR_ANY) } };
  if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a)) { perror("udp_sink"); return 1; }
  char buf[2048];
  for (;;) if (recv(fd, buf, sizeof buf, 0) < 0) perror("recv");
}
