/*
 * arpx calibration helper: measures on this machine what the copy-vs-map cost model needs and
 * prints one JSON object on stdout. Built by `arpx calibrate` with the system C compiler
 * (cc -O2 -pthread) into a cache directory on first use.
 *
 *   memcpy            ns per copy at several sizes (same buffers reused: cache-resident up to the
 *                     cache size, DRAM-bound beyond it); the fastest of several runs
 *   pageFaultAnonNs   first touch of a fresh anonymous page (minor fault + zeroing)
 *   pageFaultSharedNs first touch of a shared page already in the page cache (minor fault that maps
 *                     an existing page: what mapping an RX buffer into an application costs)
 *   munmapNs[r]       munmap of one touched page with r other threads of this process running on
 *                     other cores (they force a TLB shootdown IPI)
 *   madviseTouchNs[r] MADV_DONTNEED then touch, one page (N. Amit's LKML 2019 measurement), with
 *                     r other threads running
 *   mapTouchUnmapNs[r] the whole per-packet cycle of the map/unmap scheme: mmap one page of a
 *                     shared buffer (already in memory), touch it (soft fault), munmap it (TLB
 *                     shootdown to the r other cores)
 *
 *   syscallNs         one trivial system call (getppid), the per-batch cost of kernel-mediated RX
 *
 * Usage: calib [--quick] [--remote N]   (N: most remote threads, default min(cpus - 1, 3))
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double median(double *v, int n) {
  qsort(v, (size_t)n, sizeof(double), cmp_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* memcpy through a volatile pointer so the compiler cannot drop or inline it away */
static void *(*volatile copy_fn)(void *, const void *, size_t) = memcpy;
static volatile unsigned char sink;

static double time_memcpy(size_t size, double budget_bytes, int reps) {
  size_t pool = size < (1u << 20) ? size : size; /* same buffers every time */
  unsigned char *src = aligned_alloc(64, (pool + 63) / 64 * 64);
  unsigned char *dst = aligned_alloc(64, (pool + 63) / 64 * 64);
  if (!src || !dst) return -1;
  memset(src, 1, pool);
  memset(dst, 2, pool);
  long iters = (long)(budget_bytes / (double)size);
  if (iters < 3) iters = 3;
  double samples[16];
  for (long i = 0; i < iters / 4 + 1; i++) copy_fn(dst, src, size); /* warm up */
  for (int r = 0; r < reps; r++) {
    double t0 = now_ns();
    for (long i = 0; i < iters; i++) {
      copy_fn(dst, src, size);
      src[i % size] ^= 1; /* keep the copies dependent on changing data */
    }
    double t1 = now_ns();
    sink = dst[size / 2];
    samples[r] = (t1 - t0) / (double)iters;
  }
  free(src);
  free(dst);
  /* the fastest run: other processes only ever slow a copy down */
  double best = samples[0];
  for (int r = 1; r < reps; r++) if (samples[r] < best) best = samples[r];
  return best;
}

static long page_size;

static double fault_anon(int pages, int reps) {
  double samples[16];
  for (int r = 0; r < reps; r++) {
    unsigned char *p = mmap(NULL, (size_t)pages * page_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return -1;
    double t0 = now_ns();
    for (int i = 0; i < pages; i++) p[(size_t)i * page_size] = 1;
    double t1 = now_ns();
    munmap(p, (size_t)pages * page_size);
    samples[r] = (t1 - t0) / pages;
  }
  return median(samples, reps);
}

static double fault_shared(int pages, int reps) {
  int fd = memfd_create("arpx-calib", 0);
  if (fd < 0) return -1;
  size_t len = (size_t)pages * page_size;
  if (ftruncate(fd, (off_t)len) != 0) return -1;
  unsigned char *w = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (w == MAP_FAILED) return -1;
  for (size_t i = 0; i < len; i += (size_t)page_size) w[i] = 1; /* pages now exist in the page cache */
  munmap(w, len);
  double samples[16];
  for (int r = 0; r < reps; r++) {
    unsigned char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) return -1;
    double t0 = now_ns();
    for (int i = 0; i < pages; i++) sink = p[(size_t)i * page_size];
    double t1 = now_ns();
    munmap(p, len);
    samples[r] = (t1 - t0) / pages;
  }
  close(fd);
  return median(samples, reps);
}

