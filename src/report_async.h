/*
 * report_async: a reporter in front of another that renders its records
 * on a thread of their own, in the order they were reported.
 *
 * A JSON record costs about 10 900 instructions to word and write (the
 * explanation, 14 strings, 6 times, the endpoints; README, "Floods"),
 * against about 2 300 a packet to decode, track and judge a scan. When
 * nearly every other packet is a RST, writing the records was two thirds
 * of the run, on the reading thread. Zeek writes its logs from threads of
 * their own for the same reason (its logging framework's writer
 * threads). Here the reading thread copies a final verdict into a ring
 * (a slot of 888 bytes) and goes on; the renderer's thread calls the
 * inner reporter's reset for it.
 *
 * When the renderer falls behind (the ring is full), the reading thread
 * makes the record's line itself, through the inner reporter's render
 * (JSON Lines has one), rather than wait, and hands it over made: the
 * renderer only writes it. Which thread words a record then follows
 * their speeds, so on a scan both cores word records.
 *
 * Only the records move. The summary is written on the caller's thread,
 * after every record before it: the stats and server insights it reads
 * are the pipeline's, which only that thread owns. Nothing the inner
 * reset reads is shared: a record's tunnel path is copied with it, since
 * the pipeline's tunnel table may grow (and move) while it waits.
 *
 * The thread starts at the first record, so a run without resets never
 * has one, and the forks of --fanout and --kernel-reasons come before it.
 * If it cannot start, records are rendered on the caller's thread, as
 * without this reporter. Signals stay with the reading thread (live
 * capture's SIGINT ends its capture loop), but for a write's SIGPIPE,
 * which ends rstdiag as soon as its reader has gone, as before.
 */
#ifndef RSTDIAG_REPORT_ASYNC_H
#define RSTDIAG_REPORT_ASYNC_H

#include "report.h"

/* Sets up async in front of inner, which must outlive it. The inner's
 * flush_each (live mode) is read at each record: with it, the renderer is
 * woken for every record; without it, when 32 are waiting, or at the
 * summary. */
void report_async_init(struct reporter *async, struct reporter *inner);

/* Returns once every record reported so far has been rendered. */
void report_async_drain(struct reporter *async);

#endif
