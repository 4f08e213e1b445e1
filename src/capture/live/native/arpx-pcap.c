/*
 * arpx-pcap: the live capture backend of `arpx capture` (see docs/live-capture.md).
 *
 * Opens one interface with libpcap and writes what it captures to standard output as a pcapng
 * stream, which arpx reads with its own pcapng reader:
 *
 *   SHB, IDB (link type, snaplen, if_name, if_filter, if_tsresol 9 = nanoseconds when libpcap can,
 *   else 6), then one EPB per packet carrying libpcap's timestamp and wire length, an ISB every
 *   -S milliseconds with libpcap's counters, and a last ISB (with isb_endtime) when it stops:
 *     isb_ifrecv   ps_recv    packets that passed the capture filter (the kernel counts drops in)
 *     isb_osdrop   ps_drop    dropped by the kernel: no room in the capture buffer
 *     isb_ifdrop   ps_ifdrop  dropped by the interface / driver (Linux: rx_dropped delta)
 *     isb_usrdeliv            packets this program wrote to the stream
 *
 * Packets go from the kernel's buffer into an output queue in memory (1 MiB chunks, up to -C MiB,
 * default 64) that is written to the pipe without blocking, so a reader that pauses makes the
 * queue grow instead of making the kernel drop packets. SIGINT/SIGTERM
 * (or -c packets, or the parent going away) stop the capture: packets already in the kernel
 * buffer are still read (for up to two read timeouts, so blocks the kernel had not yet handed over
 * are included), the last ISB is written, and the program exits 0.
 *
 * Errors: one line on stderr, "arpx-pcap: KIND: libpcap's message", and a distinct exit status
 *   10 permission   11 no such device   12 bad filter   13 interface down   14 other libpcap error
 *   15 usage        16 output error
 *
 * -o FIFO writes the stream to FIFO instead of standard output (arpx reads a FIFO straight into
 * its reader's buffer, one copy fewer than a Node stream). Also: -L lists the devices libpcap sees (name TAB description TAB flags TAB addresses), -V
 * prints libpcap's version.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pcap/pcap.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <poll.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#define EXIT_PERM 10
#define EXIT_NODEV 11
#define EXIT_FILTER 12
#define EXIT_DOWN 13
#define EXIT_PCAP 14
#define EXIT_USAGE 15
#define EXIT_OUTPUT 16

/* Output queue: 1 MiB chunks, at most `max_chunks` of them (-C MiB). */
#define CHUNK (1 << 20)

static pcap_t *pc;
static volatile sig_atomic_t stop_requested;
static int out_failed;
static uint64_t delivered;
static uint64_t limit;
static int nano;
static uint64_t start_ns;

static void on_signal(int sig) {
  (void)sig;
  stop_requested = 1;
  if (pc != NULL) pcap_breakloop(pc);
}

__attribute__((noreturn)) static void fail(int status, const char *kind, const char *msg) {
  fprintf(stderr, "arpx-pcap: %s: %s\n", kind, msg);
  exit(status);
}

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint64_t mono_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000ull + (uint64_t)ts.tv_nsec / 1000000ull;
}

/* ---- output queue --------------------------------------------------------------------------------
 * Packets are moved from the kernel's buffer into this queue as soon as they are there, and the
 * queue is written to the pipe without blocking: a reader that pauses (arpx's JavaScript, a
 * garbage collection, a slow terminal) makes the queue grow, up to -C MiB, instead of making the
 * kernel drop packets. Only when the queue is full does the program wait for the reader. */

static unsigned char **chunk_buf; /* ring of chunks, allocated on first use */
static size_t *chunk_len;
static int max_chunks = 64, q_head, q_count;
static size_t head_off; /* bytes of the head chunk already written */

