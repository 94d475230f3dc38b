package org.kmodel.vfs;

import org.kmodel.kernel.Errno;
import org.kmodel.kernel.KernelException;

/**
 * The model's SIGBUS: an access through a file mapping to a page that lies wholly past EOF
 * (mm/filemap.c {@code filemap_fault} returns VM_FAULT_SIGBUS). This happens, for instance, when a
 * COLLAPSE_RANGE shortened the file under a MAP_SHARED mapping. It is a {@link KernelException} with
 * errno EFAULT so that generic callers treat it as a failed access; {@link #address()} is the faulting
 * offset within the mapping ({@code si_addr} minus the mapping start).
 */
public class SigbusException extends KernelException {
    private static final long serialVersionUID = 1L;

    private final long address;

    public SigbusException(long address) {
        super(Errno.EFAULT, "SIGBUS (Bus error) at mapping offset 0x" + Long.toHexString(address));
        this.address = address;
    }

    public long address() {
        return address;
    }
}
