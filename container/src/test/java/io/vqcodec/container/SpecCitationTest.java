package io.vqcodec.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every "§N.M" cited in container/src/main is a numbered heading of bitstream-spec/. */
class SpecCitationTest {
  private static final Pattern CITATION = Pattern.compile("§([0-9]+|[A-Z])((?:\\.[0-9]+)*)");
  private static final Pattern HEADING =
      Pattern.compile("^#{1,6}\\s+(?:Annex\\s+)?([0-9]+|[A-Z])((?:\\.[0-9]+)*)\\s", Pattern.MULTILINE);

  static Set<String> headings() throws IOException {
    Set<String> ids = new TreeSet<>();
    try (Stream<Path> files = Files.list(SpecFiles.spec())) {
      for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".md"))::iterator) {
        Matcher m = HEADING.matcher(Files.readString(f, StandardCharsets.UTF_8));
        while (m.find()) ids.add(m.group(1) + m.group(2));
      }
    }
    return ids;
  }

  @Test
  void everyCitedSectionExists() throws IOException {
    Set<String> headings = headings();
    TreeMap<String, String> cited = new TreeMap<>();
    Path main = SpecFiles.root().resolve("container/src/main/java");
    try (Stream<Path> files = Files.walk(main)) {
      for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
        Matcher m = CITATION.matcher(Files.readString(f, StandardCharsets.UTF_8));
        while (m.find()) cited.putIfAbsent(m.group(1) + m.group(2), f.getFileName().toString());
      }
    }
    assertThat(cited).hasSizeGreaterThan(20);
    assertThat(cited.keySet()).as("cited sections (section -> first file citing it): %s", cited)
        .isSubsetOf(headings);
  }

  @Test
  void headingsAreNumberedUniquely() throws IOException {
    // Every top-level file defines its own number; a duplicate would make a citation ambiguous.
    Set<String> seen = new TreeSet<>();
    try (Stream<Path> files = Files.list(SpecFiles.spec())) {
      for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".md"))::iterator) {
        Matcher m = HEADING.matcher(Files.readString(f, StandardCharsets.UTF_8));
        while (m.find()) {
          assertThat(seen.add(m.group(1) + m.group(2))).as("duplicate heading %s%s in %s",
              m.group(1), m.group(2), f.getFileName()).isTrue();
        }
      }
    }
    assertThat(seen).contains("1", "2.2", "5.4", "6.3", "8.2", "9.4", "A", "A.2", "B.2");
  }
}
