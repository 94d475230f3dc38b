package org.kmodel.block;

/**
 * One entry of a {@link WriteRecorder} log.
 *
 * @param index  position in the log, from 0
 * @param kind   what happened
 * @param offset byte offset of a write (0 otherwise)
 * @param length byte length of a write (0 otherwise)
 * @param fua    a write with REQ_FUA
 * @param mark   the name of a {@link Kind#MARK}, else {@code null}
 */
public record WriteLogEntry(int index, Kind kind, long offset, int length, boolean fua, String mark) {
    /** Entry kinds. */
    public enum Kind {
        WRITE,
        FLUSH,
        MARK
    }
}
