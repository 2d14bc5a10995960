/*
 * Unit tests of the asynchronous reporter (src/report_async.h): records
 * reach the inner reporter in the order reported, on a thread other than
 * the reporter's; the summary comes after every record before it, on the
 * caller's thread; a drain returns with every record rendered; a record's
 * tunnel path is its own copy, still right after the table it came from
 * has grown and been freed, also in a line the reporting thread made; a
 * run without records starts no thread; a renderer that falls behind gets
 * lines made by the reporting thread, still written in order.
 */
#include <dirent.h>
#include <pthread.h>
#include <stdlib.h>     /* strtoull */
#include <string.h>
#include <unistd.h>     /* usleep */

#include "check.h"
#include "json_write.h"
#include "report.h"
#include "report_async.h"
#include "tunnel_table.h"

/* A fake inner reporter: what it was given, and on which thread. Only the
 * renderer writes it until a drain or the summary, which order them. */
struct seen {
	uint64_t frames[20000];
	uint32_t n;
	uint32_t out_of_order;
	uint32_t on_caller;         /* records rendered on the reporting thread */
	uint32_t tunnel_wrong;
	uint32_t at_summary;        /* n when the summary came */
	uint32_t made_by_caller;    /* lines made on the reporting thread (render) */
	uint32_t slow_us;           /* a record rendered by reset takes this long */
	bool summary_on_caller;
	pthread_t caller;
};

static void seen_reset(struct reporter *r, const struct verdict *v, const struct report_source *src)
{
	struct seen *s = r->priv;
	if (s->n && v->rst.frame != s->frames[s->n - 1] + 1)
		s->out_of_order++;
	if (pthread_equal(pthread_self(), s->caller))
		s->on_caller++;
	if (v->tunnel_path) {
		/* Frame f was sent with a one-layer path whose VNI is f. */
		const struct tunnel_path *p = tunnel_table_get(src->tunnels, v->tunnel_path);
		if (!p || p->n != 1 || p->layer[0].id != (uint32_t)v->rst.frame)
			s->tunnel_wrong++;
	}
	if (s->n < sizeof s->frames / sizeof s->frames[0])
		s->frames[s->n++] = v->rst.frame;
	if (s->slow_us)
		usleep(s->slow_us);
}

/* The two-step reset of JSON Lines: the line is the frame's number. A
 * line made on the caller's thread is counted; its order is checked when
 * it is written, as a record's is. */
static void seen_render(struct reporter *r, const struct verdict *v, const struct report_source *src,
			struct json_writer *w)
{
	struct seen *s = r->priv;
	if (pthread_equal(pthread_self(), s->caller))
		s->made_by_caller++;
	if (v->tunnel_path) {
		/* As seen_reset checks it: made here, with the caller's table. */
		const struct tunnel_path *p = tunnel_table_get(src->tunnels, v->tunnel_path);
		if (!p || p->n != 1 || p->layer[0].id != (uint32_t)v->rst.frame)
			s->tunnel_wrong++;
	}
	json_writer_reset(w);
	json_grow(w, 32);
	w->len = (size_t)snprintf(w->buf, 32, "%llu", (unsigned long long)v->rst.frame);
}

static void seen_write_rendered(struct reporter *r, struct json_writer *w)
{
	struct seen *s = r->priv;
	uint64_t frame = strtoull(w->buf, NULL, 10);
	if (s->n && frame != s->frames[s->n - 1] + 1)
		s->out_of_order++;
	if (pthread_equal(pthread_self(), s->caller))
		s->on_caller++;     /* written by the renderer, whoever made it */
	if (s->n < sizeof s->frames / sizeof s->frames[0])
		s->frames[s->n++] = frame;
}

static void seen_summary(struct reporter *r, const struct stats *st, const struct server_insights *e)
{
	(void)st;
	(void)e;
	struct seen *s = r->priv;
	s->at_summary = s->n;
	s->summary_on_caller = pthread_equal(pthread_self(), s->caller);
}

static void seen_init(struct reporter *r, struct seen *s, bool flush_each)
{
	memset(s, 0, sizeof *s);
	s->caller = pthread_self();
	memset(r, 0, sizeof *r);
	r->reset = seen_reset;
	r->summary = seen_summary;
	r->flush_each = flush_each;
	r->priv = s;
}

static struct verdict v;     /* too big for the stack of some test runners */

static void report(struct reporter *a, uint64_t frame, const struct report_source *src)
{
	memset(&v, 0, sizeof v);
	v.rst.frame = frame;
	a->reset(a, &v, src);
}

/* Many more records than the ring holds, so the reporter waits for room. */
static void test_order_and_summary(bool flush_each)
{
	static struct seen s;
	struct reporter inner, a;
	seen_init(&inner, &s, flush_each);
	report_async_init(&a, &inner);
	struct report_source src = { .name = "x" };
	for (uint64_t f = 1; f <= 10000; f++)
		report(&a, f, &src);
	a.summary(&a, NULL, NULL);
	CHECK_EQ(s.at_summary, 10000);
	CHECK(s.summary_on_caller);
	CHECK_EQ(s.out_of_order, 0);
	CHECK_EQ(s.on_caller, 0);
	CHECK_EQ(s.frames[0], 1);
	CHECK_EQ(s.frames[9999], 10000);
	/* After the summary, and a drain with none waiting. */
	for (uint64_t f = 10001; f <= 10005; f++)
		report(&a, f, &src);
	report_async_drain(&a);
	CHECK_EQ(s.n, 10005);
	report_async_drain(&a);
	report_free(&a);
	CHECK_EQ(s.n, 10005);
	CHECK_EQ(s.out_of_order, 0);
}

