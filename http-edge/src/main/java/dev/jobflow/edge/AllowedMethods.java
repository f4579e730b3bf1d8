package dev.jobflow.edge;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.inject.Any;
import jakarta.inject.Singleton;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;

import io.quarkus.arc.Arc;

/**
 * The methods each JAX-RS path accepts, read once from the resource classes, for the Allow header of a
 * 405 (RESTEasy Reactive's NotAllowedException carries none).
 */
@Singleton
public class AllowedMethods {
    private static final Pattern TEMPLATE = Pattern.compile("\\{\\s*\\w[\\w.-]*\\s*(?::\\s*((?:[^{}]|\\{[^{}]*\\})+))?\\}");

    private record Endpoint(Pattern path, String method) {
    }

    private volatile List<Endpoint> endpoints;

    /** The methods {@code path} accepts, with HEAD (for GET) and OPTIONS; empty when no resource has it. */
    public Set<String> of(String path) {
        Set<String> allowed = new TreeSet<>();
        for (Endpoint endpoint : endpoints()) {
            if (endpoint.path().matcher(path).matches()) {
                allowed.add(endpoint.method());
            }
        }
        if (!allowed.isEmpty()) {
            if (allowed.contains("GET")) {
                allowed.add("HEAD");
            }
            allowed.add("OPTIONS");
        }
        return allowed;
    }

    private List<Endpoint> endpoints() {
        List<Endpoint> known = endpoints;
        if (known == null) {
            known = scan();
            endpoints = known;
        }
        return known;
    }

    private static List<Endpoint> scan() {
        List<Endpoint> found = new ArrayList<>();
        for (var bean : Arc.container().beanManager().getBeans(Object.class, Any.Literal.INSTANCE)) {
            Class<?> type = bean.getBeanClass();
            Path root = type.getAnnotation(Path.class);
            if (root == null) {
                continue;
            }
            for (Method method : type.getMethods()) {
                String verb = verb(method);
                if (verb == null) {
                    continue;
                }
                Path sub = method.getAnnotation(Path.class);
                String template = join(root.value(), sub == null ? "" : sub.value());
                found.add(new Endpoint(regex(template), verb));
            }
        }
        return List.copyOf(found);
    }

    private static String verb(Method method) {
        for (var annotation : method.getAnnotations()) {
            HttpMethod http = annotation.annotationType().getAnnotation(HttpMethod.class);
            if (http != null) {
                return http.value();
            }
        }
        return null;
    }

    private static String join(String a, String b) {
        String path = "/" + a + "/" + b;
        path = path.replaceAll("/+", "/");
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    private static Pattern regex(String template) {
        StringBuilder regex = new StringBuilder();
        Matcher matcher = TEMPLATE.matcher(template);
        int last = 0;
        while (matcher.find()) {
            regex.append(Pattern.quote(template.substring(last, matcher.start())));
            regex.append('(').append(matcher.group(1) == null ? "[^/]+" : matcher.group(1).strip()).append(')');
            last = matcher.end();
        }
        regex.append(Pattern.quote(template.substring(last))).append("/?");
        return Pattern.compile(regex.toString());
    }
}
