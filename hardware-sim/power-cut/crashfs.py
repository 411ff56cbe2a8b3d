#!/usr/bin/python3
"""crashfs: a recording passthrough FUSE filesystem for power-cut tests (our own program).

Usage: crashfs.py <backing dir> <mount point> <op log> <seq file>

Every file operation is passed through to <backing dir>, so the program under test runs as
usual. Every operation that changes the filesystem or makes something durable is appended to
<op log> as one JSON line, numbered from 1, *before* it returns to the caller:

  create/mkdir {path, ino}   write {ino, off, data (base64), sync}   truncate {ino, size}
  fsync {ino}   fsyncdir {path}   unlink/rmdir {path}   rename {from, to}

`sync` is true for a write through a descriptor opened O_SYNC or O_DSYNC: such descriptors are
opened direct_io, so the kernel hands us each write as one request carrying its own durability
(no separate whole-file fsync that would make earlier unsynced writes durable too).
The number of the last recorded operation is kept as a little-endian u64 in <seq file>
(memory-mapped): the program under test reads it when it confirms something durable.
hardware-sim/power-cut/crash-states.ts replays the log into every crash state.
"""
import base64
import errno
import json
import mmap
import os
import struct
import sys

import fusepy

SYNC_FLAGS = os.O_SYNC | os.O_DSYNC


class CrashFs(fusepy.Operations):
    use_ns = True

    def __init__(self, backing, log_path, seq_path):
        self.root = os.path.realpath(backing)
        self.log = open(log_path, 'w', encoding='utf-8')
        with open(seq_path, 'wb') as f:
            f.write(b'\0' * 8)
        self.seq_fd = os.open(seq_path, os.O_RDWR)
        self.seq_map = mmap.mmap(self.seq_fd, 8)
        self.seq = 0
        self.sync_fh = set()

    def _p(self, path):
        return os.path.join(self.root, path.lstrip('/'))

    def _record(self, entry):
        self.seq += 1
        entry['seq'] = self.seq
        self.log.write(json.dumps(entry, separators=(',', ':')) + '\n')
        self.log.flush()
        self.seq_map[0:8] = struct.pack('<Q', self.seq)

    def destroy(self, path):
        self.log.close()
        self.seq_map.close()
        os.close(self.seq_fd)

    # reads
    def getattr(self, path, fh=None):
        st = os.lstat(self._p(path))
        return {'st_mode': st.st_mode, 'st_nlink': st.st_nlink, 'st_uid': st.st_uid, 'st_gid': st.st_gid, 'st_size': st.st_size,
                'st_atime': st.st_atime_ns, 'st_mtime': st.st_mtime_ns, 'st_ctime': st.st_ctime_ns}

    def readdir(self, path, fh):
        return ['.', '..'] + os.listdir(self._p(path))

    def access(self, path, amode):
        if not os.access(self._p(path), amode):
            raise fusepy.FuseOSError(errno.EACCES)

    def statfs(self, path):
        s = os.statvfs(self._p(path))
        return {k: getattr(s, k) for k in ('f_bavail', 'f_bfree', 'f_blocks', 'f_bsize', 'f_favail', 'f_ffree', 'f_files', 'f_flag', 'f_frsize', 'f_namemax')}

    def read(self, path, size, offset, fi):
        return os.pread(fi.fh, size, offset)

    # opening
    def _opened(self, fi, fd):
        fi.fh = fd
        if fi.flags & SYNC_FLAGS:
            fi.direct_io = 1
            self.sync_fh.add(fd)
        return 0

    def open(self, path, fi):
        # O_APPEND is the kernel's business: it sends the offset; pwrite must not append on its own.
        return self._opened(fi, os.open(self._p(path), fi.flags & ~(os.O_APPEND | os.O_CREAT | os.O_EXCL | os.O_TRUNC)))

    def create(self, path, mode, fi):
        fd = os.open(self._p(path), (fi.flags & ~os.O_APPEND) | os.O_CREAT | os.O_EXCL, mode)
        self._record({'op': 'create', 'path': path, 'ino': os.fstat(fd).st_ino})
        return self._opened(fi, fd)

    def release(self, path, fi):
        self.sync_fh.discard(fi.fh)
        os.close(fi.fh)
        return 0

    def flush(self, path, fi):
        return 0

    # changes
    def write(self, path, data, offset, fi):
        n = os.pwrite(fi.fh, data, offset)
        self._record({'op': 'write', 'ino': os.fstat(fi.fh).st_ino, 'off': offset, 'data': base64.b64encode(data[:n]).decode('ascii'), 'sync': fi.fh in self.sync_fh})
        return n

    def truncate(self, path, length, fi=None):
        if fi is not None:
            os.ftruncate(fi.fh, length)
            ino = os.fstat(fi.fh).st_ino
        else:
            os.truncate(self._p(path), length)
            ino = os.lstat(self._p(path)).st_ino
        self._record({'op': 'truncate', 'ino': ino, 'size': length})
        return 0

    def fsync(self, path, datasync, fi):
        os.fsync(fi.fh)
        self._record({'op': 'fsync', 'ino': os.fstat(fi.fh).st_ino})
        return 0

    def fsyncdir(self, path, datasync, fh):
        self._record({'op': 'fsyncdir', 'path': path})
        return 0

    def mkdir(self, path, mode):
        os.mkdir(self._p(path), mode)
        self._record({'op': 'mkdir', 'path': path, 'ino': os.lstat(self._p(path)).st_ino})
        return 0

    def unlink(self, path):
        os.unlink(self._p(path))
        self._record({'op': 'unlink', 'path': path})
        return 0

    def rmdir(self, path):
        os.rmdir(self._p(path))
        self._record({'op': 'rmdir', 'path': path})
        return 0

    def rename(self, old, new):
        os.rename(self._p(old), self._p(new))
        self._record({'op': 'rename', 'from': old, 'to': new})
        return 0

    def chmod(self, path, mode):
        os.chmod(self._p(path), mode)
        return 0

    def chown(self, path, uid, gid):
        os.chown(self._p(path), uid, gid)
        return 0

    def utimens(self, path, times=None):
        os.utime(self._p(path), ns=times)
        return 0


def main():
    if len(sys.argv) != 5:
        sys.stderr.write(__doc__)
        sys.exit(2)
    backing, mountpoint, log_path, seq_path = sys.argv[1:]
    fusepy.FUSE(CrashFs(backing, log_path, seq_path), mountpoint, foreground=True, nothreads=True, raw_fi=True, hard_remove=True, fsname='crashfs')


if __name__ == '__main__':
    main()