static void try_write(void) {
  while (q_count > 0 && !out_failed) {
    size_t len = chunk_len[q_head];
    if (head_off < len) {
      ssize_t n = write(1, chunk_buf[q_head] + head_off, len - head_off);
      if (n < 0) {
        if (errno == EINTR) continue;
        if (errno != EAGAIN) out_failed = 1; /* EPIPE: the reader went away */
        return;
      }
      head_off += (size_t)n;
      if (head_off < len) return;
    }
    if (q_count == 1) { /* the chunk being filled: reuse it */
      chunk_len[q_head] = 0;
      head_off = 0;
      return;
    }
    q_head = (q_head + 1) % max_chunks;
    q_count--;
    head_off = 0;
  }
}

static void wait_writable(void) {
  struct pollfd w = {.fd = 1, .events = POLLOUT};
  poll(&w, 1, 100);
  try_write();
}

/* Writes everything queued, waiting for the reader. */
static void flush_out(void) {
  while (!out_failed && q_count > 0 && !(q_count == 1 && head_off >= chunk_len[q_head])) wait_writable();
}

static size_t queued(void) {
  if (q_count == 0) return 0;
  return (size_t)(q_count - 1) * CHUNK + chunk_len[(q_head + q_count - 1) % max_chunks] - head_off;
}

static unsigned char *reserve(size_t n) {
  static unsigned char sink[CHUNK];
  int tail = (q_head + q_count - 1) % max_chunks;
  if (q_count == 0 || chunk_len[tail] + n > CHUNK) {
    while (q_count == max_chunks && !out_failed) wait_writable();
    if (out_failed) return sink; /* nobody reads any more: discard */
    tail = (q_head + q_count) % max_chunks;
    if (chunk_buf[tail] == NULL && (chunk_buf[tail] = malloc(CHUNK)) == NULL) {
      fprintf(stderr, "arpx-pcap: error: out of memory\n");
      exit(EXIT_OUTPUT);
    }
    chunk_len[tail] = 0;
    q_count++;
  }
  unsigned char *p = chunk_buf[tail] + chunk_len[tail];
  chunk_len[tail] += n;
  return p;
}

static void put32(unsigned char *p, uint32_t v) { memcpy(p, &v, 4); }
static void put16(unsigned char *p, uint16_t v) { memcpy(p, &v, 2); }
static void put64(unsigned char *p, uint64_t v) { memcpy(p, &v, 8); }

static size_t pad4(size_t n) { return (n + 3) & ~(size_t)3; }

/* An option's size in a block: code, length, value padded to 4. */
static size_t opt_size(size_t len) { return 4 + pad4(len); }

static unsigned char *put_opt(unsigned char *p, uint16_t code, const void *v, size_t len) {
  put16(p, code);
  put16(p + 2, (uint16_t)len);
  memset(p + 4, 0, pad4(len));
  memcpy(p + 4, v, len);
  return p + 4 + pad4(len);
}

static void write_shb(void) {
  const char *appl = pcap_lib_version();
  size_t alen = strlen(appl);
  size_t len = 28 + opt_size(alen) + 4;
  unsigned char *p = reserve(len);
  put32(p, 0x0a0d0d0a);
  put32(p + 4, (uint32_t)len);
  put32(p + 8, 0x1a2b3c4d);
  put16(p + 12, 1);
  put16(p + 14, 0);
  put64(p + 16, (uint64_t)-1);
  unsigned char *o = put_opt(p + 24, 4, appl, alen); /* shb_userappl */
  put32(o, 0);                                       /* opt_endofopt */
  put32(p + len - 4, (uint32_t)len);
}

static void write_idb(int linktype, int snaplen, const char *name, const char *filter) {
  size_t nlen = strlen(name);
  size_t flen = filter != NULL ? strlen(filter) + 1 : 0;
  size_t len = 16 + opt_size(nlen) + (flen ? opt_size(flen) : 0) + opt_size(1) + 4 + 4;
  unsigned char *p = reserve(len);
  put32(p, 1);
  put32(p + 4, (uint32_t)len);
  put16(p + 8, (uint16_t)linktype);
  put16(p + 10, 0);
  put32(p + 12, (uint32_t)snaplen);
  unsigned char *o = put_opt(p + 16, 2, name, nlen); /* if_name */
  if (flen) {
    unsigned char fbuf[flen];
    fbuf[0] = 0; /* libpcap filter string */
    memcpy(fbuf + 1, filter, flen - 1);
    o = put_opt(o, 11, fbuf, flen); /* if_filter */
  }
  unsigned char res = nano ? 9 : 6;
  o = put_opt(o, 9, &res, 1); /* if_tsresol */
  put32(o, 0);
  put32(p + len - 4, (uint32_t)len);
}

