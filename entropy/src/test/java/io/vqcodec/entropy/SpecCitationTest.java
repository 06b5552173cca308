package io.vqcodec.entropy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every "Spec §7.x" cited in this module names a subsection of §7, and every normative one is cited. */
class SpecCitationTest {
    private static final Set<String> NORMATIVE = Set.of(
            "7.1", "7.2", "7.3", "7.4", "7.5", "7.6", "7.8.2", "7.9.2", "7.9.3", "7.10", "7.11");

    private static Path root() {
        Path p = Path.of(System.getProperty("vqcodec.root", "..")).toAbsolutePath();
        return Files.isDirectory(p.resolve("bitstream-spec")) ? p : p.getParent();
    }

    @Test
    void citationsAndSectionsMatch() throws IOException {
        Path spec = root().resolve("bitstream-spec/07-entropy-decoding.md");
        Set<String> sections = new TreeSet<>();
        Matcher h = Pattern.compile("(?m)^#{1,4} (7(?:\\.\\d+)*) ").matcher(Files.readString(spec));
        while (h.find()) {
            sections.add(h.group(1));
        }
        Set<String> cited = new TreeSet<>();
        Pattern cite = Pattern.compile("Spec §(7(?:\\.\\d+)*)");
        try (Stream<Path> files = Files.walk(root().resolve("entropy/src"))) {
            for (Path f : (Iterable<Path>) files.filter(x -> x.toString().endsWith(".java"))::iterator) {
                Matcher m = cite.matcher(Files.readString(f));
                while (m.find()) {
                    cited.add(m.group(1));
                }
            }
        }
        assertThat(sections).containsAll(cited);
        assertThat(cited).containsAll(NORMATIVE);
    }
}
