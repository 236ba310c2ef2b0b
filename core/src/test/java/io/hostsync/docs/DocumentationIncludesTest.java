package io.hostsync.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Java shown in README.md and docs/*.md is compiled and run: every ```java block is a copy
 * of a tagged region of a tested example (see {@link Includes}), and this test fails when a copy
 * differs from its source. With {@code -Dhostsync.docs.update=true} it copies the sources into
 * the pages instead.
 */
class DocumentationIncludesTest {

    /** Blocks of these languages must come from sources; others (yaml, promql, json) may. */
    private static final List<String> COMPILED_LANGUAGES = List.of("java");

    static final String REGENERATE = "./mvnw -q -B -pl core verify -Dtest=DocumentationIncludesTest"
            + " -Dsurefire.failIfNoSpecifiedTests=false -D" + Documentation.UPDATE_PROPERTY + "=true";

    private final Path root = Documentation.root();

    @Test
    void everyJavaBlockInTheDocsIsIncludedFromATestedSource() {
        List<String> problems = new ArrayList<>();
        for (Path page : Documentation.pages(root)) {
            problems.addAll(Includes.read(root, page, COMPILED_LANGUAGES).problems());
        }
        assertThat(problems).as("code blocks that no tested source backs").isEmpty();
    }

    @Test
    void everyIncludedBlockEqualsItsSourceRegion() {
        StringBuilder stale = new StringBuilder();
        List<String> rewritten = new ArrayList<>();
        int includes = 0;
        for (Path page : Documentation.pages(root)) {
            Includes.Page read = Includes.read(root, page, COMPILED_LANGUAGES);
            includes += read.includes().size();
            if (Documentation.updating()) {
                if (Documentation.write(page, read.updated())) {
                    rewritten.add(root.relativize(page).toString());
                }
                continue;
            }
            for (Includes.Include include : read.includes()) {
                if (!include.matches()) {
                    stale.append(include.describe()).append(" differs from its source:\n")
                            .append(Documentation.diff(String.join("\n", include.expected()),
                                    String.join("\n", include.actual()), 12));
                }
            }
        }
        if (!rewritten.isEmpty()) {
            System.out.println("Copied example sources into " + rewritten);
        }
        assertThat(includes).as("include markers in README.md and docs/*.md").isPositive();
        if (stale.length() > 0) {
            fail(stale + "Code in the docs must be the tested source it includes. Change the source (and its test),"
                    + " then copy it into the docs with:\n  " + REGENERATE);
        }
    }
}
