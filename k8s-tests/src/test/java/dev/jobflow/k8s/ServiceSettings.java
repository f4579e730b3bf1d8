package dev.jobflow.k8s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.jobflow.testing.ServiceProcess;

/**
 * The environment variables a service really reads, read from its sources: the {@code ${NAME:}}
 * expressions of its application.properties, and the env form (SmallRye: upper case, every
 * non-alphanumeric as {@code _}) of each member of the {@code @ConfigMapping} interfaces in the
 * module and in job-core (one level of nested groups, as the services use), with the
 * {@code @WithDefault} of each.
 */
final class ServiceSettings {
    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{([A-Z0-9_]+)[:}]");
    private static final Pattern PREFIX = Pattern.compile("@ConfigMapping\\(prefix\\s*=\\s*\"([^\"]+)\"\\)");
    private static final Pattern INTERFACE = Pattern.compile("^\\s*(?:public\\s+)?interface\\s+(\\w+)");
    private static final Pattern MEMBER = Pattern.compile("^\\s*([\\w<>, ?]+?)\\s+(\\w+)\\(\\);");
    private static final Pattern DEFAULT = Pattern.compile("@WithDefault\\(\"([^\"]*)\"\\)");

    /** Env name to the service's default ("" when none); from properties expressions or mappings. */
    private final Map<String, String> env;

    private ServiceSettings(Map<String, String> env) {
        this.env = env;
    }

    /** The settings of module {@code job-api}, {@code dispatcher} or {@code progress-hub}. */
    static ServiceSettings of(String module) {
        Map<String, String> env = new LinkedHashMap<>();
        Path root = ServiceProcess.module(module);
        String properties = read(root.resolve("src/main/resources/application.properties"));
        Matcher m = EXPRESSION.matcher(properties);
        while (m.find()) {
            env.put(m.group(1), "");
        }
        for (Path source : mappings(root.resolve("src/main/java"))) {
            env.putAll(mappingEnv(read(source)));
        }
        for (Path source : mappings(ServiceProcess.module("job-core").resolve("src/main/java"))) {
            env.putAll(mappingEnv(read(source)));
        }
        return new ServiceSettings(env);
    }

    boolean reads(String name) {
        return env.containsKey(name);
    }

    /** The mapping default of an env name, e.g. {@code 20s}; "" when none. */
    String defaultOf(String name) {
        return env.getOrDefault(name, "");
    }

    Set<String> names() {
        return new TreeSet<>(env.keySet());
    }

    /** Env names (with defaults) of one {@code @ConfigMapping} interface source. */
    static Map<String, String> mappingEnv(String source) {
        Matcher prefix = PREFIX.matcher(source);
        if (!prefix.find()) {
            return Map.of();
        }
        // interface -> its members as {name, return type, default}; the first interface is the root
        Map<String, List<String[]>> members = new LinkedHashMap<>();
        String current = null;
        String pendingDefault = "";
        for (String line : source.split("\n")) {
            Matcher i = INTERFACE.matcher(line);
            Matcher d = DEFAULT.matcher(line);
            Matcher mem = MEMBER.matcher(line);
            if (i.find()) {
                current = i.group(1);
                members.putIfAbsent(current, new ArrayList<>());
            } else if (d.find()) {
                pendingDefault = d.group(1);
            } else if (mem.find() && current != null) {
                members.get(current).add(new String[] { mem.group(2), mem.group(1).trim(), pendingDefault });
                pendingDefault = "";
            }
        }
        Map<String, String> env = new LinkedHashMap<>();
        String rootName = members.keySet().iterator().next();
        for (String[] member : members.get(rootName)) {
            String path = prefix.group(1) + "." + kebab(member[0]);
            if (members.containsKey(member[1]) && !member[1].equals(rootName)) { // a group
                for (String[] inner : members.get(member[1])) {
                    env.put(toEnv(path + "." + kebab(inner[0])), inner[2]);
                }
            } else {
                env.put(toEnv(path), member[2]);
            }
        }
        return env;
    }

    static String kebab(String member) {
        return member.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    /** SmallRye's env form of a property name. */
    static String toEnv(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    private static List<Path> mappings(Path sources) {
        try (Stream<Path> files = Files.walk(sources)) {
            return files.filter(p -> p.toString().endsWith(".java")).filter(p -> read(p).contains("@ConfigMapping("))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
