// SPDX-License-Identifier: GPL-2.0
/*
 * replay: run fuzz_core.c's check over input files, without libFuzzer.
 *
 *   replay [-v] [-k] [-e EXPECT]... FILE...
 *
 * Each file goes through the same differential check as under libFuzzer
 * (a disagreement between core and model aborts). With -e, each file's
 * outcome is also compared with the hand-written expectation of the line
 * named after the file in EXPECT (see fuzz/README.md), which checks the
 * model itself against SPEC and the KUnit tables. With -k, each file runs
 * in a child process, so a file that aborts does not stop the others.
 * -v prints "ok FILE" for each file that passes.
 *
 * Prints "replay: N files, P passed, F failed"; exit status 0 if every
 * file ran and met its expectation, else 1.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fuzz_core.h"

#define MAX_TOKENS	64

struct expect {
	char *name;
	char *tok[MAX_TOKENS];
	int nr_tok;
	int used;
};

static struct expect *exps;
static int nr_exps;
static int verbose;

static const char * const errnos[] = {
	[EINVAL] = "EINVAL", [EEXIST] = "EEXIST", [EOVERFLOW] = "EOVERFLOW",
	[E2BIG] = "E2BIG", [ENOMEM] = "ENOMEM",
};

static const char * const rules[] = {
	"NONE", "BAD_SIZE", "BAD_RANGE", "BAD_ORDER", "OVERLAP", "NO_RAM",
	"TOO_LARGE", "VTL2_BELOW_RAM", "TOO_MANY",
};

static const char * const lists[] = {
	"NONE", "RAM", "MMIO", "PCI_ECAM", "PCI_MMIO", "VTL2", "NODES",
};

#define N(a)	(int)(sizeof(a) / sizeof((a)[0]))

static void load(const char *path)
{
	char line[16384];
	FILE *f = fopen(path, "r");

	if (!f) {
		perror(path);
		exit(2);
	}
	while (fgets(line, sizeof(line), f)) {
		struct expect *e;
		char *t, *save;

		t = strtok_r(line, " \t\n", &save);
		if (!t || *t == '#')
			continue;
		exps = realloc(exps, (nr_exps + 1) * sizeof(*exps));
		e = &exps[nr_exps++];
		memset(e, 0, sizeof(*e));
		e->name = strdup(t);
		while ((t = strtok_r(NULL, " \t\n", &save)) && e->nr_tok < MAX_TOKENS)
			e->tok[e->nr_tok++] = strdup(t);
	}
	fclose(f);
}

static struct expect *find(const char *path)
{
	const char *base = strrchr(path, '/');
	int i;

	base = base ? base + 1 : path;
	for (i = 0; i < nr_exps; i++)
		if (!strcmp(exps[i].name, base))
			return &exps[i];
	return NULL;
}

static int lookup(const char * const *names, int n, const char *s)
{
	int i;

	for (i = 0; i < n; i++)
		if (names[i] && !strcmp(names[i], s))
			return i;
	return -1;
}

static unsigned long long num(const char *s)
{
	return strtoull(s, NULL, 0);
}

static int fails;

static void __attribute__((format(printf, 2, 3)))
bad(const char *file, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "FAIL %s: ", file);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	fails++;
}

#define CHECK(file, what, got, want) do {				\
	unsigned long long __g = (got), __w = (want);			\
									\
	if (__g != __w)							\
		bad(file, "%s is %#llx, expected %#llx", what, __g, __w); \
} while (0)

/* An optional value: "none" or a number. */
static void check_opt(const char *file, const char *what, bool has,
		      unsigned long long v, const char *want)
{
	if (!strcmp(want, "none")) {
		if (has)
			bad(file, "%s is %#llx, expected none", what, v);
		return;
	}
	if (!has)
		bad(file, "%s is absent, expected %#llx", what, num(want));
	else
		CHECK(file, what, v, num(want));
}

/* "ram=s-e[/v],..." */
static void check_ram(const char *file, const char *spec)
{
	const struct fz_summary *s = &fz_last;
	char *copy = strdup(spec), *t, *save;
	unsigned int i = 0;

	for (t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save), i++) {
		unsigned long long start, end, vnode = 0;
		char *p;

		start = strtoull(t, &p, 0);
		end = strtoull(p + 1, &p, 0);
		if (*p == '/')
			vnode = strtoull(p + 1, NULL, 0);
		if (i >= FZ_SUMMARY_RAM || i >= s->count[MEMLAYOUT_LIST_RAM]) {
			bad(file, "ram range %u missing (have %u)", i,
			    s->count[MEMLAYOUT_LIST_RAM]);
			break;
		}
		CHECK(file, "ram start", s->ram[i].start, start);
		CHECK(file, "ram end", s->ram[i].end, end);
		CHECK(file, "ram vnode", s->ram[i].vnode, vnode);
	}
	if (i != s->count[MEMLAYOUT_LIST_RAM])
		bad(file, "ram count %u, expected %u",
		    s->count[MEMLAYOUT_LIST_RAM], i);
	free(copy);
}

