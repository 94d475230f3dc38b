package org.kmodel.itests;

import static org.junit.Assert.assertTrue;

import java.io.File;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.kmodel.itests.support.KernelTestSupport;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * docs/vfs.md#page-cache-around-fallocate end to end on ext4 through the shell: a dirty MAP_SHARED store survives a COLLAPSE_RANGE and
 * is read at its shifted offset through the same mapping; the page past the new EOF raises SIGBUS.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class VfsMmapCollapseIT extends KernelTestSupport {
    @Configuration
    public Option[] config() {
        return kernel(feature("fs-ext4"));
    }

    @Test
    public void sharedMappingFollowsCollapseOnExt4() throws Exception {
        File img = new File(WORK, "VfsMmapCollapseIT/ext4.img");
        img.getParentFile().mkdirs();
        img.delete();
        awaitGogo("mount", "/tmp");
        gogo("mkfs -t ext4 " + img.getAbsolutePath() + " 64M");
        gogo("mkdir -p /mnt/e");
        gogo("mount -t ext4 " + img.getAbsolutePath() + " /mnt/e");
        String common =
                "xfs_io -f -c 'pwrite -q -S 0x41 0 4k' -c 'pwrite -q -S 0x42 4k 4k' -c 'pwrite -q -S 0x43 8k 4k'"
                        + " -c 'pwrite -q -S 0x44 12k 4k' -c 'mmap -rw 0 16k' -c 'mwrite -S 0x6d 8k 4k' -c 'fcollapse 4k 4k'"
                        + " -c 'mread -v 4k 4' -c 'mread -v 8k 4' -c 'stat'";
        String out = gogo(common + " /mnt/e/f");
        assertTrue(out, out.contains("00001000:  6d 6d 6d 6d  mmmm"));
        assertTrue(out, out.contains("00002000:  44 44 44 44  DDDD"));
        assertTrue(out, out.contains("stat.size = 12288"));
        String err = gogoFails("xfs_io -c 'mmap -r 0 16k' -c 'mread 12k 1' /mnt/e/f");
        assertTrue(err, err.contains("Bus error"));
        assertTrue(gogo("xfs_io -c 'pread -v 4096 4' /mnt/e/f").startsWith("00001000:  6d 6d 6d 6d  mmmm"));
        gogo("umount /mnt/e");
    }
}
