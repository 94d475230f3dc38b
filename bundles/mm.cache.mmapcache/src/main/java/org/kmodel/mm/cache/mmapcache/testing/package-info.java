/**
 * The one-entry mmap_cache design (before 3.15) without OSGi.
 * Test support, exported for the tests of other bundles and for the benchmarks (which may not reach
 * {@code internal} packages, see {@code TestBoundariesTest} in {@code testing/}); no production code uses it.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.kmodel.mm.cache.mmapcache.testing;
