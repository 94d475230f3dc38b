package org.kmodel.fs;

/**
 * What mkfs made; {@code report} is the tool's summary text (the lines mke2fs or mkfs.xfs print).
 */
public record MkfsResult(String type, long blocks, int blockSize, int clusterSize, String report) {}
