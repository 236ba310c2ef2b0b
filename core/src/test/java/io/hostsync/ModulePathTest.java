package io.hostsync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Core as a module: it exports the API packages and hides the implementation, and an application
 * on the module path opens a region, locks, and counts through jnr-ffi's generated bindings.
 */
class ModulePathTest {

    private static final Path CORE_CLASSES = classPath().stream()
            .filter(entry -> entry.endsWith(Path.of("core", "target", "classes")))
            .findFirst().orElseThrow(() -> new IllegalStateException("core's classes are not on the class path"));

    @TempDir
    Path work;

    @Test
    void theModuleExportsTheApiAndOnlyTheNativeBindingsBesides() {
        ModuleDescriptor core = ModuleFinder.of(CORE_CLASSES).findAll().iterator().next().descriptor();

        assertThat(core.name()).isEqualTo("io.hostsync.core");
        assertThat(core.exports()).allMatch(export -> !export.isQualified())
                .extracting(ModuleDescriptor.Exports::source)
                .containsExactlyInAnyOrder("io.hostsync", "io.hostsync.state", "io.hostsync.internal.ffi");
        assertThat(core.packages()).contains("io.hostsync.internal.region", "io.hostsync.internal.lock",
                "io.hostsync.internal.os");
    }

    @Test
    void anApplicationOnTheModulePathLocksAndCountsAndCannotReachTheInternals() throws Exception {
        Path source = work.resolve("src");
        Files.createDirectories(source.resolve("app"));
        Files.writeString(source.resolve("module-info.java"), "module app { requires io.hostsync.core; }");
        Files.writeString(source.resolve("app/Main.java"), """
                package app;

                import io.hostsync.RWLock;
                import io.hostsync.RegionOptions;
                import io.hostsync.SharedRegion;

                public class Main {
                    public static void main(String[] args) {
                        RegionOptions options = RegionOptions.builder("module-path")
                                .directory(java.nio.file.Path.of(args[0])).build();
                        try (SharedRegion region = SharedRegion.open(options)) {
                            RWLock lock = region.lock("modular");
                            lock.writeLock().lock();
                            long count = region.state().counter("runs").incrementAndGet();
                            lock.writeLock().unlock();
                            Module core = SharedRegion.class.getModule();
                            System.out.println("OK " + count + " region-exported="
                                    + core.isExported("io.hostsync.internal.region") + " lock-exported="
                                    + core.isExported("io.hostsync.internal.lock") + " os-exported="
                                    + core.isExported("io.hostsync.internal.os"));
                        }
                    }
                }
                """);
        Path classes = work.resolve("classes");
        Process javac = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "javac").toString(),
                "-d", classes.toString(), "--module-path", CORE_CLASSES.toString(),
                source.resolve("module-info.java").toString(), source.resolve("app/Main.java").toString())
                .redirectErrorStream(true).start();
        String javacOutput = readAll(javac);
        assertThat(javac.waitFor(60, TimeUnit.SECONDS)).as("javac ends").isTrue();
        assertThat(javac.exitValue()).as("javac of the modular application: " + javacOutput).isZero();

        List<String> modulePath = new ArrayList<>();
        modulePath.add(CORE_CLASSES.toString());
        modulePath.add(classes.toString());
        classPath().stream().map(Path::toString)
                .filter(entry -> entry.contains("jnr") || entry.contains("jffi") || entry.contains("asm"))
                .forEach(modulePath::add);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xshare:auto"));
        if (Runtime.version().feature() >= 22) {
            command.add("--enable-native-access=ALL-UNNAMED,org.jnrproject.jffi");
        }
        command.addAll(List.of("--module-path", String.join(File.pathSeparator, modulePath),
                "--add-modules", "ALL-MODULE-PATH", "-m", "app/app.Main", work.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = readAll(process);

        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the application ends").isTrue();
        assertThat(output).contains("OK 1 region-exported=false lock-exported=false os-exported=false");
        assertThat(process.exitValue()).as(output).isZero();
    }

    private static String readAll(Process process) throws IOException {
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    private static List<Path> classPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator)).map(Path::of)
                .collect(Collectors.toList());
    }
}
