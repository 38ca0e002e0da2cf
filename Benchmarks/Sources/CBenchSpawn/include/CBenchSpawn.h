// The benchmark runner's process primitives, in C because Swift's Glibc module hides what they need
// (`pipe2`, `posix_spawn_file_actions_addclosefrom_np` are behind _GNU_SOURCE).
#ifndef FNHOST_CBENCHSPAWN_H
#define FNHOST_CBENCHSPAWN_H
#include <sys/types.h>

/// Standard stream given to a child: inherit the runner's.
#define BENCH_FD_INHERIT (-2)
/// Standard stream given to a child: /dev/null.
#define BENCH_FD_NULL (-1)

/// Starts `path` with `argv` and `envp` (NULL: the runner's environment) through posix_spawn, as cheaply as the C
/// library allows (glibc uses clone(CLONE_VM|CLONE_VFORK)), with a clean child: empty signal mask, default signal
/// dispositions, every descriptor above 2 closed. `in_fd`, `out_fd`, `err_fd` become the child's 0, 1, 2 (or one of
/// the BENCH_FD_* values). `new_group`: the child leads a process group of its own (so it can be killed with it).
/// Returns 0 and the pid, or an errno value.
int bench_spawn(const char *path, char *const argv[], char *const envp[], int in_fd, int out_fd, int err_fd,
                int new_group, pid_t *pid);

/// A pipe whose two ends are close-on-exec (only what `bench_spawn` hands over explicitly reaches a child).
/// Returns 0 or -1 with errno set.
int bench_pipe(int fds[2]);

/// CLOCK_MONOTONIC in nanoseconds.
long long bench_now_ns(void);

/// Waits for `pid` and returns its wait status, retrying on EINTR; -1 on error.
int bench_wait(pid_t pid);

/// Non-blocking wait: 1 and the status when `pid` has ended, 0 while it runs, -1 on error.
int bench_try_wait(pid_t pid, int *status);

/// The exit code of a wait status, or 128 + the signal that ended it.
int bench_exit_code(int status);

/// Binds the calling thread to one CPU (children it spawns inherit the binding); `cpu` < 0 gives it every CPU back.
/// Returns 0, or -1 with errno set.
int bench_bind_thread(int cpu);

#endif
