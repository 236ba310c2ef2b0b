package io.hostsync;

/**
 * A native call failed. The message names the call, its argument of interest (usually a file),
 * the errno value and its meaning.
 */
public class NativeCallException extends HostsyncException {

    private static final long serialVersionUID = 1L;

    private final String call;
    private final int errno;

    /**
     * Creates the exception.
     *
     * @param call the native function that failed, for example {@code fcntl(F_OFD_SETLK)}
     * @param errno the error number it reported
     * @param message the complete message
     */
    public NativeCallException(String call, int errno, String message) {
        super(message);
        this.call = call;
        this.errno = errno;
    }

    /**
     * Returns the native function that failed.
     *
     * @return the call, for example {@code posix_fallocate}
     */
    public String call() {
        return call;
    }

    /**
     * Returns the error number the call reported.
     *
     * @return the errno value
     */
    public int errno() {
        return errno;
    }
}
