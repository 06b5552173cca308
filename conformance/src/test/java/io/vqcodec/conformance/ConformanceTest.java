package io.vqcodec.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.vqcodec.tokens.TokenGrid;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The committed vectors against this decoder (Spec Annex C), and the runner's ability to fail. */
class ConformanceTest {
  static final Path ROOT = Path.of(System.getProperty("vqcodec.root", ".."));
  static final Path VECTORS = ROOT.resolve("conformance/vectors");

  static List<Manifest.Entry> manifest;

  @BeforeAll
  static void load() throws IOException {
    manifest = Manifest.read(VECTORS.resolve(Manifest.FILE));
  }

  static ConformanceRunner.Decoder java() {
    return (name, stream) -> JavaDecoder.decode(stream);
  }

  @Test
  void everyVectorPasses() {
    List<ConformanceRunner.Verdict> v = ConformanceRunner.check(manifest, VECTORS, java());
    assertThat(v).hasSize(manifest.size());
    assertThat(v).filteredOn(x -> !x.pass()).isEmpty();
  }

  @Test
  void manifestListsExactlyTheVectorFiles() throws IOException {
    Set<String> files = new TreeSet<>();
    long bytes = 0;
    try (DirectoryStream<Path> d = Files.newDirectoryStream(VECTORS, "*.vqc")) {
      for (Path p : d) {
        files.add(p.getFileName().toString());
        bytes += Files.size(p);
      }
    }
    Set<String> listed = new TreeSet<>();
    for (Manifest.Entry e : manifest) listed.add(e.name());
    assertThat(listed).hasSize(manifest.size()).isEqualTo(files);
    // header-size-max-pm0 is 4 MiB of zeros (the largest header, Spec §A.3); the rest is small.
    assertThat(bytes).isLessThan(5 << 20);
  }

  @Test
  void coverage() {
    Set<Integer> ks = new TreeSet<>();
    Set<String> modes = new TreeSet<>(), errors = new TreeSet<>(), outcomes = new TreeSet<>();
    Set<String> modelAndMode = new TreeSet<>();
    for (Manifest.Entry e : manifest) {
      if (e.decodes()) {
        ks.add(e.k());
        modes.add(e.granularity());
        modelAndMode.add(e.probModel() + "/" + e.granularity());
        outcomes.addAll(List.of(e.slices().split(",")));
      } else {
        errors.add(e.error());
      }
    }
    assertThat(ks).containsExactly(16, 64, 256, 1024, 4096);
    assertThat(modelAndMode)
        .contains("0/mixed", "0/all-coarse", "0/all-fine", "2/mixed", "2/all-coarse", "2/all-fine");
    assertThat(errors).hasSize(ErrorCategory.values().length);
    assertThat(outcomes)
        .containsExactlyInAnyOrder(
            "DECODED", "DAMAGED", "TRUNCATED", "MISSING", "DROPPED", "UNDECODABLE");
  }

  /** Each kind of wrong manifest entry is reported as FAIL, and only that entry. */
  @Test
  void wrongExpectationsFail() {
    List<Manifest.Entry> m = new ArrayList<>(manifest);
    Map<String, String> why = new HashMap<>();
    for (int i = 0; i < m.size(); i++) {
      Manifest.Entry e = m.get(i);
      Manifest.Entry bad =
          switch (e.name()) {
            case "k256-mixed-pm0.vqc" -> with(e, "tokens_sha256", flipHex(e.tokensSha256()));
            case "slice-crc-damaged-1-pm2.vqc" ->
                with(e, "slices", "DECODED,DECODED,DECODED,DECODED");
            case "gray-40x24-pm0.vqc" -> with(e, "channel", "rgb");
            case "end-code-missing.vqc" -> with(e, "end_code", "ok");
            case "err-profile-1.vqc" -> with(e, "error_offset", Long.toString(e.errorOffset() + 1));
            case "err-header-crc-width.vqc" -> with(e, "error", "INVALID_HEADER");
            case "base-pm0.vqc" -> with(e, "expect", "refuse");
            case "size-17x33-pm0.vqc" -> with(e, "stream_sha256", flipHex(e.streamSha256()));
            default -> null;
          };
      if (bad != null) {
        m.set(i, bad);
        why.put(e.name(), "");
      }
    }
    assertThat(why).hasSize(8);
    List<ConformanceRunner.Verdict> v = ConformanceRunner.check(m, VECTORS, java());
    Set<String> failed = new TreeSet<>();
    for (ConformanceRunner.Verdict x : v) {
      if (!x.pass()) failed.add(x.name());
    }
    assertThat(failed).isEqualTo(why.keySet());
  }

