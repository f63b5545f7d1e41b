/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The replay driver the fuzz targets share (built with -DFZ_*_REPLAY):
 * "replay [-e EXPECT] FILE...": each file in a child process, which
 * exits 0 when its outcome is the expected one; prints
 * "replay: N files, P passed, F failed" and exits non-zero on a failure.
 */
#ifndef _FZ_REPLAY_H
#define _FZ_REPLAY_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/*
 * @expect_file receives the EXPECT file named by -e (else it is left as
 * it is); @one replays one file and returns its exit status.
 */
static int fz_replay_main(int argc, char **argv, const char **expect_file,
			  int (*one)(const char *path))
{
	int i = 1, passed = 0, failed = 0, status;
	pid_t pid;

	if (argc > 2 && !strcmp(argv[1], "-e")) {
		*expect_file = argv[2];
		i = 3;
	}
	for (; i < argc; i++) {
		fflush(NULL);
		pid = fork();
		if (pid == 0)
			exit(one(argv[i]));
		if (pid < 0 || waitpid(pid, &status, 0) != pid ||
		    !WIFEXITED(status) || WEXITSTATUS(status)) {
			fprintf(stderr, "FAIL %s\n", argv[i]);
			failed++;
		} else {
			passed++;
		}
	}
	printf("replay: %d files, %d passed, %d failed\n", passed + failed,
	       passed, failed);
	return failed ? 1 : 0;
}

#endif /* _FZ_REPLAY_H */
