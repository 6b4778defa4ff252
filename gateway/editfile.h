/*
 * editfile.h - the files NGO staff edit (DIR/topics/, DIR/lists/): how
 * one is read, how a folder of them is listed, and how a problem in one
 * is reported (file and line, in words an editor can act on).  Below
 * both parsers, content.c and lists.c, so neither includes the other's
 * helpers.  No parsing here.
 */
#ifndef HABAR_EDITFILE_H
#define HABAR_EDITFILE_H

#include <stddef.h>
#include <time.h>

#include "charset.h"

enum editfile_severity {
	EDITFILE_ERROR,
	EDITFILE_WARNING
};

/*
 * Called once per problem found; file and line name where (line 0: the
 * file as a whole).  The message is plain words an editor understands.
 */
typedef void editfile_diag_fn(void *arg, enum editfile_severity severity,
    const char *file, int line, const char *msg);

/* A text file an editor wrote, as editfile_read() reads it. */
struct editfile {
	char	*data;		/* all of it, NUL added; the caller frees */
	size_t	 len;
	time_t	 mtime;		/* when it was last changed */
	int	 line;		/* the line why is about, or 0: the file */
	char	 why[CHARSET_MAX_ADVICE];	/* why it was not read */
};

/*
 * Read all of the UTF-8 file at path, at most max bytes, into f.
 * Only a regular file is read: a symbolic link is not followed, and a
 * FIFO or device is refused without blocking ("not a regular file").
 * Returns 0; -1 with why it cannot be read, or why it is not UTF-8 and
 * how to save it so (charset_check()), in f->why and f->line; -2 when
 * memory runs out.
 */
int		 editfile_read(const char *path, size_t max, struct editfile *f);

/*
 * True if a file of this name is one editors keep in a content folder:
 * a *.txt name not starting with a dot (editor backups are not).
 */
int		 editfile_is_text(const char *name);

/*
 * The names in folder path for which is_file holds, sorted, into *names
 * (NULL when none) and *n; free them with editfile_names_free().
 * Returns 0; -1 when the folder cannot be opened (errno says why); -2
 * when memory runs out.
 */
int		 editfile_list_dir(const char *path,
		    int (*is_file)(const char *), char ***names, size_t *n);
void		 editfile_names_free(char **names, size_t n);

/*
 * For the parsers of topics and lists: a value quoted back in a
 * message, at most EDITFILE_QUOTE_MAX bytes of s cut at a character
 * boundary, "..." after a cut (dst holds EDITFILE_QUOTE_MAX + 8); and
 * whether s is a valid id (a-z, 0-9, '-', '_', not empty).
 */
#define EDITFILE_QUOTE_MAX	40
/*
 * The row of a parser's table of fields whose name is the len bytes
 * at name, or NULL: rows of rowsize bytes, n of them, each starting
 * with its const char * name.  Fields are found by name, never by
 * their place in the table.
 */
const void	*editfile_field(const void *rows, size_t n, size_t rowsize,
		    const char *name, size_t len);

void		 editfile_quote(char *dst, size_t dstsz, const char *s);
int		 editfile_valid_id(const char *s);

#endif
