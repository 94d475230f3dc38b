package org.kmodel.mm;

/** The outcome of one workload run under one design (a cell of the reproduction table). */
public final class WorkloadResult {
    public String workload;
    public String design;
    public long seed;
    public long events;
    public long lookups;
    public long hits;
    public long invalidations;
    public long staleRejected;
    /** Layout checks against the trace's post-operation bounds that failed (replay only). */
    public long checkMismatches;

    public long checks;
    /**
     * Trace events whose change the model refused (a call that also failed in the traced program, or a rule the
     * model lacks); the replay goes on without the change.
     */
    public long failedEvents;
    /** The first failed layout check ("line N: ..."), or null. */
    public String firstMismatch;

    public long nanos;
    /** The published figure for this cell, or NaN if none was published. */
    public double published = Double.NaN;
    /**
     * Where {@link #published} comes from, short enough for a table column: {@code LWN 2014-03-05} (the
     * article, quoting the changelog of commit 615d6e8756c8 "mm: per-thread vma caching") or
     * {@code LKML 2013-11-10} (Davidlohr Bueso's comparison mail in the "mm: cache largest vma" thread);
     * null if none.
     */
    public String publishedSource;

    public double hitRate() {
        return lookups == 0 ? 0.0 : 100.0 * hits / lookups;
    }
}
