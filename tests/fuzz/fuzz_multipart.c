/*
 * fuzz_multipart.c - libFuzzer target: multipart reassembly as
 * modem_poll() does it, through modem_reassemble(): concatenation
 * headers decoded by libGammu and read again by our own bounds, the
 * grouping of parts by sender, reference and count, UTF-16 to UTF-8.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "log.h"
#include "modem.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

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
	struct modem_msg *msgs;
	size_t		 n, i, j;

	if (modem_reassemble(data, size, &msgs, &n) == -1)
		return 0;
	for (i = 0; i < n; i++) {
		/* Every message is whole UTF-8 and names real places. */
		if (msgs[i].text == NULL || msgs[i].nlocs == 0 ||
		    msgs[i].nlocs > MODEM_MAX_LOCS)
			__builtin_trap();
		(void)strlen(msgs[i].text);
		for (j = 0; j < msgs[i].nlocs; j++)
			if (msgs[i].locs[j].location < 1)
				__builtin_trap();
	}
	modem_msgs_free(msgs, n);
	return 0;
}
