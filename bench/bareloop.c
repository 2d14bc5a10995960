/*
 * bareloop: the ceiling for any libpcap tool. Reads a capture with
 * pcap_loop, decodes Ethernet (802.1Q tags), IPv4 or IPv6 and the TCP
 * header of each frame, and counts the RSTs; nothing else.
 *
 *   bareloop [-b BYTES] FILE   prints "PACKETS packets, TCP tcp, RSTS resets"
 *
 * -b gives the stdio buffer under libpcap that size, as rstdiag does (64 KiB
 * there); without it libpcap reads through stdio's default 4 KiB buffer.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

struct counts {
	uint64_t packets, tcp, rsts;
};

static void on_frame(u_char *user, const struct pcap_pkthdr *h, const u_char *f)
{
	struct counts *n = (struct counts *)user;
	n->packets++;
	uint32_t len = h->caplen, off = 12;
	if (len < 14)
		return;
	uint16_t type = (uint16_t)(f[off] << 8 | f[off + 1]);
	off += 2;
	while ((type == 0x8100 || type == 0x88a8) && off + 4 <= len) {
		type = (uint16_t)(f[off + 2] << 8 | f[off + 3]);
		off += 4;
	}
	uint32_t proto, l4;
	if (type == 0x0800 && off + 20 <= len) {
		proto = f[off + 9];
		l4 = off + (uint32_t)(f[off] & 0x0f) * 4;
	} else if (type == 0x86dd && off + 40 <= len) {
		proto = f[off + 6];
		l4 = off + 40;
	} else {
		return;
	}
	if (proto != 6 || l4 + 20 > len)
		return;
	n->tcp++;
	if (f[l4 + 13] & 0x04)
		n->rsts++;
}

int main(int argc, char **argv)
{
	char err[PCAP_ERRBUF_SIZE];
	size_t buffer = 0;
	if (argc == 4 && strcmp(argv[1], "-b") == 0) {
		buffer = strtoul(argv[2], NULL, 10);
		argv += 2;
		argc -= 2;
	}
	if (argc != 2) {
		fprintf(stderr, "usage: bareloop [-b BYTES] FILE\n");
		return 2;
	}
	FILE *fp = fopen(argv[1], "rb");
	if (!fp) {
		perror(argv[1]);
		return 1;
	}
	/* glibc ignores the size unless it is given the buffer too. */
	if (buffer && setvbuf(fp, malloc(buffer), _IOFBF, buffer) != 0) {
		fprintf(stderr, "bareloop: setvbuf failed\n");
		return 1;
	}
	pcap_t *p = pcap_fopen_offline(fp, err);
	if (!p) {
		fprintf(stderr, "bareloop: %s\n", err);
		return 1;
	}
	struct counts n = { 0 };
	if (pcap_loop(p, -1, on_frame, (u_char *)&n) == PCAP_ERROR) {
		fprintf(stderr, "bareloop: %s\n", pcap_geterr(p));
		return 1;
	}
	pcap_close(p);
	printf("%llu packets, %llu tcp, %llu resets\n", (unsigned long long)n.packets,
	       (unsigned long long)n.tcp, (unsigned long long)n.rsts);
	return 0;
}
