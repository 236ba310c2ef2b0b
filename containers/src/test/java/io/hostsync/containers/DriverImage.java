package io.hostsync.containers;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Bind;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.images.builder.Transferable;

/**
 * The image the driver runs in, and how to run Java in it.
 *
 * <p>By default, an image that the tests build themselves, with no pull (the build machines
 * reach no registry): {@value #LOCAL_IMAGE}, {@code FROM scratch} with a tarball that holds only
 * the merged-usr links ({@code bin -> usr/bin}...) and empty folders. Containers get the host's
 * {@code /usr} and {@code /etc} read-only, so they run the JDK that runs the tests (and the
 * host's {@code curl}).
 *
 * <p>On a machine that can pull, any image with a JDK 17+ as {@code java} and {@code curl} on
 * the path does too: {@code -Dhostsync.containers.image=eclipse-temurin:21-jdk} (or the
 * environment variable {@code HOSTSYNC_CONTAINERS_IMAGE}); {@code -Dhostsync.containers.java}
 * names another java command. Either way the driver's classes and jars are mounted read-only
 * at their host paths.
 */
final class DriverImage {

    /** The system property that names another image. */
    static final String IMAGE_PROPERTY = "hostsync.containers.image";

    /** The environment variable that names another image, when the property is not set. */
    static final String IMAGE_VARIABLE = "HOSTSYNC_CONTAINERS_IMAGE";

    /** The image the tests build when no other is named. */
    static final String LOCAL_IMAGE = "hostsync-containers-base:local";

    private static DriverImage instance;

    private final String name;

    private final boolean hostRuntime;

    private DriverImage(String name, boolean hostRuntime) {
        this.name = name;
        this.hostRuntime = hostRuntime;
    }

    /**
     * Returns the configured image, building the local one first if it is the one and it is
     * missing.
     *
     * @return the image
     */
    static synchronized DriverImage get() {
        if (instance == null) {
            String configured = System.getProperty(IMAGE_PROPERTY, System.getenv(IMAGE_VARIABLE));
            if (configured == null || configured.isBlank() || configured.equals(LOCAL_IMAGE)) {
                buildLocalImageIfMissing();
                instance = new DriverImage(LOCAL_IMAGE, true);
            } else {
                instance = new DriverImage(configured.trim(), false);
            }
        }
        return instance;
    }

    /**
     * Returns the image name.
     *
     * @return for example {@value #LOCAL_IMAGE}
     */
    String name() {
        return this.name;
    }

    /**
     * Returns the command that starts a JVM in the image, with the options the driver runs
     * with: small, quick to start, native access allowed on JDK 22 and later.
     *
     * @return the java command and its options
     */
    List<String> java() {
        List<String> command = new ArrayList<>();
        if (this.hostRuntime) {
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            if (Runtime.version().feature() >= 22) {
                command.add("--enable-native-access=ALL-UNNAMED");
            }
        } else {
            command.add(System.getProperty("hostsync.containers.java", "java"));
        }
        command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss512k", "-Xmx128m"));
        return command;
    }

    /**
     * Returns what the image needs mounted from the host: with the local image, the host's
     * {@code /usr} and {@code /etc}, and the JDK if it lives elsewhere; nothing with another image.
     *
     * @return read-only bind mounts
     */
    List<Bind> runtimeMounts() {
        if (!this.hostRuntime) {
            return List.of();
        }
        List<Bind> mounts = new ArrayList<>(
                List.of(DriverContainer.readOnly("/usr"), DriverContainer.readOnly("/etc")));
        Path javaHome = Path.of(System.getProperty("java.home")).toAbsolutePath();
        if (!javaHome.startsWith("/usr")) {
            mounts.add(DriverContainer.readOnly(javaHome.toString()));
        }
        return mounts;
    }

    private static void buildLocalImageIfMissing() {
        DockerClient docker = DockerClientFactory.instance().client();
        try {
            docker.inspectImageCmd(LOCAL_IMAGE).exec();
            return;
        } catch (NotFoundException ex) {
            // built below
        }
        // FROM scratch needs no pull; ADD unpacks the tarball into the image.
        new ImageFromDockerfile(LOCAL_IMAGE, false)
                .withFileFromTransferable("rootfs.tar", Transferable.of(rootFileSystem()))
                .withFileFromString("Dockerfile", "FROM scratch\nADD rootfs.tar /\n")
                .get();
    }

    /**
     * A root file system with nothing in it but Debian's merged-usr links and the folders a
     * container needs; {@code /usr} and {@code /etc} are mounted from the host.
     */
    private static byte[] rootFileSystem() {
        Map<String, String> links = Map.of("bin", "usr/bin", "lib", "usr/lib", "lib64", "usr/lib64", "sbin",
                "usr/sbin");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            for (String folder : List.of("usr", "etc", "dev", "proc", "sys", "root", "var", "tmp")) {
                TarArchiveEntry entry = new TarArchiveEntry(folder + "/");
                entry.setMode(folder.equals("tmp") ? 01777 : 0755);
                tar.putArchiveEntry(entry);
                tar.closeArchiveEntry();
            }
            for (Map.Entry<String, String> link : links.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(link.getKey(), TarArchiveEntry.LF_SYMLINK);
                entry.setLinkName(link.getValue());
                tar.putArchiveEntry(entry);
                tar.closeArchiveEntry();
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return bytes.toByteArray();
    }
}
