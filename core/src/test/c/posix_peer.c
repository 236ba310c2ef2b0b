/*
 * A C program that joins a hostsync region whose lock backend is posix and takes the same
 * pthread_rwlock_t as the Java processes, at the offsets docs/layout.md gives:
 *
 *   lock record = lock table offset (header +72, 8 bytes) + lock index x lock stride (header +68, 4 bytes)
 *   pthread_rwlock_t = lock record + 128
 *
 * Usage: posix_peer <region file> <lock index> <command>...
 * Commands, run in order, one line of output each:
 *   tryread   -> "read acquired" or "read busy" (and releases what it acquired)
 *   trywrite  -> "write acquired" or "write busy" (and releases what it acquired)
 *   hold      -> takes the write lock, prints "holding", waits for a line on stdin, releases, prints "released"
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: %s <region file> <lock index> <command>...\n", argv[0]);
        return 2;
    }
    int fd = open(argv[1], O_RDWR);
    if (fd < 0) { perror("open"); return 1; }
    struct stat st;
    if (fstat(fd, &st) != 0) { perror("fstat"); return 1; }
    unsigned char *region = mmap(NULL, st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (region == MAP_FAILED) { perror("mmap"); return 1; }
    if (memcmp(region, "HOSTSYNC", 8) != 0) { fprintf(stderr, "not a hostsync region\n"); return 1; }
    if (*(int32_t *) (region + 112) != 1) { fprintf(stderr, "the region's lock backend is not posix\n"); return 1; }
    int64_t lock_table = *(int64_t *) (region + 72);
    int32_t lock_stride = *(int32_t *) (region + 68);
    long index = atol(argv[2]);
    pthread_rwlock_t *lock = (pthread_rwlock_t *) (region + lock_table + index * lock_stride + 128);

    for (int i = 3; i < argc; i++) {
        if (strcmp(argv[i], "tryread") == 0) {
            int rc = pthread_rwlock_tryrdlock(lock);
            printf(rc == 0 ? "read acquired\n" : "read busy\n");
            if (rc == 0) pthread_rwlock_unlock(lock);
        } else if (strcmp(argv[i], "trywrite") == 0) {
            int rc = pthread_rwlock_trywrlock(lock);
            printf(rc == 0 ? "write acquired\n" : "write busy\n");
            if (rc == 0) pthread_rwlock_unlock(lock);
        } else if (strcmp(argv[i], "hold") == 0) {
            int rc = pthread_rwlock_wrlock(lock);
            if (rc != 0) { fprintf(stderr, "pthread_rwlock_wrlock: %s\n", strerror(rc)); return 1; }
            printf("holding\n");
            fflush(stdout);
            char line[64];
            if (fgets(line, sizeof line, stdin) == NULL) { /* input closed: release anyway */ }
            pthread_rwlock_unlock(lock);
            printf("released\n");
        } else {
            fprintf(stderr, "unknown command %s\n", argv[i]);
            return 2;
        }
        fflush(stdout);
    }
    return 0;
}
