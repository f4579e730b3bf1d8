package dev.jobflow.core.sql;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The words of a job search an index can look up: runs of at least three letters or digits (one
 * trigram for pg_trgm; a term for Oracle Text, whose lexer splits text at everything else), lower
 * case, the longest first, at most {@value #MAX}. A search with none (e.g. {@code "42"} or
 * {@code "a.b"}) is a scan of the newest jobs with a filter instead. The index only narrows: every
 * statement also checks the whole text as a case-insensitive substring, so no false hit gets through.
 */
public final class SearchTerms {
    static final int MAX = 5;
    private static final Pattern TERM = Pattern.compile("[\\p{L}\\p{Nd}]{3,}");
    /** Oracle Text's operator words, which its query parser would not read as terms. */
    private static final Set<String> OPERATORS = Set.of("about", "accum", "and", "btg", "bti", "btp", "equiv",
            "fuzzy", "haspath", "inpath", "minus", "near", "not", "ntg", "nti", "ntp", "sqe", "syn", "trsyn", "within");

    private SearchTerms() {
    }

    public static List<String> of(String text) {
        return TERM.matcher(text).results()
                .map(m -> m.group().toLowerCase(Locale.ROOT))
                .filter(term -> !OPERATORS.contains(term))
                .distinct()
                .sorted(Comparator.comparingInt(String::length).reversed())
                .limit(MAX)
                .toList();
    }
}
