// Host side of realcheck: send fixed-size UDP datagrams to HOST:PORT as fast as possible for SECONDS.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
int main(int argc, char **argv) {
  if (argc < 5) { fprintf(stderr, "usage: flood HOST PORT PAYLOAD_BYTES SECONDS\n"); return 2; }
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(atoi(argv[2])) };
  inet_pton(AF_INET, argv[1], &a.sin_addr);
  int len = atoi(argv[3]);
  char buf[1500]; memset(buf, 'x', sizeof buf);
  time_t end = time(0) + atoi(argv[4]);
  unsigned long n = 0, err = 0;
  while (time(0) < end) for (int i = 0; i < 1000; i++) { if (sendto(fd, buf, len, 0, (struct sockaddr *)&a, sizeof a) < 0) err++; else n++; }
  fprintf(stderr, "flood: sent %lu datagrams (%lu errors)\n", n, err);
  return 0;
}
