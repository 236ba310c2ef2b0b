package io.hostsync.testing;

import io.hostsync.Participant;
import io.hostsync.RegionOptions;
import io.hostsync.SharedRegion;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * A participant in its own JVM, for tests across processes. Arguments: directory, region name,
 * size, slots. It prints {@code READY}, then obeys lines on standard input:
 * {@code open} or {@code open NAME} (prints {@code OPENED key=value...}), {@code participants} (prints
 * {@code PARTICIPANTS slot:pid:namespace:generation,...}), {@code close} and {@code exit}.
 * Failures are printed as {@code FAILED <exception class>: <message>}.
 */
public final class RegionProbe {

    private RegionProbe() {
    }

    /**
     * Runs the probe.
     *
     * @param args directory, name, size, slots
     * @throws Exception on I/O failure of standard input
     */
    public static void main(String[] args) throws Exception {
        RegionOptions options = RegionOptions.builder(args[1]).directory(Path.of(args[0])).size(Long.parseLong(args[2]))
                .maxParticipants(Integer.parseInt(args[3])).build();
        BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        SharedRegion region = null;
        System.out.println("READY pid=" + ProcessHandle.current().pid());
        String command;
        while ((command = input.readLine()) != null) {
            try {
                String[] words = command.split(" ");
                switch (words[0]) {
                    case "open" -> {
                        // "open" opens the region of the arguments, "open NAME" another of the same shape
                        region = SharedRegion.open(words.length == 1 ? options
                                : RegionOptions.builder(words[1])
                                        .directory(options.directory()).size(options.size())
                                        .maxParticipants(options.maxParticipants()).build());
                        System.out.println("OPENED slot=" + region.slot() + " generation=" + region.generation()
                                + " created=" + region.createdByThisProcess() + " pid=" + ProcessHandle.current().pid()
                                + " header=" + region.header().toString().replace(' ', '_'));
                    }
                    case "participants" -> System.out.println("PARTICIPANTS " + region.participants().stream()
                            .map(RegionProbe::format).collect(Collectors.joining(",")));
                    case "close" -> {
                        region.close();
                        System.out.println("CLOSED");
                    }
                    case "exit" -> {
                        return;
                    }
                    default -> System.out.println("FAILED unknown command " + command);
                }
            } catch (RuntimeException e) {
                System.out.println("FAILED " + e.getClass().getName() + ": " + e.getMessage());
            }
        }
    }

    private static String format(Participant participant) {
        return participant.slot() + ":" + participant.pid() + ":" + participant.pidNamespace() + ":"
                + participant.generation();
    }
}
