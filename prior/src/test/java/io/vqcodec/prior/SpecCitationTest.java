package io.vqcodec.prior;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every section the prior module cites exists in bitstream-spec/, and §8.3.2's subsections are cited. */
class SpecCitationTest {
  private static final Pattern CITATION = Pattern.compile("§([0-9]+|[A-Z])((?:\\.[0-9]+)*)");
  private static final Pattern HEADING =
      Pattern.compile("^#{1,6}\\s+(?:Annex\\s+)?([0-9]+|[A-Z])((?:\\.[0-9]+)*)\\s", Pattern.MULTILINE);

  @Test
  void citedSectionsExist() throws IOException {
    Path root = Paths.get(System.getProperty("vqcodec.root", ".."));
    Set<String> headings = new TreeSet<>();
    try (Stream<Path> files = Files.list(root.resolve("bitstream-spec"))) {
      for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".md"))::iterator) {
        Matcher m = HEADING.matcher(Files.readString(f, StandardCharsets.UTF_8));
        while (m.find()) headings.add(m.group(1) + m.group(2));
      }
    }
    TreeMap<String, String> cited = new TreeMap<>();
    try (Stream<Path> files = Files.walk(root.resolve("prior/src/main/java"))) {
      for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
        Matcher m = CITATION.matcher(Files.readString(f, StandardCharsets.UTF_8));
        while (m.find()) cited.putIfAbsent(m.group(1) + m.group(2), f.getFileName().toString());
      }
    }
    assertThat(cited.keySet()).as("cited: %s", cited).isSubsetOf(headings);
    assertThat(cited.keySet()).contains("8.3.2.2", "8.3.2.3", "8.3.2.4", "8.3.2.5", "8.3.2.6");
  }
}
