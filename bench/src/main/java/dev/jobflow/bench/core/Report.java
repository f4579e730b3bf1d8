package dev.jobflow.bench.core;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The result of one scenario run: a table (rows of named values), a breakdown of where the time
 * went, free-text notes, the parameters and the machine state (load before and after). Printed as a
 * table and written as JSON.
 */
public final class Report {
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);

    private final String scenario;
    private final String description;
    private final Instant started = Instant.now();
    private final Map<String, Object> machineBefore = Machine.snapshot();
    private final List<Map<String, Object>> rows = new ArrayList<>();
    private final Map<String, Object> breakdown = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();
    private Map<String, Object> parameters = Map.of();

    public Report(String scenario, String description) {
        this.scenario = scenario;
        this.description = description;
    }

    public String scenario() {
        return scenario;
    }

    public List<Map<String, Object>> rows() {
        return rows;
    }

    public Report row(Map<String, Object> row) {
        rows.add(new LinkedHashMap<>(row));
        return this;
    }

    /** Adds a breakdown entry; a key seen before (a repeated run) gets a suffix {@code #2}, {@code #3}, ... */
    public Report breakdown(String key, Object value) {
        String unique = key;
        for (int n = 2; breakdown.containsKey(unique); n++) {
            unique = key + "#" + n;
        }
        breakdown.put(unique, value);
        return this;
    }

    public Report note(String note) {
        notes.add(note);
        return this;
    }

    public Report parameters(Map<String, Object> parameters) {
        this.parameters = parameters;
        return this;
    }

    public JsonObject toJson() {
        JsonObject json = new JsonObject()
                .put("scenario", scenario)
                .put("description", description)
                .put("started", started.toString())
                .put("finished", Instant.now().toString())
                .put("parameters", new JsonObject(new LinkedHashMap<>(parameters)))
                .put("machine_before", new JsonObject(machineBefore))
                .put("machine_after", new JsonObject(Machine.snapshot()));
        JsonArray table = new JsonArray();
        rows.forEach(row -> table.add(new JsonObject(row)));
        return json.put("rows", table).put("breakdown", new JsonObject(breakdown)).put("notes", new JsonArray(notes));
    }

    /** Writes {@code <scenario>-<utc time>.json} into {@code dir}; returns the file. */
    public Path write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(scenario + "-" + FILE_TIME.format(started) + ".json");
        Files.writeString(file, toJson().encodePrettily() + "\n");
        return file;
    }

    public void print(PrintStream out) {
        out.println();
        out.println("== " + scenario + ": " + description);
        out.println("   load before: " + machineBefore.get("loadavg") + "   parameters: " + parameters);
        LinkedHashSet<String> columns = new LinkedHashSet<>();
        rows.forEach(row -> columns.addAll(row.keySet()));
        Map<String, Integer> widths = new LinkedHashMap<>();
        for (String column : columns) {
            int width = column.length();
            for (Map<String, Object> row : rows) {
                width = Math.max(width, String.valueOf(row.getOrDefault(column, "")).length());
            }
            widths.put(column, width);
        }
        StringBuilder header = new StringBuilder("| ");
        StringBuilder rule = new StringBuilder("|-");
        widths.forEach((column, width) -> {
            header.append(pad(column, width)).append(" | ");
            rule.append("-".repeat(width)).append("-|-");
        });
        out.println(header.toString().stripTrailing());
        out.println(rule.substring(0, rule.length() - 1));
        for (Map<String, Object> row : rows) {
            StringBuilder line = new StringBuilder("| ");
            widths.forEach((column, width) -> line.append(pad(String.valueOf(row.getOrDefault(column, "")), width))
                    .append(" | "));
            out.println(line.toString().stripTrailing());
        }
        breakdown.forEach((key, value) -> out.println("   " + key + ": " + value));
        notes.forEach(note -> out.println("   note: " + note));
        out.println("   load after: " + Machine.snapshot().get("loadavg"));
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(Math.max(0, width - text.length()));
    }

    /** Two decimals, for tables that stay readable. */
    public static double round(double value) {
        return Double.isNaN(value) ? value : Math.round(value * 100) / 100.0;
    }
}
