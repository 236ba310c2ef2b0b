package io.hostsync.autoconfigure.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import io.hostsync.annotation.OnTimeout;
import io.hostsync.annotation.ReadGuarded;
import io.hostsync.annotation.WriteGuarded;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * The annotated service of README.md and docs/annotations.md: a file that every instance on the
 * host reads, and that one of them rewrites now and then. Tested by {@link AnnotationExamplesTests}.
 */
// tag::price-catalog[]
@Service
public class PriceCatalog {

    private final Path file; // one file that every instance on the host reads

    public PriceCatalog(@Value("${prices.file}") Path file) {
        this.file = file;
    }

    @ReadGuarded(lock = "prices") // readers on the whole host share the lock
    public List<String> prices() throws IOException {
        return Files.readAllLines(this.file);
    }

    @WriteGuarded(lock = "prices", timeout = "${prices.reload-timeout:5s}", onTimeout = OnTimeout.SKIP)
    public Optional<Integer> reload(List<String> prices) throws IOException {
        Files.write(this.file, prices); // no reader on the host ever sees a half-written file
        return Optional.of(prices.size()); // empty when skipped: the lock stayed taken for the timeout
    }
}
// end::price-catalog[]
