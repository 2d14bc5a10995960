/*
 * synflood: a SYN flood from prebuilt Ethernet frames, for the live flood
 * test (tests/live_flood_rate.py), as fast as one core sends them or at a
 * given rate. Only for interfaces inside the test's own network namespaces.
 *
 *   synflood -i IFACE -s SRC -d DST -m DST_MAC [-r PPS] [-t SECONDS] [-p PORTS]
 *
 * Each SYN comes from SRC's port 1024 + i % 60000 to one of PORTS (default
 * 8) ports from 20000 up, with its own sequence number, so every one opens
 * a connection of its own until 60000 x PORTS have been sent. Frames go
 * out on an AF_PACKET socket, 64 at a time (sendmmsg) and past the qdisc
 * (PACKET_QDISC_BYPASS): what is measured is the receiver, not this.
 * -r 0 (the default) sends as fast as it can. It prints the SYNs sent and
 * the rate achieved: "sent N in S s: R pps".
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 64
#define FRAME 58    /* Ethernet 14 + IPv4 20 + TCP 20 + MSS option 4 */

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint16_t csum(const void *data, size_t n, uint32_t sum)
{
	const uint8_t *b = data;
	for (size_t i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)(b[i] << 8 | b[i + 1]);
	if (n & 1)
		sum += (uint32_t)b[n - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

/* The i-th SYN, whole. */
static void build(uint8_t *f, const uint8_t *src_mac, const uint8_t *dst_mac, struct in_addr src,
		  struct in_addr dst, uint32_t i, int ports)
{
	memset(f, 0, FRAME);
	memcpy(f, dst_mac, 6);
	memcpy(f + 6, src_mac, 6);
	put16(f + 12, ETHERTYPE_IP);
	uint8_t *ip = f + 14, *tcp = ip + 20;
	ip[0] = 0x45;
	put16(ip + 2, 44);
	put16(ip + 4, (uint16_t)i);
	ip[8] = 64;
	ip[9] = IPPROTO_TCP;
	memcpy(ip + 12, &src, 4);
	memcpy(ip + 16, &dst, 4);
	put16(ip + 10, csum(ip, 20, 0));
	put16(tcp, (uint16_t)(1024 + i % 60000));
	put16(tcp + 2, (uint16_t)(20000 + i / 60000 % (uint32_t)ports));
	put32(tcp + 4, 1000u + i * 7919u);
	tcp[12] = 6 << 4;
	tcp[13] = 0x02;             /* SYN */
	put16(tcp + 14, 64240);
	tcp[20] = 2;                /* MSS 1460 */
	tcp[21] = 4;
	put16(tcp + 22, 1460);
	uint8_t pseudo[12];
	memcpy(pseudo, ip + 12, 8);
	pseudo[8] = 0;
	pseudo[9] = IPPROTO_TCP;
	put16(pseudo + 10, 24);
	uint32_t sum = 0;
	for (int k = 0; k < 12; k += 2)
		sum += (uint32_t)(pseudo[k] << 8 | pseudo[k + 1]);
	put16(tcp + 16, csum(tcp, 24, sum));
}

static int parse_mac(const char *s, uint8_t *mac)
{
	unsigned m[6];
	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &m[0], &m[1], &m[2], &m[3], &m[4], &m[5]) != 6)
		return -1;
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)m[i];
	return 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: synflood -i IFACE -s SRC -d DST -m DST_MAC [-r PPS] [-t SECONDS] "
			"[-p PORTS]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *ifname = NULL;
	struct in_addr src = { 0 }, dst = { 0 };
	uint8_t dst_mac[6], src_mac[6];
	double rate = 0, seconds = 2;
	int ports = 8, opt, have_mac = 0;
	while ((opt = getopt(argc, argv, "i:s:d:m:r:t:p:")) != -1) {
		switch (opt) {
		case 'i': ifname = optarg; break;
		case 's': if (!inet_aton(optarg, &src)) usage(); break;
		case 'd': if (!inet_aton(optarg, &dst)) usage(); break;
		case 'm': if (parse_mac(optarg, dst_mac)) usage(); have_mac = 1; break;
		case 'r': rate = atof(optarg); break;
		case 't': seconds = atof(optarg); break;
		case 'p': ports = atoi(optarg); break;
		default: usage();
		}
	}
	if (!ifname || !src.s_addr || !dst.s_addr || !have_mac || ports < 1 || seconds <= 0)
		usage();
	int fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (fd < 0) {
		perror("synflood: socket");
		return 1;
	}
	struct ifreq ifr = { 0 };
	snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", ifname);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0) {
		perror("synflood: SIOCGIFHWADDR");
		return 1;
	}
	memcpy(src_mac, ifr.ifr_hwaddr.sa_data, 6);
	int one = 1;
	(void)setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof one);
	struct sockaddr_ll to = {
		.sll_family = AF_PACKET, .sll_ifindex = (int)if_nametoindex(ifname), .sll_halen = 6,
	};
	memcpy(to.sll_addr, dst_mac, 6);

	static uint8_t frames[BATCH][FRAME];
	struct iovec iov[BATCH];
	struct mmsghdr msgs[BATCH];
	for (int k = 0; k < BATCH; k++) {
		iov[k] = (struct iovec){ frames[k], FRAME };
		msgs[k] = (struct mmsghdr){ .msg_hdr = { .msg_name = &to, .msg_namelen = sizeof to,
							 .msg_iov = &iov[k], .msg_iovlen = 1 } };
	}
	uint64_t sent = 0;
	double start = now(), t = start;
	while (t - start < seconds) {
		/* at a given rate: no more than the time elapsed allows */
		if (rate > 0 && (double)sent >= (t - start) * rate) {
			t = now();
			continue;
		}
		for (int k = 0; k < BATCH; k++)
			build(frames[k], src_mac, dst_mac, src, dst, (uint32_t)(sent + (uint64_t)k), ports);
		int n = sendmmsg(fd, msgs, BATCH, 0);
		if (n < 0) {
			if (errno == ENOBUFS || errno == EAGAIN)
				continue;
			perror("synflood: sendmmsg");
			return 1;
		}
		sent += (uint64_t)n;
		t = now();
	}
	double took = now() - start;
	printf("sent %llu in %.3f s: %.0f pps\n", (unsigned long long)sent, took,
	       (double)sent / took);
	close(fd);
	return 0;
}
