/*
 * eval.h - how well the router understands: "habar eval FILE" scores a
 * query set, and "habar lint" cross-validates the classifier on the
 * content's own examples.
 */
#ifndef HABAR_EVAL_H
#define HABAR_EVAL_H

#include <stdio.h>

#include "content.h"
#include "route.h"

/*
 * Route every line of in ("query<TAB>acceptable topic ids, comma-
 * separated<TAB>expected language or *", '#' lines skipped) and print
 * to out right / asked back / wrong / unknown, by expected language,
 * and the pairs most often confused.  Returns 0, 1 when a line is
 * malformed (said on stderr with its number), -1 out of memory.
 */
int	 eval_file(const struct content *, const struct route *, FILE *in,
	    FILE *out);

/*
 * K-fold cross-validation of the classifier on each topic's examples
 * (keywords always train): the share of each topic's examples that a
 * model trained without them puts on the topic, and the pairs most
 * often confused, printed to out.  Topics without examples are left
 * out.  Returns 0, or -1 (training failed or out of memory).
 */
int	 eval_crossval(const struct content *, int folds, FILE *out);

#endif
