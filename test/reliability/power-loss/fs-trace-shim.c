/*
 * fs-trace-shim: an LD_PRELOAD library that records the file-system syscalls a process makes through
 * libc, for the power-loss durability audit (threats §C7 item 62; test/reliability/power-loss/). It
 * changes nothing: every call is forwarded to the real libc function and its result returned as is.
 *
 * One line per event, appended to $FS_TRACE_FILE, tab-separated: `seq pid tid op key=value…`. `seq` is
 * a process-wide counter taken under one mutex together with the write of the line, so the order of the
 * lines is an order the calls really happened in:
 *   - data and namespace changes (write*, rename, unlink, mkdir, open with O_CREAT…) are logged AFTER
 *     the call returned: their line proves they completed before anything with a higher seq started;
 *   - fsync-like calls are logged twice, `fsync_begin` before and `fsync_end` after the call: a write
 *     is covered only if it ended before the fsync began, and durable only once the fsync ended;
 *   - an HTTP response (a socket write starting with "HTTP/1.") is logged BEFORE the call: from that
 *     moment the client may read the acknowledgement.
 * Files are identified by dev:ino from fstat/lstat, so a write through any fd lands on the right file.
 * Calls that would move data where the trace cannot follow (an io_uring ring, a writable shared mmap of
 * a regular file, sendfile/copy_file_range into a file) are logged as `blind`, and the checker fails the
 * audit on them rather than pretend it saw everything.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

static pthread_mutex_t trace_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned long long trace_seq = 0;
static int trace_fd = -1;
static int trace_disabled = 0;

#define REAL(ret, name, ...)                                                  \
  static ret (*real_##name)(__VA_ARGS__) = NULL;                              \
  static ret (*get_##name(void))(__VA_ARGS__) {                               \
    if (real_##name == NULL) real_##name = dlsym(RTLD_NEXT, #name);           \
    return real_##name;                                                       \
  }

REAL(int, open, const char *, int, ...)
REAL(int, open64, const char *, int, ...)
REAL(int, openat, int, const char *, int, ...)
REAL(int, openat64, int, const char *, int, ...)
REAL(int, __open_2, const char *, int)
REAL(int, __open64_2, const char *, int)
REAL(int, creat, const char *, mode_t)
REAL(int, creat64, const char *, mode_t)
REAL(ssize_t, write, int, const void *, size_t)
REAL(ssize_t, writev, int, const struct iovec *, int)
REAL(ssize_t, pwrite, int, const void *, size_t, off_t)
REAL(ssize_t, pwrite64, int, const void *, size_t, off_t)
REAL(ssize_t, pwritev, int, const struct iovec *, int, off_t)
REAL(ssize_t, pwritev64, int, const struct iovec *, int, off_t)
REAL(ssize_t, pwritev2, int, const struct iovec *, int, off_t, int)
REAL(ssize_t, pwritev64v2, int, const struct iovec *, int, off_t, int)
REAL(int, fsync, int)
REAL(int, fdatasync, int)
REAL(int, sync_file_range, int, off_t, off_t, unsigned int)
REAL(int, syncfs, int)
REAL(void, sync, void)
REAL(int, rename, const char *, const char *)
REAL(int, renameat, int, const char *, int, const char *)
REAL(int, renameat2, int, const char *, int, const char *, unsigned int)
REAL(int, link, const char *, const char *)
REAL(int, linkat, int, const char *, int, const char *, int)
REAL(int, unlink, const char *)
REAL(int, unlinkat, int, const char *, int)
REAL(int, rmdir, const char *)
REAL(int, mkdir, const char *, mode_t)
REAL(int, mkdirat, int, const char *, mode_t)
REAL(int, ftruncate, int, off_t)
REAL(int, ftruncate64, int, off_t)
REAL(int, truncate, const char *, off_t)
REAL(int, truncate64, const char *, off_t)
REAL(int, fallocate, int, int, off_t, off_t)
REAL(int, fallocate64, int, int, off_t, off_t)
REAL(int, posix_fallocate, int, off_t, off_t)
REAL(int, posix_fallocate64, int, off_t, off_t)
REAL(void *, mmap, void *, size_t, int, int, int, off_t)
REAL(void *, mmap64, void *, size_t, int, int, int, off_t)
REAL(ssize_t, sendfile, int, int, off_t *, size_t)
REAL(ssize_t, sendfile64, int, int, off_t *, size_t)
REAL(ssize_t, copy_file_range, int, off_t *, int, off_t *, size_t, unsigned int)
REAL(long, syscall, long, ...)

/* ---- formatting (no malloc, no stdio buffering shared with the host) ---- */

