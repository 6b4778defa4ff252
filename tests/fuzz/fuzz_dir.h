/*
 * fuzz_dir.h - for the fuzz targets that write their input as files: a
 * scratch content folder under TMPDIR (run.sh points it at a folder it
 * removes) with one sub-folder, emptied before each input.
 */
#ifndef HABAR_FUZZ_DIR_H
#define HABAR_FUZZ_DIR_H

#include <sys/stat.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/*
 * Make TMPDIR/NAME.XXXXXX into dir and its sub-folder sub into path;
 * aborts on failure, as a fuzzer cannot run without them.
 */
static inline void
fuzz_dir_make(char *dir, size_t dirsz, char *path, size_t pathsz,
    const char *name, const char *sub)
{
	snprintf(dir, dirsz, "%s/%s.XXXXXX", getenv("TMPDIR") != NULL ?
	    getenv("TMPDIR") : "/tmp", name);
	if (mkdtemp(dir) == NULL)
		abort();
	snprintf(path, pathsz, "%s/%s", dir, sub);
	if (mkdir(path, 0700) == -1)
		abort();
}

/* Remove the files of folder path (not those starting with a dot). */
static inline void
fuzz_dir_clear(const char *path)
{
	DIR		*d;
	struct dirent	*de;
	char		 p[1024];

	if ((d = opendir(path)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "%s/%s", path, de->d_name);
		unlink(p);
	}
	closedir(d);
}

#endif
