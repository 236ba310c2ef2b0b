package io.hostsync.autoconfigure.docs;

// tag::shedlock[]
import java.util.ArrayList;
import java.util.List;

import net.javacrumbs.shedlock.spring.annotation.EnableSchedulerLock;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

@Component
public class ExchangeRates {

    private final List<String> exported = new ArrayList<>();

    @Scheduled(cron = "0 */5 * * * *")
    @SchedulerLock(name = "exchange-rates", lockAtMostFor = "4m", lockAtLeastFor = "30s")
    public void refresh() { // one instance of the host per tick; the others skip
        // fetch the rates and store them in the region's shared state
    }

    @SchedulerLock(name = "export-#{#customerId}", lockAtMostFor = "10m")
    public void export(String customerId) { // one export per customer at a time, any number of customers
        synchronized (this.exported) {
            this.exported.add(customerId);
        }
    }

    public List<String> exported() {
        synchronized (this.exported) {
            return List.copyOf(this.exported);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableScheduling
    @EnableSchedulerLock(defaultLockAtMostFor = "10m") // the LockProvider is hostsync's, auto-configured
    public static class Scheduling {
    }
}
// end::shedlock[]