/* munmap one page at a time (each a TLB flush, with IPIs to the cores running our other threads) */
static double unmap_pages(int pages, int reps) {
  double samples[16];
  for (int r = 0; r < reps; r++) {
    unsigned char *p = mmap(NULL, (size_t)pages * page_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return -1;
    for (int i = 0; i < pages; i++) p[(size_t)i * page_size] = 1;
    double t0 = now_ns();
    for (int i = 0; i < pages; i++) munmap(p + (size_t)i * page_size, (size_t)page_size);
    double t1 = now_ns();
    samples[r] = (t1 - t0) / pages;
  }
  return median(samples, reps);
}

static double madvise_touch(int pages, int reps) {
  double samples[16];
  unsigned char *p = mmap(NULL, (size_t)page_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) return -1;
  p[0] = 1;
  for (int r = 0; r < reps; r++) {
    double t0 = now_ns();
    for (int i = 0; i < pages; i++) {
      madvise(p, (size_t)page_size, MADV_DONTNEED);
      p[0] = (unsigned char)i;
    }
    double t1 = now_ns();
    samples[r] = (t1 - t0) / pages;
  }
  munmap(p, (size_t)page_size);
  return median(samples, reps);
}

static double syscall_ns(int reps) {
  double samples[16];
  int n = 200000;
  for (int r = 0; r < reps; r++) {
    double t0 = now_ns();
    for (int i = 0; i < n; i++) syscall(SYS_getppid);
    double t1 = now_ns();
    samples[r] = (t1 - t0) / n;
  }
  return median(samples, reps);
}

static int shared_fd = -1;

static double map_touch_unmap(int pages, int reps) {
  double samples[16];
  for (int r = 0; r < reps; r++) {
    double t0 = now_ns();
    for (int i = 0; i < pages; i++) {
      unsigned char *p = mmap(NULL, (size_t)page_size, PROT_READ | PROT_WRITE, MAP_SHARED, shared_fd, (off_t)i * page_size);
      if (p == MAP_FAILED) return -1;
      sink = p[0];
      munmap(p, (size_t)page_size);
    }
    double t1 = now_ns();
    samples[r] = (t1 - t0) / pages;
  }
  return median(samples, reps);
}

/* other threads of this process, each spinning on its own core so the address space is live there */
static atomic_int stop_spin;
static atomic_int spinning;

static void *spin(void *arg) {
  long cpu = (long)arg;
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET((int)cpu, &set);
  pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
  volatile unsigned long x = 0;
  atomic_fetch_add(&spinning, 1);
  while (!atomic_load_explicit(&stop_spin, memory_order_relaxed)) x++;
  return NULL;
}

int main(int argc, char **argv) {
  int quick = 0, max_remote = -1;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--quick") == 0) quick = 1;
    else if (strcmp(argv[i], "--remote") == 0 && i + 1 < argc) max_remote = atoi(argv[++i]);
  }
  page_size = sysconf(_SC_PAGESIZE);
  long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  if (max_remote < 0) max_remote = cpus - 1 < 3 ? (int)(cpus - 1) : 3;
  if (max_remote > cpus - 1) max_remote = (int)(cpus - 1);
  if (max_remote < 0) max_remote = 0;
  int reps = quick ? 3 : 7;
  int pages = quick ? 2048 : 8192;
  double budget = quick ? 32e6 : 256e6;

  /* keep the measuring thread on cpu 0 so the spinners are truly remote */
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(0, &set);
  sched_setaffinity(0, sizeof(set), &set);

  static const size_t sizes[] = {64, 128, 256, 512, 1024, 1500, 2048, 4096, 9000, 16384, 65536, 1 << 20, 64 << 20};
  int nsizes = (int)(sizeof(sizes) / sizeof(sizes[0]));
  printf("{\n  \"pageSize\": %ld,\n  \"cpus\": %ld,\n  \"pages\": %d,\n  \"memcpy\": [", page_size, cpus, pages);
  for (int i = 0; i < nsizes; i++) {
    double b = sizes[i] >= (64 << 20) ? (quick ? 128e6 : 512e6) : budget;
    double ns = time_memcpy(sizes[i], b, quick ? 3 : 5);
    printf("%s\n    {\"bytes\": %zu, \"ns\": %.4f}", i ? "," : "", sizes[i], ns);
    fflush(stdout);
  }
  printf("\n  ],\n");
  printf("  \"syscallNs\": %.2f,\n", syscall_ns(reps));
  printf("  \"pageFaultAnonNs\": %.2f,\n", fault_anon(pages, reps));
  printf("  \"pageFaultSharedNs\": %.2f,\n", fault_shared(pages, reps));
  fflush(stdout);

  shared_fd = memfd_create("arpx-calib-rx", 0);
  if (shared_fd >= 0 && ftruncate(shared_fd, (off_t)pages * page_size) == 0) {
    unsigned char *w = mmap(NULL, (size_t)pages * page_size, PROT_READ | PROT_WRITE, MAP_SHARED, shared_fd, 0);
    if (w != MAP_FAILED) {
      for (int i = 0; i < pages; i++) w[(size_t)i * page_size] = 1;
      munmap(w, (size_t)pages * page_size);
    }
  }
  pthread_t th[64];
  double unmap[65], madv[65], mtu[65];
  int measured = 0;
  for (int r = 0; r <= max_remote && r < 64; r++) {
    if (r > 0) {
      if (pthread_create(&th[r - 1], NULL, spin, (void *)(long)(r % cpus)) != 0) break;
      while (atomic_load(&spinning) < r) sched_yield();
    }
    unmap[r] = unmap_pages(pages, reps);
    madv[r] = madvise_touch(pages, reps);
    mtu[r] = shared_fd >= 0 ? map_touch_unmap(pages, reps) : -1;
    measured = r + 1;
  }
  atomic_store(&stop_spin, 1);
  for (int r = 1; r < measured; r++) pthread_join(th[r - 1], NULL);
  printf("  \"munmapNs\": {");
  for (int r = 0; r < measured; r++) printf("%s\"%d\": %.2f", r ? ", " : "", r, unmap[r]);
  printf("},\n  \"madviseTouchNs\": {");
  for (int r = 0; r < measured; r++) printf("%s\"%d\": %.2f", r ? ", " : "", r, madv[r]);
  printf("},\n  \"mapTouchUnmapNs\": {");
  for (int r = 0; r < measured; r++) printf("%s\"%d\": %.2f", r ? ", " : "", r, mtu[r]);
  printf("}\n}\n");
  return 0;
}
