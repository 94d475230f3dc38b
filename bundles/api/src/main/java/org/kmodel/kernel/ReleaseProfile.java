package org.kmodel.kernel;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The release the kernel was booted as (framework/system property {@value #PROPERTY}, {@code ./kmodel
 * --release R}); fixed for the lifetime of the framework. Components that behave differently between
 * releases read it here: {@code profile.release().atLeast(3, 15)}.
 */
@ProviderType
public interface ReleaseProfile {
    /** The boot property that selects the release: "3.14", "3.15" (default) or "6.18". */
    String PROPERTY = "kmodel.release";

    KernelRelease release();

    /** {@code uname -r}: "3.15.0-kmodel". */
    default String unameRelease() {
        return release().unameRelease();
    }

    /** {@code uname -v}: the build string, e.g. "#1 SMP PREEMPT kmodel". */
    String unameVersion();

    /** {@code /proc/version} without the trailing newline. */
    String procVersion();
}
