/*
 * multipart.c - multipart SMS reassembly, as GSM_LinkSMS would do it but
 * with no libGammu call: parts are grouped by sender, reference and
 * count, sorted by sequence number, joined from UTF-16BE into UTF-8;
 * an incomplete message waits for its missing parts until its clock,
 * started when it was first seen, reaches the timeout.  modem.c turns
 * the phone's entries into parts; the fuzzer and the unit tests make
 * parts of their own.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "multipart.h"
#include "utf8.h"

#define TIMERS_MIN	64	/* first size of the timer table */

/* An incomplete message being timed: when its parts were first seen. */
struct multipart_timer {
	char	 key[MULTIPART_KEY_MAX];
	int64_t	 first_ms;
	bool	 seen;
};

/* A growing array of messages. */
struct msgvec {
	struct multipart_msg *v;
	size_t		 n;
	size_t		 cap;
};

int
multipart_udh_concat(const unsigned char *t, size_t udhlen, int *ref,
    int *seq, int *total)
{
	int		 len, i, ielen;

	if (udhlen < 1)
		return -1;
	len = udhlen > 256 ? 256 : (int)udhlen;
	if (t[0] + 1 < len)
		len = t[0] + 1;
	for (i = 1; i + 1 < len; i += 2 + ielen) {
		ielen = t[i + 1];
		if (i + 2 + ielen > len)
			break;
		if (t[i] == 0x00 && ielen == 3) {
			*ref = t[i + 2];
			*total = t[i + 3];
			*seq = t[i + 4];
		} else if (t[i] == 0x08 && ielen == 4) {
			*ref = 0x10000 | t[i + 2] << 8 | t[i + 3];
			*total = t[i + 4];
			*seq = t[i + 5];
		} else
			continue;
		if (*total < 1 || *seq < 1 || *seq > *total)
			return -1;
		return 0;
	}
	return -1;
}

void
multipart_part_init(struct multipart_part *p, const char *sender,
    const unsigned char *udh, size_t udhlen)
{
	size_t	 len;
	int	 ref = -1;

	memset(p, 0, sizeof(*p));
	if (multipart_udh_concat(udh, udhlen, &ref, &p->seq, &p->total) ==
	    -1) {
		ref = -1;
		p->seq = p->total = 0;
	}
	len = utf8_cut(sender, strlen(sender), sizeof(p->sender) - 1);
	memcpy(p->sender, sender, len);
	p->sender[len] = '\0';
	snprintf(p->key, sizeof(p->key), "%s|%d|%d", p->sender, ref,
	    p->total);
}

int
multipart_add(struct multipart_vec *pv, struct multipart_part *parts,
    size_t nparts)
{
	struct multipart_part *nv;
	size_t		 k, cap;

	if (pv->n + nparts > pv->cap) {
		cap = pv->cap * 2 > pv->n + nparts ? pv->cap * 2 :
		    pv->n + nparts + 8;
		if ((nv = reallocarray(pv->v, cap, sizeof(*nv))) == NULL) {
			for (k = 0; k < nparts; k++)
				free(parts[k].text);
			return -1;
		}
		pv->v = nv;
		pv->cap = cap;
	}
	for (k = 0; k < nparts; k++) {
		parts[k].entry = pv->entries;
		pv->v[pv->n++] = parts[k];
	}
	pv->entries++;
	return 0;
}

void
multipart_vec_free(struct multipart_vec *pv)
{
	size_t	 i;

	for (i = 0; i < pv->n; i++)
		free(pv->v[i].text);
	free(pv->v);
	memset(pv, 0, sizeof(*pv));
}

static int
part_cmp(const void *a, const void *b)
{
	const struct multipart_part *pa = a, *pb = b;

	if (pa->seq != pb->seq)
		return pa->seq < pb->seq ? -1 : 1;
	if (pa->location != pb->location)
		return pa->location < pb->location ? -1 : 1;
	return 0;
}

/* Loose parts: by message, then as part_cmp(). */
static int
loose_cmp(const void *a, const void *b)
{
	const struct multipart_part *pa = a, *pb = b;
	int		 c;

	if ((c = strcmp(pa->key, pb->key)) != 0)
		return c;
	return part_cmp(a, b);
}

