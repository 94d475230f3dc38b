/**
 * Tracepoints (include/linux/tracepoint.h): the registry other subsystems and modules fire events
 * through. The trace bundle provides the implementation; this is the minimal surface every caller
 * needs. The trace bundle may add to this package (additively).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.kmodel.trace;
