package io.hostsync.internal.os;

import java.util.Locale;

/**
 * Which region layer this JVM uses. The native one needs Linux on x86-64 or aarch64 (OFD locks,
 * the futex, {@code posix_fallocate}, {@code /proc}, through jnr-ffi); everywhere else, on Linux
 * when {@value #PORTABLE_PROPERTY} is {@code true}, and in a GraalVM native image, the portable
 * one: pure Java, with {@link java.nio.channels.FileChannel} locks for liveness and polling
 * instead of the futex.
 */
public final class Platform {

    /** System property that makes a Linux JVM use the portable region layer, as other systems do. */
    public static final String PORTABLE_PROPERTY = "hostsync.portable";

    /**
     * System property that makes the {@code file} backend use {@link java.nio.channels.FileChannel}
     * locks on Linux too, as the portable layer does (to test that path).
     */
    public static final String CHANNEL_LOCKS_PROPERTY = "hostsync.file.channel-locks";

    /**
     * System property that GraalVM sets while it builds a native image ({@code buildtime}) and in
     * the image it built ({@code runtime}). jnr-ffi defines its call stubs with ASM at run time,
     * which a native image cannot do, so the portable layer is used there.
     */
    public static final String NATIVE_IMAGE_PROPERTY = "org.graalvm.nativeimage.imagecode";

    /** How long a portable wait sleeps before it looks again: it has no futex to be woken by. */
    public static final long PORTABLE_POLL_NANOS = 200_000;

    private static final boolean NATIVE_PLATFORM = nativePlatform(System.getProperty("os.name", ""),
            System.getProperty("os.arch", ""));
    private static final boolean NATIVE_IMAGE = System.getProperty(NATIVE_IMAGE_PROPERTY) != null;
    private static final boolean PORTABLE = !NATIVE_PLATFORM || NATIVE_IMAGE || Boolean.getBoolean(PORTABLE_PROPERTY);

    private Platform() {
    }

    /**
     * Whether this JVM uses the portable region layer.
     *
     * @return {@code true} off Linux x86-64/aarch64, in a native image, or when
     *     {@value #PORTABLE_PROPERTY} is {@code true}
     */
    public static boolean portable() {
        return PORTABLE;
    }

    /**
     * Why this JVM uses the portable region layer, for messages.
     *
     * @return a short reason
     */
    public static String portableReason() {
        if (!NATIVE_PLATFORM) {
            return "this is " + System.getProperty("os.name") + " on " + System.getProperty("os.arch")
                    + ", not Linux on x86-64 or aarch64";
        }
        if (NATIVE_IMAGE) {
            return "this is a GraalVM native image (" + NATIVE_IMAGE_PROPERTY + "="
                    + System.getProperty(NATIVE_IMAGE_PROPERTY) + "), where jnr-ffi cannot define its classes";
        }
        return "-D" + PORTABLE_PROPERTY + "=true is set";
    }

    static boolean nativePlatform(String os, String arch) {
        String a = arch.toLowerCase(Locale.ROOT);
        return os.toLowerCase(Locale.ROOT).startsWith("linux")
                && (a.equals("amd64") || a.equals("x86_64") || a.equals("aarch64") || a.equals("arm64"));
    }
}
