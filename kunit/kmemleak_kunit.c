// SPDX-License-Identifier: GPL-2.0
/*
 * memlayout_kmemleak: after every other memlayout suite has run, ask
 * kmemleak to scan and require that none of the unreferenced objects it
 * reports was allocated by memlayout. Linked last into memlayout_kunit so
 * it runs last; built only with CONFIG_MEMLAYOUT_KUNIT_KMEMLEAK, in the
 * x86_64 configuration (kunit/kmemleak.kunitconfig): UML has no kmemleak.
 *
 * Canary objects are leaked on purpose first, so a scan that finds
 * nothing at all (kmemleak off, report unreadable) fails the test instead
 * of passing it.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mman.h>
#include <linux/mount.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include <linux/memlayout.h>

/* kmemleak only reports objects older than this (mm/kmemleak.c). */
#define LEAK_MIN_AGE_MS		5000
#define LEAK_REPORT_MAX		SZ_1M

#define LEAK_CANARIES		64

KUNIT_DEFINE_ACTION_WRAPPER(leak_vfree, vfree, const void *);

/*
 * Allocates objects and forgets them: kmemleak must report them. Stale
 * copies of the last pointers may survive in registers or on a stack and
 * keep those few referenced, so many are leaked and most must be found.
 */
static noinline unsigned long memlayout_kmemleak_canary(void)
{
	unsigned long sum = 0;
	int i;

	for (i = 0; i < LEAK_CANARIES; i++)
		sum ^= (unsigned long)kmalloc(64, GFP_KERNEL);
	return sum;
}

/*
 * kmemleak's file has no write_iter/read_iter, so kernel_write() and
 * kernel_read() refuse it: go through vfs_write()/vfs_read() with a user
 * buffer in the test's own mm (kunit_vm_mmap(), as lib/usercopy_kunit.c).
 */
#define LEAK_USER_BUF		SZ_64K

/**
 * leak_command() - write a command to the kmemleak debugfs file
 * @kmemleak: the open file.
 * @ubuf: a user buffer of %LEAK_USER_BUF bytes.
 * @cmd: "scan", "clear", ...
 *
 * Return: bytes written or a negative errno.
 */
static ssize_t leak_command(struct file *kmemleak, unsigned long ubuf,
			    const char *cmd)
{
	loff_t pos = 0;

	if (copy_to_user((void __user *)ubuf, cmd, strlen(cmd)))
		return -EFAULT;
	return vfs_write(kmemleak, (const char __user *)ubuf, strlen(cmd), &pos);
}

/**
 * leak_report() - read kmemleak's report of unreferenced objects
 * @kmemleak: the open file.
 * @ubuf: a user buffer of %LEAK_USER_BUF bytes.
 * @buf: buffer of %LEAK_REPORT_MAX bytes.
 *
 * Return: the bytes read (the report is NUL-terminated in @buf).
 */
static ssize_t leak_report(struct file *kmemleak, unsigned long ubuf, char *buf)
{
	ssize_t n, len = 0;
	loff_t pos = 0;

	do {
		n = vfs_read(kmemleak, (char __user *)ubuf,
			     min_t(size_t, LEAK_USER_BUF, LEAK_REPORT_MAX - 1 - len),
			     &pos);
		if (n > 0) {
			if (copy_from_user(buf + len, (void __user *)ubuf, n))
				return -EFAULT;
			len += n;
		}
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
	unsigned long ubuf;
	char *report;
	ssize_t len;

	report = vzalloc(LEAK_REPORT_MAX);
	KUNIT_ASSERT_NOT_NULL(test, report);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, leak_vfree, report), 0);
	ubuf = kunit_vm_mmap(test, NULL, 0, LEAK_USER_BUF, PROT_READ | PROT_WRITE,
			     MAP_ANONYMOUS | MAP_PRIVATE, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(ubuf) || !ubuf);
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

	kunit_info(test, "canaries at %#lx (xor)\n", memlayout_kmemleak_canary());
	/* Layouts dropped by earlier suites are freed after a grace period. */
	rcu_barrier();
	msleep(LEAK_MIN_AGE_MS + 1000);
	/* kmemleak's documentation: scan twice, transient false positives go. */
	KUNIT_EXPECT_GT(test, leak_command(kmemleak, ubuf, "scan"), 0);
	KUNIT_EXPECT_GT(test, leak_command(kmemleak, ubuf, "scan"), 0);
	len = leak_report(kmemleak, ubuf, report);
	KUNIT_EXPECT_GE(test, len, 0);

	kunit_info(test, "kmemleak: %d objects reported, %d from memlayout\n",
		   leak_count(report, "", false), leak_count(report, NULL, true));
	/* The canaries prove the scan and the report work. */
	KUNIT_EXPECT_GE(test, leak_count(report, "memlayout_kmemleak_canary",
					 false), LEAK_CANARIES / 2);
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