/* Whether parts[0..n), sorted, are all of one concatenated message. */
static bool
parts_complete(const struct multipart_part *parts, size_t n)
{
	size_t	 i;
	int	 total, want = 1;

	if (n == 0 || parts[0].seq == 0)
		return false;
	total = parts[0].total;
	for (i = 0; i < n; i++) {
		if (strcmp(parts[i].key, parts[0].key) != 0)
			return false;
		if (parts[i].seq == want)
			want++;
	}
	return want == total + 1;
}

int
multipart_group(struct multipart_vec *pv, multipart_fn *fn, void *arg)
{
	struct multipart_part *loose, *p, *q, *end;
	size_t		 nl = 0;
	int		 rc = 0;

	if (pv->n == 0)
		return 0;
	if ((loose = calloc(pv->n, sizeof(*loose))) == NULL)
		return -1;
	end = pv->v + pv->n;
	for (p = pv->v; p < end && rc == 0; p = q) {
		for (q = p; q < end && q->entry == p->entry; q++)
			;
		if (p->seq == 0) {
			rc = fn(arg, p, q - p, true);
			continue;
		}
		qsort(p, q - p, sizeof(*p), part_cmp);
		if (parts_complete(p, q - p))
			rc = fn(arg, p, q - p, true);
		else {
			/* Copies share the text: pv still owns it. */
			memcpy(loose + nl, p, (q - p) * sizeof(*p));
			nl += q - p;
		}
	}
	if (rc == 0 && nl > 1)
		qsort(loose, nl, sizeof(*loose), loose_cmp);
	for (p = loose; rc == 0 && p < loose + nl; p = q) {
		for (q = p; q < loose + nl && strcmp(q->key, p->key) == 0; q++)
			;
		rc = fn(arg, p, q - p, p->seq == 0 || parts_complete(p, q - p));
	}
	free(loose);
	return rc;
}

char *
multipart_text(const struct multipart_part *parts, size_t n)
{
	unsigned char	*u;
	char		*s;
	size_t		 i, units = 0;

	for (i = 0; i < n; i++)
		units += parts[i].units;
	if ((u = calloc(units + 1, 2)) == NULL)
		return NULL;
	units = 0;
	for (i = 0; i < n; i++) {
		if (parts[i].units == 0 || (i > 0 && parts[i].seq != 0 &&
		    parts[i].seq == parts[i - 1].seq))
			continue;
		memcpy(u + 2 * units, parts[i].text, 2 * parts[i].units);
		units += parts[i].units;
	}
	if ((s = malloc(3 * units + 1)) != NULL)
		utf8_from_utf16be(u, units, s);
	free(u);
	return s;
}

/* Append the message of parts[0..n) (sorted) to vec.  Returns 0 or -1. */
static int
msg_add(struct msgvec *vec, const struct multipart_part *parts, size_t n,
    bool incomplete)
{
	struct multipart_msg *msg, *nv;
	size_t		 i, j, cap;

	if (n > MULTIPART_MAX_LOCS)
		n = MULTIPART_MAX_LOCS;
	if (vec->n == vec->cap) {
		cap = vec->cap ? vec->cap * 2 : 8;
		if ((nv = reallocarray(vec->v, cap, sizeof(*nv))) == NULL)
			return -1;
		vec->v = nv;
		vec->cap = cap;
	}
	msg = &vec->v[vec->n];
	memset(msg, 0, sizeof(*msg));
	memcpy(msg->sender, parts[0].sender, sizeof(msg->sender));
	msg->sent_at = parts[0].sent_at;
	msg->incomplete = incomplete;
	if ((msg->text = multipart_text(parts, n)) == NULL)
		return -1;
	if ((msg->locs = calloc(n, sizeof(*msg->locs))) == NULL) {
		free(msg->text);
		return -1;
	}
	/* Several parts may share one location (one file, one entry). */
	for (i = 0; i < n; i++) {
		for (j = 0; j < msg->nlocs; j++)
			if (msg->locs[j].location == parts[i].location &&
			    msg->locs[j].folder == parts[i].folder)
				break;
		if (j < msg->nlocs)
			continue;
		msg->locs[msg->nlocs].folder = parts[i].folder;
		msg->locs[msg->nlocs].location = parts[i].location;
		msg->nlocs++;
	}
	vec->n++;
	return 0;
}

