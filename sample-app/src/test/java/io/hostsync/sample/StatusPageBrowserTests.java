package io.hostsync.sample;

import java.io.File;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.jayway.jsonpath.DocumentContext;
import io.hostsync.RWLock;
import io.hostsync.SharedRegion;
import io.hostsync.sample.SampleInstances.SampleProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The status page in a real headless browser (Debian's chromium, driven through Debian's
 * chromedriver; nothing is downloaded), with three instances on one region: this JVM's, which
 * serves the page; a second that refreshes prices often; and a third whose feed never answers
 * in time, so that it holds the refresh lock from soon after it starts. The tests run in order,
 * on the same instances; the last one kills the third.
 *
 * <p>The screenshot of the busiest moment goes to {@code target/status-page.png}, and also to the
 * file named by the system property {@code hostsync.sample.screenshot} when set, which is how
 * {@code docs/images/status-page.png} is made.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StatusPageBrowserTests {

    private static final String CHROMIUM = "/usr/bin/chromium";

    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    private static final Duration WAIT = Duration.ofSeconds(60);

    private static final Pattern QUOTES_RESULT = Pattern.compile("(\\d+) requests: (\\d+) priced, (\\d+) rejected");

    private static final Pattern PUBLISHED_RESULT = Pattern.compile("Published version (\\d+)");

    private Path directory;

    private Path profile;

    private ConfigurableApplicationContext here;

    private SampleProcess second;

    private SampleProcess refresher;

    private WebDriver browser;

    private final List<AutoCloseable> started = new ArrayList<>();

    @BeforeAll
    void startThreeInstancesAndTheBrowser() throws IOException {
        InstalledTools.require("apt-get install -y chromium chromium-driver", CHROMIUM, CHROMEDRIVER);
        this.directory = Files.createTempDirectory("hostsync-");
        this.here = SampleInstances.startHere(this.directory, "quotes.refresh.interval=1h");
        this.started.add(this.here);
        this.second = SampleInstances.startProcess(this.directory, "quotes.refresh.interval=300ms",
                "quotes.refresh.fetch-time=0");
        this.started.add(this.second);
        this.refresher = SampleInstances.startProcess(this.directory, "quotes.refresh.interval=100ms",
                "quotes.refresh.fetch-time=10m", "spring.lifecycle.timeout-per-shutdown-phase=1s");
        this.started.add(this.refresher);
        this.profile = Files.createTempDirectory("hostsync-chromium");
        this.browser = startChromium(this.profile);
        this.browser.get("http://127.0.0.1:" + SampleInstances.port(this.here) + "/");
    }

    /** Chromium as root, headless, with a fresh profile and nothing that calls home. */
    private static WebDriver startChromium(Path profile) {
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)) // so Selenium Manager never looks for one to download
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--window-size=1400,1160");
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(WAIT).scriptTimeout(WAIT);
        return driver;
    }

    @AfterAll
    void stopEverything() throws Exception {
        if (this.browser != null) {
            this.browser.quit();
        }
        for (int i = this.started.size() - 1; i >= 0; i--) {
            this.started.get(i).close();
        }
        if (this.directory != null) {
            FileSystemUtils.deleteRecursively(this.directory);
        }
        if (this.profile != null) {
            FileSystemUtils.deleteRecursively(this.profile);
        }
    }

    @Test
    @Order(1)
    void thePageListsEveryInstanceWithItsPidAndPortAndMarksItself() {
        SharedRegion region = this.here.getBean(SharedRegion.class);
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
            assertThat(count("#participants tbody tr")).isEqualTo(3);
            assertThat(text("#participant-count")).isEqualTo("3");
            assertInstanceRow(region.slot(), ProcessHandle.current().pid(), SampleInstances.port(this.here));
            assertInstanceRow(SampleInstances.slotOf(region, this.second.pid()), this.second.pid(), this.second.port());
            assertInstanceRow(SampleInstances.slotOf(region, this.refresher.pid()), this.refresher.pid(),
                    this.refresher.port());
        });
        assertThat(text("#participants tr[data-slot='" + region.slot() + "'] .instance")).endsWith("this page");
        assertThat(text("#participants tr[data-slot='" + SampleInstances.slotOf(region, this.second.pid())
                + "'] .instance")).doesNotContain("this page");
    }

    @Test
    @Order(2)
    void thePageCountsTheQuotesOfEveryInstanceOnTheHost() {
        this.browser.findElement(By.id("request-quotes")).click();
        Matcher result = QUOTES_RESULT.matcher("");
        await().atMost(WAIT).ignoreExceptions().until(() -> result.reset(text("#try-result")).find());
        assertThat(Integer.parseInt(result.group(2)) + Integer.parseInt(result.group(3))).isEqualTo(60);
        for (int i = 0; i < 5; i++) {
            Http.get(this.second.port(), "/quotes/ACME"); // quotes of another instance count too
        }

        DocumentContext status = Http.json(this.second.port(), "/api/status");
        long admitted = status.read("$.quotes.admitted", Long.class);
        long rejected = status.read("$.quotes.rejected", Long.class);
        assertThat(admitted + rejected).isEqualTo(65);
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
            assertThat(text("#quotes-admitted")).isEqualTo(String.valueOf(admitted));
            assertThat(text("#quotes-rejected")).isEqualTo(String.valueOf(rejected));
        });
    }

    @Test
    @Order(3)
    void pricesPublishedFromThePageAreThoseOfEveryInstance() {
        this.browser.findElement(By.id("publish-prices")).click();
        Matcher result = PUBLISHED_RESULT.matcher("");
        await().atMost(WAIT).ignoreExceptions().until(() -> result.reset(text("#try-result")).find());
        long version = Long.parseLong(result.group(1));

        assertThat(Http.json(this.second.port(), "/prices").read("$.version", Long.class)).isEqualTo(version);
        assertThat(Http.json(this.refresher.port(), "/prices").read("$.version", Long.class)).isEqualTo(version);
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
            assertThat(text("#price-version")).isEqualTo("v" + version);
            assertThat(text("#price-published")).contains("by :" + SampleInstances.port(this.here) + " (pid "
                    + ProcessHandle.current().pid() + ") · PUT /prices");
        });
    }

    @Test
    @Order(4)
    void thePageShowsWhoHoldsALockAndWhoWaitsForIt() throws Exception {
        RWLock prices = this.here.getBean(SharedRegion.class).lock(PriceBook.LOCK);
        String self = ":" + SampleInstances.port(this.here);
        List<CompletableFuture<HttpResponse<String>>> quotes = new ArrayList<>();
        prices.writeLock().lock(); // as a publication of this instance would
        try {
            quotes.add(Http.getAsync(this.second.port(), "/quotes/ACME"));
            quotes.add(Http.getAsync(this.refresher.port(), "/quotes/GLOBEX"));
            await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
                assertThat(text("#locks tr[data-lock='prices'] .state")).isEqualTo("write");
                assertThat(text("#locks tr[data-lock='prices'] .holding")).isEqualTo(self + " writes");
                assertThat(text("#locks tr[data-lock='prices'] .waiting"))
                        .contains(":" + this.second.port() + " waits to read")
                        .contains(":" + this.refresher.port() + " waits to read");
                assertThat(text("#locks tr[data-lock='price-refresh'] .holding"))
                        .isEqualTo(":" + this.refresher.port() + " writes");
            });
            saveScreenshot();
        } finally {
            prices.writeLock().unlock();
        }
        for (CompletableFuture<HttpResponse<String>> quote : quotes) {
            assertThat(quote.get(WAIT.toSeconds(), TimeUnit.SECONDS).statusCode()).isIn(200, 429);
        }
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
            assertThat(text("#locks tr[data-lock='prices'] .state")).isEqualTo("free");
            assertThat(text("#locks tr[data-lock='prices'] .waiting")).isEqualTo("nobody");
        });
    }

    @Test
    @Order(5)
    void thePageShowsTheRecoveryOfALockWhoseHolderWasKilled() {
        SharedRegion region = this.here.getBean(SharedRegion.class);
        int refresherSlot = SampleInstances.slotOf(region, this.refresher.pid());
        SampleInstances.awaitRefreshInProgress(region.lock(PriceRefreshJob.LOCK), refresherSlot);
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertThat(
                text("#locks tr[data-lock='price-refresh'] .holding"))
                .isEqualTo(":" + this.refresher.port() + " writes"));

        this.refresher.kill();

        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
            assertThat(count("#participants tbody tr")).isEqualTo(2);
            assertThat(count("#participants tr[data-slot='" + refresherSlot + "']")).isZero();
            assertThat(text("#locks tr[data-lock='price-refresh'] .recoveries")).isEqualTo("1");
            assertThat(text("#recoveries")).isEqualTo("1");
            assertThat(text("#health")).isEqualTo("UP"); // the next refresher acknowledged the torn mark
        });
    }

    private void assertInstanceRow(int slot, long pid, int port) {
        String row = "#participants tr[data-slot='" + slot + "'] ";
        assertThat(text(row + ".pid")).isEqualTo(String.valueOf(pid));
        assertThat(text(row + ".instance")).startsWith(":" + port);
    }

    /** The rendered text of an element, read in one step: the page redraws every second. */
    private String text(String selector) {
        Object text = ((JavascriptExecutor) this.browser).executeScript(
                "const element = document.querySelector(arguments[0]); return element ? element.innerText : null;",
                selector);
        if (text == null) {
            throw new AssertionError("No element matches " + selector);
        }
        return text.toString().trim();
    }

    private long count(String selector) {
        return (Long) ((JavascriptExecutor) this.browser).executeScript(
                "return document.querySelectorAll(arguments[0]).length;", selector);
    }

    private void saveScreenshot() throws IOException {
        Path screenshot = ((ChromeDriver) this.browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(screenshot, Path.of("target", "status-page.png"), StandardCopyOption.REPLACE_EXISTING);
        String documentation = System.getProperty("hostsync.sample.screenshot");
        if (documentation != null && !documentation.isBlank()) {
            Files.copy(screenshot, Path.of(documentation), StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
