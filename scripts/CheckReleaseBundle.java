import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Checks the deploy layout that the release profile writes (target/central-staging) against what
 * Maven Central requires of each published module, then zips it into the bundle Central takes.
 * Run by scripts/check-release-bundle.sh, which builds the layout first:
 * {@code java scripts/CheckReleaseBundle.java target/central-staging target/central-bundle.zip}.
 * Every problem is listed, then the exit status is 1; nothing is zipped unless all is well.
 */
public class CheckReleaseBundle {

    private static final String GROUP_PATH = "io/hostsync";

    /** The published modules: the parent (a pom only) and the three jars. */
    private static final List<String> PUBLISHED_JARS = List.of(
            "hostsync-core", "hostsync-spring-boot-autoconfigure", "hostsync-spring-boot-starter");
    private static final String PUBLISHED_PARENT = "hostsync-parent";

    /** Built but never published: their poms set hostsync.publish.skip. */
    private static final List<String> NOT_PUBLISHED = List.of(
            "hostsync-sample-app", "hostsync-benchmarks", "hostsync-container-tests");

    /** What Central checks in a pom (its own or inherited from a parent in the same bundle). */
    private static final List<String> REQUIRED_POM_ELEMENTS = List.of(
            "name", "description", "url", "licenses/license/name", "licenses/license/url",
            "developers/developer/name", "scm/url", "scm/connection", "issueManagement/url");

    private final Path staging;
    private final Set<String> problems = new LinkedHashSet<>();
    private boolean signed;

