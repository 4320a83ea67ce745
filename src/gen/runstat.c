/*
 * runstat.c - run a command, report its wall time and peak memory:
 *
 *   runstat [-o OUTFILE] [-i INFILE] CMD ARG...
 *
 * prints "SECONDS MAXRSS_KB" on stderr (stdout of CMD goes to OUTFILE or
 * /dev/null, stdin comes from INFILE or /dev/null).  Exit status: CMD's.
 * Used by the benchmark so that it needs no GNU time.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	const char *out = "/dev/null", *in = "/dev/null";
	int i = 1;
	for (; i + 1 < argc && argv[i][0] == '-'; i += 2) {
		if (!strcmp(argv[i], "-o"))
			out = argv[i + 1];
		else if (!strcmp(argv[i], "-i"))
			in = argv[i + 1];
		else
			break;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: runstat [-o OUT] [-i IN] CMD ARG...\n");
		return 2;
	}
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid_t pid = fork();
	if (pid == 0) {
		int fo = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0666);
		int fi = open(in, O_RDONLY);
		if (fo < 0 || fi < 0)
			_exit(127);
		dup2(fo, 1);
		dup2(fi, 0);
		execvp(argv[i], argv + i);
		_exit(127);
	}
	int status;
	struct rusage ru;
	if (pid < 0 || wait4(pid, &status, 0, &ru) < 0)
		return 1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double secs = (double)(t1.tv_sec - t0.tv_sec) +
	              (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	fprintf(stderr, "%.4f %ld\n", secs, ru.ru_maxrss);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