/* A renderer slower than the reporter, with the two-step reset: once the
 * ring is full the reporting thread makes lines itself, and every record
 * is still written once, in order, by the renderer. */
static void test_lines_made_when_behind(void)
{
	static struct seen s;
	struct reporter inner, a;
	seen_init(&inner, &s, false);
	inner.render = seen_render;
	inner.write_rendered = seen_write_rendered;
	s.slow_us = 20;
	report_async_init(&a, &inner);
	CHECK(a.render == NULL && a.write_rendered == NULL);   /* not passed on */
	struct report_source src = { .name = "x" };
	for (uint64_t f = 1; f <= 5000; f++)
		report(&a, f, &src);
	a.summary(&a, NULL, NULL);
	CHECK_EQ(s.at_summary, 5000);
	CHECK_EQ(s.out_of_order, 0);
	CHECK_EQ(s.on_caller, 0);
	CHECK(s.made_by_caller > 0);
	CHECK(s.made_by_caller < 5000);
	CHECK_EQ(s.frames[4999], 5000);
	report_free(&a);
}

/* Fewer records than a wake-up's batch: freeing renders them all. */
static void test_free_renders_the_rest(void)
{
	static struct seen s;
	struct reporter inner, a;
	seen_init(&inner, &s, false);
	report_async_init(&a, &inner);
	struct report_source src = { .name = "x" };
	for (uint64_t f = 1; f <= 3; f++)
		report(&a, f, &src);
	report_free(&a);
	CHECK_EQ(s.n, 3);
	CHECK_EQ(s.out_of_order, 0);
	CHECK_EQ(s.on_caller, 0);
}

/* Each record's path is copied when it is reported: the table it was
 * interned in grows (moving its paths) and is freed before the renderer
 * is let go on. */
static void test_tunnel_paths_copied(bool slow_renderer)
{
	static struct seen s;
	struct reporter inner, a;
	seen_init(&inner, &s, false);
	if (slow_renderer) {    /* most lines are made on this thread */
		inner.render = seen_render;
		inner.write_rendered = seen_write_rendered;
		s.slow_us = 20;
	}
	report_async_init(&a, &inner);
	struct tunnel_table *t = tunnel_table_new(7);
	struct report_source src = { .name = "x", .tunnels = t };
	for (uint64_t f = 1; f <= 2000; f++) {
		struct tunnel_path p;
		memset(&p, 0, sizeof p);
		p.n = 1;
		p.layer[0].kind = TUNNEL_VXLAN;
		p.layer[0].has_id = true;
		p.layer[0].id = (uint32_t)f;
		memset(&v, 0, sizeof v);
		v.rst.frame = f;
		v.tunnel_path = tunnel_table_path(t, &p);
		a.reset(&a, &v, &src);
		if (f % 3 == 0) {   /* and one more path no record names */
			p.layer[0].id += 1000000;
			tunnel_table_path(t, &p);
		}
	}
	tunnel_table_free(t);
	report_free(&a);
	CHECK_EQ(s.n, 2000);
	CHECK_EQ(s.tunnel_wrong, 0);
	CHECK_EQ(s.out_of_order, 0);
	if (slow_renderer)
		CHECK(s.made_by_caller > 0);
}

/* This process's threads, as Linux lists them. */
static int threads(void)
{
	DIR *d = opendir("/proc/self/task");
	if (!d)
		return -1;
	int n = 0;
	for (struct dirent *e; (e = readdir(d));)
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

/* No record: no thread, and the summary and free still work. The first
 * record starts one, which freeing ends. */
static void test_thread_at_first_record(void)
{
	static struct seen s;
	struct reporter inner, a;
	int before = threads();
	CHECK(before >= 1);
	seen_init(&inner, &s, false);
	report_async_init(&a, &inner);
	report_async_drain(&a);
	a.summary(&a, NULL, NULL);
	CHECK(s.summary_on_caller);
	CHECK_EQ(s.at_summary, 0);
	CHECK_EQ(threads(), before);
	report_free(&a);
	CHECK_EQ(s.n, 0);

	seen_init(&inner, &s, false);
	report_async_init(&a, &inner);
	struct report_source src = { .name = "x" };
	report(&a, 1, &src);
	CHECK_EQ(threads(), before + 1);
	report_free(&a);
	/* pthread_join returns when the thread has cleared its id, which is
	 * before the kernel has removed its task: give it a second. */
	for (int i = 0; i < 1000 && threads() != before; i++)
		usleep(1000);
	CHECK_EQ(threads(), before);
	CHECK_EQ(s.n, 1);
}

int main(void)
{
	test_order_and_summary(false);
	test_order_and_summary(true);
	test_lines_made_when_behind();
	test_free_renders_the_rest();
	test_tunnel_paths_copied(false);
	test_tunnel_paths_copied(true);
	test_thread_at_first_record();
	return check_report("test_report_async");
}
