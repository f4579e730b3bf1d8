package dev.jobflow.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** The README's Java client example is the code of {@link ReadmeExample} (which compiles and runs in the IT). */
class ReadmeExampleTest {
    private static final Path README = Path.of("..", "README.md");
    private static final Path EXAMPLE = Path.of("src/test/java/dev/jobflow/client/ReadmeExample.java");

    @Test
    void theReadmeShowsTheCompiledExample() throws IOException {
        Matcher region = Pattern.compile("// README:java-client:begin\\n(.*?)\\n[ \\t]*// README:java-client:end",
                Pattern.DOTALL).matcher(Files.readString(EXAMPLE));
        assertThat(region.find()).as("the marked region of " + EXAMPLE).isTrue();
        Matcher block = Pattern.compile("<!-- java-client-example -->\\n```java\\n(.*?)\\n```", Pattern.DOTALL)
                .matcher(Files.readString(README));
        assertThat(block.find()).as("the java block after <!-- java-client-example --> in " + README).isTrue();
        assertThat(block.group(1)).isEqualTo(dedent(region.group(1)));
    }

    /** The lines without the indentation they all share. */
    static String dedent(String text) {
        List<String> lines = text.lines().toList();
        int indent = lines.stream().filter(l -> !l.isBlank()).mapToInt(l -> l.length() - l.stripLeading().length())
                .min().orElse(0);
        return String.join("\n", lines.stream().map(l -> l.isBlank() ? "" : l.substring(indent)).toList());
    }
}
