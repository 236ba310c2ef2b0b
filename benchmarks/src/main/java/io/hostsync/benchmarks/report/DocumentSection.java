package io.hostsync.benchmarks.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A generated part of a markdown document, between {@code <!-- perf:<name> -->} and
 * {@code <!-- /perf:<name> -->}: replaced in place when the markers are there, appended at the
 * end (with its markers) when they are not. Everything outside the markers is left alone.
 */
final class DocumentSection {

    private DocumentSection() {
    }

    static String begin(String name) {
        return "<!-- perf:" + name + " -->";
    }

    static String end(String name) {
        return "<!-- /perf:" + name + " -->";
    }

    /**
     * @param document the whole document
     * @param name the section's name
     * @param content the new content, without markers
     * @return the document with the section's content replaced (or the section appended)
     * @throws IllegalArgumentException if only one of the two markers is there, or they are out of order
     */
    static String replace(String document, String name, String content) {
        String begin = begin(name);
        String end = end(name);
        int from = document.indexOf(begin);
        int to = document.indexOf(end);
        String body = content.endsWith("\n") ? content : content + "\n";
        if (from < 0 && to < 0) {
            String separator = document.isEmpty() || document.endsWith("\n\n") ? ""
                    : document.endsWith("\n") ? "\n" : "\n\n";
            return document + separator + begin + "\n" + body + end + "\n";
        }
        if (from < 0 || to < 0 || to < from) {
            throw new IllegalArgumentException("The document has " + (from < 0 ? "no " + begin
                    : to < 0 ? "no " + end
                            : end + " before " + begin)
                    + ": put both markers, each on a line of its own, around the generated"
                    + " section (or remove both to have it appended)");
        }
        return document.substring(0, from + begin.length()) + "\n" + body + document.substring(to);
    }

    /** Replaces the section in a file, creating the file if needed. */
    static void replace(Path file, String name, String content) {
        try {
            String document = Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
            Files.writeString(file, replace(document, name, content), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not update " + file, e);
        }
    }
}
