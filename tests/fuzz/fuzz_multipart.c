/*
 * fuzz_multipart.c - libFuzzer target: multipart reassembly as
 * modem_poll() does it, through multipart.c with no libGammu: phone
 * entries made from the input, concatenation headers read by our own
 * bounds, the grouping of parts by sender, reference and count, the
 * timers of incomplete messages, UTF-16 to UTF-8.
 *
 * The input, entry after entry (a byte past the end reads as 0): flags
 * (bits 7-6 both set: 1 + bits 1-0 parts in the entry, else one; bits
 * 3-2 the sender), then per part: a day, the UDH length and its bytes,
 * the coding (bit 0: 8-bit, no text; else bit 1: GSM-7, else UCS-2),
 * the text's units (mod 651) and its bytes, as libGammu's buffer holds
 * it (a zero unit ends it).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "multipart.h"

#define ENTRIES_MAX	64	/* as modem.c's POLL_MAX */
#define PART_UNITS	650	/* GSM_MAX_SMS_LENGTH */
#define UDH_MAX		140	/* GSM_MAX_UDH_LENGTH */

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Take the next byte of the input, 0 when it ran out. */
static unsigned char
fz_byte(const unsigned char **p, const unsigned char *end)
{
	return *p < end ? *(*p)++ : 0;
}

/* Part j of entry ne into *part, from the input at *p.  0 or -1. */
static int
fz_part(struct multipart_part *part, const unsigned char **p,
    const unsigned char *end, const char *sender, size_t ne, size_t j)
{
	unsigned char	 udh[UDH_MAX], text[2 * PART_UNITS];
	size_t		 i, k, units, len;

	k = fz_byte(p, end) % 28;	/* the day */
	k = fz_byte(p, end) % (UDH_MAX + 1);
	for (i = 0; i < k; i++)
		udh[i] = fz_byte(p, end);
	multipart_part_init(part, sender, udh, k);
	part->folder = 1;
	part->location = (int)(1 + ne * 4 + j);
	part->sent_at = 0;
	k = fz_byte(p, end);
	part->ucs2 = (k & 3) == 0;
	units = fz_byte(p, end) % (PART_UNITS + 1);
	memset(text, 0, sizeof(text));
	for (i = 0; i < 2 * units && *p < end; i++)
		text[i] = fz_byte(p, end);
	if (k & 1)
		return 0;	/* 8-bit: no text */
	for (len = 0; len < units; len++)
		if (text[2 * len] == 0 && text[2 * len + 1] == 0)
			break;
	if (len == 0)
		return 0;
	if ((part->text = malloc(2 * len)) == NULL)
		return -1;
	memcpy(part->text, text, 2 * len);
	part->units = len;
	return 0;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	log_init(1, LOG_LEVEL_WARN, NULL);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const senders[] = {
		"+77011234567", "+77019876543", "BEELINE", "1414"
	};
	struct multipart_part parts[4];
	struct multipart_vec pv;
	struct multipart_timers timers;
	struct multipart_msg *msgs;
	const unsigned char *p = data, *end = data + size;
	size_t		 n, i, j, np, held;
	unsigned char	 flags;
	int		 rc = 0;

	memset(&pv, 0, sizeof(pv));
	memset(&timers, 0, sizeof(timers));
	while (rc == 0 && p < end && pv.entries < ENTRIES_MAX) {
		flags = fz_byte(&p, end);
		/* Mostly one part an entry, as phones store them. */
		np = (flags & 0xc0) == 0xc0 ? 1 + (flags & 3) : 1;
		for (j = 0; j < np; j++)
			if (fz_part(&parts[j], &p, end,
			    senders[(flags >> 2) & 3], pv.entries, j) == -1)
				break;
		if (j < np) {
			while (j-- > 0)
				free(parts[j].text);
			rc = -1;
		} else
			rc = multipart_add(&pv, parts, np);
	}
	/* Every incomplete message is due. */
	if (rc == 0)
		rc = multipart_collect(&pv, &timers, 0, 0, &msgs, &n, &held);
	multipart_vec_free(&pv);
	multipart_timers_free(&timers);
	if (rc == -1)
		return 0;
	for (i = 0; i < n; i++) {
		/* Every message is whole UTF-8 and names real places. */
		if (msgs[i].text == NULL || msgs[i].nlocs == 0 ||
		    msgs[i].nlocs > MULTIPART_MAX_LOCS)
			__builtin_trap();
		(void)strlen(msgs[i].text);
		for (j = 0; j < msgs[i].nlocs; j++)
			if (msgs[i].locs[j].location < 1)
				__builtin_trap();
	}
	multipart_msgs_free(msgs, n);
	return 0;
}
