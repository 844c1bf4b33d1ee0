/*
 * A slow disk for benchmarks, without ptrace: preloaded into a node's JVM (LD_PRELOAD), it wraps fsync and
 * fdatasync and, after the real call returns, sleeps for the number of milliseconds written in the file named
 * by RATCHET_FSYNC_DELAY_FILE (no file, or 0: no delay). The file is read again at most every 20 ms, so a
 * benchmark slows or heals a running process by rewriting it. Nothing else in the process is touched: unlike
 * strace attached with -p, which stops the process at every system call.
 *
 * Build: gcc -shared -fPIC -O2 -o libfsyncdelay.so fsync_delay.c -ldl
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define REREAD_NANOS (20L * 1000 * 1000)

static _Atomic long delay_ms;
static _Atomic long next_read_nanos;

static long now_nanos(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

static long read_delay(void) {
    const char *path = getenv("RATCHET_FSYNC_DELAY_FILE");
    if (path == NULL) {
        return 0;
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return 0;
    }
    char buf[32];
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) {
        return 0;
    }
    buf[n] = '\0';
    char *end;
    long ms = strtol(buf, &end, 10);
    return ms > 0 && ms <= 10000 ? ms : 0;
}

static long current_delay(void) {
    long now = now_nanos();
    if (now >= atomic_load(&next_read_nanos)) {
        atomic_store(&next_read_nanos, now + REREAD_NANOS);
        atomic_store(&delay_ms, read_delay());
    }
    return atomic_load(&delay_ms);
}

static void delay_after(void) {
    int saved = errno;
    long ms = current_delay();
    if (ms > 0) {
        struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
        while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
        }
    }
    errno = saved;
}

typedef int (*sync_call)(int);

/* Calls the real function named (looked up once into *real), then sleeps the configured delay. */
static int delayed(sync_call *real, const char *name, int fd) {
    if (*real == NULL) {
        *real = (sync_call) dlsym(RTLD_NEXT, name);
    }
    int rc = (*real)(fd);
    delay_after();
    return rc;
}

int fsync(int fd) {
    static sync_call real;
    return delayed(&real, "fsync", fd);
}

int fdatasync(int fd) {
    static sync_call real;
    return delayed(&real, "fdatasync", fd);
}