    CheckReleaseBundle(Path staging) {
        this.staging = staging;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: java CheckReleaseBundle.java <staging directory> <bundle zip to write>");
            System.exit(2);
        }
        CheckReleaseBundle check = new CheckReleaseBundle(Path.of(args[0]));
        check.run();
        if (!check.problems.isEmpty()) {
            System.err.println("The release bundle in " + args[0] + " is not what Maven Central requires:");
            check.problems.forEach(problem -> System.err.println("  - " + problem));
            System.exit(1);
        }
        Path bundle = Path.of(args[1]);
        check.zip(bundle);
        System.out.println("Release bundle complete: " + bundle + " (" + Files.size(bundle) / 1024 + " KiB; "
                + (check.signed ? "signed" : "NOT signed: sign before uploading, docs/releasing.md") + ")");
    }

    void run() throws Exception {
        if (!Files.isDirectory(this.staging.resolve(GROUP_PATH))) {
            this.problems.add("no " + GROUP_PATH + " in " + this.staging + ": did `./mvnw -Prelease deploy` run?");
            return;
        }
        try (Stream<Path> files = Files.walk(this.staging)) {
            this.signed = files.anyMatch(file -> file.toString().endsWith(".asc"));
        }
        checkModule(PUBLISHED_PARENT, false);
        for (String artifactId : PUBLISHED_JARS) {
            checkModule(artifactId, true);
        }
        for (String artifactId : NOT_PUBLISHED) {
            if (Files.exists(this.staging.resolve(GROUP_PATH).resolve(artifactId))) {
                this.problems.add(artifactId + " is in the bundle, but it is not a published module"
                        + " (set hostsync.publish.skip in its pom)");
            }
        }
    }

    private void checkModule(String artifactId, boolean jar) throws Exception {
        Path pom = pomOf(artifactId);
        if (pom == null) {
            return;
        }
        checkFile(artifactId, pom, "pom");
        checkPomMetadata(artifactId, pom);
        String base = pom.getFileName().toString().replaceFirst("\\.pom$", "");
        Path directory = pom.getParent();
        if (jar) {
            checkJar(artifactId, directory.resolve(base + ".jar"), "main jar");
            checkJar(artifactId, directory.resolve(base + "-sources.jar"), "sources jar (-sources.jar)");
            checkJar(artifactId, directory.resolve(base + "-javadoc.jar"), "javadoc jar (-javadoc.jar)");
            Path sbom = directory.resolve(base + "-cyclonedx.json");
            if (checkFile(artifactId, sbom, "CycloneDX SBOM (-cyclonedx.json)")
                    && !Files.readString(sbom).contains("\"CycloneDX\"")) {
                this.problems.add(artifactId + ": " + sbom.getFileName() + " is not a CycloneDX document");
            }
        }
    }

    /** The module's one pom in the bundle; a SNAPSHOT's carries a timestamp instead of -SNAPSHOT. */
    private Path pomOf(String artifactId) throws IOException {
        Path module = this.staging.resolve(GROUP_PATH).resolve(artifactId);
        if (!Files.isDirectory(module)) {
            this.problems.add(artifactId + ": missing from the bundle (no " + GROUP_PATH + "/" + artifactId + ")");
            return null;
        }
        List<Path> poms;
        try (Stream<Path> files = Files.walk(module, 2)) {
            poms = files.filter(file -> file.getFileName().toString().endsWith(".pom")).toList();
        }
        if (poms.size() != 1) {
            this.problems.add(artifactId + ": expected one pom in " + module + ", found " + poms.size()
                    + " (the staging directory must be empty before the build)");
            return null;
        }
        return poms.get(0);
    }

    private boolean checkFile(String artifactId, Path file, String what) throws IOException {
        if (!Files.isRegularFile(file) || Files.size(file) == 0) {
            this.problems.add(artifactId + ": no " + what + " (" + file.getFileName() + ")");
            return false;
        }
        for (String checksum : new String[] {".md5", ".sha1"}) {
            if (!Files.isRegularFile(file.resolveSibling(file.getFileName() + checksum))) {
                this.problems.add(artifactId + ": no " + checksum + " checksum for " + file.getFileName());
            }
        }
        if (this.signed && !Files.isRegularFile(file.resolveSibling(file.getFileName() + ".asc"))) {
            this.problems.add(artifactId + ": no .asc signature for " + file.getFileName()
                    + " (other files are signed: all must be)");
        }
        return true;
    }

    private void checkJar(String artifactId, Path jar, String what) throws IOException {
        if (!checkFile(artifactId, jar, what)) {
            return;
        }
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            if (zip.size() == 0) {
                this.problems.add(artifactId + ": " + what + " " + jar.getFileName() + " is empty");
            }
        } catch (IOException e) {
            this.problems.add(artifactId + ": " + what + " " + jar.getFileName() + " is not a jar: " + e.getMessage());
        }
    }

    /** Each required element from the pom itself or, as Central reads it, from its parent in the bundle. */
    private void checkPomMetadata(String artifactId, Path pom) throws Exception {
        List<Element> lineage = new ArrayList<>();
        for (Path current = pom; current != null; ) {
            Element project = parse(current);
            lineage.add(project);
            Element parent = child(project, "parent");
            current = parent == null ? null : pomOf(text(child(parent, "artifactId")));
        }
        for (String path : REQUIRED_POM_ELEMENTS) {
            boolean found = lineage.stream().anyMatch(project -> !text(find(project, path)).isBlank());
            if (!found) {
                this.problems.add(artifactId + ": the pom has no <" + path.replace("/", "><") + "> (nor its parent)");
            }
        }
    }

    private static Element parse(Path pom) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document document = factory.newDocumentBuilder().parse(pom.toFile());
        return document.getDocumentElement();
    }

    private static Element find(Element from, String path) {
        Element current = from;
        for (String name : path.split("/")) {
            current = current == null ? null : child(current, name);
        }
        return current;
    }

    private static Element child(Element parent, String name) {
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals(name)) {
                return element;
            }
        }
        return null;
    }

    private static String text(Element element) {
        return element == null ? "" : element.getTextContent().trim();
    }

    /** The layout as Central's Portal takes it: every file but the repository's maven-metadata.xml. */
    void zip(Path bundle) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(this.staging)) {
            files = walk.filter(Files::isRegularFile)
                    .filter(file -> !file.getFileName().toString().startsWith("maven-metadata"))
                    .sorted()
                    .toList();
        }
        try (OutputStream out = Files.newOutputStream(bundle); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Path file : files) {
                ZipEntry entry = new ZipEntry(this.staging.relativize(file).toString().replace('\\', '/'));
                zip.putNextEntry(entry);
                Files.copy(file, zip);
                zip.closeEntry();
            }
        }
    }
}
