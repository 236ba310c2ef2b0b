package io.hostsync.autoconfigure.docs;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;

import org.springframework.integration.support.locks.LockRegistry;
import org.springframework.stereotype.Service;

/**
 * Code written against Spring Integration's {@link LockRegistry}, in docs/annotations.md: over
 * hostsync on one host, over Redis, JDBC or ZooKeeper across hosts. Tested by
 * {@link AnnotationExamplesTests}.
 */
// tag::lock-registry[]
@Service
public class InvoiceExport {

    private final LockRegistry<?> locks; // hostsyncLockRegistry here; a RedisLockRegistry across hosts

    public InvoiceExport(LockRegistry<?> locks) {
        this.locks = locks;
    }

    public boolean export(String invoiceId, Runnable work) throws InterruptedException {
        Lock lock = this.locks.obtain("invoice-" + invoiceId); // one lock per invoice: any number of keys
        if (!lock.tryLock(1, TimeUnit.SECONDS)) {
            return false; // another instance is exporting this invoice
        }
        try {
            work.run();
            return true;
        } finally {
            lock.unlock();
        }
    }
}
// end::lock-registry[]