static void check(const char *file, const struct expect *e)
{
	const struct fz_summary *s = &fz_last;
	int i = 0, want_errno, v;

	if (!e->nr_tok) {
		bad(file, "empty expectation");
		return;
	}
	want_errno = strcmp(e->tok[0], "0") ?
		     lookup(errnos, N(errnos), e->tok[0]) : 0;
	if (want_errno < 0) {
		bad(file, "bad errno %s", e->tok[0]);
		return;
	}
	CHECK(file, "-errno", -s->ret, want_errno);
	i = 1;
	if (want_errno) {
		if (e->nr_tok < 6) {
			bad(file, "short error");
			return;
		}
		v = lookup(rules, N(rules), e->tok[1]);
		CHECK(file, "rule", s->err.rule, v);
		v = lookup(lists, N(lists), e->tok[2]);
		CHECK(file, "list", s->err.list, v);
		CHECK(file, "index", s->err.index, num(e->tok[3]));
		v = lookup(lists, N(lists), e->tok[4]);
		CHECK(file, "other_list", s->err.other_list, v);
		CHECK(file, "other_index", s->err.other_index, num(e->tok[5]));
		i = 6;
	}
	for (; i < e->nr_tok; i++) {
		char *key = e->tok[i], *val = strchr(key, '=');

		if (!val) {
			bad(file, "bad token %s", key);
			continue;
		}
		val++;
		if (!strncmp(key, "size=", 5))
			CHECK(file, "Q2 ram_size", s->ram_size, num(val));
		else if (!strncmp(key, "eor=", 4))
			CHECK(file, "Q3 end_of_ram", s->end_of_ram, num(val));
		else if (!strncmp(key, "below=", 6))
			CHECK(file, "Q4 below", s->below, num(val));
		else if (!strncmp(key, "above=", 6))
			CHECK(file, "Q5 above", s->above, num(val));
		else if (!strncmp(key, "max4g=", 6))
			check_opt(file, "Q6 max_ram_below_4gb", s->has_max4g, s->max4g, val);
		else if (!strncmp(key, "high=", 5))
			check_opt(file, "Q7 ram_above_high_mmio", s->has_high, s->high, val);
		else if (!strncmp(key, "eol=", 4))
			CHECK(file, "Q8 end_of_layout", s->eol, num(val));
		else if (!strncmp(key, "nram=", 5))
			CHECK(file, "ram count", s->count[MEMLAYOUT_LIST_RAM], num(val));
		else if (!strncmp(key, "nmmio=", 6))
			CHECK(file, "mmio count", s->count[MEMLAYOUT_LIST_MMIO], num(val));
		else if (!strncmp(key, "necam=", 6))
			CHECK(file, "pci_ecam count", s->count[MEMLAYOUT_LIST_PCI_ECAM], num(val));
		else if (!strncmp(key, "npmmio=", 7))
			CHECK(file, "pci_mmio count", s->count[MEMLAYOUT_LIST_PCI_MMIO], num(val));
		else if (!strncmp(key, "vtl2=", 5))
			check_opt(file, "vtl2 start", s->count[MEMLAYOUT_LIST_VTL2],
				  s->vtl2_start, val);
		else if (!strncmp(key, "ram=", 4))
			check_ram(file, val);
		else
			bad(file, "unknown key %s", key);
	}
}

static unsigned char *slurp(const char *path, size_t *size)
{
	unsigned char *buf = NULL;
	size_t cap = 0, n = 0, r;
	FILE *f = fopen(path, "rb");

	if (!f) {
		perror(path);
		exit(2);
	}
	do {
		if (n == cap) {
			cap = cap ? 2 * cap : 4096;
			buf = realloc(buf, cap);
		}
		r = fread(buf + n, 1, cap - n, f);
		n += r;
	} while (r);
	fclose(f);
	*size = n;
	return buf;
}

/* Present when built with gcc --coverage (scripts/coverage.sh). */
extern void __gcov_dump(void) __attribute__((weak));

/* A mismatch aborts; keep the coverage of the input that found it. */
static void on_abort(int sig)
{
	if (__gcov_dump)
		__gcov_dump();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Run one input and check its expectation; returns the failures. */
static int run_one(const char *path)
{
	int before = fails;
	unsigned char *data;
	struct expect *e;
	size_t size;

	data = slurp(path, &size);
	LLVMFuzzerTestOneInput(data, size);
	free(data);
	if (nr_exps) {
		e = find(path);
		if (!e) {
			fprintf(stderr, "FAIL %s: no expectation\n", path);
			fails++;
		} else {
			check(path, e);
		}
	}
	return fails - before;
}

/* -k: each input in a child, so that one failure does not stop the rest. */
static int run_forked(const char *path)
{
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		perror("fork");
		exit(2);
	}
	if (!pid)
		exit(run_one(path) ? 1 : 0);
	if (waitpid(pid, &status, 0) < 0) {
		perror("waitpid");
		exit(2);
	}
	if (WIFEXITED(status) && !WEXITSTATUS(status))
		return 0;
	if (WIFSIGNALED(status))
		fprintf(stderr, "FAIL %s: killed by signal %d (mismatch or sanitizer report above)\n",
			path, WTERMSIG(status));
	return 1;
}

int main(int argc, char **argv)
{
	int i, files = 0, failed = 0, keep_going = 0;

	signal(SIGABRT, on_abort);
	for (i = 1; i < argc; i++) {
		int bad;

		if (!strcmp(argv[i], "-v")) {
			verbose = 1;
			continue;
		}
		if (!strcmp(argv[i], "-k")) {
			keep_going = 1;
			continue;
		}
		if (!strcmp(argv[i], "-e") && i + 1 < argc) {
			load(argv[++i]);
			continue;
		}
		bad = keep_going ? run_forked(argv[i]) : run_one(argv[i]);
		files++;
		if (bad)
			failed++;
		else if (verbose)
			printf("ok %s\n", argv[i]);
	}
	printf("replay: %d files, %d passed, %d failed\n", files, files - failed,
	       failed);
	return failed ? 1 : 0;
}
