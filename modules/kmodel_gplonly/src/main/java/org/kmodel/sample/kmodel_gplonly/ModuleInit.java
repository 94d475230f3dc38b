package org.kmodel.sample.kmodel_gplonly;

import org.kmodel.kernel.KernelLog;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/** Proprietary module using a GPL-only symbol: init and exit print to the kernel log, as module_init/module_exit functions do. */
@Component(
        service = {},
        immediate = true)
public class ModuleInit {
    private final KernelLog log;

    @Activate
    public ModuleInit(@Reference KernelLog log) {
        this.log = log;
        log.info("kmodel_gplonly: init");
    }

    @Deactivate
    void exit() {
        log.info("kmodel_gplonly: exit");
    }
}
