/*
 * fuzz_frame: one frame straight into decode_frame, for every link type.
 *
 * Input layout: byte 0 picks the link type (modulo the number rstdiag
 * reads, via link_type_at), bytes 1-2 (big-endian) how many bytes snaplen
 * cut off the end (wire length - caplen), the rest is the captured frame.
 * Beyond "no crash", it checks what the decoder promises its callers
 * (decode.h, packet.h), aborting when a promise is broken.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "first_bytes.h"

#define CHECK(cond)                                                                    \
	do {                                                                           \
		if (!(cond)) {                                                         \
			fprintf(stderr, "fuzz_frame: broken promise: %s\n", #cond);    \
			abort();                                                       \
		}                                                                      \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned n_link_types(void)
{
	static unsigned n;
	if (!n)
		while (link_type_at(n))
			n++;
	return n;
}

static void check_decoded(const struct pkt *p, const uint8_t *frame, uint32_t cut)
{
	CHECK(p->ipver == 4 || p->ipver == 6);
	CHECK(p->payload_caplen <= p->payload_len);
	/* Lengths come from the IP header: only what snaplen cut may be missing. */
	CHECK(p->payload_len - p->payload_caplen <= cut);
	if (p->payload_caplen == 0)
		return;
	uintptr_t start = (uintptr_t)frame, end = start + p->caplen;
	uintptr_t pl = (uintptr_t)p->payload;
	CHECK(pl >= start && pl <= end && p->payload_caplen <= end - pl);
	/* Touch every byte promised readable: ASan objects if one is not. */
	volatile uint8_t sum = 0;
	for (uint32_t i = 0; i < p->payload_caplen; i++)
		sum += p->payload[i];
	(void)sum;
	/* The payload readers the pipeline runs next (pipeline.c's decode). */
	struct http_facts http;
	http_facts_parse(p->payload, p->payload_caplen, &http);
	struct tls_facts tls;
	tls_facts_parse(p->payload, p->payload_caplen, &tls);
	struct tls_facts tail = { .content = 0 };
	tls_facts_tail(p->payload, p->payload_caplen, &tail);
	CHECK(!tail.content || (tail.content == TLS_ENDS_WITH_ALERT && tail.records == 0 &&
				tail.record_len >= 2 && tail.record_len + 5u <= p->payload_caplen));
	if (tls.content) {
		CHECK(tls.content >= TLS_CHANGE_CIPHER_SPEC && tls.content <= TLS_APPLICATION_DATA);
		CHECK(tls.records >= 1 && tls.next_record > 5);
		CHECK(memchr(tls.sni, '\0', sizeof tls.sni) && memchr(tls.alpn, '\0', sizeof tls.alpn));
		for (const char *c = tls.sni; *c; c++)
			CHECK(*c >= 0x21 && *c <= 0x7e);   /* printable, as the report needs */
	}
	CHECK(first_bytes_app(p->payload, p->payload_caplen) < FIRST_BYTES_COUNT);
	(void)first_bytes_quit(p->payload, p->payload_caplen);  /* read under the sanitizers */
	uint8_t refusal = first_bytes_refusal(p->payload, p->payload_caplen);
	CHECK(refusal < REFUSAL_COUNT && (refusal == REFUSAL_NONE) ==
					      (first_bytes_refusal_name(refusal) == NULL));
	struct rst_payload rp;
	rst_payload_parse(p->payload, p->payload_caplen, &rp);
	CHECK(rp.format < RST_PAYLOAD_FORMAT_COUNT && memchr(rp.text, '\0', sizeof rp.text));
	for (const char *c = rp.text; *c; c++)
		CHECK(*c >= 0x20 && *c <= 0x7e);       /* escaped, as the report needs */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 3)
		return 0;
	const struct link_type *lt = link_type_at(data[0] % n_link_types());
	uint32_t cut = (uint32_t)data[1] << 8 | data[2];
	uint32_t caplen = (uint32_t)(size - 3);
	/* A heap copy of exactly the frame: ASan's redzones sit right at both ends. */
	uint8_t *frame = malloc(caplen ? caplen : 1);
	if (!frame)
		abort();
	memcpy(frame, data + 3, caplen);

	struct pkt p;
	memset(&p, 0, sizeof p);
	p.frame = 1;
	p.caplen = caplen;
	p.wirelen = caplen + cut;
	enum decode_result res = decode_frame(lt, frame, &p);
	CHECK((unsigned)res < DECODE_RESULT_COUNT);
	/* "Truncated" means snaplen's doing: impossible when nothing was cut. */
	CHECK(cut != 0 || res != DECODE_TRUNCATED);
	if (res == DECODE_OK)
		check_decoded(&p, frame, cut);
	free(frame);
	return 0;
}
