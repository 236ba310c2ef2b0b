package io.hostsync.sample;

import java.math.BigDecimal;
import java.util.Map;

import io.hostsync.LockTimeoutException;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The quote service's API: {@code GET /quotes/{symbol}?quantity=n}, {@code GET /prices} and
 * {@code PUT /prices}.
 */
@RestController
public class QuoteController {

    private final PriceBook priceBook;

    private final QuoteRateLimiter rateLimiter;

    /**
     * Creates the controller.
     *
     * @param priceBook the host's price table
     * @param rateLimiter the host's rate limit
     */
    public QuoteController(PriceBook priceBook, QuoteRateLimiter rateLimiter) {
        this.priceBook = priceBook;
        this.rateLimiter = rateLimiter;
    }

    /**
     * Prices a quantity of a symbol, if the host's rate limit allows.
     *
     * @param symbol the symbol, such as {@code ACME}
     * @param quantity how many units, 1 by default
     * @return the quote, or 429 with a {@code Retry-After} header when the host is over its limit
     */
    @GetMapping("/quotes/{symbol}")
    public ResponseEntity<Quote> quote(@PathVariable String symbol, @RequestParam(defaultValue = "1") int quantity) {
        if (quantity < 1) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "quantity must be at least 1, not " + quantity);
        }
        if (!this.rateLimiter.tryAcquire()) {
            return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
                    .header(HttpHeaders.RETRY_AFTER, String.valueOf(this.rateLimiter.retryAfter().toSeconds()))
                    .build();
        }
        return ResponseEntity.ok(this.priceBook.quote(symbol, quantity));
    }

    /**
     * Answers 503 when a quote or a publication could not get the prices lock in time: the
     * message names the lock and the setting to change.
     *
     * @param timeout the exception from the guarded call
     * @return the problem, with a {@code Retry-After} of one second
     */
    @ExceptionHandler(LockTimeoutException.class)
    public ResponseEntity<ProblemDetail> lockTimeout(LockTimeoutException timeout) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, "1")
                .body(ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, timeout.getMessage()));
    }

    /**
     * Returns the current price table.
     *
     * @return the table every instance quotes from
     */
    @GetMapping("/prices")
    public PriceTable prices() {
        return this.priceBook.current();
    }

    /**
     * Replaces the price table of every instance on the host, such as when an upstream pricing
     * system pushes new prices. Returns once no instance is pricing from the old table any more.
     *
     * @param prices the new prices, by symbol, such as {@code {"ACME": 101.25}}
     * @return the table published
     */
    @PutMapping("/prices")
    public PriceTable publish(@RequestBody Map<String, BigDecimal> prices) {
        if (prices.isEmpty() || prices.values().stream().anyMatch((price) -> price == null || price.signum() <= 0)) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
                    "A price table maps symbols to positive prices, such as {\"ACME\": 101.25}; got " + prices);
        }
        return this.priceBook.publish(prices, "PUT /prices");
    }
}
