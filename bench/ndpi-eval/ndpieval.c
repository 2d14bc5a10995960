/*
 * ndpieval: measurement harness for the "nDPI or our own reader" question.
 *
 * Reads pcap/pcapng files with libpcap, decodes link/IP/TCP, keeps one entry
 * per TCP connection in a small open-addressing table and then, depending on
 * the mode:
 *   bare   decode + flow lookup only (the baseline every variant pays)
 *   ndpi   + one struct ndpi_flow_struct per connection still under
 *          detection, fed every packet (IP header onwards) until nDPI has
 *          detected a protocol (or, with -x, until extra dissection is also
 *          over) or -n packets were fed, then giveup; the struct is freed as
 *          soon as detection ends (bounded pool design)
 *   tls    + a hand-written bounds-checked TLS ClientHello/ServerHello reader
 *          run on the first data segment of each direction (with -R, a
 *          ClientHello/ServerHello that spans segments is reassembled from
 *          in-order segments up to its record length)
 *   init   nDPI detection module init + exit only
 *
 * Per-flow results go to the -o file (TSV), a summary to stderr.
 * Memory accounting (-M) wraps nDPI's allocator hooks and counts bytes with
 * malloc_usable_size(); it is off by default so callgrind counts stay clean.
 *
 * Build: see Makefile.  Not part of rstdiag; reference only.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <malloc.h>
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <ndpi/ndpi_api.h>

#define NOINLINE __attribute__((noinline))

enum mode { M_BARE, M_NDPI, M_TLS, M_INIT };
static enum mode g_mode = M_BARE;
static int g_extra = 0;        /* -x: keep feeding while extra dissection possible */
static unsigned g_maxpk = 32;  /* -n: packets fed before giveup */
static int g_memacct = 0;      /* -M */
static int g_reasm = 0;        /* -R */
static int g_subset = 0;       /* -S: enable only a few dissectors (TLS, HTTP, SSH, SMTP, Postgres, MySQL, Redis, MongoDB) */
static ndpi_init_prefs g_prefs = ndpi_no_prefs; /* -P N */
static int g_lazy = 0;         /* -L: allocate the nDPI flow only at the first payload packet */
static FILE *g_out = NULL;     /* -o */
static char g_curfile[512];