  /** The external-implementation path: this decoder's output written as files, then checked. */
  @Test
  void tokensDirectory(@TempDir Path dir) throws IOException {
    for (Manifest.Entry e : manifest) {
      byte[] b = Files.readAllBytes(VECTORS.resolve(e.name()));
      ConformanceRunner.writeResult(dir, e.name(), JavaDecoder.decode(b), b);
    }
    ConformanceRunner.Decoder external = ConformanceRunner.fromDirectory(dir);
    assertThat(ConformanceRunner.check(manifest, VECTORS, external))
        .allMatch(ConformanceRunner.Verdict::pass);

    Path tokens = dir.resolve("k64-mixed-pm2.tokens");
    byte[] t = Files.readAllBytes(tokens);
    t[t.length - 1] ^= 1;
    Files.write(tokens, t);
    Files.writeString(dir.resolve("err-width-0.result"), "refused INVALID_HEADER 999\n");
    Files.delete(dir.resolve("slice-truncated-pm0.tokens"));
    Files.writeString(
        dir.resolve("slice-dropped-pm0.result"), "decoded DECODED,DAMAGED,DECODED,DECODED\n");
    Set<String> failed = new TreeSet<>();
    for (ConformanceRunner.Verdict x : ConformanceRunner.check(manifest, VECTORS, external)) {
      if (!x.pass()) failed.add(x.name());
    }
    assertThat(failed)
        .containsExactly(
            "err-width-0.vqc",
            "k64-mixed-pm2.vqc",
            "slice-dropped-pm0.vqc",
            "slice-truncated-pm0.vqc");
  }

  /**
   * Spec §C.7: a decoder without the context prior, stating so, passes (the prob_model_id 2 vectors
   * refused as UNKNOWN_MODEL); the same decoder stating pm2, or a full decoder stating core only,
   * fails exactly the vectors that need pm2.
   */
  @Test
  void partialDecoderIsJudgedByItsCapabilities() {
    ConformanceRunner.Decoder noPrior =
        (name, stream) -> {
          DecoderResult r = JavaDecoder.decode(stream);
          return !r.refused() && r.probModel() == 2
              ? DecoderResult.refusal(ErrorCategory.UNKNOWN_MODEL.name(), -1, "no prior")
              : r;
        };
    Set<Capability> all = EnumSet.allOf(Capability.class);
    Set<Capability> noPm2 = EnumSet.complementOf(EnumSet.of(Capability.PM2));
    List<ConformanceRunner.Verdict> v = ConformanceRunner.check(manifest, VECTORS, noPrior, noPm2);
    assertThat(v).allMatch(ConformanceRunner.Verdict::pass);
    Set<String> pm2 = new TreeSet<>(), decodesPm2 = new TreeSet<>();
    for (Manifest.Entry e : manifest) {
      if (Capability.needed(e).contains(Capability.PM2)) {
        pm2.add(e.name());
        if (e.decodes()) decodesPm2.add(e.name());
      }
    }
    assertThat(decodesPm2).hasSizeGreaterThan(30);
    assertThat(v).filteredOn(x -> x.toString().startsWith("PASS (partial)")).hasSize(pm2.size());
    assertThat(failed(ConformanceRunner.check(manifest, VECTORS, noPrior, all)))
        .isEqualTo(decodesPm2);
    assertThat(failed(ConformanceRunner.check(manifest, VECTORS, java(), noPm2)))
        .isEqualTo(decodesPm2);
  }

  @Test
  void capabilitiesFollowTheManifestColumns() {
    Map<String, Set<Capability>> c = new HashMap<>();
    for (Manifest.Entry e : manifest) c.put(e.name(), Capability.needed(e));
    assertThat(c.get("base-pm0.vqc")).containsExactly(Capability.CORE);
    assertThat(c.get("base-pm2.vqc")).containsExactly(Capability.CORE, Capability.PM2);
    assertThat(c.get("coded-res-quarter-pm0.vqc"))
        .containsExactly(Capability.CORE, Capability.CODED_RESOLUTION);
    assertThat(c.get("err-coded-res-twice.vqc")).contains(Capability.CODED_RESOLUTION);
    assertThat(c.get("model-2-pm0.vqc")).containsExactly(Capability.CORE, Capability.MODEL_2);
    assertThat(c.get("err-model-2-prior.vqc"))
        .containsExactly(Capability.CORE, Capability.PM2, Capability.MODEL_2);
    assertThat(Capability.of("coded-resolution")).isEqualTo(Capability.CODED_RESOLUTION);
  }

  private static Set<String> failed(List<ConformanceRunner.Verdict> v) {
    Set<String> f = new TreeSet<>();
    for (ConformanceRunner.Verdict x : v) {
      if (!x.pass()) f.add(x.name());
    }
    return f;
  }

  /** The worked example of Spec §C.2. */
  @Test
  void tokenDumpIsTheAnnexExample() {
    TokenGrid g = new TokenGrid(17, 20, 64);
    g.setCoarseToken(0, 0, 5);
    g.setFine(1, 0, true);
    for (int k = 0; k < 4; k++) g.setFineToken(2 + (k & 1), k >> 1, k + 1);
    g.setCoarseToken(0, 1, TokenGrid.LOST);
    g.setFine(1, 1, true);
    for (int k = 0; k < 4; k++) g.setFineToken(2 + (k & 1), 2 + (k >> 1), TokenGrid.LOST);
    assertThat(HexFormat.of().formatHex(TokenDump.serialize(g)))
        .isEqualTo(
            "00000011"
                + "00000014"
                + "00000040"
                + "000005"
                + "01"
                + "0001000200030004"
                + "02"
                + "02");
  }

  static String flipHex(String hex) {
    return (hex.charAt(0) == '0' ? '1' : '0') + hex.substring(1);
  }

  static Manifest.Entry with(Manifest.Entry e, String column, String value) {
    String[] f = e.line().split("\t", -1);
    f[Manifest.COLUMNS.indexOf(column)] = value;
    return Manifest.Entry.parse(String.join("\t", f), 0);
  }
}
