package dev.jobflow.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class ColumnLimitsTest {

    private static int bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    void cutsByUtf8BytesAndNeverSplitsACharacter() {
        String text = "a€😀".repeat(1000); // 1 + 3 + 4 bytes: 8,000 bytes, 4,000 chars

        String cut = ColumnLimits.truncateToBytes(text, 4000);

        assertThat(bytes(cut)).isEqualTo(4000);
        assertThat(text).startsWith(cut);
        assertThat(ColumnLimits.truncateToBytes(text, 4003)).isEqualTo(cut + "a"); // the euro sign would end at 4,004
        assertThat(ColumnLimits.truncateToBytes("😀😀", 7)).isEqualTo("😀");
    }

    @Test
    void leavesShortValuesAndNullAlone() {
        assertThat(ColumnLimits.truncateToBytes("héllo", 6)).isEqualTo("héllo");
        assertThat(ColumnLimits.truncateToBytes("héllo", 5)).isEqualTo("héll");
        assertThat(ColumnLimits.truncateToBytes(null, 10)).isNull();
        assertThat(ColumnLimits.truncateToBytes("x".repeat(4000), 4000)).hasSize(4000);
    }
}
