// One TCP socket looked up by its exact address through NETLINK_SOCK_DIAG: the kernel finds it in its hash table
// (O(1)), where reading /proc/net/tcp walks every bucket of the table (~5 ms on a 24 GB machine, whatever the number
// of sockets).
#ifndef FNHOST_CSOCKDIAG_H
#define FNHOST_CSOCKDIAG_H
#include <stdint.h>

/// The inode of the IPv4 TCP socket whose local end is `src`:`sport` and remote end `dst`:`dport` (addresses and ports
/// in host byte order). Returns 0 and sets `*inode`, or -1 (not found, or sock_diag unavailable: fall back).
int fnhost_tcp4_socket_inode(uint32_t src, uint16_t sport, uint32_t dst, uint16_t dport, uint64_t *inode);
#endif
