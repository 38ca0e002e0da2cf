// fnhost-launch: starts one worker and ties its life to the host's.
//
//   fnhost-launch COMMAND [ARGS...]
//
// The host runs every worker through this launcher, with the read end of a "lifeline" pipe as standard input;
// only the host holds the write end. The launcher forks a watcher, then execs the worker in its own place, so the
// worker keeps the pid the host spawned (the host measures its memory and signals it directly). The watcher:
//   - blocks on the lifeline; when it reads end-of-file the host is gone (exited, crashed or SIGKILLed), so it
//     kills the worker's whole process group and exits;
//   - when the worker dies (PR_SET_PDEATHSIG), kills what the worker left running in its group, then exits, so it
//     never outlives it.
// The worker's standard input becomes /dev/null; its signal mask and dispositions are reset to the defaults.
// This works for any worker executable, including ones that know nothing about fnhost.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static void reset_signals(void) {
    sigset_t empty;
    sigemptyset(&empty);
    sigprocmask(SIG_SETMASK, &empty, NULL);
    for (int s = 1; s < NSIG; s++) {
        if (s == SIGKILL || s == SIGSTOP) continue;
        signal(s, SIG_DFL);
    }
}

static void close_from(int first) {
#ifdef SYS_close_range
    if (syscall(SYS_close_range, (unsigned)first, ~0U, 0) == 0) return;
#endif
    long max = sysconf(_SC_OPEN_MAX);
    for (int fd = first; fd < max; fd++) close(fd);
}

static volatile sig_atomic_t worker_gone = 0;
static void on_worker_death(int signo) { (void)signo; worker_gone = 1; }

static void watch(int lifeline, pid_t worker) {
    // Hear of the worker's death (no SA_RESTART: it interrupts poll); if it is already gone, clean up now.
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_worker_death;
    sigaction(SIGHUP, &sa, NULL);
    prctl(PR_SET_PDEATHSIG, SIGHUP);
    if (getppid() != worker) {
        kill(-worker, SIGKILL);
        _exit(0);
    }
    // Keep only the lifeline.
    int fd = fcntl(lifeline, F_DUPFD, 3);
    if (fd < 0) _exit(0);
    dup2(fd, 3);
    for (int i = 0; i < 3; i++) close(i);
    close_from(4);
    struct pollfd p = {.fd = 3, .events = POLLIN};
    char buf[64];
    for (;;) {
        int r = poll(&p, 1, -1);
        if (worker_gone) break;
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) break;
        if (p.revents & (POLLHUP | POLLERR | POLLNVAL)) break;
        if (p.revents & POLLIN) {
            ssize_t n = read(3, buf, sizeof buf);
            if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) break;
        }
    }
    // The host or the worker is gone: take the worker and everything it started with it (this watcher included).
    kill(-worker, SIGKILL);
    kill(worker, SIGKILL);
    _exit(0);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: fnhost-launch COMMAND [ARGS...]\n");
        return 2;
    }
    reset_signals();
    pid_t self = getpid();
    pid_t watcher = fork();
    if (watcher < 0) {
        perror("fnhost-launch: fork");
        return 1;
    }
    if (watcher == 0) watch(0, self);

    // The worker: standard input from /dev/null, the lifeline closed.
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0) {
        dup2(devnull, 0);
        if (devnull != 0) close(devnull);
    }
    execvp(argv[1], &argv[1]);
    fprintf(stderr, "fnhost-launch: cannot start %s: %s\n", argv[1], strerror(errno));
    return 127;
}
