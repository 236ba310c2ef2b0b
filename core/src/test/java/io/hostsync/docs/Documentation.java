package io.hostsync.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where the documentation is, and the one switch that lets the docs tests rewrite what they
 * check instead of failing: {@code -Dhostsync.docs.update=true}. Shared by the docs tests of
 * every module (core's test-jar carries it).
 */
public final class Documentation {

    /** The system property that makes docs tests rewrite the generated parts of the docs. */
    public static final String UPDATE_PROPERTY = "hostsync.docs.update";

    private Documentation() {
    }

    /**
     * Tells whether the docs tests should rewrite the docs rather than compare them.
     *
     * @return {@code true} when {@code -Dhostsync.docs.update=true} was given
     */
    public static boolean updating() {
        return Boolean.getBoolean(UPDATE_PROPERTY);
    }

    /**
     * Finds the repository's root: the nearest directory, from the working directory up, that
     * holds both {@code README.md} and {@code docs/}. Maven runs a module's tests in the module's
     * directory, so this is usually its parent.
     *
     * @return the root, absolute
     */
    public static Path root() {
        Path start = Path.of("").toAbsolutePath();
        for (Path candidate = start; candidate != null; candidate = candidate.getParent()) {
            if (Files.isRegularFile(candidate.resolve("README.md")) && Files.isDirectory(candidate.resolve("docs"))
                    && Files.isRegularFile(candidate.resolve("mvnw"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("No hostsync repository (README.md, docs/ and mvnw) at or above " + start
                + ": run the docs tests from the repository or one of its modules");
    }

    /**
     * Lists the markdown pages users read: README.md and every {@code docs/*.md}, in a stable
     * order.
     *
     * @param root the repository root
     * @return the pages, README.md first
     */
    public static List<Path> pages(Path root) {
        List<Path> pages = new ArrayList<>();
        pages.add(root.resolve("README.md"));
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            docs.filter(path -> path.getFileName().toString().endsWith(".md")).sorted().forEach(pages::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pages;
    }

    /**
     * Reads a text file as UTF-8.
     *
     * @param file the file
     * @return its text
     */
    public static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    /**
     * Writes a text file as UTF-8 if its text changed.
     *
     * @param file the file
     * @param text its new text
     * @return whether the file changed
     */
    public static boolean write(Path file, String text) {
        if (Files.exists(file) && read(file).equals(text)) {
            return false;
        }
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
        return true;
    }

    /**
     * Describes how two texts differ, for a failure message: the first lines that differ, with
     * their line numbers.
     *
     * @param expected what the file should say
     * @param actual what it says
     * @param context how many differing lines to show at most
     * @return a few lines of "-" (in the file) and "+" (expected) lines
     */
    public static String diff(String expected, String actual, int context) {
        List<String> want = expected.lines().toList();
        List<String> have = actual.lines().toList();
        int first = 0;
        while (first < want.size() && first < have.size() && want.get(first).equals(have.get(first))) {
            first++;
        }
        int wantEnd = want.size();
        int haveEnd = have.size();
        while (wantEnd > first && haveEnd > first && want.get(wantEnd - 1).equals(have.get(haveEnd - 1))) {
            wantEnd--;
            haveEnd--;
        }
        StringBuilder out = new StringBuilder("  from line " + (first + 1) + " (- in the file, + expected):\n");
        for (int line = first; line < Math.min(haveEnd, first + context); line++) {
            out.append("  - ").append(have.get(line)).append('\n');
        }
        if (haveEnd - first > context) {
            out.append("  - ... (").append(haveEnd - first - context).append(" more)\n");
        }
        for (int line = first; line < Math.min(wantEnd, first + context); line++) {
            out.append("  + ").append(want.get(line)).append('\n');
        }
        if (wantEnd - first > context) {
            out.append("  + ... (").append(wantEnd - first - context).append(" more)\n");
        }
        return out.toString();
    }
}