static void put_ts(unsigned char *p, uint64_t ns) {
  uint64_t ticks = nano ? ns : ns / 1000;
  put32(p, (uint32_t)(ticks >> 32));
  put32(p + 4, (uint32_t)ticks);
}

static void write_isb(int final) {
  struct pcap_stat st;
  memset(&st, 0, sizeof st);
  if (pcap_stats(pc, &st) != 0) return;
  uint64_t now = now_ns();
  size_t len = 20 + opt_size(8) * (final ? 6 : 5) + 4 + 4;
  unsigned char *p = reserve(len);
  put32(p, 5);
  put32(p + 4, (uint32_t)len);
  put32(p + 8, 0);
  put_ts(p + 12, now);
  unsigned char *o = p + 20;
  unsigned char v[8];
  put_ts(v, start_ns);
  o = put_opt(o, 2, v, 8); /* isb_starttime */
  if (final) {
    put_ts(v, now);
    o = put_opt(o, 3, v, 8); /* isb_endtime */
  }
  uint64_t x;
  x = st.ps_recv;
  o = put_opt(o, 4, &x, 8); /* isb_ifrecv */
  x = st.ps_ifdrop;
  o = put_opt(o, 5, &x, 8); /* isb_ifdrop */
  x = st.ps_drop;
  o = put_opt(o, 7, &x, 8); /* isb_osdrop */
  x = delivered;
  o = put_opt(o, 8, &x, 8); /* isb_usrdeliv */
  put32(o, 0);
  put32(p + len - 4, (uint32_t)len);
}

static void on_packet(u_char *user, const struct pcap_pkthdr *h, const u_char *data) {
  (void)user;
  if (limit != 0 && delivered >= limit) return;
  uint32_t cap = h->caplen;
  size_t len = 28 + pad4(cap) + 4;
  unsigned char *p = reserve(len);
  put32(p, 6);
  put32(p + 4, (uint32_t)len);
  put32(p + 8, 0);
  /* with nanosecond precision libpcap puts nanoseconds in tv_usec */
  uint64_t ticks = (uint64_t)h->ts.tv_sec * (nano ? 1000000000ull : 1000000ull) + (uint64_t)h->ts.tv_usec;
  put32(p + 12, (uint32_t)(ticks >> 32));
  put32(p + 16, (uint32_t)ticks);
  put32(p + 20, cap);
  put32(p + 24, h->len);
  memcpy(p + 28, data, cap);
  memset(p + 28 + cap, 0, pad4(cap) - cap);
  put32(p + len - 4, (uint32_t)len);
  delivered++;
  if (limit != 0 && delivered >= limit) {
    stop_requested = 1;
    pcap_breakloop(pc);
  }
}

/* ---- device list -------------------------------------------------------------------------------- */

static void print_addr(const struct sockaddr *sa, int *first) {
  char buf[INET6_ADDRSTRLEN];
  const char *s = NULL;
  if (sa == NULL) return;
  if (sa->sa_family == AF_INET) s = inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, buf, sizeof buf);
  else if (sa->sa_family == AF_INET6) s = inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, buf, sizeof buf);
  if (s == NULL) return;
  printf("%s%s", *first ? "" : ",", s);
  *first = 0;
}

static int list_devices(void) {
  char err[PCAP_ERRBUF_SIZE];
  pcap_if_t *all = NULL;
  if (pcap_findalldevs(&all, err) != 0) fail(EXIT_PCAP, "error", err);
  for (pcap_if_t *d = all; d != NULL; d = d->next) {
    printf("%s\t%s\t", d->name, d->description ? d->description : "");
    int first = 1;
    if (d->flags & PCAP_IF_LOOPBACK) { printf("loopback"); first = 0; }
    if (d->flags & PCAP_IF_UP) { printf("%sup", first ? "" : ","); first = 0; }
    if (d->flags & PCAP_IF_RUNNING) { printf("%srunning", first ? "" : ","); first = 0; }
    if (d->flags & PCAP_IF_WIRELESS) { printf("%swireless", first ? "" : ","); first = 0; }
    printf("\t");
    first = 1;
    for (pcap_addr_t *a = d->addresses; a != NULL; a = a->next) print_addr(a->addr, &first);
    printf("\n");
  }
  pcap_freealldevs(all);
  return 0;
}

