/*
 * packet: one decoded TCP segment, the unit the tracker consumes.
 *
 * Filled by decode_frame() from a frame's captured bytes; everything is
 * host order. Lengths come from the IP header, not the capture, so a
 * segment cut by snaplen still has its true payload length; only
 * payload_caplen says how much of the payload is visible.
 */
#ifndef RSTDIAG_PACKET_H
#define RSTDIAG_PACKET_H

#include <stdbool.h>
#include <stdint.h>

#include "http.h"
#include "rst_payload.h"
#include "tls.h"

enum {
	TCP_FIN = 0x01,
	TCP_SYN = 0x02,
	TCP_RST = 0x04,
	TCP_PSH = 0x08,
	TCP_ACK = 0x10,
	TCP_URG = 0x20,
	TCP_ECE = 0x40,
	TCP_CWR = 0x80,
};

/* The MPTCP options (RFC 8684, kind 30) that end a connection or subflow:
 * bits, since Linux sends both in one RST. */
enum mptcp_end { MPTCP_NONE = 0, MPTCP_FASTCLOSE = 1, MPTCP_TCPRST = 2 };

struct tcp_opts {
	bool has_mss, has_wscale, sack_perm, has_ts;
	bool malformed;       /* an option overran the header or had length < 2 */
	bool cut;             /* the snaplen cut the options: those after the cut unknown */
	uint8_t wscale;
	uint8_t n_sack;       /* SACK blocks present */
	uint8_t mptcp;        /* enum mptcp_end bits */
	uint8_t mptcp_reason; /* MP_TCPRST: its reason code (RFC 8684 3.6) */
	bool mptcp_transient; /* MP_TCPRST: its T flag, the condition is temporary */
	uint16_t mss;
	/* Option kinds in order, a nibble each (15: a kind above 14), NOP
	 * and EOL left out, the first four: a SYN's layout names its stack
	 * (host_stack_from_syn). 0 on the common NOP, NOP, timestamp. */
	uint16_t layout;
	uint32_t tsval, tsecr;
};

/*
 * Tunnels a segment was found in, outermost first (decode_tunnel.c). The
 * inner TCP connection is the one analysed; the tunnel context is part of
 * its identity (tunnel_table.h), and the RST's own path is shown.
 */
enum tunnel_kind {
	TUNNEL_IPIP,        /* IPv4 or IPv6 directly in IPv4 or IPv6 (4in4, 6in4, 4in6, 6in6) */
	TUNNEL_GRE,         /* GRE carrying IP (RFC 2784, 2890) */
	TUNNEL_GRETAP,      /* GRE carrying Ethernet (transparent Ethernet bridging) */
	TUNNEL_ERSPAN,      /* GRE carrying mirrored Ethernet, ERSPAN type I, II or III */
	TUNNEL_VXLAN,       /* RFC 7348, UDP 4789 */
	TUNNEL_GENEVE,      /* RFC 8926, UDP 6081 */
	TUNNEL_GTPU,        /* 3GPP TS 29.281, UDP 2152 */
	TUNNEL_TEREDO,      /* RFC 4380, UDP 3544 */
	TUNNEL_MPLS,        /* RFC 3032 label stack */
	TUNNEL_KIND_COUNT
};

/* Layers recorded; a deeper nesting is "unparsed" (decode.h). */
#define TUNNEL_MAX_LAYERS 4

struct tunnel_layer {
	uint8_t kind;           /* enum tunnel_kind */
	uint8_t ipver;          /* of the outer addresses; 0 when it has none (MPLS) */
	bool has_id;
	uint8_t pad;
	uint32_t id;            /* VNI, TEID, MPLS label (bottom of stack), GRE key, ERSPAN session */
	uint8_t src[16], dst[16];   /* the outer header's addresses, as in struct pkt */
};

struct tunnel_path {
	uint8_t n;              /* layers used; 0: not tunnelled */
	uint16_t inner;         /* while decoding: what the last layer carries (decode.h) */
	struct tunnel_layer layer[TUNNEL_MAX_LAYERS];
};

struct pkt {
	uint64_t frame;       /* 1-based position in the input, as Wireshark numbers it */
	uint64_t file_frame;  /* --interleave: frame is the merged capture's, this its file's;
				 0 otherwise (the same as frame) */
	int64_t ts_ns;        /* capture time, ns since the epoch */
	uint32_t caplen, wirelen;

	uint8_t ipver;        /* 4 or 6 */
	uint8_t ttl;          /* TTL (IPv4) or hop limit (IPv6) */
	uint16_t ip_id;       /* IPv4 identification; 0 for IPv6 */
	bool ip_df;           /* IPv4 don't-fragment */
	bool ip_opts;         /* IPv4 options or IPv6 extension headers present */
	uint8_t src[16], dst[16]; /* IPv4 uses the first 4 bytes, rest zero */

	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags;        /* TCP_* bits */
	bool offset_past;     /* the data offset ran past the segment: all of it taken as header */
	bool outgoing;        /* a Linux cooked capture (tcpdump -i any) says the capturing
				 host sent it (PACKET_OUTGOING): on a router, the forwarded
				 copy of a packet it captured arriving a moment before */
	uint16_t window;      /* as on the wire, unscaled */
	uint8_t lane;         /* the capture interface it came on: 1 + its place in the
				 order the capture's interfaces first came
				 (pipeline.h); 0 while the capture has shown one */
	struct tcp_opts opts;

	uint32_t payload_len;       /* TCP payload length from the IP lengths */
	uint32_t payload_caplen;    /* how much of it was captured */
	const uint8_t *payload;     /* captured payload bytes: valid only while the frame
				       is being decoded, NULL after (pipeline.c) */
	struct http_facts http;     /* what the payload starts, read while it was valid */
	struct tls_facts tls;       /* ... as TLS records (content 0: not a record start) */
	uint8_t app;                /* ... as another protocol's opening (enum first_bytes_app) */
	bool quit;                  /* ... as a text protocol's last command (first_bytes_quit);
				       set only where http.start is HTTP_NONE */
	uint8_t refusal;            /* ... as a server's refusal (enum first_bytes_refusal),
				       set where app is */
	uint8_t goodbye;            /* ... as a service's last words (enum
				       first_bytes_goodbye), set where app is */
	struct rst_payload rst_data; /* a RST's: its reason, if it wrote one (format 0: none) */
	uint64_t copy_of;           /* a RST: the frame of its sender's earlier RST, still
				       waiting, that it is a capture copy of with other
				       packets between (the pipeline's verdict_queue_copy_of);
				       0 none */
	uint8_t copy_ttl;           /* ... and that RST's TTL */

	struct tunnel_path tun;     /* the tunnels it came through (tun.n 0: none) */
	uint16_t tunnel;            /* the tunnel context's identity (tunnel_table.h); 0 none */
	uint32_t tunnel_path;       /* a RST's own path, interned for its record; 0 none */
};

/* The length a segment occupies in sequence space (SYN and FIN count one). */
static inline uint32_t pkt_seq_len(const struct pkt *p)
{
	return p->payload_len + ((p->flags & TCP_SYN) ? 1u : 0u) +
	       ((p->flags & TCP_FIN) ? 1u : 0u);
}

#endif
