package io.hostsync.docs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Code blocks in markdown that are copies of tagged regions of compiled, tested sources.
 *
 * <p>In a source file, a region is marked by two comment lines:
 * <pre>
 *     // tag::open-region[]
 *     ...
 *     // end::open-region[]
 * </pre>
 * ({@code # tag::name[]} in YAML). In markdown, the fenced block right after a marker line is
 * that region, with its common indentation removed:
 * <pre>
 * &lt;!-- include: core/src/test/java/io/hostsync/docs/RegionExamples.java#open-region --&gt;
 * ```java
 * ...
 * ```
 * </pre>
 * The path is relative to the repository root; without {@code #name}, the whole file (minus any
 * marker lines) is included. A marker indented inside a list item indents the block with it.
 */
public final class Includes {

    private static final Pattern MARKER = Pattern.compile("^(\\s*)<!-- include: (\\S+?)(?:#(\\S+))? -->\\s*$");
    private static final Pattern FENCE = Pattern.compile("^(\\s*)```(\\S*)\\s*$");
    private static final Pattern TAG_LINE = Pattern.compile("(tag|end)::[A-Za-z0-9._-]+\\[\\]");

    private Includes() {
    }

    /**
     * One fenced block that a marker ties to a source region.
     *
     * @param page the markdown file
     * @param line the marker's line number, from 1
     * @param source the source file, relative to the repository root
     * @param tag the region's tag, or {@code null} for the whole file
     * @param language the block's language, such as {@code java}
     * @param actual the block's lines as the page has them
     * @param expected the block's lines as the source has them, indented like the marker
     */
    public record Include(Path page, int line, String source, String tag, String language, List<String> actual,
            List<String> expected) {

        /** @return whether the page shows exactly the source's region */
        public boolean matches() {
            return actual.equals(expected);
        }

        /** @return where the marker is and what it includes, for messages */
        public String describe() {
            return page.getFileName() + ":" + line + " (" + source + (tag != null ? "#" + tag : "") + ")";
        }
    }

    /**
     * The includes of one page and the problems found reading them.
     *
     * @param page the page
     * @param includes its includes, in order
     * @param problems markers without a block, blocks that no marker ties to a source, unknown
     *     files and tags; empty if none
     * @param updated the page's text with every include's block replaced by its source
     */
    public record Page(Path page, List<Include> includes, List<String> problems, String updated) {
    }

    /**
     * Reads a page's includes.
     *
     * @param root the repository root
     * @param page the markdown file
     * @param mustInclude languages whose every block must be an include, such as {@code java}
     * @return the includes, the problems, and the page as it would be with every block up to date
     */
    public static Page read(Path root, Path page, List<String> mustInclude) {
        List<String> lines = Documentation.read(page).lines().toList();
        List<Include> includes = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        List<String> updated = new ArrayList<>();
        String name = root.relativize(page).toString();
        int index = 0;
        while (index < lines.size()) {
            String line = lines.get(index);
            Matcher marker = MARKER.matcher(line);
            Matcher fence = FENCE.matcher(line);
            if (marker.matches()) {
                updated.add(line);
                index++;
                Matcher open = index < lines.size() ? FENCE.matcher(lines.get(index)) : null;
                if (open == null || !open.matches() || open.group(2).isEmpty()) {
                    problems.add(name + ":" + index + ": the include marker is not followed by a fenced block"
                            + " with a language (```java)");
                    continue;
                }
                int close = closingFence(lines, index + 1, open.group(1));
                if (close < 0) {
                    problems.add(name + ":" + (index + 1) + ": the block after the include marker is never closed");
                    break;
                }
                String indent = marker.group(1);
                List<String> actual = lines.subList(index + 1, close);
                List<String> expected;
                try {
                    expected = indent(region(root, marker.group(2), marker.group(3)), indent);
                } catch (IllegalArgumentException e) {
                    problems.add(name + ":" + index + ": " + e.getMessage());
                    expected = actual;
                }
                includes.add(
                        new Include(page, index, marker.group(2), marker.group(3), open.group(2), actual, expected));
                updated.add(lines.get(index));
                updated.addAll(expected);
                updated.add(lines.get(close));
                index = close + 1;
            } else if (fence.matches() && !fence.group(2).isEmpty()) {
                int close = closingFence(lines, index + 1, fence.group(1));
                if (mustInclude.contains(fence.group(2))) {
                    problems.add(name + ":" + (index + 1) + ": a ```" + fence.group(2) + " block without an include"
                            + " marker. Put the code in a tested example (core/src/test/java/io/hostsync/docs/ or"
                            + " autoconfigure/src/test/java/io/hostsync/autoconfigure/docs/) between"
                            + " '// tag::name[]' and '// end::name[]', and write"
                            + " '<!-- include: path/to/Example.java#name -->' on the line before the block");
                }
                int end = close < 0 ? lines.size() : close + 1;
                updated.addAll(lines.subList(index, end));
                index = end;
            } else {
                updated.add(line);
                index++;
            }
        }
        return new Page(page, includes, problems, String.join("\n", updated) + "\n");
    }

    /**
     * Returns a tagged region of a source file, with its common indentation removed.
     *
     * @param root the repository root
     * @param source the file, relative to the root
     * @param tag the region's tag, or {@code null} for the whole file
     * @return the region's lines, without marker lines
     * @throws IllegalArgumentException if the file or the tag does not exist
     */
    public static List<String> region(Path root, String source, String tag) {
        Path file = root.resolve(source).normalize();
        if (!file.startsWith(root) || !Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no file " + source + " in the repository");
        }
        List<String> lines = Documentation.read(file).lines().toList();
        int start = 0;
        int end = lines.size();
        if (tag != null) {
            start = indexOf(lines, "tag::" + tag + "[]", 0);
            end = start < 0 ? -1 : indexOf(lines, "end::" + tag + "[]", start + 1);
            if (start < 0 || end < 0) {
                throw new IllegalArgumentException(source + " has no region 'tag::" + tag + "[]' ... 'end::" + tag
                        + "[]'");
            }
            start++;
        }
        List<String> region = new ArrayList<>();
        for (String line : lines.subList(start, end)) {
            if (!TAG_LINE.matcher(line).find()) {
                region.add(line.stripTrailing());
            }
        }
        while (!region.isEmpty() && region.get(region.size() - 1).isBlank()) {
            region.remove(region.size() - 1);
        }
        while (!region.isEmpty() && region.get(0).isBlank()) {
            region.remove(0);
        }
        int common = region.stream().filter(line -> !line.isBlank())
                .mapToInt(line -> line.length() - line.stripLeading().length()).min().orElse(0);
        return region.stream().map(line -> line.isBlank() ? "" : line.substring(common)).toList();
    }

    private static List<String> indent(List<String> lines, String indent) {
        return lines.stream().map(line -> line.isEmpty() ? "" : indent + line).toList();
    }

    private static int indexOf(List<String> lines, String text, int from) {
        for (int index = from; index < lines.size(); index++) {
            if (lines.get(index).contains(text)) {
                return index;
            }
        }
        return -1;
    }

    private static int closingFence(List<String> lines, int from, String indent) {
        for (int index = from; index < lines.size(); index++) {
            if (lines.get(index).equals(indent + "```")) {
                return index;
            }
        }
        return -1;
    }
}
