package org.kmodel.vfs;

/**
 * One line of /proc/mounts: {@code source target fstype options 0 0}. {@code options} starts with
 * {@code ro} or {@code rw} from the mount's read-only flag, followed by what the filesystem reports (for example
 * {@code rw,relatime,size=65536k}).
 */
public record MountInfo(int id, String source, String target, String fsType, String options, long dev) {
    /** The /proc/mounts line without the newline. */
    public String procLine() {
        return source + " " + target + " " + fsType + " " + options + " 0 0";
    }
}
