package dev.jobflow.core.tracing;

import java.util.Locale;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.opentelemetry.sdk.trace.samplers.Sampler;

/**
 * The sampler named by {@code OTEL_TRACES_SAMPLER} ({@code always_on}, {@code always_off},
 * {@code traceidratio}, {@code parentbased_always_on} (default), {@code parentbased_always_off},
 * {@code parentbased_traceidratio}) with {@code OTEL_TRACES_SAMPLER_ARG} as the ratio (default 1.0).
 * Quarkus uses a {@link Sampler} bean when there is one; its own sampler setting is fixed at build
 * time, so the variable would otherwise be ignored. Built only when tracing is on.
 */
@ApplicationScoped
public class EnvSampler {

    @Produces
    @Singleton
    Sampler sampler() {
        return of(System.getenv());
    }

    /** The sampler the variables name; an unknown name fails start-up with the valid ones. */
    static Sampler of(Map<String, String> env) {
        String name = env.getOrDefault("OTEL_TRACES_SAMPLER", "parentbased_always_on").strip().toLowerCase(Locale.ROOT);
        String arg = env.getOrDefault("OTEL_TRACES_SAMPLER_ARG", "1.0").strip();
        double ratio;
        try {
            ratio = Double.parseDouble(arg);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("OTEL_TRACES_SAMPLER_ARG must be a number from 0 to 1, was '" + arg + "'");
        }
        return switch (name) {
            case "always_on" -> Sampler.alwaysOn();
            case "always_off" -> Sampler.alwaysOff();
            case "traceidratio" -> Sampler.traceIdRatioBased(ratio);
            case "parentbased_always_on", "" -> Sampler.parentBased(Sampler.alwaysOn());
            case "parentbased_always_off" -> Sampler.parentBased(Sampler.alwaysOff());
            case "parentbased_traceidratio" -> Sampler.parentBased(Sampler.traceIdRatioBased(ratio));
            default -> throw new IllegalArgumentException("OTEL_TRACES_SAMPLER '" + name + "' is not one of always_on, "
                    + "always_off, traceidratio, parentbased_always_on, parentbased_always_off, parentbased_traceidratio");
        };
    }
}