/* ---- main ------------------------------------------------------------------------------------------ */

static void usage(void) {
  fail(EXIT_USAGE, "usage",
       "arpx-pcap -i IFACE [-s SNAPLEN] [-p] [-f FILTER] [-B KIB] [-C MIB] [-c COUNT] [-o FIFO] [-S STATS_MS] [-t TIMEOUT_MS] | -L | -V");
}

int main(int argc, char **argv) {
  const char *dev = NULL, *filter = NULL, *outpath = NULL;
  int snaplen = 262144, promisc = 1, bufkib = 0, stats_ms = 1000, timeout_ms = 50;
  int c;
  while ((c = getopt(argc, argv, "i:s:pf:B:C:c:o:S:t:LV")) != -1) {
    switch (c) {
      case 'i': dev = optarg; break;
      case 's': snaplen = atoi(optarg); break;
      case 'p': promisc = 0; break;
      case 'f': filter = optarg; break;
      case 'B': bufkib = atoi(optarg); break;
      case 'C': max_chunks = atoi(optarg); break;
      case 'o': outpath = optarg; break;
      case 'c': limit = strtoull(optarg, NULL, 10); break;
      case 'S': stats_ms = atoi(optarg); break;
      case 't': timeout_ms = atoi(optarg); break;
      case 'L': return list_devices();
      case 'V': printf("%s\n", pcap_lib_version()); return 0;
      default: usage();
    }
  }
  if (dev == NULL || snaplen <= 0 || stats_ms <= 0 || timeout_ms <= 0 || bufkib < 0 || max_chunks < 2) usage();
  if (snaplen > 262144) snaplen = 262144;
#ifdef __linux__
  prctl(PR_SET_PDEATHSIG, SIGTERM);
#endif
  /* Latency matters here, throughput behind the queue: run ahead of the analyzer when allowed
     (root or CAP_SYS_NICE); otherwise stay as we are. */
  if (getpriority(PRIO_PROCESS, 0) > -10) (void)setpriority(PRIO_PROCESS, 0, -10);
  if (outpath != NULL) {
    /* a FIFO the reader has opened (or is opening): the stream goes there instead of stdout */
    int ofd = open(outpath, O_WRONLY);
    if (ofd < 0 || dup2(ofd, 1) < 0) fail(EXIT_OUTPUT, "error", strerror(errno));
    close(ofd);
  }
  pid_t parent = getppid();

  char err[PCAP_ERRBUF_SIZE];
  err[0] = 0;
  pc = pcap_create(dev, err);
  if (pc == NULL) fail(EXIT_PCAP, "error", err);
  pcap_set_snaplen(pc, snaplen);
  pcap_set_promisc(pc, promisc);
  pcap_set_timeout(pc, timeout_ms);
  if (bufkib > 0) pcap_set_buffer_size(pc, bufkib * 1024);
  nano = pcap_set_tstamp_precision(pc, PCAP_TSTAMP_PRECISION_NANO) == 0;
  int rc = pcap_activate(pc);
  if (rc < 0) {
    const char *msg = pcap_geterr(pc);
    char buf[PCAP_ERRBUF_SIZE + 64];
    if (msg == NULL || *msg == 0) msg = pcap_statustostr(rc);
    snprintf(buf, sizeof buf, "%s", msg);
    switch (rc) {
      case PCAP_ERROR_PERM_DENIED:
      case PCAP_ERROR_PROMISC_PERM_DENIED: fail(EXIT_PERM, "permission", buf);
      case PCAP_ERROR_NO_SUCH_DEVICE: fail(EXIT_NODEV, "nodevice", buf);
      case PCAP_ERROR_IFACE_NOT_UP: fail(EXIT_DOWN, "down", buf);
      default: fail(EXIT_PCAP, "error", buf);
    }
  }
  if (rc > 0) fprintf(stderr, "arpx-pcap: warning: %s\n", pcap_geterr(pc)[0] ? pcap_geterr(pc) : pcap_statustostr(rc));
  nano = pcap_get_tstamp_precision(pc) == PCAP_TSTAMP_PRECISION_NANO;
  if (filter != NULL && *filter != 0) {
    struct bpf_program prog;
    if (pcap_compile(pc, &prog, filter, 1, PCAP_NETMASK_UNKNOWN) != 0) fail(EXIT_FILTER, "filter", pcap_geterr(pc));
    if (pcap_setfilter(pc, &prog) != 0) fail(EXIT_FILTER, "filter", pcap_geterr(pc));
    pcap_freecode(&prog);
  }

  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal; /* no SA_RESTART: poll() returns at once */
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGHUP, &sa, NULL);
  signal(SIGPIPE, SIG_IGN);