typedef struct {
  char buf[4096];
  size_t len;
} line_t;

static void put(line_t *l, const char *s) {
  while (*s != '\0' && l->len < sizeof l->buf - 2) l->buf[l->len++] = *s++;
}

static void put_num(line_t *l, long long v) {
  char tmp[32];
  snprintf(tmp, sizeof tmp, "%lld", v);
  put(l, tmp);
}

/* Paths are percent-encoded (%, tab, newline, control and non-ASCII bytes) so a line stays one line. */
static void put_path(line_t *l, const char *p) {
  static const char hex[] = "0123456789ABCDEF";
  if (p == NULL) {
    put(l, "%00");
    return;
  }
  for (; *p != '\0' && l->len < sizeof l->buf - 5; p++) {
    unsigned char c = (unsigned char)*p;
    if (c <= 0x20 || c >= 0x7f || c == '%') {
      l->buf[l->len++] = '%';
      l->buf[l->len++] = hex[c >> 4];
      l->buf[l->len++] = hex[c & 15];
    } else {
      l->buf[l->len++] = (char)c;
    }
  }
}

static void put_kv(line_t *l, const char *key, long long v) {
  put(l, "\t");
  put(l, key);
  put(l, "=");
  put_num(l, v);
}

static void put_kpath(line_t *l, const char *key, const char *path) {
  put(l, "\t");
  put(l, key);
  put(l, "=");
  put_path(l, path);
}

static const char *type_of(mode_t mode) {
  if (S_ISREG(mode)) return "reg";
  if (S_ISDIR(mode)) return "dir";
  if (S_ISSOCK(mode)) return "sock";
  if (S_ISFIFO(mode)) return "fifo";
  return "other";
}

static void put_stat(line_t *l, const struct stat *st, int ok) {
  put(l, "\tino=");
  if (!ok) {
    put(l, "?\ttype=none");
    return;
  }
  put_num(l, (long long)st->st_dev);
  put(l, ":");
  put_num(l, (long long)st->st_ino);
  put(l, "\ttype=");
  put(l, type_of(st->st_mode));
}

static void put_fd(line_t *l, int fd) {
  struct stat st;
  put_kv(l, "fd", fd);
  put_stat(l, &st, fstat(fd, &st) == 0);
}

static void put_lstat(line_t *l, const char *key, int dirfd, const char *path) {
  struct stat st;
  int ok = fstatat(dirfd, path, &st, AT_SYMLINK_NOFOLLOW) == 0;
  put(l, "\t");
  put(l, key);
  put(l, "_");
  put_stat(l, &st, ok);
}

static void begin(line_t *l, const char *op) {
  l->len = 0;
  (void)op;
}

