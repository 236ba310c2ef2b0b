package io.hostsync;

import io.hostsync.state.EntryInfo;
import io.hostsync.state.EntryType;
import io.hostsync.state.MapCapacity;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What {@link SharedRegion#verify(Path)} found in a region file, read without joining the region:
 * its header, its participants with their liveness as the kernel reports it, its named locks and
 * the keyed locks in use with their holders and waiters, its entries, and every structural
 * problem. {@link #format()} gives the text the {@code inspect} command prints.
 *
 * @param file the region file
 * @param header the validated header, or null if the header itself is unusable (see {@link #problems()})
 * @param participants slots that are claimed or held, in slot order
 * @param locks the named locks, in record order
 * @param keyedLocks the keyed locks that have a record now (held, waited for, or not yet
 *     reclaimed), in record order
 * @param entries the readable directory entries, in directory order
 * @param problems every structural problem found; empty for a sound region
 */
public record RegionReport(Path file, @Nullable RegionHeader header, List<SlotReport> participants,
        List<LockReport> locks,
        List<KeyedLockReport> keyedLocks, List<EntryInfo> entries, List<String> problems) {

    /**
     * A report without keyed locks, as reports were before they listed them.
     *
     * @param file the region file
     * @param header the validated header, or null
     * @param participants slots that are claimed or held
     * @param locks the named locks
     * @param entries the readable directory entries
     * @param problems every structural problem found
     */
    public RegionReport(Path file, @Nullable RegionHeader header, List<SlotReport> participants, List<LockReport> locks,
            List<EntryInfo> entries, List<String> problems) {
        this(file, header, participants, locks, List.of(), entries, problems);
    }

    /**
     * One process slot.
     *
     * @param slot the slot
     * @param alive whether a live process holds the slot's byte lock (the kernel's answer)
     * @param claimed whether the slot's record says it is claimed (state active)
     * @param participant the slot's record, or null if it was being rewritten on every read
     */
    public record SlotReport(int slot, boolean alive, boolean claimed, @Nullable Participant participant) {
    }

    /**
     * One named lock.
     *
     * @param index its record
     * @param name its name
     * @param writerSlot the slot of the writer recorded in its state word, or -1 ({@code robust} only)
     * @param writerAlive whether that writer's slot is held by a live process
     * @param possiblyTorn whether a writer died while writing
     * @param holders the slots that hold or wait for it, by their holder records
     */
    public record LockReport(int index, String name, int writerSlot, boolean writerAlive, boolean possiblyTorn,
            List<LockHolder> holders) {
    }

    /**
     * One keyed lock's record ({@code region.lock(family, key)}).
     *
     * @param index its record
     * @param family the family's name (only its first 23 bytes when the key is stored as a digest
     *     and the name is longer)
     * @param key the key, quoted text or {@code 0x} and hex digits; or {@code sha-256:} and the
     *     digest's hex digits for a key too long to be stored whole
     * @param digest whether the record holds the key's digest rather than the key
     * @param pins holds and waits of live processes' threads on the key (a record without pins,
     *     free and consistent, is reclaimed when a record is needed)
     * @param writerSlot the slot of the writer recorded in its state word, or -1 ({@code robust} only)
     * @param writerAlive whether that writer's slot is held by a live process
     * @param possiblyTorn whether a writer died while writing
     * @param holders the slots that hold or wait for it, by their holder records
     */
    public record KeyedLockReport(int index, String family, String key, boolean digest, long pins, int writerSlot,
            boolean writerAlive, boolean possiblyTorn, List<LockHolder> holders) {

        /** @return the lock's name, as {@link RWLock#name()} gives it: {@code family[key]} */
        public String name() {
            return family + "[" + key + "]";
        }
    }

    /** @return whether no structural problem was found */
    public boolean healthy() {
        return problems.isEmpty();
    }

    /**
     * Describes the region for a person: the header, the participants, the locks, the entries and
     * the problems, one per line.
     *
     * @return the text
     */
    public String format() {
        StringBuilder text = new StringBuilder();
        text.append("Region file ").append(file).append('\n');
        if (header != null) {
            text.append("  layout version ").append(header.layoutVersion()).append(", ").append(header.size())
                    .append(" bytes, backend ").append(header.backend().configName()).append(", created ")
                    .append(header.created()).append('\n');
            text.append("  ").append(header.slotCapacity()).append(" slots, ").append(header.lockCapacity())
                    .append(" locks, ").append(header.entryCapacity()).append(" entries\n");
        }
        text.append("Participants (").append(participants.size()).append(")\n");
        for (SlotReport slot : participants) {
            Participant p = slot.participant();
            text.append("  slot ").append(slot.slot()).append(slot.alive() ? " alive" : " DEAD")
                    .append(slot.claimed() ? "" : " (not claimed)");
            if (p != null) {
                text.append(": pid ").append(p.pid()).append(" on ").append(p.host()).append(", generation ")
                        .append(p.generation()).append(", since ").append(p.since());
            }
            text.append('\n');
        }
        text.append("Locks (").append(locks.size()).append(")\n");
        for (LockReport lock : locks) {
            text.append("  ").append(lock.index()).append(" '").append(lock.name()).append("'");
            if (lock.writerSlot() >= 0) {
                text.append(": written by slot ").append(lock.writerSlot()).append(lock.writerAlive() ? "" : " (DEAD)");
            }
            if (lock.possiblyTorn()) {
                text.append(", POSSIBLY TORN");
            }
            text.append('\n');
            formatHolders(text, lock.holders());
        }
        text.append("Keyed locks in use (").append(keyedLocks.size()).append(")\n");
        for (KeyedLockReport lock : keyedLocks) {
            text.append("  ").append(lock.index()).append(" ").append(lock.name()).append(": ").append(lock.pins())
                    .append(" pins");
            if (lock.writerSlot() >= 0) {
                text.append(", written by slot ").append(lock.writerSlot()).append(lock.writerAlive() ? "" : " (DEAD)");
            }
            if (lock.possiblyTorn()) {
                text.append(", POSSIBLY TORN");
            }
            text.append('\n');
            formatHolders(text, lock.holders());
        }
        text.append("Entries (").append(entries.size()).append(")\n");
        for (EntryInfo entry : entries) {
            String parameter = entry.type() == EntryType.MAP || entry.type() == EntryType.CACHE
                    ? MapCapacity.describe(entry.parameter())
                    : String.valueOf(entry.parameter());
            text.append("  '").append(entry.name()).append("' ").append(entry.type()).append(" (").append(parameter)
                    .append("), block ").append(entry.blockOffset()).append('+').append(entry.blockLength())
                    .append('\n');
        }
        text.append(problems.isEmpty() ? "No problems found.\n" : "Problems (" + problems.size() + ")\n");
        for (String problem : problems) {
            text.append("  ").append(problem).append('\n');
        }
        return text.toString();
    }

    private static void formatHolders(StringBuilder text, List<LockHolder> holders) {
        for (LockHolder holder : holders) {
            text.append("    slot ").append(holder.slot()).append(": ").append(holder.readHolds()).append(" read holds")
                    .append(holder.writer() ? ", writing" : "").append(", ").append(holder.waitingReaders())
                    .append(" waiting readers, ").append(holder.waitingWriters()).append(" waiting writers\n");
        }
    }

    @Override
    public String toString() {
        return format();
    }
}
