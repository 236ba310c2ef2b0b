package io.hostsync.sample;

import io.hostsync.LockTimeoutException;

import org.springframework.context.annotation.Profile;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The cluster-wide counter, with the profile {@code cohort}: {@code POST /cluster/counter} adds one
 * under the cohort lock, {@code GET /cluster/counter} reads it.
 */
@RestController
@Profile("cohort")
public class ClusterController {

    private final ClusterCounter counter;

    private final Instances instances;

    /**
     * Creates the controller.
     *
     * @param counter the cluster's counter
     * @param instances this host's instances, to name the one that answered
     */
    public ClusterController(ClusterCounter counter, Instances instances) {
        this.counter = counter;
        this.instances = instances;
    }

    /**
     * Adds one to the counter.
     *
     * @return the value after the increment, and who made it
     */
    @PostMapping("/cluster/counter")
    public Count increment() {
        return new Count(this.counter.increment(), this.counter.hostGroup().toString(), this.instances.describeSelf());
    }

    /**
     * Reads the counter.
     *
     * @return its value, and who read it
     */
    @GetMapping("/cluster/counter")
    public Count read() {
        return new Count(this.counter.value(), this.counter.hostGroup().toString(), this.instances.describeSelf());
    }

    /**
     * Answers 503 when the lock could not be taken in time, also when Redis did not answer (a
     * {@code RemoteLockUnavailableException}, which names it): nothing was incremented.
     *
     * @param timeout why
     * @return 503 with a retry hint
     */
    @ExceptionHandler(LockTimeoutException.class)
    public ResponseEntity<ProblemDetail> lockTimeout(LockTimeoutException timeout) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, "1")
                .body(ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, timeout.getMessage()));
    }

    /**
     * The body of both calls.
     *
     * @param value the counter
     * @param hostGroup the host group of the instance that answered (its region's directory)
     * @param instance the instance that answered
     */
    public record Count(long value, String hostGroup, String instance) {
    }
}