/* Takes the next seq and appends the line under one lock: file order = seq order. */
static void emit(line_t *l, const char *op) {
  char head[128];
  if (trace_disabled) return;
  int saved = errno;
  pthread_mutex_lock(&trace_lock);
  if (trace_fd < 0) {
    const char *file = getenv("FS_TRACE_FILE");
    if (file == NULL || file[0] == '\0') {
      trace_disabled = 1;
      pthread_mutex_unlock(&trace_lock);
      errno = saved;
      return;
    }
    int (*o)(const char *, int, ...) = get_open();
    trace_fd = o(file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (trace_fd < 0) trace_disabled = 1;
  }
  if (trace_fd >= 0) {
    int n = snprintf(head, sizeof head, "%llu\t%d\t%ld\t%s", ++trace_seq, (int)getpid(),
                     (long)gettid(), op);
    char out[4096 + 128];
    memcpy(out, head, (size_t)n);
    memcpy(out + n, l->buf, l->len);
    out[(size_t)n + l->len] = '\n';
    get_write()(trace_fd, out, (size_t)n + l->len + 1);
  }
  pthread_mutex_unlock(&trace_lock);
  errno = saved;
}

static int is_trace_fd(int fd) { return trace_fd >= 0 && fd == trace_fd; }

/* ---- opens ---- */

static int existed_before(int dirfd, const char *path, int flags) {
  struct stat st;
  if ((flags & O_CREAT) == 0) return 1;
  return fstatat(dirfd, path, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

static int log_open(int dirfd, const char *path, int flags, int existed, int fd) {
  if (fd < 0 || trace_disabled) return fd;
  int saved = errno;
  line_t l;
  begin(&l, "open");
  put_kv(&l, "dirfd", dirfd == AT_FDCWD ? -100 : dirfd);
  put_kpath(&l, "path", path);
  put_kv(&l, "flags", flags);
  put_kv(&l, "created", !existed);
  put_fd(&l, fd);
  emit(&l, "open");
  errno = saved;
  return fd;
}

static mode_t mode_arg(int flags, va_list ap) {
  return ((flags & O_CREAT) != 0 || (flags & __O_TMPFILE) == __O_TMPFILE) ? (mode_t)va_arg(ap, int) : 0;
}

int open(const char *path, int flags, ...) {
  va_list ap;
  va_start(ap, flags);
  mode_t mode = mode_arg(flags, ap);
  va_end(ap);
  int existed = existed_before(AT_FDCWD, path, flags);
  return log_open(AT_FDCWD, path, flags, existed, get_open()(path, flags, mode));
}

int open64(const char *path, int flags, ...) {
  va_list ap;
  va_start(ap, flags);
  mode_t mode = mode_arg(flags, ap);
  va_end(ap);
  int existed = existed_before(AT_FDCWD, path, flags);
  return log_open(AT_FDCWD, path, flags, existed, get_open64()(path, flags, mode));
}

int openat(int dirfd, const char *path, int flags, ...) {
  va_list ap;
  va_start(ap, flags);
  mode_t mode = mode_arg(flags, ap);
  va_end(ap);
  int existed = existed_before(dirfd, path, flags);
  return log_open(dirfd, path, flags, existed, get_openat()(dirfd, path, flags, mode));
}

int openat64(int dirfd, const char *path, int flags, ...) {
  va_list ap;
  va_start(ap, flags);
  mode_t mode = mode_arg(flags, ap);
  va_end(ap);
  int existed = existed_before(dirfd, path, flags);
  return log_open(dirfd, path, flags, existed, get_openat64()(dirfd, path, flags, mode));
}

int __open_2(const char *path, int flags) {
  int existed = existed_before(AT_FDCWD, path, flags);
  return log_open(AT_FDCWD, path, flags, existed, get___open_2()(path, flags));
}

int __open64_2(const char *path, int flags) {
  int existed = existed_before(AT_FDCWD, path, flags);
  return log_open(AT_FDCWD, path, flags, existed, get___open64_2()(path, flags));
}

int creat(const char *path, mode_t mode) {
  int existed = existed_before(AT_FDCWD, path, O_CREAT);
  return log_open(AT_FDCWD, path, O_CREAT | O_WRONLY | O_TRUNC, existed, get_creat()(path, mode));
}

int creat64(const char *path, mode_t mode) {
  int existed = existed_before(AT_FDCWD, path, O_CREAT);
  return log_open(AT_FDCWD, path, O_CREAT | O_WRONLY | O_TRUNC, existed, get_creat64()(path, mode));
}

/* ---- writes ---- */

/* An HTTP response head: logs status and x-oss-request-id before the bytes leave. */
static int log_http_if_response(int fd, const void *data, size_t len) {
  struct stat st;
  if (len < 12 || memcmp(data, "HTTP/1.", 7) != 0) return 0;
  if (fstat(fd, &st) != 0 || !S_ISSOCK(st.st_mode)) return 0;
  const char *text = data;
  size_t scan = len < 8192 ? len : 8192;
  line_t l;
  begin(&l, "http");
  put_kv(&l, "fd", fd);
  put_kv(&l, "status", atoi(text + 9));
  put(&l, "\trequest_id=");
  static const char name[] = "x-oss-request-id: ";
  for (size_t i = 0; i + sizeof name - 1 < scan; i++) {
    if (strncasecmp(text + i, name, sizeof name - 1) != 0) continue;
    for (size_t j = i + sizeof name - 1; j < scan && j < i + 96; j++) {
      char c = text[j];
      if (c == '\r' || c == '\n') break;
      if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-') {
        l.buf[l.len++] = c;
      }
    }
    break;
  }
  emit(&l, "http");
  return 1;
}

static void log_write(const char *op, int fd, long long off, ssize_t ret) {
  struct stat st;
  if (ret <= 0 || trace_disabled || is_trace_fd(fd)) return;
  int saved = errno;
  if (fstat(fd, &st) == 0 && (S_ISREG(st.st_mode) || S_ISDIR(st.st_mode))) {
    line_t l;
    begin(&l, op);
    put_kv(&l, "fd", fd);
    put_stat(&l, &st, 1);
    put_kv(&l, "off", off);
    put_kv(&l, "bytes", (long long)ret);
    emit(&l, "write");
  }
  errno = saved;
}

ssize_t write(int fd, const void *data, size_t len) {
  if (!is_trace_fd(fd)) log_http_if_response(fd, data, len);
  ssize_t r = get_write()(fd, data, len);
  log_write("write", fd, -1, r);
  return r;
}

ssize_t writev(int fd, const struct iovec *iov, int n) {
  if (n > 0) log_http_if_response(fd, iov[0].iov_base, iov[0].iov_len);
  ssize_t r = get_writev()(fd, iov, n);
  log_write("writev", fd, -1, r);
  return r;
}

ssize_t pwrite(int fd, const void *data, size_t len, off_t off) {
  ssize_t r = get_pwrite()(fd, data, len, off);
  log_write("pwrite", fd, off, r);
  return r;
}

ssize_t pwrite64(int fd, const void *data, size_t len, off_t off) {
  ssize_t r = get_pwrite64()(fd, data, len, off);
  log_write("pwrite", fd, off, r);
  return r;
}

ssize_t pwritev(int fd, const struct iovec *iov, int n, off_t off) {
  ssize_t r = get_pwritev()(fd, iov, n, off);
  log_write("pwritev", fd, off, r);
  return r;
}

ssize_t pwritev64(int fd, const struct iovec *iov, int n, off_t off) {
  ssize_t r = get_pwritev64()(fd, iov, n, off);
  log_write("pwritev", fd, off, r);
  return r;
}

ssize_t pwritev2(int fd, const struct iovec *iov, int n, off_t off, int flags) {
  ssize_t r = get_pwritev2()(fd, iov, n, off, flags);
  log_write("pwritev", fd, off, r);
  return r;
}

ssize_t pwritev64v2(int fd, const struct iovec *iov, int n, off_t off, int flags) {
  ssize_t r = get_pwritev64v2()(fd, iov, n, off, flags);
  log_write("pwritev", fd, off, r);
  return r;
}

/* ---- flushes ---- */

static void log_sync(const char *op, const char *kind, int fd, int ret) {
  line_t l;
  if (trace_disabled) return;
  begin(&l, op);
  put(&l, "\tkind=");
  put(&l, kind);
  put_fd(&l, fd);
  if (ret != -2) put_kv(&l, "ret", ret);
  emit(&l, op);
}

static int traced_sync(const char *kind, int fd, int (*real)(int)) {
  log_sync("fsync_begin", kind, fd, -2);
  int r = real(fd);
  log_sync("fsync_end", kind, fd, r == 0 ? 0 : errno);
  return r;
}

int fsync(int fd) { return traced_sync("fsync", fd, get_fsync()); }
int fdatasync(int fd) { return traced_sync("fdatasync", fd, get_fdatasync()); }

/* sync_file_range never makes data durable (no metadata, no device flush): logged so it is not mistaken. */
int sync_file_range(int fd, off_t off, off_t n, unsigned int flags) {
  int r = get_sync_file_range()(fd, off, n, flags);
  log_sync("sync_file_range", "sync_file_range", fd, r);
  return r;
}

int syncfs(int fd) {
  line_t l;
  begin(&l, "blind");
  put(&l, "\twhat=syncfs");
  emit(&l, "blind");
  return get_syncfs()(fd);
}

void sync(void) {
  line_t l;
  begin(&l, "blind");
  put(&l, "\twhat=sync");
  emit(&l, "blind");
  get_sync()();
}

/* ---- namespace ---- */

static void log_path_op(const char *op, int dirfd, const char *path, int dirfd2, const char *path2,
                        int ret, const struct stat *before, int before_ok) {
  if (ret != 0 || trace_disabled) return;
  int saved = errno;
  line_t l;
  begin(&l, op);
  put_kv(&l, "dirfd", dirfd == AT_FDCWD ? -100 : dirfd);
  put_kpath(&l, "path", path);
  if (path2 != NULL) {
    put_kv(&l, "dirfd2", dirfd2 == AT_FDCWD ? -100 : dirfd2);
    put_kpath(&l, "path2", path2);
  }
  if (before != NULL) {
    put(&l, "\tbefore_");
    put_stat(&l, before, before_ok);
  }
  if (path2 != NULL) put_lstat(&l, "after", dirfd2, path2);
  else if (strcmp(op, "mkdir") == 0) put_lstat(&l, "after", dirfd, path);
  emit(&l, op);
  errno = saved;
}

#define LSTAT_BEFORE(dirfd, path)                                            \
  struct stat before;                                                        \
  int before_ok = fstatat(dirfd, path, &before, AT_SYMLINK_NOFOLLOW) == 0

int rename(const char *from, const char *to) {
  LSTAT_BEFORE(AT_FDCWD, to);
  int r = get_rename()(from, to);
  log_path_op("rename", AT_FDCWD, from, AT_FDCWD, to, r, &before, before_ok);
  return r;
}

int renameat(int fromfd, const char *from, int tofd, const char *to) {
  LSTAT_BEFORE(tofd, to);
  int r = get_renameat()(fromfd, from, tofd, to);
  log_path_op("rename", fromfd, from, tofd, to, r, &before, before_ok);
  return r;
}

int renameat2(int fromfd, const char *from, int tofd, const char *to, unsigned int flags) {
  LSTAT_BEFORE(tofd, to);
  int r = get_renameat2()(fromfd, from, tofd, to, flags);
  log_path_op(flags == 0 ? "rename" : "blind_rename", fromfd, from, tofd, to, r, &before, before_ok);
  return r;
}

int link(const char *from, const char *to) {
  int r = get_link()(from, to);
  log_path_op("link", AT_FDCWD, from, AT_FDCWD, to, r, NULL, 0);
  return r;
}

int linkat(int fromfd, const char *from, int tofd, const char *to, int flags) {
  int r = get_linkat()(fromfd, from, tofd, to, flags);
  log_path_op("link", fromfd, from, tofd, to, r, NULL, 0);
  return r;
}

int unlink(const char *path) {
  LSTAT_BEFORE(AT_FDCWD, path);
  int r = get_unlink()(path);
  log_path_op("unlink", AT_FDCWD, path, 0, NULL, r, &before, before_ok);
  return r;
}

int unlinkat(int dirfd, const char *path, int flags) {
  LSTAT_BEFORE(dirfd, path);
  int r = get_unlinkat()(dirfd, path, flags);
  log_path_op("unlink", dirfd, path, 0, NULL, r, &before, before_ok);
  return r;
}

int rmdir(const char *path) {
  LSTAT_BEFORE(AT_FDCWD, path);
  int r = get_rmdir()(path);
  log_path_op("unlink", AT_FDCWD, path, 0, NULL, r, &before, before_ok);
  return r;
}

int mkdir(const char *path, mode_t mode) {
  int r = get_mkdir()(path, mode);
  log_path_op("mkdir", AT_FDCWD, path, 0, NULL, r, NULL, 0);
  return r;
}

int mkdirat(int dirfd, const char *path, mode_t mode) {
  int r = get_mkdirat()(dirfd, path, mode);
  log_path_op("mkdir", dirfd, path, 0, NULL, r, NULL, 0);
  return r;
}

/* ---- sizes ---- */

static void log_truncate_fd(int fd, long long len, int ret) {
  if (ret != 0 || trace_disabled) return;
  int saved = errno;
  line_t l;
  begin(&l, "truncate");
  put_fd(&l, fd);
  put_kv(&l, "len", len);
  emit(&l, "truncate");
  errno = saved;
}

static void log_truncate_path(const char *path, long long len, int ret) {
  if (ret != 0 || trace_disabled) return;
  int saved = errno;
  line_t l;
  begin(&l, "truncate");
  put_kpath(&l, "path", path);
  put_lstat(&l, "after", AT_FDCWD, path);
  put_kv(&l, "len", len);
  emit(&l, "truncate");
  errno = saved;
}

int ftruncate(int fd, off_t len) {
  int r = get_ftruncate()(fd, len);
  log_truncate_fd(fd, len, r);
  return r;
}

int ftruncate64(int fd, off_t len) {
  int r = get_ftruncate64()(fd, len);
  log_truncate_fd(fd, len, r);
  return r;
}

int truncate(const char *path, off_t len) {
  int r = get_truncate()(path, len);
  log_truncate_path(path, len, r);
  return r;
}

int truncate64(const char *path, off_t len) {
  int r = get_truncate64()(path, len);
  log_truncate_path(path, len, r);
  return r;
}

/* Allocation changes the size (unless KEEP_SIZE) but writes no data: logged as a zero-data write. */
static void log_allocate(int fd, long long off, long long len, int ret) {
  if (ret != 0 || trace_disabled) return;
  int saved = errno;
  line_t l;
  begin(&l, "allocate");
  put_fd(&l, fd);
  put_kv(&l, "off", off);
  put_kv(&l, "len", len);
  emit(&l, "allocate");
  errno = saved;
}

int fallocate(int fd, int mode, off_t off, off_t len) {
  int r = get_fallocate()(fd, mode, off, len);
  log_allocate(fd, off, len, r);
  return r;
}

int fallocate64(int fd, int mode, off_t off, off_t len) {
  int r = get_fallocate64()(fd, mode, off, len);
  log_allocate(fd, off, len, r);
  return r;
}

int posix_fallocate(int fd, off_t off, off_t len) {
  int r = get_posix_fallocate()(fd, off, len);
  log_allocate(fd, off, len, r);
  return r;
}

int posix_fallocate64(int fd, off_t off, off_t len) {
  int r = get_posix_fallocate64()(fd, off, len);
  log_allocate(fd, off, len, r);
  return r;
}

/* ---- paths the trace cannot follow ---- */

static void log_blind_fd(const char *what, int fd) {
  struct stat st;
  if (trace_disabled) return;
  int saved = errno;
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
    line_t l;
    begin(&l, "blind");
    put(&l, "\twhat=");
    put(&l, what);
    put_fd(&l, fd);
    emit(&l, "blind");
  }
  errno = saved;
}

/* Stores into a shared writable mapping of a regular file never pass through write(2). */
static void check_mmap(void *ret, int prot, int flags, int fd) {
  if (ret != MAP_FAILED && fd >= 0 && (prot & PROT_WRITE) != 0 && (flags & MAP_SHARED) != 0) {
    log_blind_fd("mmap_shared_write", fd);
  }
}

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off) {
  void *r = get_mmap()(addr, len, prot, flags, fd, off);
  check_mmap(r, prot, flags, fd);
  return r;
}

