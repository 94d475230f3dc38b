#!/usr/bin/env python3
"""Records the kernel matrix rows (docs/vfs.md#the-errno-matrix) on the real kernel (root, loop-mounted ext4/xfs at /mnt/fs-*) with the
fallocate-probe `fa` tool, one JSON object per (fs, row), for the model's table-driven test.
Usage: sudo tools/kernel-matrix.py FA_BINARY OUT.jsonl"""
import json, subprocess, sys

FS = {"ext4-4k": "/mnt/fs-ext4", "ext4-1k": "/mnt/fs-ext4-1k", "ext4-bigalloc64k": "/mnt/fs-ext4-big",
      "xfs-4k": "/mnt/fs-xfs", "xfs-1k": "/mnt/fs-xfs-1k"}
K = 1024
P64 = ("pattern", 65536)
ROWS = [
    # id, base (kind, size), setup [(mode, off, len)], op (mode, off, len), extra args
    ("c.mid", P64, [], ("COLLAPSE", 4*K, 4*K)),
    ("c.zero", P64, [], ("COLLAPSE", 0, 4*K)),
    ("c.big", P64, [], ("COLLAPSE", 16*K, 32*K)),
    ("c.1k", P64, [], ("COLLAPSE", 1*K, 1*K)),
    ("c.64k", ("pattern", 192*K), [], ("COLLAPSE", 64*K, 64*K)),
    ("c.unal.off", P64, [], ("COLLAPSE", 1000, 4*K)),
    ("c.unal.len", P64, [], ("COLLAPSE", 4*K, 1000)),
    ("c.reach.eof", P64, [], ("COLLAPSE", 60*K, 4*K)),
    ("c.whole", P64, [], ("COLLAPSE", 0, 64*K)),
    ("c.cross.eof", P64, [], ("COLLAPSE", 60*K, 8*K)),
    ("c.beyond.eof", P64, [], ("COLLAPSE", 128*K, 4*K)),
    ("c.unal.size", ("pattern", 65640), [], ("COLLAPSE", 4*K, 4*K)),
    ("c.unal.size.tail", ("pattern", 65640), [], ("COLLAPSE", 60*K, 4*K)),
    ("c.hole", ("halfsparse", 64*K), [], ("COLLAPSE", 8*K, 8*K)),
    ("c.across.holedata", ("halfsparse", 64*K), [], ("COLLAPSE", 24*K, 16*K)),
    ("c.unwritten", P64, [("PUNCH|KEEP", 16*K, 16*K), ("KEEP", 16*K, 16*K)], ("COLLAPSE", 8*K, 4*K)),
    ("c.posteof", P64, [("KEEP", 64*K, 64*K)], ("COLLAPSE", 4*K, 4*K)),
    ("c.64k.posteof", ("pattern", 192*K), [("KEEP", 192*K, 64*K)], ("COLLAPSE", 64*K, 64*K)),
    ("i.mid", P64, [], ("INSERT", 4*K, 4*K)),
    ("i.zero", P64, [], ("INSERT", 0, 8*K)),
    ("i.1k", P64, [], ("INSERT", 1*K, 1*K)),
    ("i.64k", ("pattern", 192*K), [], ("INSERT", 64*K, 64*K)),
    ("i.at.eof", P64, [], ("INSERT", 64*K, 4*K)),
    ("i.beyond.eof", P64, [], ("INSERT", 68*K, 4*K)),
    ("i.last.block", P64, [], ("INSERT", 60*K, 4*K)),
    ("i.unal.off", P64, [], ("INSERT", 1000, 4*K)),
    ("i.unal.len", P64, [], ("INSERT", 4*K, 1000)),
    ("i.unal.size", ("pattern", 65640), [], ("INSERT", 4*K, 4*K)),
    ("i.unal.size.lastpartial", ("pattern", 65640), [], ("INSERT", 64*K, 4*K)),
    ("i.hole", ("halfsparse", 64*K), [], ("INSERT", 8*K, 4*K)),
    ("i.posteof", P64, [("KEEP", 64*K, 64*K)], ("INSERT", 4*K, 4*K)),
    ("p.mid", P64, [], ("PUNCH|KEEP", 4*K, 8*K)),
    ("p.unal", P64, [], ("PUNCH|KEEP", 1000, 5000)),
    ("p.unal.big", P64, [], ("PUNCH|KEEP", 1000, 10000)),
    ("p.cross.eof", P64, [], ("PUNCH|KEEP", 60*K, 16*K)),
    ("p.beyond.eof", P64, [], ("PUNCH|KEEP", 128*K, 4*K)),
    ("p.posteof.prealloc", P64, [("KEEP", 64*K, 64*K)], ("PUNCH|KEEP", 64*K, 64*K)),
    ("p.unal.eof", ("pattern", 65640), [], ("PUNCH|KEEP", 62*K, 4*K)),
    ("p.eof.page", ("pattern", 5000), [("KEEP", 5120, 11264)], ("PUNCH|KEEP", 4*K, 100000)),
    ("z.mid", P64, [], ("ZERO", 4*K, 8*K)),
    ("z.unal", P64, [], ("ZERO", 1000, 5000)),
    ("z.unal.big", P64, [], ("ZERO", 1000, 10000)),
    ("z.cross.eof", P64, [], ("ZERO", 60*K, 16*K)),
    ("z.cross.eof.keep", P64, [], ("ZERO|KEEP", 60*K, 16*K)),
    ("z.beyond.eof", P64, [], ("ZERO", 128*K, 4*K)),
    ("z.beyond.eof.unal", P64, [], ("ZERO", 64*K, 100)),
    ("z.hole", ("halfsparse", 64*K), [], ("ZERO", 8*K, 8*K)),
    ("z.hole.unal", ("halfsparse", 64*K), [], ("ZERO", 1000, 5000)),
    ("a.extend", P64, [], ("0", 64*K, 64*K)),
    ("a.keep.posteof", P64, [], ("KEEP", 64*K, 64*K)),
    ("a.unal.empty", ("sparse", 0), [], ("0", 1000, 100)),
    ("a.inside", P64, [], ("0", 4*K, 8*K)),
    ("a.hole", ("halfsparse", 64*K), [], ("0", 8*K, 8*K)),
    ("a.shrink", P64, [], ("0", 0, 4*K)),
    ("u.unshare", P64, [], ("UNSHARE", 0, 4*K)),
    ("u.unshare.keep", P64, [], ("UNSHARE|KEEP", 64*K, 4*K)),
    ("v.rlimit.extend", P64, [], ("0", 64*K, 4*K), ["fsize=65536"]),
    ("v.rlimit.keep", P64, [], ("KEEP", 64*K, 4*K), ["fsize=65536"]),
    ("v.rlimit.insert", P64, [], ("INSERT", 4*K, 4*K), ["fsize=65536"]),
]

def main(fa, out):
    with open(out, "w") as o:
        for fsname, mnt in FS.items():
            for row in ROWS:
                rid, (kind, size), setup, (mode, off, ln) = row[:4]
                extra = row[4] if len(row) > 4 else []
                f = mnt + "/m"
                subprocess.run([fa, "mk", f, str(size), kind], check=True)
                for (m, so, sl) in setup:
                    subprocess.run([fa, "run", f, m, str(so), str(sl), "rdwr", "nomap"], check=True,
                                   stdout=subprocess.DEVNULL)
                subprocess.run(["sync"], check=True)
                with open("/proc/sys/vm/drop_caches", "w") as d:
                    d.write("3")
                r = subprocess.run([fa, "run", f, mode, str(off), str(ln), "rdwr"] + extra, check=True,
                                   capture_output=True, text=True).stdout
                res = json.loads(r)
                rec = {"fs": fsname, "id": rid, "base": kind, "baseSize": size,
                       "setup": [list(s) for s in setup], "op": [mode, off, ln], "extra": extra}
                for k in ("rc", "size", "blocks512", "seek", "content", "fiemap"):
                    rec[k] = res.get(k)
                o.write(json.dumps(rec) + "\n")

if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
