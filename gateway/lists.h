/*
 * lists.h - the NGO-maintained lists behind "check before you go":
 * licensed employment agencies and numbers or names reported in scams,
 * one or more files under DIR/lists/ (*.txt, format in content/README.md).
 * Parsed with the content set and swapped with it; matched by phone
 * number (E.164) or by folded name, with typo tolerance for long names.
 * No I/O beyond reading the list files.
 */
#ifndef HABAR_LISTS_H
#define HABAR_LISTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "editfile.h"

#define LISTS_MAX_NAME		100	/* bytes of a name or an alias */
#define LISTS_MAX_ITEMS		32	/* aliases, or phones, an entry */
#define LISTS_EXPIRES_DEFAULT	365	/* days a reported entry holds */
#define LISTS_TYPO_MIN		6	/* letters a name needs for typos */

enum lists_kind {
	LISTS_LICENSED,		/* a licensed private employment agency */
	LISTS_REPORTED		/* a number or name reported in scams */
};

/* What a check found. */
enum lists_outcome {
	LISTS_UNKNOWN,		/* in no list (or only expired there) */
	LISTS_FOUND_LICENSED,
	LISTS_FOUND_REPORTED,
	LISTS_SIMILAR		/* only a name a few typos away: no match */
};

struct lists_file {
	char		*path;
	char		*verified;	/* YYYY-MM-DD, or NULL */
	int		 verified_line;
	char		*source;	/* or NULL */
	int		 expires;	/* days a reported entry is asserted */
	int		 expires_line;
};

struct lists_entry {
	char			*id;		/* stable: the counter's key */
	enum lists_kind		 kind;
	char			*name;		/* as written */
	char			**aliases;	/* as written */
	size_t			 naliases;
	char			**phones;	/* E.164 */
	size_t			 nphones;
	char			*source;
	char			*date;		/* added or last confirmed */
	long			 day;		/* date in days since 1970 */
	int			 line;		/* of its [entry] line */
	const struct lists_file	*file;		/* borrowed from the set */
	char			**keys;		/* folded name and aliases */
	size_t			 nkeys;
};

struct lists_num {
	char	*e164;			/* borrowed from its entry */
	size_t	 entry;			/* index into entries */
};

struct lists {
	struct lists_file	*files;
	size_t			 nfiles;
	struct lists_entry	*entries;	/* in file order */
	size_t			 nentries;
	struct lists_num	*nums;		/* sorted by e164 */
	size_t			 nnums;
};

/* The result of one check. */
struct lists_match {
	enum lists_outcome	 outcome;
	const struct lists_entry *entry;	/* listed, or NULL */
	bool			 by_number;	/* else by name */
	int			 distance;	/* typos forgiven in the name */
	bool			 expired;	/* found, but too old to assert */
};

/*
 * Parse every list file under dir/lists (none, or no folder: an empty
 * set), then the nextra files at extra (the configuration's
 * content.extra_lists; a file that cannot be read is an error).  Every
 * problem is reported through diag (not NULL), errors and warnings
 * alike, with file and line; entries with errors are left out.  The
 * bytes read are mixed into *hash (FNV-1a) so the content version
 * changes with the lists.  Returns the new set, which the caller frees
 * with lists_free(), or NULL when memory runs out.
 */
struct lists	*lists_load(const char *dir,		/* content directory */
		    const char *const *extra,		/* more list files */
		    size_t nextra,			/* how many */
		    editfile_diag_fn *diag,		/* problem sink */
		    void *arg,				/* passed to diag */
		    uint64_t *hash)			/* IN/OUT */
		    __attribute__((warn_unused_result));

/*
 * Checks across the files of a set of lists: unique entry ids, numbers
 * and names in two entries, numbers from the ranges kept for fiction.
 * s may be NULL (nothing to check).  content_check_lists() checks the
 * topics the lists need.
 */
void		 lists_check(const struct lists *, editfile_diag_fn *diag,
		    void *arg);

/*
 * For the linter, on day today (days since 1970): reported entries too
 * old to be asserted any more, lists not verified within their expiry.
 */
void		 lists_lint(const struct lists *, long today,
		    editfile_diag_fn *diag, void *arg);

/*
 * Check query (UTF-8, what the sender wrote after the command) against
 * the lists on day today: a phone number anywhere in it is looked up as
 * E.164, else the whole of it as a name (folded, legal forms such as
 * ТОО/LLP ignored; 1 typo forgiven from LISTS_TYPO_MIN letters, 2 from
 * 10).  An exact match beats a typo, a reported entry beats a licensed
 * one.  Only an exact entry is vouched for: a number that matches, or a
 * name that matches once folded; a name found only within the typo
 * tolerance gives LISTS_SIMILAR with m->entry the look-alike (scammers
 * copy real names one letter off).  A reported entry older than its
 * list's "expires:" is found but not asserted: the outcome is
 * LISTS_UNKNOWN and m->expired is set.  Fills *m; returns 0.  s may be
 * NULL (no lists).
 */
int		 lists_find(const struct lists *s, const char *query,
		    long today, struct lists_match *m);

/*
 * True if the whole of msg is one phone number (what a bare check
 * looks like), its E.164 form into e164 (PHONE_MAX bytes).
 */
bool		 lists_is_number(const char *msg, char *e164, size_t e164sz);

/*
 * True if a file of this name under DIR/lists is one lists_load()
 * reads: editfile_is_text(), the rule topics have too, so an
 * editor's backup or dot file is never a list.
 */
int		 lists_is_list_file(const char *name);

/* "reported", "licensed", "similar" or "unknown": the demand log's match. */
const char	*lists_outcome_name(enum lists_outcome);
const char	*lists_kind_name(enum lists_kind);	/* "licensed", ... */

/* Days since 1970-01-01 of a valid YYYY-MM-DD, or -1. */
long		 lists_days(const char *date);

/* The entry with this id, or NULL.  Borrowed from the set. */
const struct lists_entry *lists_entry(const struct lists *, const char *id);

void		 lists_free(struct lists *);

#endif
