/*
 * source: the input a verdict came from, as the pipeline names it and the
 * renderers show it. Its own header so the verdict queue can carry it
 * without reaching into the reporting layer.
 */
#ifndef RSTDIAG_SOURCE_H
#define RSTDIAG_SOURCE_H

#include <stdbool.h>
#include <stdint.h>

struct tunnel_table;

struct report_source {
	const char *name;       /* file name, "-" for stdin, or interface */
	uint32_t index;         /* inputs counted from 0 in reading order */
	int64_t first_ts;       /* its first packet: times are shown relative to it */
	bool show_name;         /* several inputs: name the one each RST is in */
	const struct tunnel_table *tunnels;     /* names a verdict's tunnel_path */
	/* The pcapng interface the RST was captured on, as the file names it
	 * (if_name, else if_description); "" when it names none, and for pcap
	 * files and live capture. A copy: the verdict waits its settle time
	 * after the file's interfaces are gone. */
	char interface[64];
};

#endif
