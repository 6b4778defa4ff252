/*
 * fuzz_http.c - libFuzzer target: the HTTP channel as deployed, in one
 * process: libmicrohttpd's thread with habar's handlers, on no socket;
 * each input becomes one request over a socketpair handed to it with
 * http_add_connection().  The input is NUL-separated fields: method,
 * URL, Content-Type, extra header line, body; the harness adds the
 * framing (Host, Content-Length, Connection: close) so the handlers,
 * not the framing, take the hits.  The endpoints answer from the
 * shipped content and log to a scratch database, as in production.
 */
#include <sys/socket.h>

#include <errno.h>
#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "content.h"
#include "http.h"
#include "log.h"
#include "route.h"

#define NFIELDS		5
#define MAX_IN		8192

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct http	*h;
static struct conf	*conf;		/* kept for the process's life */
static struct content	*c;
static struct route	*r;
static char		 req[MAX_IN + 1024];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char *const langs[] = { "kk", "ru" };
	static char	 dir[512];
	struct route_opts opts;
	const char	*cdir = getenv("HABAR_CONTENT");
	char		 path[600];
	FILE		*fp;

	(void)argc;
	(void)argv;
	log_init(1, LOG_LEVEL_WARN, NULL);
	/* Under TMPDIR: run.sh points it at a folder it removes. */
	snprintf(dir, sizeof(dir), "%s/fuzz_http.XXXXXX",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(dir) == NULL)
		abort();
	snprintf(path, sizeof(path), "%s/habar.conf", dir);
	if ((fp = fopen(path, "w")) == NULL)
		abort();
	/* Every other request carries the token. */
	fprintf(fp, "content_dir = \"%s\";\n"
	    "database = \"%s/habar.db\";\n"
	    "languages = [\"kk\", \"ru\"];\n"
	    "default_language = \"ru\";\n"
	    "pseudonym = { key_dir = \"%s/keys\"; };\n"
	    "http = { token = \"fuzz-token\"; max_request = 1024; };\n"
	    "guard = { replies = 3; };\n",
	    cdir != NULL ? cdir : "content", dir, dir);
	fclose(fp);
	if ((conf = conf_load(path)) == NULL)
		abort();
	c = content_load(conf->content_dir, langs, 2, NULL, NULL);
	if (c == NULL)
		abort();
	memset(&opts, 0, sizeof(opts));
	opts.default_lang = content_lang(c, "ru");
	opts.first_words = 8;
	if ((r = route_new(c, &opts, NULL, NULL)) == NULL)
		abort();
	if ((h = http_start_unbound(conf, PSEUDO_WEEK, c, r)) == NULL)
		abort();
	/* c, r and conf live as long as the process. */
	return 0;
}

/* The next NUL-separated field of the input, or "". */
static const char *
field(const uint8_t **p, const uint8_t *end, size_t *len)
{
	const uint8_t	*start = *p, *z;

	if (*p >= end) {
		*len = 0;
		return "";
	}
	if ((z = memchr(*p, '\0', end - *p)) == NULL)
		z = end;
	*len = z - start;
	*p = z < end ? z + 1 : end;
	return (const char *)start;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t	*p = data, *end = data + size;
	const char	*f[NFIELDS];
	size_t		 fl[NFIELDS], len = 0, i;
	struct pollfd	 pfd;
	char		 buf[4096];
	ssize_t		 nr;
	int		 sv[2], w;

	if (size > MAX_IN)
		return 0;
	for (i = 0; i < NFIELDS; i++)
		f[i] = field(&p, end, &fl[i]);
	w = snprintf(req, sizeof(req), "%.*s %.*s HTTP/1.1\r\nHost: x\r\n",
	    (int)(fl[0] ? fl[0] : 4), fl[0] ? f[0] : "POST",
	    (int)(fl[1] ? fl[1] : 5), fl[1] ? f[1] : "/ussd");
	len = (size_t)w;
	if (fl[2] > 0)
		len += snprintf(req + len, sizeof(req) - len,
		    "Content-Type: %.*s\r\n", (int)fl[2], f[2]);
	if (fl[3] > 0)
		len += snprintf(req + len, sizeof(req) - len, "%.*s\r\n",
		    (int)fl[3], f[3]);
	if (size & 1)
		len += snprintf(req + len, sizeof(req) - len,
		    "X-Habar-Token: fuzz-token\r\n");
	len += snprintf(req + len, sizeof(req) - len,
	    "Content-Length: %zu\r\nConnection: close\r\n\r\n", fl[4]);
	if (len + fl[4] > sizeof(req))
		return 0;
	memcpy(req + len, f[4], fl[4]);
	len += fl[4];

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == -1)
		return 0;
	if (http_add_connection(h, sv[0]) == -1) {
		close(sv[1]);
		return 0;
	}
	if (write(sv[1], req, len) != (ssize_t)len) {
		close(sv[1]);
		return 0;
	}
	/* Read the answer until libmicrohttpd closes; 2 s at most. */
	pfd.fd = sv[1];
	pfd.events = POLLIN;
	for (;;) {
		if (poll(&pfd, 1, 2000) <= 0)
			break;
		nr = read(sv[1], buf, sizeof(buf));
		if (nr <= 0 && !(nr == -1 && errno == EINTR))
			break;
	}
	close(sv[1]);
	return 0;
}
