// SPDX-License-Identifier: GPL-2.0
/*
 * uffd_test - no lock is held across user memory (issue 7, point 1).
 *
 * A SET_LAYOUT whose argument sits in a page that userfaultfd holds (the
 * page is write-protected with UFFDIO_WRITEPROTECT, so the kernel reads
 * the request but faults when it writes the reply) must not stop another
 * SET_LAYOUT on the same file: the second call has to finish while the
 * first one is still waiting for the fault. Once the fault is resolved
 * the first call returns 0 with its own generation, and the file shows
 * the layout of the highest generation handed out (SPEC: generation +1
 * per accepted layout; the reply carries the generation the layout got).
 *
 * Only the fields common to every version of the UAPI are used, so this
 * file builds against the old and the new header alike.
 * Built by scripts/vmtest.sh (64- and 32-bit) against the kernel tree's
 * tools/testing/selftests.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/memlayout.h>

#include "kselftest_harness.h"

#define GiB		(1024ULL * 1024 * 1024)
#define PG		4096UL
/* How long the second SET_LAYOUT may take while the first one is held. */
#define BOUND_MS	2000

struct setter {
	int fd;
	struct memlayout_set *s;
	int ret;
	int done;
};

static void *set_thread(void *arg)
{
	struct setter *st = arg;

	st->ret = ioctl(st->fd, MEMLAYOUT_IOC_SET_LAYOUT, st->s) < 0 ? -errno : 0;
	__atomic_store_n(&st->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

static bool is_done(struct setter *st)
{
	return __atomic_load_n(&st->done, __ATOMIC_ACQUIRE);
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Poll @st->done for up to @ms milliseconds. */
static bool wait_done(struct setter *st, int ms)
{
	double t0 = now_ms();

	while (!is_done(st) && now_ms() - t0 < ms)
		usleep(1000);
	return is_done(st);
}

static void c1_request(struct memlayout_set *s, uint64_t ram_size)
{
	memset(s, 0, sizeof(*s));
	s->size = sizeof(*s);
	s->source = MEMLAYOUT_SOURCE_SIZE;
	s->ram_size = ram_size;
}

/* A userfaultfd that sees kernel-mode faults too (no UFFD_USER_MODE_ONLY). */
static int uffd_open(void)
{
	int fd = (int)syscall(__NR_userfaultfd, O_CLOEXEC);

#ifdef USERFAULTFD_IOC_NEW
	if (fd < 0) {
		int dev = open("/dev/userfaultfd", O_RDWR | O_CLOEXEC);

		if (dev >= 0) {
			fd = ioctl(dev, USERFAULTFD_IOC_NEW, O_CLOEXEC);
			close(dev);
		}
	}
#endif
	return fd;
}

/*
 * Enable write-protect faults on @uffd and register @page (present,
 * zeroed) for them; the page is not protected yet (uffd_wp()).
 * Return: NULL, or the step that failed (errno set).
 */
static const char *wp_register(int uffd, void *page)
{
	struct uffdio_api api = {
		.api = UFFD_API,
		.features = UFFD_FEATURE_PAGEFAULT_FLAG_WP,
	};
	struct uffdio_register reg;

	if (ioctl(uffd, UFFDIO_API, &api))
		return "UFFDIO_API with the write-protect feature";
	memset(page, 0, PG);	/* present: the kernel can read it */
	memset(&reg, 0, sizeof(reg));
	reg.range.start = (uintptr_t)page;
	reg.range.len = PG;
	reg.mode = UFFDIO_REGISTER_MODE_WP;
	if (ioctl(uffd, UFFDIO_REGISTER, &reg))
		return "UFFDIO_REGISTER (write-protect)";
	return NULL;
}

FIXTURE(uffd) {
	int fd;
	int uffd;
	unsigned char *page;
};

FIXTURE_SETUP(uffd)
{
	const char *failed;

	self->fd = open("/dev/memlayout", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd) TH_LOG("open /dev/memlayout: %s", strerror(errno));
	self->uffd = uffd_open();
	ASSERT_LE(0, self->uffd) TH_LOG("userfaultfd: %s", strerror(errno));
	self->page = mmap(NULL, PG, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(self->page != MAP_FAILED);
	failed = wp_register(self->uffd, self->page);
	ASSERT_TRUE(!failed) TH_LOG("%s: %s", failed, strerror(errno));
}

FIXTURE_TEARDOWN(uffd)
{
	munmap(self->page, PG);
	close(self->uffd);
	close(self->fd);
}

static int uffd_wp(int uffd, void *page, bool protect)
{
	struct uffdio_writeprotect wp;

	memset(&wp, 0, sizeof(wp));
	wp.range.start = (uintptr_t)page;
	wp.range.len = PG;
	wp.mode = protect ? UFFDIO_WRITEPROTECT_MODE_WP : 0;	/* 0 also wakes */
	return ioctl(uffd, UFFDIO_WRITEPROTECT, &wp) ? -errno : 0;
}

/* Wait up to 5 s for the kernel's write-protect fault on @page. */
static bool wp_fault(int uffd, void *page)
{
	struct pollfd pfd = { .fd = uffd, .events = POLLIN };
	struct uffd_msg msg;

	return poll(&pfd, 1, 5000) == 1 &&
	       read(uffd, &msg, sizeof(msg)) == sizeof(msg) &&
	       msg.event == UFFD_EVENT_PAGEFAULT &&
	       (msg.arg.pagefault.flags & UFFD_PAGEFAULT_FLAG_WP) &&
	       msg.arg.pagefault.address - (uintptr_t)page < PG;
}

/*
 * Start @t2 (the second SET_LAYOUT) in @th and give it BOUND_MS.
 * Return: the milliseconds it was given until it returned (or the
 * bound), -1 when the thread could not be started.
 */
static double second_call(pthread_t *th, struct setter *t2, bool *in_time)
{
	double t0 = now_ms();

	if (pthread_create(th, NULL, set_thread, t2))
		return -1;
	*in_time = wait_done(t2, BOUND_MS);
	return now_ms() - t0;
}

/* GET_STATS of @fd into @st: 0 or -errno. */
static int stats(int fd, struct memlayout_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->size = sizeof(*st);
	return ioctl(fd, MEMLAYOUT_IOC_GET_STATS, st) ? -errno : 0;
}

/*
 * Thread 1's reply page is held by userfaultfd; thread 2's SET_LAYOUT on
 * the same fd must complete within BOUND_MS all the same.
 */
TEST_F(uffd, set_layout_while_reply_page_is_held)
{
	struct memlayout_set *held = (struct memlayout_set *)self->page;
	struct memlayout_set base, other;
	struct memlayout_stats st;
	struct setter t1 = { .fd = self->fd, .s = held };
	struct setter t2 = { .fd = self->fd, .s = &other };
	pthread_t th1, th2;
	bool faulted, t2_in_time, t1_still_held;
	uint64_t g1, g2, top, want_ram;
	double took;

	/* Generation 1: a plain layout of 1 GiB. */
	c1_request(&base, GiB);
	ASSERT_EQ(0, ioctl(self->fd, MEMLAYOUT_IOC_SET_LAYOUT, &base));
	ASSERT_EQ(1, base.generation);

	/* Thread 1: 2 GiB, its argument in the write-protected page. */
	c1_request(held, 2 * GiB);
	held->generation = 0;
	ASSERT_EQ(0, uffd_wp(self->uffd, self->page, true));
	ASSERT_EQ(0, pthread_create(&th1, NULL, set_thread, &t1));

	/* Wait until the kernel faults on the reply. */
	faulted = wp_fault(self->uffd, self->page);
	EXPECT_TRUE(faulted)
		TH_LOG("no write-protect fault on the reply page within 5 s (thread 1 %s, ret %d)",
		       is_done(&t1) ? "returned" : "still running", t1.ret);
	if (!faulted) {
		uffd_wp(self->uffd, self->page, false);
		pthread_join(th1, NULL);
		return;
	}

	/* Thread 2: 3 GiB, ordinary memory, same fd. */
	c1_request(&other, 3 * GiB);
	took = second_call(&th2, &t2, &t2_in_time);
	ASSERT_LE(0, took);
	t1_still_held = !is_done(&t1);

	/* Release the page whatever happened, so that nothing stays blocked. */
	EXPECT_EQ(0, uffd_wp(self->uffd, self->page, false));
	pthread_join(th1, NULL);
	pthread_join(th2, NULL);

	EXPECT_TRUE(t2_in_time)
		TH_LOG("SET_LAYOUT on the same fd blocked %.0f ms (bound %d ms) behind a reply held by userfaultfd",
		       took, BOUND_MS);
	EXPECT_TRUE(t1_still_held)
		TH_LOG("thread 1 returned before its fault was resolved");
	EXPECT_EQ(0, t2.ret);
	EXPECT_EQ(0, t1.ret);
	ksft_print_msg("second SET_LAYOUT %s after %.1f ms, the first one %s\n",
		       t2_in_time ? "returned" : "still blocked", took,
		       t1_still_held ? "held" : "returned");

	/* Generations: 2 and 3, one each; the file shows the newest. */
	g1 = held->generation;
	g2 = other.generation;
	EXPECT_NE(g1, g2);
	EXPECT_TRUE((g1 == 2 || g1 == 3) && (g2 == 2 || g2 == 3))
		TH_LOG("generations %llu (held) and %llu (other), expected 2 and 3",
		       (unsigned long long)g1, (unsigned long long)g2);
	EXPECT_EQ(0, held->reason.rule);
	top = g1 > g2 ? g1 : g2;
	want_ram = g1 > g2 ? 2 * GiB : 3 * GiB;
	ASSERT_EQ(0, stats(self->fd, &st));
	EXPECT_EQ(top, st.generation);
	EXPECT_EQ(want_ram, st.ram_size)
		TH_LOG("generation %llu is answered by a layout of %llu bytes, expected %llu",
		       (unsigned long long)st.generation,
		       (unsigned long long)st.ram_size,
		       (unsigned long long)want_ram);
}

/*
 * The same with the held call's layout rejected after the fault: the
 * reply of a rejection is written the same way, and must not block the
 * other caller either.
 */
TEST_F(uffd, rejected_set_layout_while_reply_page_is_held)
{
	struct memlayout_set *held = (struct memlayout_set *)self->page;
	struct memlayout_set other;
	struct memlayout_stats st;
	struct setter t1 = { .fd = self->fd, .s = held };
	struct setter t2 = { .fd = self->fd, .s = &other };
	pthread_t th1, th2;
	bool faulted, t2_in_time;
	double took;

	/* R1: a ram_size of 0 is rejected with a reason to write back. */
	c1_request(held, 0);
	ASSERT_EQ(0, uffd_wp(self->uffd, self->page, true));
	ASSERT_EQ(0, pthread_create(&th1, NULL, set_thread, &t1));
	faulted = wp_fault(self->uffd, self->page);
	EXPECT_TRUE(faulted) TH_LOG("no write-protect fault on the reply of a rejection");
	c1_request(&other, GiB);
	took = second_call(&th2, &t2, &t2_in_time);
	ASSERT_LE(0, took);
	EXPECT_EQ(0, uffd_wp(self->uffd, self->page, false));
	pthread_join(th1, NULL);
	pthread_join(th2, NULL);
	EXPECT_TRUE(t2_in_time)
		TH_LOG("SET_LAYOUT blocked %.0f ms behind a rejection's held reply", took);
	EXPECT_EQ(-EINVAL, t1.ret);
	EXPECT_EQ(MEMLAYOUT_RULE_BAD_SIZE, held->reason.rule);
	EXPECT_EQ(0, t2.ret);
	EXPECT_EQ(1, other.generation);
	ASSERT_EQ(0, stats(self->fd, &st));
	EXPECT_EQ(1, st.generation);
	EXPECT_EQ(GiB, st.ram_size);
}

/* Each thread of @pid: its state, wait channel and kernel stack. */
static void show_tasks(pid_t pid)
{
	static const char *const what[] = { "stat", "wchan", "stack" };
	char path[300], buf[4096];
	struct dirent *de;
	unsigned int i;
	ssize_t n;
	DIR *dir;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	dir = opendir(path);
	while (dir && (de = readdir(dir))) {
		if (de->d_name[0] == '.')
			continue;
		for (i = 0; i < ARRAY_SIZE(what); i++) {
			snprintf(path, sizeof(path), "/proc/%d/task/%s/%s", pid, de->d_name, what[i]);
			fd = open(path, O_RDONLY);
			if (fd < 0)
				continue;
			n = read(fd, buf, sizeof(buf) - 1);
			close(fd);
			if (n > 0) {
				buf[n] = '\0';
				ksft_print_msg("%s: %s\n", path, buf);
			}
		}
	}
	if (dir)
		closedir(dir);
}

/*
 * A SET_LAYOUT held on its reply page can be killed (issue 7: "the second
 * call must finish, or be killable"), and a killed call changes nothing:
 * the file keeps its layout and the next SET_LAYOUT gets the next
 * generation. A child process holds its own reply page, signals when the
 * kernel has faulted on it, and is killed with SIGKILL.
 */
TEST_F(uffd, held_set_layout_is_killable)
{
	struct memlayout_set base, next;
	struct memlayout_stats st;
	int pfd[2], status = 0;
	double t0;
	char c = 0;
	pid_t pid;

	c1_request(&base, GiB);
	ASSERT_EQ(0, ioctl(self->fd, MEMLAYOUT_IOC_SET_LAYOUT, &base));
	ASSERT_EQ(0, pipe(pfd));
	fflush(stdout);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct memlayout_set *held;
		struct setter t1;
		pthread_t th;
		int uffd = uffd_open();
		void *page;

		/* uffd registrations are not inherited: a page of its own. */
		page = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (uffd < 0 || page == MAP_FAILED || wp_register(uffd, page))
			_exit(1);
		held = page;
		c1_request(held, 2 * GiB);	/* before the page is protected */
		if (uffd_wp(uffd, page, true))
			_exit(1);
		t1.fd = self->fd;
		t1.s = held;
		t1.done = 0;
		if (pthread_create(&th, NULL, set_thread, &t1) || !wp_fault(uffd, page))
			_exit(1);
		c = 'h';
		if (write(pfd[1], &c, 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(pfd[1]);
	ASSERT_EQ(1, read(pfd[0], &c, 1)) TH_LOG("the child's SET_LAYOUT never faulted on its reply");
	close(pfd[0]);
	usleep(100000);
	t0 = now_ms();
	ASSERT_EQ(0, kill(pid, SIGKILL));
	while (waitpid(pid, &status, WNOHANG) == 0 && now_ms() - t0 < BOUND_MS)
		usleep(1000);
	if (now_ms() - t0 >= BOUND_MS) {
		show_tasks(pid);
		ASSERT_TRUE(false)
			TH_LOG("SIGKILLed process still alive after %d ms, blocked in SET_LAYOUT",
			       BOUND_MS);
	}
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	ksft_print_msg("held SET_LAYOUT killed in %.1f ms\n", now_ms() - t0);

	ASSERT_EQ(0, stats(self->fd, &st));
	EXPECT_EQ(1, st.generation) TH_LOG("a killed SET_LAYOUT changed the layout");
	EXPECT_EQ(GiB, st.ram_size);
	c1_request(&next, 3 * GiB);
	ASSERT_EQ(0, ioctl(self->fd, MEMLAYOUT_IOC_SET_LAYOUT, &next));
	EXPECT_EQ(2, next.generation) TH_LOG("the killed call used up a generation");
}

TEST_HARNESS_MAIN
