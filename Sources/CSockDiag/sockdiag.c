#include "CSockDiag.h"
#include <arpa/inet.h>
#include <errno.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int fnhost_tcp4_socket_inode(uint32_t src, uint16_t sport, uint32_t dst, uint16_t dport, uint64_t *inode) {
    int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
    if (fd < 0) return -1;
    struct {
        struct nlmsghdr nlh;
        struct inet_diag_req_v2 req;
    } message;
    memset(&message, 0, sizeof message);
    message.nlh.nlmsg_len = sizeof message;
    message.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
    message.nlh.nlmsg_flags = NLM_F_REQUEST;
    message.req.sdiag_family = AF_INET;
    message.req.sdiag_protocol = IPPROTO_TCP;
    message.req.idiag_states = ~0U;
    message.req.id.idiag_sport = htons(sport);
    message.req.id.idiag_dport = htons(dport);
    message.req.id.idiag_src[0] = htonl(src);
    message.req.id.idiag_dst[0] = htonl(dst);
    message.req.id.idiag_cookie[0] = INET_DIAG_NOCOOKIE;
    message.req.id.idiag_cookie[1] = INET_DIAG_NOCOOKIE;
    struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
    int result = -1;
    if (sendto(fd, &message, sizeof message, 0, (struct sockaddr *)&kernel, sizeof kernel) == (ssize_t)sizeof message) {
        long buffer[1024];
        ssize_t n;
        do { n = recv(fd, buffer, sizeof buffer, 0); } while (n < 0 && errno == EINTR);
        struct nlmsghdr *h = (struct nlmsghdr *)buffer;
        if (n > 0 && NLMSG_OK(h, (size_t)n) && h->nlmsg_type == SOCK_DIAG_BY_FAMILY) {
            struct inet_diag_msg *found = NLMSG_DATA(h);
            *inode = found->idiag_inode;
            result = 0;
        }
    }
    close(fd);
    return result;
}
