// What the worker runtime needs from C that Swift 6 cannot reach safely (the stdio globals are not
// concurrency-safe to touch from Swift).
#ifndef FNHOST_CLAMBDARUNTIME_H
#define FNHOST_CLAMBDARUNTIME_H
#include <stdio.h>
#include <signal.h>
/// Line-buffer the worker's stdout and stderr, so the host sees each log line when it is written (a pipe is
/// otherwise fully buffered), and ignore SIGPIPE (a write to a closed socket must be an error, not death).
static inline void fnhost_worker_stdio_setup(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    setvbuf(stderr, NULL, _IONBF, 0);
    signal(SIGPIPE, SIG_IGN);
}
static inline void fnhost_flush_stdout(void) { fflush(stdout); }
#endif
