// SPDX-License-Identifier: GPL-2.0
/*
 * memlayout_kmemleak: after every other memlayout suite has run, ask
 * kmemleak to scan and require that none of the unreferenced objects it
 * reports was allocated by memlayout. Linked last into memlayout_kunit so
 * it runs last; built only with CONFIG_MEMLAYOUT_KUNIT_KMEMLEAK, in the
 * x86_64 configuration (kunit/kmemleak.kunitconfig): UML has no kmemleak.
 *
 * A canary object is leaked on purpose first, so a scan that finds
 * nothing at all (kmemleak off, report unreadable) fails the test instead
 * of passing it.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mount.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include <memlayout.h>

/* kmemleak only reports objects older than this (mm/kmemleak.c). */
#define LEAK_MIN_AGE_MS		5000
#define LEAK_REPORT_MAX		SZ_1M

static void *leak_canary_ptr;

KUNIT_DEFINE_ACTION_WRAPPER(leak_vfree, vfree, const void *);

/* Allocates an object and forgets it: kmemleak must report this. */
static noinline void memlayout_kmemleak_canary(void)
{
	leak_canary_ptr = kmalloc(64, GFP_KERNEL);
	/* Hide the pointer from the scanner: keep only its complement. */
	leak_canary_ptr = (void *)~(unsigned long)leak_canary_ptr;
}

/**
 * leak_command() - write a command to the kmemleak debugfs file
 * @kmemleak: the open file.
 * @cmd: "scan", "clear", ...
 *
 * Return: bytes written or a negative errno.
 */
static ssize_t leak_command(struct file *kmemleak, const char *cmd)
{
	loff_t pos = 0;

	return kernel_write(kmemleak, cmd, strlen(cmd), &pos);
}

/**
 * leak_report() - read kmemleak's report of unreferenced objects
 * @kmemleak: the open file.
 * @buf: buffer of %LEAK_REPORT_MAX bytes.
 *
 * Return: the bytes read (the report is NUL-terminated in @buf).
 */
static ssize_t leak_report(struct file *kmemleak, char *buf)
{
	ssize_t n, len = 0;
	loff_t pos = 0;

	do {
		n = kernel_read(kmemleak, buf + len, LEAK_REPORT_MAX - 1 - len,
				&pos);
		if (n > 0)
			len += n;
	} while (n > 0 && len < LEAK_REPORT_MAX - 1);
	buf[len] = '\0';
	return n < 0 ? n : len;
}

/**
 * leak_count() - count reported objects by what their backtrace names
 * @report: kmemleak's report.
 * @needle: a substring the block must contain ("" for every block).
 * @ours: if true, count instead the blocks that name memlayout code
 *        ("memlayout" or " ml_") other than the canary.
 *
 * Return: the number of matching "unreferenced object" blocks.
 */
static int leak_count(const char *report, const char *needle, bool ours)
{
	const char *p = report, *next;
	size_t len;
	int n = 0;

	while ((p = strstr(p, "unreferenced object"))) {
		next = strstr(p + 1, "unreferenced object");
		len = next ? next - p : strlen(p);
		if (ours)
			n += (strnstr(p, "memlayout", len) || strnstr(p, " ml_", len)) &&
			     !strnstr(p, "memlayout_kmemleak_canary", len);
		else
			n += !!strnstr(p, needle, len);
		p += 1;
	}
	return n;
}

static void kmemleak_finds_no_memlayout_leak(struct kunit *test)
{
	struct file_system_type *fs;
	struct file *kmemleak;
	struct vfsmount *mnt;
	char *report;
	ssize_t len;

	report = vzalloc(LEAK_REPORT_MAX);
	KUNIT_ASSERT_NOT_NULL(test, report);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, leak_vfree, report), 0);
	fs = get_fs_type("debugfs");
	KUNIT_ASSERT_NOT_NULL(test, fs);
	mnt = kern_mount(fs);
	put_filesystem(fs);
	KUNIT_ASSERT_FALSE(test, IS_ERR(mnt));
	kmemleak = file_open_root_mnt(mnt, "kmemleak", O_RDWR, 0);
	if (IS_ERR(kmemleak)) {
		kern_unmount(mnt);
		KUNIT_FAIL_AND_ABORT(test, "cannot open kmemleak: %ld",
				     PTR_ERR(kmemleak));
	}

	memlayout_kmemleak_canary();
	/* Layouts dropped by earlier suites are freed after a grace period. */
	rcu_barrier();
	msleep(LEAK_MIN_AGE_MS + 1000);
	/* kmemleak's documentation: scan twice, transient false positives go. */
	KUNIT_EXPECT_GT(test, leak_command(kmemleak, "scan"), 0);
	KUNIT_EXPECT_GT(test, leak_command(kmemleak, "scan"), 0);
	len = leak_report(kmemleak, report);
	KUNIT_EXPECT_GE(test, len, 0);

	kunit_info(test, "kmemleak: %d objects reported, %d from memlayout\n",
		   leak_count(report, "", false), leak_count(report, NULL, true));
	/* The canary proves the scan and the report work. */
	KUNIT_EXPECT_EQ(test, leak_count(report, "memlayout_kmemleak_canary",
					 false), 1);
	/* Nothing the module or its tests allocated may be unreferenced. */
	KUNIT_EXPECT_EQ(test, leak_count(report, NULL, true), 0);

	fput(kmemleak);
	kern_unmount(mnt);
}

static struct kunit_case memlayout_kmemleak_cases[] = {
	KUNIT_CASE_SLOW(kmemleak_finds_no_memlayout_leak),
	{}
};

static struct kunit_suite memlayout_kmemleak_suite = {
	.name = "memlayout_kmemleak",
	.test_cases = memlayout_kmemleak_cases,
};

kunit_test_suite(memlayout_kmemleak_suite);
