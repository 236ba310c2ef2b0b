package io.hostsync.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The links between README.md and docs/*.md lead somewhere: every relative link names a file that
 * exists, and every {@code #anchor} a heading of its page (as GitHub makes anchors from headings).
 */
class DocumentationLinksTest {

    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.+?)\\s*#*\\s*$");

    private final Path root = Documentation.root();

    @Test
    void everyRelativeLinkLeadsToAFileAndAHeadingThatExist() {
        List<String> broken = new ArrayList<>();
        for (Path page : Documentation.pages(root)) {
            String text = withoutCodeBlocks(Documentation.read(page));
            Matcher link = LINK.matcher(text);
            while (link.find()) {
                String target = link.group(1);
                if (target.matches("[a-z]+:.*")) {
                    continue; // http:, https:, mailto:
                }
                String file = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
                String anchor = target.contains("#") ? target.substring(target.indexOf('#') + 1) : null;
                Path linked = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
                String name = root.relativize(linked).toString().replaceAll("/$", "");
                if (!Files.exists(linked)) {
                    broken.add(root.relativize(page) + ": " + target + " (no file " + name + ")");
                    continue;
                }
                if (anchor != null && name.endsWith(".md") && !anchors(linked).contains(anchor)) {
                    broken.add(root.relativize(page) + ": " + target + " (no heading #" + anchor + " in " + name + ")");
                }
            }
        }
        assertThat(broken).as("broken links in README.md and docs/*.md").isEmpty();
    }

    @Test
    void anchorsAreMadeFromHeadingsAsGitHubMakesThem() {
        assertThat(slug("Why `pthread_rwlock` is not the default")).isEqualTo("why-pthread_rwlock-is-not-the-default");
        assertThat(slug("`@ReadGuarded` and `@WriteGuarded`")).isEqualTo("readguarded-and-writeguarded");
        assertThat(slug("I/O and native calls")).isEqualTo("io-and-native-calls");
        assertThat(slug("No error, but...")).isEqualTo("no-error-but");
    }

    /** The anchors of a page's headings, with GitHub's "-1", "-2" suffixes for repeated ones. */
    private static Set<String> anchors(Path page) {
        Set<String> anchors = new HashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        for (String line : withoutCodeBlocks(Documentation.read(page)).lines().toList()) {
            Matcher heading = HEADING.matcher(line);
            if (heading.matches()) {
                String slug = slug(heading.group(1));
                int count = seen.merge(slug, 1, Integer::sum);
                anchors.add(count == 1 ? slug : slug + "-" + (count - 1));
            }
        }
        return anchors;
    }

    private static String slug(String heading) {
        return heading.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
    }

    private static String withoutCodeBlocks(String text) {
        return text.replaceAll("(?ms)^\\s*```.*?^\\s*```\\s*$", "");
    }
}
