package io.vqcodec.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The one check that code and vectors cite the spec correctly: every "§N.M" in the main sources of
 * every module and in the conformance manifest is a numbered heading of bitstream-spec/, headings
 * are numbered uniquely, and the normative decoding sections are each cited by the code that
 * implements them.
 */
class SpecCitationTest {
  static final Path ROOT = ConformanceTest.ROOT;
  private static final Pattern CITATION = Pattern.compile("§([0-9]+|[A-Z])((?:\\.[0-9]+)*)");
  private static final Pattern HEADING =
      Pattern.compile(
          "^#{1,6}\\s+(?:Annex\\s+)?([0-9]+|[A-Z])((?:\\.[0-9]+)*)\\s", Pattern.MULTILINE);

  /** Sections a decoder implements, each to be cited where it is implemented. */
  private static final Set<String> NORMATIVE =
      Set.of(
          "2.3", "2.4", "3.2", "4.2", "4.3", "5.2", "5.4", "5.5", "6.3", "6.4", "6.6", "7.1", "7.2",
          "7.3", "7.4", "7.5", "7.6", "7.8.2", "7.9.2", "7.9.3", "7.10", "7.11", "8.1", "8.2",
          "8.3.2.1", "8.3.2.2", "8.3.2.3", "8.3.2.4", "8.3.2.5", "8.3.2.6", "9.6.1", "A.1");

  static Set<String> headings = new TreeSet<>();

  /** Section -> first file citing it, over every module's src/main/java. */
  static Map<String, String> citedByCode = new TreeMap<>();

  @BeforeAll
  static void scan() throws IOException {
    try (DirectoryStream<Path> d =
        Files.newDirectoryStream(ROOT.resolve("bitstream-spec"), "*.md")) {
      for (Path f : d) {
        Matcher m = HEADING.matcher(Files.readString(f, StandardCharsets.UTF_8));
        while (m.find()) headings.add(m.group(1) + m.group(2));
      }
    }
    for (Path module : modules()) {
      Path main = module.resolve("src/main/java");
      if (!Files.isDirectory(main)) continue;
      try (Stream<Path> files = Files.walk(main)) {
        for (Path f :
            (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
          Matcher m = CITATION.matcher(Files.readString(f, StandardCharsets.UTF_8));
          while (m.find()) {
            citedByCode.putIfAbsent(m.group(1) + m.group(2), ROOT.relativize(f).toString());
          }
        }
      }
    }
  }

  /** The modules of the root pom. */
  static List<Path> modules() throws IOException {
    String pom = Files.readString(ROOT.resolve("pom.xml"), StandardCharsets.UTF_8);
    Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(pom);
    List<Path> out = new java.util.ArrayList<>();
    while (m.find()) out.add(ROOT.resolve(m.group(1)));
    return out;
  }

  @Test
  void everySectionTheCodeCitesExists() throws IOException {
    assertThat(modules()).hasSizeGreaterThan(8);
    assertThat(citedByCode).hasSizeGreaterThan(60);
    assertThat(citedByCode.keySet())
        .as("cited sections (section -> first file citing it): %s", citedByCode)
        .isSubsetOf(headings);
  }

  @Test
  void everyNormativeDecodingSectionIsCitedByItsImplementation() {
    assertThat(citedByCode.keySet()).containsAll(NORMATIVE);
  }

  @Test
  void everySectionTheManifestCitesExists() throws IOException {
    Set<String> cited = new TreeSet<>();
    for (Manifest.Entry e : Manifest.read(ConformanceTest.VECTORS.resolve(Manifest.FILE))) {
      Matcher m = CITATION.matcher(e.sections());
      while (m.find()) cited.add(m.group(1) + m.group(2));
    }
    assertThat(cited).hasSizeGreaterThan(30);
    assertThat(headings).containsAll(cited);
  }

  @Test
  void headingsAreNumberedUniquely() throws IOException {
    // Every top-level file defines its own number; a duplicate would make a citation ambiguous.
    Set<String> seen = new TreeSet<>();
    try (DirectoryStream<Path> d =
        Files.newDirectoryStream(ROOT.resolve("bitstream-spec"), "*.md")) {
      for (Path f : d) {
        Matcher m = HEADING.matcher(Files.readString(f, StandardCharsets.UTF_8));
        while (m.find()) {
          assertThat(seen.add(m.group(1) + m.group(2)))
              .as("duplicate heading %s%s in %s", m.group(1), m.group(2), f.getFileName())
              .isTrue();
        }
      }
    }
    assertThat(seen).contains("1", "2.2", "5.4", "6.3", "8.2", "9.4", "A", "A.2", "B.2");
  }
}