/* ---------------------------------------------------------------- memory */
static size_t g_live, g_peak, g_nalloc, g_nfree;
static void *cnt_malloc(size_t n)
{
	void *p = malloc(n);
	if (p) {
		g_live += malloc_usable_size(p);
		if (g_live > g_peak) g_peak = g_live;
		g_nalloc++;
	}
	return p;
}
static void cnt_free(void *p)
{
	if (!p) return;
	g_live -= malloc_usable_size(p);
	g_nfree++;
	free(p);
}
static size_t heap_inuse(void)
{
	struct mallinfo2 mi = mallinfo2();
	return mi.uordblks + mi.hblkhd;
}
static long maxrss_kb(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

/* ---------------------------------------------------------------- decode */
struct pkt {
	const uint8_t *ip;  /* IP header */
	unsigned iplen;     /* bytes of IP packet present (<= total length) */
	int v6;
	const uint8_t *src, *dst; /* 4 or 16 bytes */
	uint16_t sport, dport;
	uint8_t flags;
	uint32_t seq;
	const uint8_t *pl;
	unsigned pllen;
};

static int decode_ip(const uint8_t *p, unsigned n, struct pkt *k)
{
	if (n < 1) return -1;
	unsigned ver = p[0] >> 4;
	const uint8_t *l4;
	unsigned l4len;
	if (ver == 4) {
		if (n < 20) return -1;
		unsigned ihl = (p[0] & 15) * 4u;
		unsigned tot = (p[2] << 8) | p[3];
		if (ihl < 20 || tot < ihl || n < ihl) return -1;
		if (tot < n) n = tot;
		if (p[9] != 6) return -1;
		if (((p[6] << 8) | p[7]) & 0x3fff) return -1; /* any fragment */
		k->v6 = 0; k->src = p + 12; k->dst = p + 16;
		l4 = p + ihl; l4len = n - ihl;
	} else if (ver == 6) {
		if (n < 40) return -1;
		unsigned plen = (p[4] << 8) | p[5];
		if (40 + plen < n) n = 40 + plen;
		unsigned nh = p[6], off = 40;
		for (;;) {
			if (nh == 6) break;
			if (nh == 0 || nh == 43 || nh == 60) {
				if (off + 8 > n) return -1;
				nh = p[off]; off += (p[off + 1] + 1u) * 8u;
			} else if (nh == 44) {
				return -1; /* fragment */
			} else return -1;
		}
		if (off > n) return -1;
		k->v6 = 1; k->src = p + 8; k->dst = p + 24;
		l4 = p + off; l4len = n - off;
	} else return -1;
	if (l4len < 20) return -1;
	unsigned doff = (l4[12] >> 4) * 4u;
	if (doff < 20 || doff > l4len) return -1;
	k->ip = p; k->iplen = n;
	k->sport = (l4[0] << 8) | l4[1];
	k->dport = (l4[2] << 8) | l4[3];
	k->seq = ((uint32_t)l4[4] << 24) | ((uint32_t)l4[5] << 16) | ((uint32_t)l4[6] << 8) | l4[7];
	k->flags = l4[13];
	k->pl = l4 + doff; k->pllen = l4len - doff;
	return 0;
}

static int decode_link(int dlt, const uint8_t *p, unsigned n, struct pkt *k)
{
	unsigned off = 0, et;
	switch (dlt) {
	case DLT_EN10MB:
		if (n < 14) return -1;
		et = (p[12] << 8) | p[13]; off = 14;
		while (et == 0x8100 || et == 0x88a8 || et == 0x9100) {
			if (off + 4 > n) return -1;
			et = (p[off + 2] << 8) | p[off + 3]; off += 4;
		}
		if (et == 0x8847 || et == 0x8848) {
			for (;;) {
				if (off + 4 > n) return -1;
				int bos = p[off + 2] & 1; off += 4;
				if (bos) break;
			}
			et = 0; /* guess by version nibble */
		} else if (et == 0x8864) {
			if (off + 8 > n) return -1;
			unsigned ppp = (p[off + 6] << 8) | p[off + 7]; off += 8;
			et = ppp == 0x21 ? 0x800 : ppp == 0x57 ? 0x86dd : 1;
		}
		if (et != 0 && et != 0x800 && et != 0x86dd) return -1;
		break;
	case DLT_LINUX_SLL:
		if (n < 16) return -1;
		et = (p[14] << 8) | p[15]; off = 16;
		if (et != 0x800 && et != 0x86dd) return -1;
		break;
#ifdef DLT_LINUX_SLL2
	case DLT_LINUX_SLL2:
		if (n < 20) return -1;
		et = (p[0] << 8) | p[1]; off = 20;
		if (et != 0x800 && et != 0x86dd) return -1;
		break;
#endif
	case DLT_NULL:
	case DLT_LOOP:
		off = 4; break;
	case DLT_RAW:
	case 14: /* DLT_RAW on some BSDs */
#ifdef DLT_IPV4
	case DLT_IPV4:
	case DLT_IPV6:
#endif
		off = 0; break;
	default:
		return -1;
	}
	if (off > n) return -1;
	return decode_ip(p + off, n - off, k);
}

/* ---------------------------------------------------------------- TLS reader */
struct tlsinfo {
	uint8_t hs_type;        /* 1 ClientHello, 2 ServerHello */
	uint8_t complete;       /* whole handshake message was present */
	uint16_t rec_ver, sel_ver; /* record/legacy version, max/selected supported_versions */
	uint32_t need;          /* bytes up to the hello message's end (within the first record) */
	char sni[256];
	char alpn[128];
};

static inline unsigned rd16(const uint8_t *p) { return (p[0] << 8) | p[1]; }

/* Returns -1 if not a TLS handshake record starting with ClientHello or
 * ServerHello, 0 if parsed (possibly partially: see ti->complete). Every
 * read is checked against n, the bytes present. */
static NOINLINE int tls_parse(const uint8_t *p, unsigned n, struct tlsinfo *ti)
{
	memset(ti, 0, offsetof(struct tlsinfo, sni) + 1);
	ti->alpn[0] = 0;
	if (n < 9 || p[0] != 22 || p[1] != 3 || p[2] > 4) return -1;
	unsigned reclen = rd16(p + 3);
	unsigned hs = p[5];
	if (hs != 1 && hs != 2) return -1;
	unsigned hslen = ((unsigned)p[6] << 16) | (p[7] << 8) | p[8];
	ti->hs_type = hs;
	ti->rec_ver = rd16(p + 1);
	/* Parse limit: what is present, capped to the handshake message. */
	unsigned end = 9 + hslen;
	if (end > 5 + reclen) end = 5 + reclen; /* message spans records: parse first record only */
	ti->need = end;  /* bytes needed for the hello message (within its first record) */
	ti->complete = (n >= end && hslen + 4 <= reclen);
	if (end > n) end = n;
	unsigned o = 9;
	if (o + 2 + 32 + 1 > end) return 0;
	ti->sel_ver = rd16(p + o); o += 2 + 32;
	o += 1 + p[o];                         /* session id */
	if (hs == 1) {
		if (o + 2 > end) return 0;
		o += 2 + rd16(p + o);              /* cipher suites */
		if (o + 1 > end) return 0;
		o += 1 + p[o];                     /* compression methods */
	} else {
		o += 2 + 1;                        /* cipher suite, compression */
	}
	if (o + 2 > end) return 0;
	unsigned extend = o + 2 + rd16(p + o);
	o += 2;
	while (o + 4 <= end && o + 4 <= extend) {
		unsigned et = rd16(p + o), el = rd16(p + o + 2);
		const uint8_t *e = p + o + 4;
		o += 4;
		if (o + el > end) break;           /* extension not fully present */
		if (et == 0 && hs == 1 && el >= 5) {
			unsigned ll = rd16(e), q = 2;
			if (ll + 2 > el) ll = el - 2;
			while (q + 3 <= 2 + ll) {
				unsigned t = e[q], nl = rd16(e + q + 1);
				q += 3;
				if (q + nl > 2 + ll) break;
				if (t == 0) {
					unsigned c = nl < sizeof ti->sni - 1 ? nl : sizeof ti->sni - 1;
					memcpy(ti->sni, e + q, c); ti->sni[c] = 0;
					break;
				}
				q += nl;
			}
		} else if (et == 16 && el >= 2) {
			unsigned ll = rd16(e), q = 2, w = 0;
			if (ll + 2 > el) ll = el - 2;
			while (q + 1 <= 2 + ll) {
				unsigned sl = e[q++];
				if (q + sl > 2 + ll) break;
				if (w && w < sizeof ti->alpn - 1) ti->alpn[w++] = ',';
				for (unsigned i = 0; i < sl && w < sizeof ti->alpn - 1; i++) ti->alpn[w++] = e[q + i];
				q += sl;
			}
			ti->alpn[w] = 0;
		} else if (et == 43) {
			if (hs == 2 && el >= 2) ti->sel_ver = rd16(e);
			else if (hs == 1 && el >= 1) {
				unsigned ll = e[0], best = 0;
				for (unsigned q = 1; q + 2 <= 1 + ll && q + 2 <= el; q += 2) {
					unsigned v = rd16(e + q);
					if ((v & 0x0f0f) == 0x0a0a) continue; /* GREASE */
					if (v > best) best = v;
				}
				if (best) ti->sel_ver = best;
			}
		}
		o += el;
	}
	return 0;
}

/* ---------------------------------------------------------------- flows */
struct reasm {
	uint32_t next_seq, need, have;
	uint8_t dir;
	uint8_t buf[];
};

struct fent {
	uint32_t gen;
	uint8_t v6;
	uint8_t a[16], b[16];
	uint16_t pa, pb;
	uint8_t state;          /* 0 under detection, 1 done */
	uint8_t cli_dir;        /* 0: a->b is client (SYN seen from a), 1: b->a, 2 unknown */
	uint32_t pkts, fed, fed_data;
	struct ndpi_flow_struct *nf;
	long mem_delta, mem_peak;
	/* tls reader */
	uint8_t tls_tried[2];
	uint8_t tls_res[2];     /* 0 none, 1 CH, 2 SH */
	struct reasm *ra;
	uint32_t idx;
};

#define TBITS 18
#define TSIZE (1u << TBITS)
static struct fent *g_tab;
static uint32_t g_gen = 1;
static uint32_t g_nflows;
/* entries created in the current file, so end-of-file work is O(flows) */
static uint32_t *g_fl, g_fl_n, g_fl_cap;

static NOINLINE struct fent *flow_lookup(const struct pkt *k, int *dir)
{
	unsigned al = k->v6 ? 16 : 4;
	int c = memcmp(k->src, k->dst, al);
	if (c == 0) c = (int)k->sport - (int)k->dport;
	const uint8_t *a, *b; uint16_t pa, pb;
	if (c <= 0) { a = k->src; b = k->dst; pa = k->sport; pb = k->dport; *dir = 0; }
	else { a = k->dst; b = k->src; pa = k->dport; pb = k->sport; *dir = 1; }
	uint64_t h = 1469598103934665603ull;
	for (unsigned i = 0; i < al; i++) h = (h ^ a[i]) * 1099511628211ull;
	for (unsigned i = 0; i < al; i++) h = (h ^ b[i]) * 1099511628211ull;
	h = (h ^ ((uint32_t)pa << 16 | pb)) * 1099511628211ull;
	h ^= h >> 29;
	uint32_t i = (uint32_t)h & (TSIZE - 1);
	for (;;) {
		struct fent *f = &g_tab[i];
		if (f->gen != g_gen) {
			memset(f, 0, sizeof *f);
			f->gen = g_gen; f->v6 = k->v6;
			memcpy(f->a, a, al); memcpy(f->b, b, al);
			f->pa = pa; f->pb = pb; f->cli_dir = 2;
			f->idx = g_nflows++;
			if (g_fl_n == g_fl_cap) {
				g_fl_cap = g_fl_cap ? 2 * g_fl_cap : 4096;
				g_fl = realloc(g_fl, g_fl_cap * sizeof *g_fl);
			}
			g_fl[g_fl_n++] = i;
			return f;
		}
		if (f->v6 == k->v6 && f->pa == pa && f->pb == pb &&
		    !memcmp(f->a, a, al) && !memcmp(f->b, b, al))
			return f;
		i = (i + 1) & (TSIZE - 1);
	}
}

static void fmt_tuple(const struct fent *f, char *buf, size_t n)
{
	char sa[64], sb[64];
	inet_ntop(f->v6 ? AF_INET6 : AF_INET, f->a, sa, sizeof sa);
	inet_ntop(f->v6 ? AF_INET6 : AF_INET, f->b, sb, sizeof sb);
	snprintf(buf, n, "%s:%u-%s:%u", sa, f->pa, sb, f->pb);
}

/* ---------------------------------------------------------------- nDPI */
static struct ndpi_detection_module_struct *g_nd;
static uint64_t st_detected, st_giveup, st_eof, st_guessed;
static uint32_t g_under, g_under_peak;
static uint64_t g_sum_fed;
static uint32_t g_fed_hist[257];

static NOINLINE void ndpi_setup(void)
{
	g_nd = ndpi_init_detection_module(g_prefs);
	NDPI_PROTOCOL_BITMASK all;
	NDPI_BITMASK_SET_ALL(all);
	if (g_subset) {
		static const int few[] = { NDPI_PROTOCOL_TLS, NDPI_PROTOCOL_HTTP, NDPI_PROTOCOL_SSH,
			NDPI_PROTOCOL_MAIL_SMTP, NDPI_PROTOCOL_POSTGRES, NDPI_PROTOCOL_MYSQL,
			NDPI_PROTOCOL_REDIS, NDPI_PROTOCOL_MONGODB };
		NDPI_BITMASK_RESET(all);
		for (unsigned i = 0; i < sizeof few / sizeof few[0]; i++) NDPI_ADD_PROTOCOL_TO_BITMASK(all, few[i]);
	}
	ndpi_set_protocol_detection_bitmask2(g_nd, &all);
	ndpi_finalize_initialization(g_nd);
}

static const char *end_name[] = { "detected", "giveup", "eof" };

static void ndpi_finish(struct fent *f, ndpi_protocol p, int reason, int guessed)
{
	struct ndpi_flow_struct *nf = f->nf;
	if (g_out) {
		char tb[160], pn[64];
		fmt_tuple(f, tb, sizeof tb);
		ndpi_protocol2name(g_nd, p, pn, sizeof pn);
		const char *sni = "", *alpn = "", *tlsv = "";
		/* protos is a union: read tls_quic only when a dissector set TLS */
		int is_tls = nf->detected_protocol_stack[0] == NDPI_PROTOCOL_TLS ||
			     nf->detected_protocol_stack[1] == NDPI_PROTOCOL_TLS;
		if (is_tls) {
			alpn = nf->protos.tls_quic.alpn ? nf->protos.tls_quic.alpn : "";
			tlsv = nf->protos.tls_quic.tls_supported_versions ? nf->protos.tls_quic.tls_supported_versions : "";
		}
		sni = nf->host_server_name;
		long held = 0;
		if (g_memacct) {
			/* measured below by the caller-free difference */
		}
		(void)held;
		fprintf(g_out, "ndpi\t%s\t%u\t%s\t%s\t%u\t%u\t%u\t%u/%u\t%s\t%d\t%s\t%s\t%s\t%u\t%ld\t%ld\n",
			g_curfile, f->idx, tb, end_name[reason], f->fed, f->fed_data, f->pkts,
			p.master_protocol, p.app_protocol, pn, guessed, sni, alpn, tlsv,
			is_tls ? nf->protos.tls_quic.hello_processed : 0, f->mem_delta, f->mem_peak);
	}
	if (reason == 0) st_detected++; else if (reason == 1) st_giveup++; else st_eof++;
	if (guessed) st_guessed++;
	g_sum_fed += f->fed;
	g_fed_hist[f->fed > 256 ? 256 : f->fed]++;
	size_t before = g_live;
	ndpi_free_flow(nf);
	if (g_memacct && g_out)
		fprintf(g_out, "free\t%s\t%u\t%zu\n", g_curfile, f->idx, before - g_live);
	f->nf = NULL;
	f->state = 1;
	g_under--;
}

static NOINLINE void ndpi_packet(struct fent *f, const struct pkt *k, uint64_t tms)
{
	if (f->state) return;
	if (!f->nf) {
		if (g_lazy && !k->pllen) return;
		f->nf = ndpi_flow_malloc(ndpi_detection_get_sizeof_ndpi_flow_struct());
		memset(f->nf, 0, ndpi_detection_get_sizeof_ndpi_flow_struct());
		f->mem_delta = f->mem_peak = 0;
		if (++g_under > g_under_peak) g_under_peak = g_under;
	}
	size_t l0 = g_live;
	ndpi_protocol p = ndpi_detection_process_packet(g_nd, f->nf, k->ip, (unsigned short)k->iplen, tms);
	f->mem_delta += (long)(g_live - l0);
	if (f->mem_delta > f->mem_peak) f->mem_peak = f->mem_delta;
	f->fed++;
	if (k->pllen) f->fed_data++;
	if (f->nf->detected_protocol_stack[0] != NDPI_PROTOCOL_UNKNOWN) {
		if (g_extra && f->fed < g_maxpk && ndpi_extra_dissection_possible(g_nd, f->nf)) return;
		ndpi_finish(f, p, 0, 0);
	} else if (f->fed >= g_maxpk) {
		u_int8_t guessed = 0;
		p = ndpi_detection_giveup(g_nd, f->nf, 1, &guessed);
		ndpi_finish(f, p, 1, guessed);
	}
}

/* ---------------------------------------------------------------- TLS mode */
static uint64_t st_parse_calls, st_tls_ch, st_tls_sh, st_ch_span, st_ch_sni_first, st_ch_sni_reasm,
	st_ch_alpn, st_sh_alpn, st_sh_span, st_ra_fail, st_tls13;

static void tls_emit(struct fent *f, int dir, const struct tlsinfo *ti, int spans, int reasm)
{
	if (ti->hs_type == 1) {
		if (!reasm) { st_tls_ch++; if (spans) st_ch_span++; }
		if (ti->sni[0]) { if (reasm) st_ch_sni_reasm++; else st_ch_sni_first++; }
		if (ti->alpn[0] && (reasm || ti->complete || !spans)) st_ch_alpn++;
	} else {
		if (!reasm) { st_tls_sh++; if (spans) st_sh_span++; }
		if (ti->alpn[0]) st_sh_alpn++;
		if (ti->sel_ver == 0x0304) st_tls13++;
	}
	if (g_out) {
		char tb[160];
		fmt_tuple(f, tb, sizeof tb);
		fprintf(g_out, "tls\t%s\t%u\t%s\t%d\t%s\t%u\t%u\t%d\t%04x\t%04x\t%s\t%s\n",
			g_curfile, f->idx, tb, dir, ti->hs_type == 1 ? "CH" : "SH", ti->need, ti->complete,
			reasm ? 2 : spans, ti->rec_ver, ti->sel_ver, ti->sni, ti->alpn);
	}
}

static NOINLINE void tls_packet(struct fent *f, int dir, const struct pkt *k)
{
	if (!k->pllen) return;
	struct reasm *ra = f->ra;
	if (ra && ra->dir == dir) {
		if (k->seq != ra->next_seq) {
			if ((int32_t)(k->seq - ra->next_seq) < 0) return; /* retransmission */
			st_ra_fail++; free(ra); f->ra = NULL; return;     /* gap: give up */
		}
		unsigned c = k->pllen;
		if (c > ra->need - ra->have) c = ra->need - ra->have;
		memcpy(ra->buf + ra->have, k->pl, c);
		ra->have += c; ra->next_seq += k->pllen;
		if (ra->have == ra->need) {
			struct tlsinfo ti;
			if (tls_parse(ra->buf, ra->have, &ti) == 0) tls_emit(f, dir, &ti, 1, 1);
			free(ra); f->ra = NULL;
		}
		return;
	}
	if (f->tls_tried[dir]) return;
	f->tls_tried[dir] = 1;
	st_parse_calls++;
	struct tlsinfo ti;
	if (tls_parse(k->pl, k->pllen, &ti) != 0) return;
	int spans = ti.need > k->pllen;
	tls_emit(f, dir, &ti, spans, 0);
	if (spans && g_reasm && !f->ra && ti.need <= 16384 + 5) {
		ra = malloc(sizeof *ra + ti.need);
		ra->dir = dir; ra->need = ti.need; ra->have = k->pllen;
		memcpy(ra->buf, k->pl, k->pllen);
		ra->next_seq = k->seq + k->pllen;
		f->ra = ra;
	}
}

/* ---------------------------------------------------------------- main loop */
static uint64_t st_pkts, st_tcp, st_nontcp, st_bytes;

static NOINLINE void end_of_file(void)
{
	if (g_mode == M_NDPI) {
		for (uint32_t j = 0; j < g_fl_n; j++) {
			struct fent *f = &g_tab[g_fl[j]];
			if (f->gen == g_gen && f->nf) {
				u_int8_t guessed = 0;
				ndpi_protocol p = ndpi_detection_giveup(g_nd, f->nf, 1, &guessed);
				ndpi_finish(f, p, 2, guessed);
			}
		}
	}
	if (g_mode == M_TLS) {
		for (uint32_t j = 0; j < g_fl_n; j++) {
			struct fent *f = &g_tab[g_fl[j]];
			if (f->gen == g_gen && f->ra) { st_ra_fail++; free(f->ra); f->ra = NULL; }
		}
	}
	g_fl_n = 0;
	g_gen++;
}

static NOINLINE void run_file(const char *path)
{
	char eb[PCAP_ERRBUF_SIZE];
	pcap_t *pc = pcap_open_offline(path, eb);
	if (!pc) { fprintf(stderr, "%s: %s\n", path, eb); return; }
	const char *bn = strrchr(path, '/');
	snprintf(g_curfile, sizeof g_curfile, "%s", bn ? bn + 1 : path);
	int dlt = pcap_datalink(pc);
	struct pcap_pkthdr *h;
	const u_char *d;
	int r;
	while ((r = pcap_next_ex(pc, &h, &d)) == 1) {
		st_pkts++;
		st_bytes += h->caplen;
		struct pkt k;
		if (decode_link(dlt, d, h->caplen, &k) != 0) { st_nontcp++; continue; }
		st_tcp++;
		int dir;
		struct fent *f = flow_lookup(&k, &dir);
		f->pkts++;
		if ((k.flags & 0x12) == 0x02 && f->cli_dir == 2) f->cli_dir = dir;
		switch (g_mode) {
		case M_NDPI:
			ndpi_packet(f, &k, (uint64_t)h->ts.tv_sec * 1000 + h->ts.tv_usec / 1000);
			break;
		case M_TLS:
			tls_packet(f, dir, &k);
			break;
		default:
			break;
		}
	}
	pcap_close(pc);
	end_of_file();
}

int main(int argc, char **argv)
{
	int c;
	while ((c = getopt(argc, argv, "m:n:xMRLSP:o:")) != -1) {
		switch (c) {
		case 'm':
			g_mode = !strcmp(optarg, "ndpi") ? M_NDPI : !strcmp(optarg, "tls") ? M_TLS :
				 !strcmp(optarg, "init") ? M_INIT : M_BARE;
			break;
		case 'n': g_maxpk = (unsigned)atoi(optarg); break;
		case 'x': g_extra = 1; break;
		case 'M': g_memacct = 1; break;
		case 'R': g_reasm = 1; break;
		case 'L': g_lazy = 1; break;
		case 'S': g_subset = 1; break;
		case 'P': g_prefs = (ndpi_init_prefs)atoi(optarg); break;
		case 'o': g_out = fopen(optarg, "w"); break;
		default:
			fprintf(stderr, "usage: %s [-m bare|ndpi|tls|init] [-n N] [-x] [-M] [-R] [-L] [-S] [-P prefs] [-o out.tsv] files...\n", argv[0]);
			return 2;
		}
	}
	if (g_memacct) {
		set_ndpi_malloc(cnt_malloc); set_ndpi_free(cnt_free);
		set_ndpi_flow_malloc(cnt_malloc); set_ndpi_flow_free(cnt_free);
	}
	long rss0 = maxrss_kb();
	size_t heap0 = heap_inuse();
	if (g_mode == M_NDPI || g_mode == M_INIT) {
		ndpi_setup();
		fprintf(stderr, "init: ndpi_get_tot_allocated_memory=%u counted_live=%zu counted_peak=%zu allocs=%zu "
			"heap_delta=%zu maxrss_delta_kb=%ld maxrss_kb=%ld sizeof(flow)=%u tcp=%u udp=%u api=%u rev=%s\n",
			ndpi_get_tot_allocated_memory(), g_live, g_peak, g_nalloc, heap_inuse() - heap0,
			maxrss_kb() - rss0, maxrss_kb(),
			ndpi_detection_get_sizeof_ndpi_flow_struct(), ndpi_detection_get_sizeof_ndpi_flow_tcp_struct(),
			ndpi_detection_get_sizeof_ndpi_flow_udp_struct(), ndpi_get_api_version(), ndpi_revision());
	}
	size_t live_after_init = g_live;
	g_peak = g_live;
	if (g_mode == M_INIT) {
		ndpi_exit_detection_module(g_nd);
		fprintf(stderr, "exit: counted_live=%zu frees=%zu\n", g_live, g_nfree);
		return 0;
	}
	g_tab = calloc(TSIZE, sizeof *g_tab);
	long rss1 = maxrss_kb();
	for (int i = optind; i < argc; i++) run_file(argv[i]);
	fprintf(stderr, "pkts=%lu tcp=%lu skipped=%lu bytes=%lu flows=%u\n",
		st_pkts, st_tcp, st_nontcp, st_bytes, g_nflows);
	if (g_mode == M_NDPI) {
		fprintf(stderr, "ndpi: detected=%lu giveup=%lu eof=%lu guessed=%lu mean_fed=%.2f under_detection_peak=%u "
			"counted_peak_above_init=%zu live_end_above_init=%ld maxrss_growth_kb=%ld\n",
			st_detected, st_giveup, st_eof, st_guessed,
			(double)g_sum_fed / (st_detected + st_giveup + st_eof), g_under_peak,
			g_peak - live_after_init, (long)(g_live - live_after_init), maxrss_kb() - rss1);
		fprintf(stderr, "fed-histogram:");
		for (int i = 0; i <= 256; i++) if (g_fed_hist[i]) fprintf(stderr, " %d:%u", i, g_fed_hist[i]);
		fprintf(stderr, "\n");
		ndpi_exit_detection_module(g_nd);
	}
	if (g_mode == M_TLS) {
		fprintf(stderr, "tls: first-segment parses=%lu CH=%lu CH_spanning=%lu CH_sni_first_seg=%lu CH_sni_after_reasm=%lu CH_alpn=%lu "
			"SH=%lu SH_spanning=%lu SH_alpn=%lu SH_tls13=%lu reasm_fail=%lu\n",
			st_parse_calls, st_tls_ch, st_ch_span, st_ch_sni_first, st_ch_sni_reasm, st_ch_alpn,
			st_tls_sh, st_sh_span, st_sh_alpn, st_tls13, st_ra_fail);
	}
	if (g_out) fclose(g_out);
	free(g_tab);
	return 0;
}
