package org.kmodel.sample.kmodel_badmagic;

import org.kmodel.kernel.KernelLog;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/** Module built for another kernel: init and exit print to the kernel log, as module_init/module_exit functions do. */
@Component(
        service = {},
        immediate = true)
public class ModuleInit {
    private final KernelLog log;

    @Activate
    public ModuleInit(@Reference KernelLog log) {
        this.log = log;
        log.info("kmodel_badmagic: init");
    }

    @Deactivate
    void exit() {
        log.info("kmodel_badmagic: exit");
    }
}
