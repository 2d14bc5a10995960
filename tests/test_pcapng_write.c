/*
 * test_pcapng_write: the pcapng writer's output read back by libpcap: every
 * packet's bytes, lengths and nanosecond time unchanged, comments or not.
 * With a path argument the file is kept there, for tests/pcapng_write.py to
 * read with tshark (the comments, as Wireshark shows them).
 */
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "pcapng_write.h"

struct sample {
	int64_t ts_ns;
	uint32_t caplen, origlen;
	const char *comment;
};

static const struct sample samples[] = {
	{ 1767225600123456789LL, 60, 60, "rstdiag: data-after-fin (race): GET /x crossed the FIN" },
	{ 1767225600223456789LL, 61, 1514, NULL },        /* cut by the snap length, odd */
	{ 1767225600323456789LL, 63, 63, "rstdiag: evidence for #3: server FIN (café)" },
};

static void frame_bytes(uint8_t *b, uint32_t n, int seed)
{
	for (uint32_t i = 0; i < n; i++)
		b[i] = (uint8_t)(i * 7 + (uint32_t)seed * 13);
}

int main(int argc, char **argv)
{
	char path[] = "/tmp/test_pcapng_write_XXXXXX";
	const char *out_path = argc > 1 ? argv[1] : NULL;
	FILE *out;
	if (out_path) {
		out = fopen(out_path, "wb");
	} else {
		int fd = mkstemp(path);
		out = fd >= 0 ? fdopen(fd, "wb") : NULL;
		out_path = path;
	}
	CHECK(out != NULL);
	if (!out)
		return check_report("test_pcapng_write");
	uint8_t b[2048];
	CHECK(pcapng_write_section(out));
	CHECK(pcapng_write_interface(out, 1 /* LINKTYPE_ETHERNET */, 262144, "eth0"));
	for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
		frame_bytes(b, samples[i].caplen, (int)i);
		CHECK(pcapng_write_packet(out, 0, samples[i].ts_ns, b, samples[i].caplen,
					  samples[i].origlen, samples[i].comment));
	}
	CHECK(fclose(out) == 0);

	char err[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline_with_tstamp_precision(out_path, PCAP_TSTAMP_PRECISION_NANO, err);
	CHECK(p != NULL);
	if (!p)
		return check_report("test_pcapng_write");
	CHECK_EQ(pcap_datalink(p), DLT_EN10MB);
	struct pcap_pkthdr *h;
	const u_char *data;
	size_t n = 0;
	while (pcap_next_ex(p, &h, &data) == 1 && n < sizeof samples / sizeof samples[0]) {
		const struct sample *s = &samples[n];
		frame_bytes(b, s->caplen, (int)n);
		CHECK_EQ(h->caplen, s->caplen);
		CHECK_EQ(h->len, s->origlen);
		CHECK_EQ((int64_t)h->ts.tv_sec * 1000000000 + h->ts.tv_usec, s->ts_ns);
		CHECK(memcmp(data, b, s->caplen) == 0);
		n++;
	}
	CHECK_EQ(n, sizeof samples / sizeof samples[0]);
	pcap_close(p);
	if (argc <= 1)
		remove(out_path);
	return check_report("test_pcapng_write");
}
