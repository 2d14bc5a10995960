/* report_annotate: verdicts as packet comments (see report_annotate.h). */
#include "report_annotate.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cause.h"
#include "explain.h"
#include "xalloc.h"

struct annotate_state {
	struct reporter *inner;
	struct annotations *notes;
	struct explanation e;   /* too big for the stack of a callback chain */
};

static void add(struct annotations *notes, uint32_t source, uint64_t frame, bool rst,
		const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void add(struct annotations *notes, uint32_t source, uint64_t frame, bool rst,
		const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	char *text = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(text, (size_t)n + 1, fmt, ap);
	va_end(ap);
	if (notes->n == notes->cap) {
		notes->cap = notes->cap ? notes->cap * 2 : 64;
		notes->v = xrealloc(notes->v, notes->cap * sizeof *notes->v);
	}
	notes->v[notes->n++] = (struct annotation){ .source = source, .frame = frame, .rst = rst,
						    .order = notes->n, .text = text };
}

/* The explanation's first sentence: what happened, without the rest. */
static int first_sentence(const char *why)
{
	const char *end = strstr(why, ". ");
	return end ? (int)(end - why) + 1 : (int)strlen(why);
}

static void annotate_reset(struct reporter *r, const struct verdict *v,
			   const struct report_source *src)
{
	struct annotate_state *st = r->priv;
	st->inner->reset(st->inner, v, src);
	struct explanation *e = &st->e;
	explain_verdict(v, e);
	const char *detail = detail_id((enum detail)v->detail);
	char cause[64];
	snprintf(cause, sizeof cause, "%s%s%s%s", cause_id((enum cause)v->cause),
		 detail ? " (" : "", detail ? detail : "", detail ? ")" : "");
	add(st->notes, src->index, v->rst.frame, true,
	    "rstdiag: %s, %s confidence, sent by %s, origin %s: %.*s [%s, frame %llu]", cause,
	    confidence_name((enum confidence)v->confidence),
	    role_word((enum role)v->sender, "an unknown side"),
	    origin_name((enum origin)v->origin), first_sentence(e->why), e->why, src->name,
	    (unsigned long long)v->rst.frame);
	for (int i = 0; i < e->n_evidence; i++) {
		if (e->evidence[i].frame == v->rst.frame)
			continue;
		add(st->notes, src->index, e->evidence[i].frame, false,
		    "rstdiag: evidence for the RST at frame %llu (%s): %s [%s, frame %llu]",
		    (unsigned long long)v->rst.frame, cause, e->what[i], src->name,
		    (unsigned long long)e->evidence[i].frame);
	}
}

static void annotate_summary(struct reporter *r, const struct stats *s,
			     const struct server_insights *servers)
{
	struct annotate_state *st = r->priv;
	st->inner->summary(st->inner, s, servers);
}

static void annotate_free(struct reporter *r)
{
	free(r->priv);
	r->priv = NULL;
}

void report_annotate_init(struct reporter *ann, struct reporter *inner, struct annotations *notes)
{
	struct annotate_state *st = xcalloc(1, sizeof *st);
	st->inner = inner;
	st->notes = notes;
	*ann = *inner;
	ann->reset = annotate_reset;
	ann->summary = annotate_summary;
	ann->free = annotate_free;
	ann->render = NULL;      /* every record goes through ann->reset */
	ann->write_rendered = NULL;
	ann->priv = st;
}

static int cmp_annotation(const void *pa, const void *pb)
{
	const struct annotation *a = pa, *b = pb;
	if (a->source != b->source)
		return a->source < b->source ? -1 : 1;
	if (a->frame != b->frame)
		return a->frame < b->frame ? -1 : 1;
	/* A RST's own verdict first, then evidence, each in report order. */
	if (a->rst != b->rst)
		return a->rst ? -1 : 1;
	return a->order < b->order ? -1 : a->order > b->order;
}

void annotations_seal(struct annotations *notes)
{
	if (notes->n)	/* qsort's pointer must not be NULL, even for no elements */
		qsort(notes->v, notes->n, sizeof *notes->v, cmp_annotation);
	size_t out = 0;
	for (size_t i = 0; i < notes->n; i++) {
		struct annotation *last = out ? &notes->v[out - 1] : NULL;
		if (last && last->source == notes->v[i].source && last->frame == notes->v[i].frame) {
			size_t la = strlen(last->text), lb = strlen(notes->v[i].text);
			last->text = xrealloc(last->text, la + 3 + lb);
			memcpy(last->text + la, "; ", 2);
			memcpy(last->text + la + 2, notes->v[i].text, lb + 1);
			last->rst |= notes->v[i].rst;
			free(notes->v[i].text);
		} else {
			notes->v[out++] = notes->v[i];
		}
	}
	notes->n = out;
	notes->next = 0;
}

const struct annotation *annotations_take(struct annotations *notes, uint32_t source,
					  uint64_t frame)
{
	while (notes->next < notes->n) {
		const struct annotation *a = &notes->v[notes->next];
		if (a->source > source || (a->source == source && a->frame > frame))
			return NULL;
		notes->next++;
		if (a->source == source && a->frame == frame)
			return a;
	}
	return NULL;
}

void annotations_free(struct annotations *notes)
{
	for (size_t i = 0; i < notes->n; i++)
		free(notes->v[i].text);
	free(notes->v);
	memset(notes, 0, sizeof *notes);
}
