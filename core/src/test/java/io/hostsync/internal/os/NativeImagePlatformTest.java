package io.hostsync.internal.os;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostsync.RWLock;
import io.hostsync.RegionOptions;
import io.hostsync.SharedRegion;
import io.hostsync.testing.JvmProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In a GraalVM native image, where jnr-ffi cannot define its classes, the portable region layer
 * is chosen without being asked for. GraalVM cannot be had on the build machines, so a fresh JVM
 * is started with the system property that a native image sets, {@value Platform#NATIVE_IMAGE_PROPERTY}.
 */
class NativeImagePlatformTest {

    private static final Duration TIMEOUT = Duration.ofMinutes(1);

    /** jnr-ffi and jffi: what a native image could not run. */
    private static final Predicate<String> NATIVE = entry -> entry.contains("jnr") || entry.contains("jffi");

    /** The property is set on the command line of the child, as an image has it from its first instruction. */
    private static final List<String> IN_A_NATIVE_IMAGE = List.of("env",
            "JAVA_TOOL_OPTIONS=-D" + Platform.NATIVE_IMAGE_PROPERTY + "=runtime");

    @TempDir
    Path directory;

    @Test
    void aNativeImageUsesThePortableLayerAndSaysWhy() {
        try (JvmProcess child = JvmProcess.start(IN_A_NATIVE_IMAGE, NATIVE.negate(), PlatformProbe.class,
                this.directory.toString())) {
            assertThat(child.expect("PORTABLE ", TIMEOUT)).as(child.errors()).isEqualTo("PORTABLE true");
            assertThat(child.expect("REASON ", TIMEOUT))
                    .isEqualTo("REASON this is a GraalVM native image (org.graalvm.nativeimage.imagecode=runtime),"
                            + " where jnr-ffi cannot define its classes");
            assertThat(child.expect("LOCKED", TIMEOUT)).as("a region opened and locked without jnr-ffi: %s",
                    child.errors()).isEqualTo("LOCKED");
        }
    }

    @Test
    void aJvmWithoutThePropertyIsNotTakenForANativeImage() {
        try (JvmProcess child = JvmProcess.start(List.of(), PlatformProbe.class, this.directory.toString())) {
            assertThat(child.expect("REASON ", TIMEOUT)).as(child.errors()).doesNotContain("native image");
        }
    }

    /** Prints what {@link Platform} decided, then opens a region and takes its write lock. */
    public static final class PlatformProbe {

        public static void main(String[] args) {
            System.out.println("PORTABLE " + Platform.portable());
            System.out.println("REASON " + Platform.portableReason());
            try (SharedRegion region = SharedRegion.open(RegionOptions.builder("native-image-probe")
                    .directory(Path.of(args[0]))
                    .build())) {
                RWLock lock = region.lock();
                lock.writeLock().lock();
                lock.writeLock().unlock();
                System.out.println("LOCKED");
            }
        }
    }
}
