#!/bin/sh
cd "$(dirname "$0")"
for f in cg/*.out; do
  n=$(basename $f .out)
  callgrind_annotate --inclusive=yes --threshold=100 $f 2>/dev/null | grep -E "PROGRAM TOTALS|[?a-z.]:(run_file|ndpi_setup|ndpi_packet|tls_packet|tls_parse|flow_lookup|end_of_file|pcap_next_ex|ndpi_exit_detection_module|ndpi_detection_process_packet|ndpi_init_detection_module|ndpi_finalize_initialization|ndpi_free_flow|ndpi_detection_giveup|ndpi_finish) " | grep -v "=>" | sed -E 's/ \(.*%\)//; s/[^ ]*://; s/,//g; s/ \[.*//' | awk -v n=$n '{printf "%s\t%s\t%s\n", n, $2" "$3, $1}'
done
