/*
 * content.h - the NGO-edited content set, parsed into an immutable tree.
 *
 * One topic a file under DIR/topics/ (*.txt), UTF-8, format in
 * content/README.md.  A content set is loaded whole or not at all: the
 * daemon keeps serving its old set when a new one has errors.
 */
#ifndef HABAR_CONTENT_H
#define HABAR_CONTENT_H

#include <stddef.h>
#include <time.h>

#include "editfile.h"

#define CONTENT_MAX_LANGS	8	/* languages one set may carry */
#define CONTENT_MAX_TEXT	4096	/* bytes in one text, UTF-8 */
#define CONTENT_MAX_KEYWORDS	256	/* keywords in one section */
#define CONTENT_MAX_EXAMPLES	1024	/* examples in one section */
#define CONTENT_MAX_EXAMPLE	1000	/* bytes in one example, UTF-8 */
#define CONTENT_MAX_TITLE	14	/* characters a menu line's title keeps */

/* Special topic ids every content set must have. */
#define CONTENT_MENU	"menu"		/* help: numbered list of topics */
#define CONTENT_UNKNOWN	"unknown"	/* nothing matched */
#define CONTENT_LANG	"lang"		/* switch language */
#define CONTENT_STOP	"stop"		/* forget my session */
#define CONTENT_MORE	"more"		/* its text is the "send MORE" hint */
#define CONTENT_CHOOSE	"choose"	/* optional: the question back when
					 * unsure, a numbered list follows */

/*
 * "Check before you go" (lists.h): the how-to and USSD prompt, then the
 * four answers, whose texts may hold {name} and {date} of the entry (in
 * check-similar, of the look-alike listed name).
 */
#define CONTENT_CHECK		"check"
#define CONTENT_CHECK_REPORTED	"check-reported"
#define CONTENT_CHECK_LICENSED	"check-licensed"
#define CONTENT_CHECK_SIMILAR	"check-similar"
#define CONTENT_CHECK_UNKNOWN	"check-unknown"

/* In a text, this placeholder expands to the numbered menu. */
#define CONTENT_MENU_PLACEHOLDER "{menu}"

/* A keyword, or an example (a whole message, as people write it). */
struct keyword {
	char	*text;		/* as the editor wrote it, UTF-8 */
	int	 line;		/* line in the topic's file */
};

struct topic_text {
	int		 present;	/* the [lang] section exists */
	int		 line;		/* line of the [lang] header */
	char		*title;		/* NULL when absent */
	struct keyword	*keywords;
	size_t		 nkeywords;
	struct keyword	*examples;	/* "example:" lines, for learning */
	size_t		 nexamples;
	char		*text;		/* body; lines joined with '\n' */
	int		 text_line;	/* line of "text:" */
	char		*text_latin;	/* explicit GSM-7 form, or NULL */
	int		 text_latin_line;
	int		 review;	/* CONTENT_REVIEW_* */
	int		 review_line;	/* line of "review:", or 0 */
};

/* "review:" of a language section: has a native speaker checked it? */
#define CONTENT_REVIEW_NONE	0	/* no "review:" line */
#define CONTENT_REVIEW_PENDING	1	/* "review: pending" */
#define CONTENT_REVIEW_DONE	2	/* "review: done ..." */

struct topic {
	char			*id;
	int			 id_line;
	char			*file;		/* path as opened */
	time_t			 mtime;		/* when it was last changed */
	int			 menu;		/* position, 0: not in menu */
	int			 menu_line;
	char			*parent;	/* id of its sub-menu, or NULL */
	int			 parent_line;
	char			*verified;	/* YYYY-MM-DD, or NULL */
	int			 verified_line;
	char			*source;	/* or NULL */
	int			 source_line;
	struct topic_text	 text[CONTENT_MAX_LANGS]; /* by language index */
};

struct lists;
struct content_memo;

struct content {
	char		*langs[CONTENT_MAX_LANGS];	/* "kk", "ru", ... */
	size_t		 nlangs;
	struct topic	*topics;	/* sorted by id */
	size_t		 ntopics;
	struct lists	*lists;		/* DIR/lists, never NULL when loaded */
	char		 version[17];	/* hex hash of every file read */
	struct content_memo *memo;	/* see content_memo_get() */
};

/*
 * Parse every topic file under dir/topics for the given languages (codes
 * copied), and the lists under dir/lists (lists.h), if any.  Every
 * problem is reported through diag (may be NULL); returns NULL if any
 * was an error, else the new set, which the caller frees with
 * content_free().
 */
struct content	*content_load(const char *dir,	/* content directory */
		    const char *const *langs,	/* language codes */
		    size_t nlangs,		/* how many */
		    editfile_diag_fn *diag,	/* problem sink, or NULL */
		    void *arg)			/* passed to diag */
		    __attribute__((warn_unused_result));

/*
 * content_load(), and the nlists list files at lists besides those
 * under dir/lists: the configuration's content.extra_lists.
 */
struct content	*content_load_with(const char *dir,
		    const char *const *langs, size_t nlangs,
		    const char *const *lists,	/* more list files */
		    size_t nlists,		/* how many */
		    editfile_diag_fn *diag, void *arg)
		    __attribute__((warn_unused_result));

/*
 * For the linter: like content_load_with(), but the set comes back even
 * when it has errors, so checks that need the whole set (keyword
 * collisions, SMS cost) can run too; *nerrors counts the errors.  Topics without an
 * id are left out.  NULL only when the topics folder cannot be read or
 * memory runs out.  Never serve such a set.
 */
struct content	*content_lint(const char *dir,	/* content directory */
		    const char *const *langs,	/* language codes */
		    size_t nlangs,		/* how many */
		    const char *const *lists,	/* more list files */
		    size_t nlists,		/* how many */
		    editfile_diag_fn *diag,	/* problem sink, or NULL */
		    void *arg,			/* passed to diag */
		    int *nerrors)		/* OUT: errors reported */
		    __attribute__((warn_unused_result));

/*
 * True if a file of this name under DIR/topics is part of the set: a
 * *.txt name not starting with a dot (editor backups are not).
 */
int		 content_is_topic_file(const char *name);

/*
 * The special "check" topics against the set's lists: all five there
 * once any is or once the lists have entries, none of the answers in
 * the menu or with keywords.  content_load() runs it; tests may too.
 */
void		 content_check_lists(const struct content *,
		    editfile_diag_fn *diag, void *arg);

/* Index of a language code in the set, or -1. */
int		 content_lang(const struct content *, const char *code);

/* The topic with this id, or NULL.  Borrowed from the set. */
const struct topic *content_topic(const struct content *, const char *id);

/*
 * What is worked out from the set alone (answer.c's rendered texts and
 * replies) is kept beside it: CONTENT_MEMO_SLOTS slots a topic and
 * language, each filled once, by whichever thread first needs it, and
 * released with free() with the set, so a slot holds one allocation.
 * get returns NULL for an empty slot, or always for a set built by hand
 * (no memo).  put takes p and returns what the slot holds: p, or
 * another thread's that came first (p is then freed); NULL, with p
 * freed, for a set without memo.
 */
#define CONTENT_MEMO_SLOTS	4
const void	*content_memo_get(const struct content *, const struct topic *,
		    int lang, int slot);
const void	*content_memo_put(const struct content *, const struct topic *,
		    int lang, int slot, void *p);
/* The set's own slot, for what is worked out from the whole set. */
const void	*content_memo_set_get(const struct content *);
const void	*content_memo_set_put(const struct content *, void *p);

void		 content_free(struct content *);

#endif
