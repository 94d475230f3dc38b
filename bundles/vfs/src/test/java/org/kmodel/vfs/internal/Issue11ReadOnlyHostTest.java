package org.kmodel.vfs.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Issue 11: the cases of {@link ReadOnlyCases} against the host's kernel, so the table the model is held to stays the
 * kernel's: a tmpfs is mounted in a temporary directory, the same tree is made on it, it is remounted read-only, and
 * a Python helper makes each call and prints its errno. Needs root (mount), python3, mkfifo, mknod and chattr; skips
 * with a message without them. The tmpfs is unmounted and the directory removed afterwards.
 */
class Issue11ReadOnlyHostTest {
    private static final String POPULATE = "set -e; cd \"$1\"; head -c 8192 /dev/zero > f; : > empty; mkdir d e imm;"
            + " : > e/child; ln -s f lnk; ln f hard; mkfifo fifo; mknod null c 1 3; echo data > immf;"
            + " chattr +i immf imm; echo src > \"$2/src\"";

    /** Makes one call per input line ({@code op TAB args}) and prints OK or the errno's name. */
    private static final String PROBE = """
            import ctypes, ctypes.util, errno, fcntl, mmap, os, struct, sys
            libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
            ROOT, OTHER = sys.argv[1], sys.argv[2]
            def path(a):
                return os.path.join(OTHER, a[1:]) if a.startswith("@") else os.path.join(ROOT, a.replace("LONG", "n" * 256))
            def check(r):
                if r != 0:
                    e = ctypes.get_errno(); raise OSError(e, os.strerror(e))
            FLAGS = {"O_RDONLY": os.O_RDONLY, "O_WRONLY": os.O_WRONLY, "O_RDWR": os.O_RDWR, "O_CREAT": os.O_CREAT,
                     "O_EXCL": os.O_EXCL, "O_TRUNC": os.O_TRUNC, "O_NOFOLLOW": os.O_NOFOLLOW}
            class TS(ctypes.Structure):
                _fields_ = [("s", ctypes.c_long), ("ns", ctypes.c_long)]
            def setflags(p, how):
                fd = os.open(p, os.O_RDONLY | os.O_NONBLOCK)
                try:
                    try:
                        cur = struct.unpack("l", fcntl.ioctl(fd, 0x80086601, struct.pack("l", 0)))[0]
                    except OSError:
                        cur = 0
                    fcntl.ioctl(fd, 0x40086602, struct.pack("l", cur | (0x80 if how == "noatime" else 0)))
                finally:
                    os.close(fd)
            def call(op, a):
                if op == "mkdir": os.mkdir(path(a[0]), 0o755)
                elif op == "open":
                    fl = 0
                    for n in a[1].split("|"): fl |= FLAGS[n]
                    os.close(os.open(path(a[0]), fl, 0o644))
                elif op == "unlink": os.unlink(path(a[0]))
                elif op == "rmdir": os.rmdir(path(a[0]))
                elif op == "rename": os.rename(path(a[0]), path(a[1]))
                elif op == "link": os.link(path(a[0]), path(a[1]))
                elif op == "symlink": os.symlink(a[0], path(a[1]))
                elif op == "mknod": os.mknod(path(a[0]), {"fifo": 0o10644, "dir": 0o40644, "symlink": 0o120644}[a[1]])
                elif op == "truncate": check(libc.truncate(path(a[0]).encode(), ctypes.c_long(int(a[1]))))
                elif op == "chmod": os.chmod(path(a[0]), int(a[1], 8))
                elif op == "utimens":
                    t = TS(0, (1 << 30) - 2) if a[1] == "omit" else TS(1, 0)
                    check(libc.utimensat(-100, path(a[0]).encode(), (TS * 2)(t, t), 0))
                elif op == "setflags": setflags(path(a[0]), a[1])
                elif op == "fallocate-rdonly":
                    fd = os.open(path(a[0]), os.O_RDONLY)
                    try: check(libc.fallocate(fd, 0, ctypes.c_long(0), ctypes.c_long(4096)))
                    finally: os.close(fd)
                elif op == "mmap-shared-write-rdonly":
                    fd = os.open(path(a[0]), os.O_RDONLY)
                    try: mmap.mmap(fd, 4096, mmap.MAP_SHARED, mmap.PROT_READ | mmap.PROT_WRITE).close()
                    finally: os.close(fd)
                else: raise SystemExit("unknown op " + op)
            for line in sys.stdin:
                parts = line.rstrip("\\n").split("\\t")
                try:
                    call(parts[0], parts[1:]); print("OK")
                except OSError as e:
                    print(errno.errorcode[e.errno])
            """;

    private record Result(int status, String out) {}

    private static Result exec(String stdin, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("did not finish: " + List.of(cmd));
        }
        return new Result(p.exitValue(), out);
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void theHostsReadOnlyTmpfsGivesTheTablesErrnos() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "not root: cannot mount a tmpfs to compare with");
        for (String tool : List.of("python3", "mount", "umount", "mkfifo", "mknod", "chattr", "sh")) {
            assumeTrue(onPath(tool), tool + " not found: no comparison with the host");
        }
        Path dir = Files.createTempDirectory("kmodel-issue11-ro");
        Path ro = Files.createDirectory(dir.resolve("ro"));
        Path other = Files.createDirectory(dir.resolve("other"));
        boolean mounted = false;
        try {
            Result m = exec("", "mount", "-t", "tmpfs", "-o", "size=1m", "kmodel-issue11", ro.toString());
            assumeTrue(m.status() == 0, "cannot mount a tmpfs here: " + m.out().strip());
            mounted = true;
            Result p = exec("", "sh", "-c", POPULATE, "populate", ro.toString(), other.toString());
            assumeTrue(
                    p.status() == 0,
                    "cannot make the tree (chattr on tmpfs needs Linux 6.0): "
                            + p.out().strip());
            assertEquals(0, exec("", "mount", "-o", "remount,ro", ro.toString()).status());

            List<ReadOnlyCases.Case> cases = ReadOnlyCases.all();
            StringBuilder in = new StringBuilder();
            for (ReadOnlyCases.Case k : cases) {
                in.append(k.op());
                for (String a : k.args()) {
                    in.append('\t').append(a);
                }
                in.append('\n');
            }
            Path probe = dir.resolve("probe.py");
            Files.writeString(probe, PROBE);
            Result r = exec(in.toString(), "python3", probe.toString(), ro.toString(), other.toString());
            assertEquals(0, r.status(), r.out());
            List<String> got = r.out().lines().toList();
            assertEquals(cases.size(), got.size(), r.out());
            List<String> wrong = new ArrayList<>();
            for (int i = 0; i < cases.size(); i++) {
                ReadOnlyCases.Case k = cases.get(i);
                String want = k.expected() == null ? "OK" : k.expected().name();
                if (!want.equals(got.get(i))) {
                    wrong.add(k.what() + ": table " + want + ", host " + got.get(i));
                }
            }
            assertEquals(List.of(), wrong);
        } finally {
            if (mounted) {
                exec("", "umount", ro.toString()); // a tmpfs: its immutable files go with it
            }
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }
}
