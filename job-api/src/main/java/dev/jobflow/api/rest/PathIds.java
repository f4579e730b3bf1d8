package dev.jobflow.api.rest;

import java.lang.reflect.Method;
import java.lang.reflect.Parameter;

import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.vertx.core.http.HttpServerRequest;

/**
 * A numeric path parameter (an id: {@code long}, {@code int} or their boxes) is read strictly, before
 * JAX-RS converts it: digits only, from 1 up to the type's maximum. Anything else is a 400 problem
 * naming the parameter, never a 404 by accident (JAX-RS answers 404 for a path parameter it cannot
 * convert) and never a lookup of an id that cannot exist. A path segment with matrix parameters
 * ({@code /jobs/1;drop/cancel}, which JAX-RS would read as job 1) is a 400 too.
 */
public class PathIds {
    private static final String LONG_MAX = String.valueOf(Long.MAX_VALUE);
    private static final String INT_MAX = String.valueOf(Integer.MAX_VALUE);

    @ServerRequestFilter
    public void check(ResourceInfo resource, UriInfo uri, HttpServerRequest request) {
        Method method = resource.getResourceMethod();
        if (method == null) {
            return;
        }
        for (String segment : request.path().split("/")) {
            int matrix = segment.indexOf(';');
            if (matrix >= 0) {
                // "/jobs/1;drop/cancel" must not act on job 1: the API takes no matrix parameters
                throw new BadParameterException(parameterIn(method, uri, segment.substring(0, matrix)),
                        "a path segment may not carry matrix parameters (;)");
            }
        }
        for (Parameter parameter : method.getParameters()) {
            PathParam path = parameter.getAnnotation(PathParam.class);
            String max = maximum(parameter.getType());
            if (path == null || max == null) {
                continue;
            }
            String value = uri.getPathParameters().getFirst(path.value());
            if (!isPositive(value, max)) {
                throw new BadParameterException(path.value(), "must be a whole number from 1 to " + max);
            }
        }
    }

    /** The name of the path parameter read from {@code segment}, else "path". */
    private static String parameterIn(Method method, UriInfo uri, String segment) {
        for (Parameter parameter : method.getParameters()) {
            PathParam path = parameter.getAnnotation(PathParam.class);
            if (path != null && segment.equals(uri.getPathParameters().getFirst(path.value()))) {
                return path.value();
            }
        }
        return "path";
    }

    private static String maximum(Class<?> type) {
        if (type == long.class || type == Long.class) {
            return LONG_MAX;
        }
        if (type == int.class || type == Integer.class) {
            return INT_MAX;
        }
        return null;
    }

    /** Digits only, no sign or leading zero, at least 1 and at most {@code max}. */
    static boolean isPositive(String value, String max) {
        if (value == null || value.isEmpty() || value.length() > max.length() || value.charAt(0) == '0') {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return value.length() < max.length() || value.compareTo(max) <= 0;
    }
}
