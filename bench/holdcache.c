/*
 * holdcache: keeps files in the page cache while the benchmark times the
 * tools that read them.
 *
 *   holdcache FILE...   reads and locks each file, prints "held BYTES",
 *                       and holds them until its standard input closes
 *
 * A timed run must read its capture from memory, for every tool alike.
 * "Read it once first" is not enough on machines that reclaim cold page
 * cache on their own (a virtual machine with DAMON's proactive pageout,
 * say, takes back a file untouched for half a minute, while tshark spends
 * minutes on its runs): the next tool would then time the disk. Pages
 * mapped and locked here are not reclaimed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: holdcache FILE...\n");
		return 2;
	}
	unsigned long long held = 0;
	int unlocked = 0, lock_errno = 0;
	for (int i = 1; i < argc; i++) {
		int fd = open(argv[i], O_RDONLY);
		struct stat st;
		if (fd < 0 || fstat(fd, &st) != 0) {
			fprintf(stderr, "holdcache: %s: %s\n", argv[i], strerror(errno));
			return 1;
		}
		if (st.st_size == 0)
			continue;
		void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
		if (m == MAP_FAILED) {
			fprintf(stderr, "holdcache: %s: mmap: %s\n", argv[i], strerror(errno));
			return 1;
		}
		/* mlock reads in every page it locks. Without the privilege, the
		 * mapping alone still shields the pages from some reclaim. */
		if (mlock(m, (size_t)st.st_size) != 0) {
			unlocked++;
			lock_errno = errno;
			madvise(m, (size_t)st.st_size, MADV_WILLNEED);
		}
		held += (unsigned long long)st.st_size;
		close(fd);
	}
	if (unlocked)
		fprintf(stderr, "holdcache: %d file(s) mapped but not locked (mlock: %s)\n",
			unlocked, strerror(lock_errno));
	printf("held %llu\n", held);
	fflush(stdout);
	char buf[64];
	while (read(STDIN_FILENO, buf, sizeof buf) > 0)
		;
	return 0;
}
