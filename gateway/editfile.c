/*
 * editfile.c - the files NGO staff edit (topics, lists): read whole, as
 * regular files only, and checked to be UTF-8 (charset.c says what a
 * file saved otherwise was saved in); the names of a folder's files;
 * and the small pieces both parsers report problems with.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "editfile.h"
#include "utf8.h"

void
editfile_quote(char *dst, size_t dstsz, const char *s)
{
	size_t	 n = utf8_cut(s, strlen(s), EDITFILE_QUOTE_MAX);

	snprintf(dst, dstsz, "%.*s%s", (int)n, s, n < strlen(s) ? "..." : "");
}

const void *
editfile_field(const void *rows, size_t n, size_t rowsize, const char *name,
    size_t len)
{
	const char	*row = rows, *fname;
	size_t		 i;

	for (i = 0; i < n; i++, row += rowsize) {
		memcpy(&fname, row, sizeof(fname));
		if (strlen(fname) == len && memcmp(fname, name, len) == 0)
			return row;
	}
	return NULL;
}

int
editfile_valid_id(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		    *s == '_' || *s == '-'))
			return 0;
	return 1;
}

int
editfile_read(const char *path, size_t max, struct editfile *f)
{
	struct stat	 st;
	FILE		*fp;
	char		*d;
	size_t		 n;
	int		 fd;

	f->data = NULL;
	f->len = 0;
	f->line = 0;
	f->why[0] = '\0';
	/*
	 * A FIFO must not block the loader (O_NONBLOCK) and a symbolic
	 * link is not followed to a file editors do not own (O_NOFOLLOW):
	 * only a regular file is read.
	 */
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
	    O_CLOEXEC)) == -1) {
		if (errno == ELOOP)
			snprintf(f->why, sizeof(f->why), "not a regular file: "
			    "a symbolic link, not followed");
		else
			snprintf(f->why, sizeof(f->why), "cannot open the "
			    "file: %s", strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == -1) {
		snprintf(f->why, sizeof(f->why), "cannot read the file: %s",
		    strerror(errno));
		close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(f->why, sizeof(f->why), "not a regular file");
		close(fd);
		return -1;
	}
	if ((fp = fdopen(fd, "rb")) == NULL) {
		snprintf(f->why, sizeof(f->why), "cannot read the file: %s",
		    strerror(errno));
		close(fd);
		return -1;
	}
	f->mtime = st.st_mtime;
	if ((uintmax_t)st.st_size > max) {
		snprintf(f->why, sizeof(f->why), "the file is too large: "
		    "%lld bytes, at most %zu", (long long)st.st_size, max);
		fclose(fp);
		return -1;
	}
	if ((d = malloc((size_t)st.st_size + 1)) == NULL) {
		snprintf(f->why, sizeof(f->why), "out of memory");
		fclose(fp);
		return -2;
	}
	n = fread(d, 1, (size_t)st.st_size + 1, fp);
	if (ferror(fp) || n > (size_t)st.st_size) {
		snprintf(f->why, sizeof(f->why), "cannot read the file%s",
		    ferror(fp) ? "" : ": it changed while being read");
		free(d);
		fclose(fp);
		return -1;
	}
	fclose(fp);
	d[n] = '\0';
	/* one message for a file saved in another encoding, no more */
	if (charset_check(d, n, f->why, sizeof(f->why), &f->line) == -1) {
		free(d);
		return -1;
	}
	f->data = d;
	f->len = n;
	return 0;
}

static int
editfile_cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
editfile_is_text(const char *name)
{
	size_t	 n = strlen(name);

	/* dot files: editor backups, macOS "._" resource forks */
	return name[0] != '.' && n > 4 && strcmp(name + n - 4, ".txt") == 0;
}

int
editfile_list_dir(const char *path, int (*is_file)(const char *),
    char ***names, size_t *n)
{
	DIR		*dir;
	struct dirent	*de;
	char		**v = NULL, **nv;
	size_t		 cap = 0;

	*names = NULL;
	*n = 0;
	if ((dir = opendir(path)) == NULL)
		return -1;		/* errno says why */
	while ((de = readdir(dir)) != NULL) {
		if (!is_file(de->d_name))
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 32;
			if ((nv = reallocarray(v, cap, sizeof(*nv))) == NULL)
				goto oom;
			v = nv;
		}
		if ((v[*n] = strdup(de->d_name)) == NULL)
			goto oom;
		(*n)++;
	}
	closedir(dir);
	if (*n > 0)
		qsort(v, *n, sizeof(*v), editfile_cmp_name);
	*names = v;
	return 0;
oom:
	closedir(dir);
	editfile_names_free(v, *n);
	*n = 0;
	return -2;
}

void
editfile_names_free(char **names, size_t n)
{
	while (n > 0)
		free(names[--n]);
	free(names);
}
