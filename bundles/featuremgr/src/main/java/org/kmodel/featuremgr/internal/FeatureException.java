package org.kmodel.featuremgr.internal;

/**
 * A failed feature operation. The message ends with the Linux strerror text of the errno that fits, in the
 * form every kmodel command error has ({@code what failed: strerror}); the feature manager does not import
 * the kmodel API so that it never has to be refreshed when a feature carrying the API goes away.
 */
final class FeatureException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    static final String ENOENT = "No such file or directory";
    static final String EINVAL = "Invalid argument";
    static final String EEXIST = "File exists";
    static final String EBUSY = "Device or resource busy";
    static final String ENOEXEC = "Exec format error";

    FeatureException(String what, String strerror) {
        super(what + ": " + strerror);
    }

    FeatureException(String what, String strerror, Throwable cause) {
        super(what + ": " + strerror, cause);
    }
}
