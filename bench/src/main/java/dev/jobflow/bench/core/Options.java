package dev.jobflow.bench.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Command-line options of a scenario: {@code --name=value} pairs. Every getter takes the default
 * used when the option is absent, and remembers the value used, so the result records exactly the
 * parameters of the run.
 */
public final class Options {
    private final Map<String, String> given;
    private final Map<String, Object> used = new LinkedHashMap<>();

    private Options(Map<String, String> given) {
        this.given = given;
    }

    public static Options parse(List<String> args) {
        Map<String, String> given = new LinkedHashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("expected --name=value, got '" + arg + "'");
            }
            int eq = arg.indexOf('=');
            given.put(eq < 0 ? arg.substring(2) : arg.substring(2, eq), eq < 0 ? "true" : arg.substring(eq + 1));
        }
        return new Options(given);
    }

    public static Options of(Map<String, String> given) {
        return new Options(new LinkedHashMap<>(given));
    }

    public int integer(String name, int fallback) {
        int value = given.containsKey(name) ? Integer.parseInt(given.get(name)) : fallback;
        used.put(name, value);
        return value;
    }

    public Duration duration(String name, Duration fallback) {
        Duration value = given.containsKey(name) ? parseDuration(given.get(name)) : fallback;
        used.put(name, value.toString());
        return value;
    }

    public String string(String name, String fallback) {
        String value = given.getOrDefault(name, fallback);
        used.put(name, value);
        return value;
    }

    public boolean flag(String name) {
        boolean value = Boolean.parseBoolean(given.getOrDefault(name, "false"));
        used.put(name, value);
        return value;
    }

    /** A comma-separated list of integers, e.g. {@code --processes=1,3}. */
    public List<Integer> integers(String name, String fallback) {
        List<Integer> values = new ArrayList<>();
        for (String part : string(name, fallback).split(",")) {
            values.add(Integer.parseInt(part.trim()));
        }
        return values;
    }

    /** A comma-separated list of words, e.g. {@code --cap=none,64}. */
    public List<String> words(String name, String fallback) {
        return Arrays.stream(string(name, fallback).split(",")).map(String::trim).toList();
    }

    /** The parameters this run used (given or defaulted), for the result. */
    public Map<String, Object> used() {
        return Map.copyOf(used);
    }

    /** Options given on the command line that the scenario never read: most likely a typo. */
    public TreeSet<String> unread() {
        TreeSet<String> unread = new TreeSet<>(given.keySet());
        unread.removeAll(used.keySet());
        return unread;
    }

    /** {@code 30s}, {@code 500ms}, {@code 2m} or ISO-8601 ({@code PT30S}). */
    static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase();
        if (t.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
        }
        if (t.endsWith("s")) {
            return Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
        }
        if (t.endsWith("m")) {
            return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)) * 60);
        }
        return Duration.parse(text);
    }
}