void *mmap64(void *addr, size_t len, int prot, int flags, int fd, off_t off) {
  void *r = get_mmap64()(addr, len, prot, flags, fd, off);
  check_mmap(r, prot, flags, fd);
  return r;
}

ssize_t sendfile(int out, int in, off_t *off, size_t n) {
  ssize_t r = get_sendfile()(out, in, off, n);
  if (r > 0) log_blind_fd("sendfile", out);
  return r;
}

ssize_t sendfile64(int out, int in, off_t *off, size_t n) {
  ssize_t r = get_sendfile64()(out, in, off, n);
  if (r > 0) log_blind_fd("sendfile", out);
  return r;
}

ssize_t copy_file_range(int in, off_t *inoff, int out, off_t *outoff, size_t n, unsigned int flags) {
  ssize_t r = get_copy_file_range()(in, inoff, out, outoff, n, flags);
  if (r > 0) log_blind_fd("copy_file_range", out);
  return r;
}

/*
 * libuv reaches some calls through syscall(2) rather than their libc wrappers (close, statx,
 * copy_file_range, io_uring). The ones that could move file data out of the trace's sight are marked.
 */
long syscall(long number, ...) {
  va_list ap;
  long a[6];
  va_start(ap, number);
  for (int i = 0; i < 6; i++) a[i] = va_arg(ap, long);
  va_end(ap);
  if (number == SYS_io_uring_setup || number == SYS_io_uring_enter || number == SYS_io_uring_register) {
    line_t l;
    begin(&l, "blind");
    put(&l, "\twhat=io_uring");
    put_kv(&l, "nr", number);
    emit(&l, "blind");
  }
  long r = get_syscall()(number, a[0], a[1], a[2], a[3], a[4], a[5]);
  if (r > 0 && number == SYS_copy_file_range) log_blind_fd("copy_file_range", (int)a[2]);
  if (r >= 0 && (number == SYS_pwritev2 || number == SYS_pwritev || number == SYS_pwrite64 ||
                 number == SYS_write || number == SYS_writev)) {
    log_write("syscall_write", (int)a[0], -1, r);
  }
  if (number == SYS_fsync || number == SYS_fdatasync || number == SYS_sync_file_range ||
      number == SYS_rename || number == SYS_renameat || number == SYS_renameat2 ||
      number == SYS_unlink || number == SYS_unlinkat || number == SYS_mkdir || number == SYS_mkdirat ||
      number == SYS_ftruncate || number == SYS_link || number == SYS_linkat) {
    line_t l;
    begin(&l, "blind");
    put(&l, "\twhat=raw_syscall");
    put_kv(&l, "nr", number);
    emit(&l, "blind");
  }
  return r;
}
