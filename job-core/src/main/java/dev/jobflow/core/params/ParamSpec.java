package dev.jobflow.core.params;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * One declared parameter of a job type: its name, kind, range and whether it must be given. For a
 * number or integer the range bounds the value, for a string its length. Declared by a handler
 * (Java) or by configuration ({@code sql:} procedures), registered by the dispatchers, checked by
 * job-api at submit and by the dispatcher before a handler runs.
 *
 * @param name the key in the job's {@code params}
 * @param kind what the value must be
 * @param min smallest value (or length), inclusive; null: none
 * @param max largest value (or length), inclusive; null: none
 * @param required whether the job must give it
 * @param description what it means, for people (the page's start dialog shows it); may be null
 */
public record ParamSpec(String name, Kind kind, BigDecimal min, BigDecimal max, boolean required, String description) {

    /** What a parameter's value must be. */
    public enum Kind {
        /** A JSON number, fractions allowed. */
        NUMBER,
        /** A JSON number without a fraction. */
        INTEGER,
        /** A JSON string. */
        STRING,
        /** {@code true} or {@code false}. */
        BOOLEAN;

        /** The kind as JSON and configuration name it: lower case. */
        @JsonValue
        public String text() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Kind parse(String text) {
            try {
                return valueOf(text.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("kind '" + text + "' is not number, integer, string or boolean");
            }
        }
    }

    public ParamSpec {
        if (name == null || !name.matches("[A-Za-z_][A-Za-z0-9_]{0,63}")) {
            throw new IllegalArgumentException("parameter name '" + name + "' must be a letter or _ and then letters, "
                    + "digits or _ (at most 64)");
        }
        if (kind == null) {
            throw new IllegalArgumentException("parameter '" + name + "' needs a kind");
        }
        if (min != null && max != null && min.compareTo(max) > 0) {
            throw new IllegalArgumentException("parameter '" + name + "': min " + min + " is above max " + max);
        }
    }

    public static ParamSpec number(String name) {
        return new ParamSpec(name, Kind.NUMBER, null, null, false, null);
    }

    public static ParamSpec integer(String name) {
        return new ParamSpec(name, Kind.INTEGER, null, null, false, null);
    }

    public static ParamSpec string(String name) {
        return new ParamSpec(name, Kind.STRING, null, null, false, null);
    }

    public static ParamSpec bool(String name) {
        return new ParamSpec(name, Kind.BOOLEAN, null, null, false, null);
    }

    public ParamSpec min(double value) {
        return new ParamSpec(name, kind, BigDecimal.valueOf(value), max, required, description);
    }

    public ParamSpec max(double value) {
        return new ParamSpec(name, kind, min, BigDecimal.valueOf(value), required, description);
    }

    public ParamSpec mandatory() {
        return new ParamSpec(name, kind, min, max, true, description);
    }

    public ParamSpec describedAs(String text) {
        return new ParamSpec(name, kind, min, max, required, text);
    }

    /**
     * A parameter from its one-line form {@code name:kind[:min..max][:required]}, e.g.
     * {@code duration:number:0..86400} or {@code label:string:..200:required} (either bound may be
     * left out).
     */
    public static ParamSpec parse(String text) {
        String[] parts = text.trim().split(":");
        if (parts.length < 2 || parts.length > 4) {
            throw new IllegalArgumentException("'" + text + "' is not name:kind[:min..max][:required]");
        }
        ParamSpec spec = new ParamSpec(parts[0].trim(), Kind.parse(parts[1]), null, null, false, null);
        for (int i = 2; i < parts.length; i++) {
            String part = parts[i].trim();
            if (part.equals("required")) {
                spec = spec.mandatory();
            } else if (part.contains("..")) {
                String low = part.substring(0, part.indexOf("..")).trim();
                String high = part.substring(part.indexOf("..") + 2).trim();
                try {
                    spec = new ParamSpec(spec.name, spec.kind, low.isEmpty() ? null : new BigDecimal(low),
                            high.isEmpty() ? null : new BigDecimal(high), spec.required, null);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + part + "' in '" + text + "' is not a range min..max");
                }
            } else {
                throw new IllegalArgumentException("'" + part + "' in '" + text + "' is neither min..max nor required");
            }
        }
        return spec;
    }

    /** What is wrong with {@code value} (given, not null) for this parameter, if anything. */
    public Optional<String> check(Object value) {
        return switch (kind) {
            case BOOLEAN -> value instanceof Boolean ? Optional.empty() : Optional.of("must be true or false");
            case STRING -> value instanceof String text ? range(BigDecimal.valueOf(text.codePointCount(0,
                    text.length())), "characters") : Optional.of("must be a string");
            case NUMBER, INTEGER -> {
                BigDecimal number = decimal(value);
                if (number == null) {
                    yield Optional.of(kind == Kind.INTEGER ? "must be a whole number" : "must be a number");
                }
                if (kind == Kind.INTEGER && number.stripTrailingZeros().scale() > 0) {
                    yield Optional.of("must be a whole number");
                }
                yield range(number, null);
            }
        };
    }

    private Optional<String> range(BigDecimal value, String unit) {
        boolean below = min != null && value.compareTo(min) < 0;
        boolean above = max != null && value.compareTo(max) > 0;
        if (!below && !above) {
            return Optional.empty();
        }
        String what = unit == null ? "must be" : "must have";
        String bounds = min != null && max != null ? " between " + plain(min) + " and " + plain(max)
                : min != null ? " at least " + plain(min) : " at most " + plain(max);
        return Optional.of(what + bounds + (unit == null ? "" : " " + unit));
    }

    private static BigDecimal decimal(Object value) {
        if (value instanceof BigDecimal d) {
            return d;
        }
        if (value instanceof Double d) {
            return d.isNaN() || d.isInfinite() ? null : BigDecimal.valueOf(d);
        }
        if (value instanceof Float f) {
            return f.isNaN() || f.isInfinite() ? null : BigDecimal.valueOf(f.doubleValue());
        }
        if (value instanceof java.math.BigInteger i) {
            return new BigDecimal(i);
        }
        if (value instanceof Number n) {
            return BigDecimal.valueOf(n.longValue());
        }
        return null;
    }

    private static String plain(BigDecimal value) {
        return value.stripTrailingZeros().toPlainString();
    }
}