static int
loc_min(const struct multipart_msg *msg)
{
	size_t	 i;
	int	 min = INT32_MAX;

	for (i = 0; i < msg->nlocs; i++)
		if (msg->locs[i].location < min)
			min = msg->locs[i].location;
	return min;
}

/* Oldest first: SMSC time, then where the phone keeps it. */
static int
msg_cmp(const void *a, const void *b)
{
	const struct multipart_msg *ma = a, *mb = b;
	int	 la, lb;

	if (ma->sent_at != mb->sent_at)
		return ma->sent_at < mb->sent_at ? -1 : 1;
	la = loc_min(ma);
	lb = loc_min(mb);
	return la < lb ? -1 : la > lb;
}

/* Where inbox_group() puts the messages of a pass. */
struct inbox {
	struct multipart_timers *timers;
	int		 timeout;
	struct msgvec	 vec;
	int64_t		 now;
	size_t		 held;	/* parts of incomplete messages kept back */
};

/*
 * Whether the incomplete message key has waited long enough; starts its
 * clock when first seen.  One that cannot be timed (no memory for a
 * bigger table) is due at once: answered incomplete, never held on the
 * phone for ever.
 */
static bool
timer_due(struct inbox *in, const char *key)
{
	struct multipart_timers *t = in->timers;
	struct multipart_timer *p;
	size_t		 i, cap;

	for (i = 0; i < t->n; i++) {
		p = &t->v[i];
		if (strcmp(p->key, key) == 0) {
			p->seen = true;
			return in->now - p->first_ms >=
			    (int64_t)in->timeout * 1000;
		}
	}
	if (t->n == t->cap) {
		cap = t->cap == 0 ? TIMERS_MIN : 2 * t->cap;
		if ((p = reallocarray(t->v, cap, sizeof(*p))) == NULL) {
			log_warn("cannot time an incomplete message: "
			    "answering what arrived");
			return true;
		}
		t->v = p;
		t->cap = cap;
	}
	p = &t->v[t->n++];
	snprintf(p->key, sizeof(p->key), "%s", key);
	p->first_ms = in->now;
	p->seen = true;
	return in->timeout <= 0;
}

/*
 * A multipart_fn for inbound messages: complete ones and overdue
 * incomplete ones become messages, the rest wait for their missing
 * parts.
 */
static int
inbox_group(void *arg, const struct multipart_part *parts, size_t n,
    bool complete)
{
	struct inbox	*in = arg;

	if (complete)
		return msg_add(&in->vec, parts, n, false);
	if (timer_due(in, parts[0].key))
		return msg_add(&in->vec, parts, n, true);
	log_debug("holding back %zu of %d parts", n, parts[0].total);
	in->held += n;
	return 0;
}

int
multipart_collect(struct multipart_vec *pv, struct multipart_timers *timers,
    int timeout, int64_t now_ms, struct multipart_msg **msgs, size_t *n,
    size_t *held)
{
	struct inbox	 in;
	size_t		 i, k;

	*msgs = NULL;
	*n = 0;
	*held = 0;
	memset(&in, 0, sizeof(in));
	in.timers = timers;
	in.timeout = timeout;
	in.now = now_ms;
	for (i = 0; i < timers->n; i++)
		timers->v[i].seen = false;
	if (multipart_group(pv, inbox_group, &in) == -1) {
		multipart_msgs_free(in.vec.v, in.vec.n);
		return -1;
	}
	/* Forget incomplete messages that were completed or deleted. */
	for (i = 0, k = 0; i < timers->n; i++)
		if (timers->v[i].seen)
			timers->v[k++] = timers->v[i];
	timers->n = k;
	if (in.vec.n > 1)
		qsort(in.vec.v, in.vec.n, sizeof(*in.vec.v), msg_cmp);
	*msgs = in.vec.v;
	*n = in.vec.n;
	*held = in.held;
	return 0;
}

void
multipart_timers_free(struct multipart_timers *t)
{
	free(t->v);
	memset(t, 0, sizeof(*t));
}

void
multipart_msgs_free(struct multipart_msg *msgs, size_t n)
{
	size_t	 i;

	if (msgs == NULL)
		return;
	for (i = 0; i < n; i++) {
		free(msgs[i].text);
		free(msgs[i].locs);
	}
	free(msgs);
}