#ifdef F_SETPIPE_SZ
  fcntl(1, F_SETPIPE_SZ, 1 << 20); /* fails harmlessly when stdout is no pipe or the limit is lower */
#endif
  chunk_buf = calloc((size_t)max_chunks, sizeof *chunk_buf);
  chunk_len = calloc((size_t)max_chunks, sizeof *chunk_len);
  if (chunk_buf == NULL || chunk_len == NULL) fail(EXIT_OUTPUT, "error", "out of memory");
  struct stat st1;
  int nonblock = fstat(1, &st1) == 0 && S_ISFIFO(st1.st_mode); /* never change a terminal's mode */
  if (nonblock) fcntl(1, F_SETFL, fcntl(1, F_GETFL) | O_NONBLOCK);
  start_ns = now_ns();
  write_shb();
  write_idb(pcap_datalink(pc), pcap_snapshot(pc), dev, filter);
  flush_out();

  /* Our own poll() with the read timeout, then non-blocking reads: libpcap's blocking read waits
     without end on a quiet link (TPACKET_V3), and we must wake up to report statistics and to
     notice a stop. The kernel still hands over a block of packets at the latest one timeout
     after its first packet. */
  int fd = pcap_get_selectable_fd(pc);
  if (fd < 0 || pcap_setnonblock(pc, 1, err) != 0) fail(EXIT_PCAP, "error", fd < 0 ? "this device cannot be polled" : err);
  struct pollfd pfd[2] = {{.fd = fd, .events = POLLIN}, {.fd = 1, .events = POLLOUT}};
  uint64_t last_stats = mono_ms();
  uint64_t stop_at = 0;
  for (;;) {
    int nfds = queued() > 0 ? 2 : 1;
    poll(pfd, (nfds_t)nfds, stop_requested ? 10 : timeout_ms);
    int n = pcap_dispatch(pc, -1, on_packet, NULL);
    if (n == PCAP_ERROR_BREAK) n = 0;
    if (n == PCAP_ERROR) {
      flush_out();
      fail(EXIT_PCAP, "error", pcap_geterr(pc));
    }
    uint64_t t = mono_ms();
    if (getppid() != parent) stop_requested = 1;
    if (stop_requested && stop_at == 0) stop_at = t;
    if (stop_at != 0) {
      /* the count is reached, or read on for two timeouts: the kernel hands over the blocks that
         held packets from before the stop within one timeout */
      if ((limit != 0 && delivered >= limit) || t - stop_at >= (uint64_t)timeout_ms * 2 + 10) break;
    }
    if (t - last_stats >= (uint64_t)stats_ms) {
      write_isb(0);
      last_stats = t;
    }
    try_write();
    if (out_failed) break;
  }
  write_isb(1);
  if (nonblock) fcntl(1, F_SETFL, fcntl(1, F_GETFL) & ~O_NONBLOCK);
  flush_out();
  pcap_close(pc);
  return out_failed ? EXIT_OUTPUT : 0;
}
