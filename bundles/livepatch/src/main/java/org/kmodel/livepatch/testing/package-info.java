/**
 * Live patching without OSGi: the core with its engines, the task table and the patchable functions.
 * Test support, exported for the tests of other bundles and for the benchmarks (which may not reach
 * {@code internal} packages, see {@code TestBoundariesTest} in {@code testing/}); no production code uses it.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.kmodel.livepatch.testing;
