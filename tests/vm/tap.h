/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Minimal TAP output for the memlayout guest tests: "ok N - what" or
 * "not ok N - what", followed on failure by the "# " diagnostics gathered
 * since the previous result (expected vs got). Single-threaded use only:
 * worker threads report counts and the main thread calls tap().
 */
#ifndef MEMLAYOUT_TAP_H
#define MEMLAYOUT_TAP_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static unsigned int tap_num, tap_failed, tap_skipped;
static char tap_diag_buf[32768];
static size_t tap_diag_len;

/* Queue one diagnostic line for the next result (shown only on failure). */
__attribute__((format(printf, 1, 2)))
static void diag(const char *fmt, ...)
{
	size_t room = sizeof(tap_diag_buf) - tap_diag_len;
	va_list ap;
	int n;

	if (room < 4)
		return;
	memcpy(tap_diag_buf + tap_diag_len, "# ", 2);
	tap_diag_len += 2;
	room -= 2;
	va_start(ap, fmt);
	n = vsnprintf(tap_diag_buf + tap_diag_len, room - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if ((size_t)n > room - 2)
		n = (int)(room - 2);
	tap_diag_len += (size_t)n;
	tap_diag_buf[tap_diag_len++] = '\n';
	tap_diag_buf[tap_diag_len] = '\0';
}

/* Print a comment line now. */
__attribute__((format(printf, 1, 2)))
static void note(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

static void tap_vline(bool ok, const char *directive, const char *fmt,
		      va_list ap)
{
	tap_num++;
	printf("%sok %u - ", ok ? "" : "not ", tap_num);
	vprintf(fmt, ap);
	if (directive)
		printf(" # %s", directive);
	putchar('\n');
	if (!ok) {
		tap_failed++;
		fputs(tap_diag_buf, stdout);
	}
	tap_diag_len = 0;
	tap_diag_buf[0] = '\0';
	fflush(stdout);
}

/* One result; returns @ok. */
__attribute__((format(printf, 2, 3)))
static bool tap(bool ok, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tap_vline(ok, NULL, fmt, ap);
	va_end(ap);
	return ok;
}

/* A check that cannot run here: counts as passed. */
__attribute__((format(printf, 2, 3)))
static void tap_skip(const char *why, const char *fmt, ...)
{
	char directive[256];
	va_list ap;

	snprintf(directive, sizeof(directive), "SKIP %s", why);
	tap_skipped++;
	va_start(ap, fmt);
	tap_vline(true, directive, fmt, ap);
	va_end(ap);
}

#endif /* MEMLAYOUT_TAP_H */
