package io.hostsync.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How {@link Includes} reads tagged regions and the markdown blocks that copy them. */
class IncludesTest {

    @TempDir
    Path root;

    @BeforeEach
    void source() throws IOException {
        Files.writeString(root.resolve("Example.java"), String.join("\n",
                "class Example {",
                "    void run() {",
                "        // tag::outer[]",
                "        int a = 1;",
                "        // tag::inner[]",
                "        if (a > 0) {",
                "            a++;",
                "        }",
                "        // end::inner[]",
                "",
                "        // end::outer[]",
                "    }",
                "}"));
    }

    @Test
    void aRegionLosesItsCommonIndentationAndNestedMarkers() {
        assertThat(Includes.region(root, "Example.java", "inner")).containsExactly("if (a > 0) {", "    a++;", "}");
        assertThat(Includes.region(root, "Example.java", "outer"))
                .containsExactly("int a = 1;", "if (a > 0) {", "    a++;", "}");
    }

    @Test
    void anUnknownTagOrFileIsNamed() {
        assertThatIllegalArgumentException().isThrownBy(() -> Includes.region(root, "Example.java", "missing"))
                .withMessageContaining("tag::missing[]");
        assertThatIllegalArgumentException().isThrownBy(() -> Includes.region(root, "Other.java", "inner"))
                .withMessageContaining("no file Other.java");
    }

    @Test
    void aStaleBlockIsReportedAndUpdatedKeepingTheIndentationOfItsMarker() throws IOException {
        Path page = page("Text.", "", "1. A step:", "", "   <!-- include: Example.java#inner -->", "   ```java",
                "   if (a > 1) {", "   ```", "", "More text.");
        Includes.Page read = Includes.read(root, page, List.of("java"));
        assertThat(read.problems()).isEmpty();
        assertThat(read.includes()).singleElement().satisfies(include -> {
            assertThat(include.matches()).isFalse();
            assertThat(include.line()).isEqualTo(5);
            assertThat(include.expected()).containsExactly("   if (a > 0) {", "       a++;", "   }");
        });
        assertThat(read.updated()).isEqualTo(String.join("\n", "Text.", "", "1. A step:", "",
                "   <!-- include: Example.java#inner -->", "   ```java", "   if (a > 0) {", "       a++;", "   }",
                "   ```", "", "More text.") + "\n");
        Path updated = Files.writeString(root.resolve("updated.md"), read.updated());
        assertThat(Includes.read(root, updated, List.of("java")).includes()).allMatch(Includes.Include::matches);
    }

    @Test
    void aJavaBlockWithoutAMarkerIsAProblemButOtherLanguagesAreNot() throws IOException {
        Path page = page("```java", "int b = 2;", "```", "", "```yaml", "a: 1", "```");
        assertThat(Includes.read(root, page, List.of("java")).problems()).singleElement()
                .asString().contains("page.md:1: a ```java block without an include marker");
    }

    @Test
    void aMarkerMustBeFollowedByABlock() throws IOException {
        Path page = page("<!-- include: Example.java#inner -->", "", "text");
        assertThat(Includes.read(root, page, List.of("java")).problems()).singleElement()
                .asString().contains("not followed by a fenced block");
    }

    private Path page(String... lines) throws IOException {
        return Files.writeString(root.resolve("page.md"), String.join("\n", lines) + "\n");
    }
}
