package io.vqcodec.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.vqcodec.tokens.ModelRegistry;
import io.vqcodec.tokens.MotionField;
import io.vqcodec.tokens.TokenGrid;
import io.vqcodec.tokens.VideoTokenDecoder;
import java.io.ByteArrayInputStream;
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
        if (!Capability.needed(e).contains(Capability.VIDEO)) {
          outcomes.addAll(List.of(e.slices().split(",")));
        }
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
            case "video-predicted-pm2.vqc" -> with(e, "tokens_sha256", flipHex(e.tokensSha256()));
            case "video-frame-crc-damaged-pm0.vqc" ->
                with(e, "slices", e.slices().replace("LOST", "DECODED,DECODED"));
            case "video-mv-beyond-max-pm0.vqc" ->
                with(e, "slices", e.slices().replace("UNDECODABLE", "DECODED"));
            case "err-video-rate-num-0.vqc" -> with(e, "error_offset", "0");
            default -> null;
          };
      if (bad != null) {
        m.set(i, bad);
        why.put(e.name(), "");
      }
    }
    assertThat(why).hasSize(12);
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
    Path video = dir.resolve("video-key-frame-lost-pm0.tokens");
    byte[] v = Files.readAllBytes(video);
    v[v.length - 1] ^= 1; // the usability of the last index entry
    Files.write(video, v);
    Files.writeString(
        dir.resolve("video-frame-missing-pm0.result"), "decoded DECODED,DECODED;DECODED,DECODED\n");
    Set<String> failed = new TreeSet<>();
    for (ConformanceRunner.Verdict x : ConformanceRunner.check(manifest, VECTORS, external)) {
      if (!x.pass()) failed.add(x.name());
    }
    assertThat(failed)
        .containsExactly(
            "err-width-0.vqc",
            "k64-mixed-pm2.vqc",
            "slice-dropped-pm0.vqc",
            "slice-truncated-pm0.vqc",
            "video-frame-missing-pm0.vqc",
            "video-key-frame-lost-pm0.vqc");
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

  /**
   * Spec §C.7: a decoder without video, refusing profile 1 at {@code profile} as Spec §2.2.4 says,
   * passes when it says so; stating video, it fails exactly the video vectors that decode.
   */
  @Test
  void decoderWithoutVideoIsJudgedByItsCapabilities() {
    ConformanceRunner.Decoder noVideo =
        (name, stream) ->
            stream.length > 14 && stream[14] == 1
                ? DecoderResult.refusal(ErrorCategory.INVALID_HEADER.name(), 14, "no video")
                : JavaDecoder.decode(stream);
    Set<Capability> noVideoCaps = EnumSet.complementOf(EnumSet.of(Capability.VIDEO));
    assertThat(ConformanceRunner.check(manifest, VECTORS, noVideo, noVideoCaps))
        .allMatch(ConformanceRunner.Verdict::pass);
    Set<String> decodesVideo = new TreeSet<>(), needsVideo = new TreeSet<>();
    for (Manifest.Entry e : manifest) {
      if (Capability.needed(e).contains(Capability.VIDEO)) {
        needsVideo.add(e.name());
        if (e.decodes()) decodesVideo.add(e.name());
      }
    }
    assertThat(decodesVideo).hasSizeGreaterThan(30);
    // Stating video, it fails every video vector that decodes, and refusal vectors only where the
    // category or offset differ from what a video decoder reports; no picture vector.
    Set<String> failed =
        failed(
            ConformanceRunner.check(manifest, VECTORS, noVideo, EnumSet.allOf(Capability.class)));
    assertThat(failed).containsAll(decodesVideo);
    assertThat(needsVideo).containsAll(failed);
  }

  /**
   * The video vectors (Spec §10) together exercise what the section defines: every probability
   * model, each granularity mode, key, predicted and motion frames with skipped, moved (even and
   * odd vectors, at MAX_MV) and coded cells, lost frames and slices, a frame index of several
   * entries with unusable ones, and refusals of the header's video fields. Checked on the frames
   * this decoder returns, so a generator that stopped making one of them fails here.
   */
  @Test
  void videoVectorsCoverSection10() throws IOException {
    Set<String> seen = new TreeSet<>();
    Set<String> refusals = new TreeSet<>();
    int video = 0;
    for (Manifest.Entry e : manifest) {
      if (!Capability.needed(e).contains(Capability.VIDEO)) continue;
      video++;
      if (!e.decodes()) {
        refusals.add(e.error());
        continue;
      }
      seen.add("pm" + e.probModel());
      seen.add(e.granularity());
      for (String f : e.slices().split(";")) {
        seen.add(f.equals("LOST") ? "lost frame" : "frame");
        for (String o : f.split(",")) seen.add(o);
      }
      byte[] b = Files.readAllBytes(VECTORS.resolve(e.name()));
      VideoTokenDecoder d =
          VideoTokenDecoder.open(
              new ByteArrayInputStream(b), ModelRegistry.builtIn(), Long.MAX_VALUE);
      for (VideoTokenDecoder.Frame f = d.next(); f != null; f = d.next()) {
        if (f.type() != null) seen.add(f.type().name());
        if (f.skippedCells() > 0) seen.add("skip");
        MotionField m = f.motion();
        if (m == null) continue;
        for (int cy = 0; cy < m.cellsHigh(); cy++) {
          for (int cx = 0; cx < m.cellsWide(); cx++) {
            if (!m.isMotion(cx, cy)) continue;
            int x = m.mvX(cx, cy), y = m.mvY(cx, cy);
            seen.add(((x | y) & 1) == 0 ? "even vector" : "odd vector");
            if (Math.max(Math.abs(x), Math.abs(y)) == MotionField.MAX_MV) seen.add("MAX_MV");
          }
        }
      }
      if (d.index() != null && d.index().size() > 2) seen.add("index of 3");
    }
    assertThat(video).isGreaterThan(45);
    assertThat(seen)
        .contains(
            "pm0",
            "pm2",
            "pm3",
            "mixed",
            "all-coarse",
            "all-fine",
            "KEY",
            "PREDICTED",
            "MOTION",
            "skip",
            "even vector",
            "odd vector",
            "MAX_MV",
            "frame",
            "lost frame",
            "DECODED",
            "DAMAGED",
            "TRUNCATED",
            "MISSING",
            "UNDECODABLE",
            "index of 3");
    assertThat(refusals).contains("INVALID_HEADER", "DAMAGED_HEADER", "UNKNOWN_MODEL");
  }

  /** Spec §C.2.1: a decoded 1x1 frame, a lost frame, an index of one usable entry. */
  @Test
  void videoDumpLayout() {
    TokenGrid g = new TokenGrid(1, 1, 16);
    g.setCoarseToken(0, 0, 7);
    byte[] d = new VideoDump().frame(g).lost().index(new long[] {0}, new boolean[] {true}).bytes();
    assertThat(HexFormat.of().formatHex(d))
        .isEqualTo(
            "00"
                + "00000001"
                + "00000001"
                + "00000010"
                + "000007"
                + "01"
                + "01"
                + "00000001"
                + "00000000"
                + "01");
    assertThat(new VideoDump().lost().noIndex().bytes()).containsExactly(1, 0);
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
    assertThat(c.get("video-motion-pm3.vqc"))
        .containsExactly(Capability.CORE, Capability.PM3, Capability.VIDEO);
    assertThat(c.get("err-video-rate-num-0.vqc"))
        .containsExactly(Capability.CORE, Capability.VIDEO);
    assertThat(Capability.of("coded-resolution")).isEqualTo(Capability.CODED_RESOLUTION);
    assertThat(c.get("stages-3-mixed-random-pm0.vqc"))
        .containsExactly(Capability.CORE, Capability.RESIDUAL_STAGES);
    assertThat(c.get("stages-coded-res-half-pm3.vqc"))
        .containsExactly(
            Capability.CORE,
            Capability.PM3,
            Capability.CODED_RESOLUTION,
            Capability.RESIDUAL_STAGES);
    assertThat(c.get("err-stages-count-4.vqc"))
        .containsExactly(Capability.CORE, Capability.RESIDUAL_STAGES);
    assertThat(Capability.of("residual-stages")).isEqualTo(Capability.RESIDUAL_STAGES);
    assertThat(c.get("video-compact-pm0.vqc"))
        .containsExactly(Capability.CORE, Capability.VIDEO, Capability.COMPACT_FRAME_HEADERS);
    assertThat(c.get("err-compact-frame-headers-still.vqc"))
        .containsExactly(Capability.CORE, Capability.COMPACT_FRAME_HEADERS);
    assertThat(Capability.of("compact-frame-headers")).isEqualTo(Capability.COMPACT_FRAME_HEADERS);
  }

  /**
   * Spec §C.7: a decoder of version_minor 4 (no compact frame headers) refuses the type-3 block as
   * an unknown critical extension and passes when it says so; stating the capability, it fails
   * exactly the compact vectors that decode.
   */
  @Test
  void decoderWithoutCompactFrameHeadersIsJudgedByItsCapabilities() {
    ConformanceRunner.Decoder noCompact =
        (name, stream) -> {
          DecoderResult r = JavaDecoder.decode(stream);
          if (r.refused()) return r;
          try {
            if (io.vqcodec.container.ContainerReader.open(stream).header().hasCompactFrameHeaders())
              return DecoderResult.refusal(
                  ErrorCategory.UNKNOWN_CRITICAL_EXTENSION.name(), -1, "no compact frame headers");
          } catch (IOException e) {
            return r;
          }
          return r;
        };
    Set<Capability> caps = EnumSet.complementOf(EnumSet.of(Capability.COMPACT_FRAME_HEADERS));
    assertThat(ConformanceRunner.check(manifest, VECTORS, noCompact, caps))
        .allMatch(ConformanceRunner.Verdict::pass);
    Set<String> decodesCompact = new TreeSet<>();
    for (Manifest.Entry e : manifest) {
      if (Capability.needed(e).contains(Capability.COMPACT_FRAME_HEADERS) && e.decodes())
        decodesCompact.add(e.name());
    }
    assertThat(decodesCompact).hasSize(8);
    assertThat(
            failed(
                ConformanceRunner.check(
                    manifest, VECTORS, noCompact, EnumSet.allOf(Capability.class))))
        .isEqualTo(decodesCompact);
  }

  /**
   * Spec §C.7: a decoder without residual stages refuses the critical type-2 block as an unknown
   * critical extension (§9.4) and passes when it says so; stating residual-stages, it fails exactly
   * the staged vectors that decode.
   */
  @Test
  void decoderWithoutStagesIsJudgedByItsCapabilities() {
    ConformanceRunner.Decoder noStages =
        (name, stream) -> {
          DecoderResult r = JavaDecoder.decode(stream);
          if (r.refused() && !r.error().equals(ErrorCategory.UNKNOWN_MODEL.name())) return r;
          try {
            if (io.vqcodec.container.ContainerReader.open(stream).header().stageCount() > 1)
              return DecoderResult.refusal(
                  ErrorCategory.UNKNOWN_CRITICAL_EXTENSION.name(), -1, "no residual stages");
          } catch (IOException e) {
            return r;
          }
          return r;
        };
    Set<Capability> noStagesCaps = EnumSet.complementOf(EnumSet.of(Capability.RESIDUAL_STAGES));
    assertThat(ConformanceRunner.check(manifest, VECTORS, noStages, noStagesCaps))
        .allMatch(ConformanceRunner.Verdict::pass);
    Set<String> decodesStaged = new TreeSet<>(), needsStages = new TreeSet<>();
    for (Manifest.Entry e : manifest) {
      if (Capability.needed(e).contains(Capability.RESIDUAL_STAGES)) {
        needsStages.add(e.name());
        if (e.decodes()) decodesStaged.add(e.name());
      }
    }
    assertThat(decodesStaged).hasSizeGreaterThan(20);
    // Stating residual-stages, it fails every staged vector that decodes, and refusal vectors only
    // where the category differs (the UNKNOWN_MODEL ones); no other vector.
    Set<String> failed =
        failed(
            ConformanceRunner.check(manifest, VECTORS, noStages, EnumSet.allOf(Capability.class)));
    assertThat(failed).containsAll(decodesStaged);
    assertThat(needsStages).containsAll(failed);
  }

  /**
   * Spec §C.7: without the capability, a registered block lacking its critical flag is an ignorable
   * block of an unknown type (§9.4), so the two vectors of that flag judge only decoders that state
   * the capability; every other vector still owes its refusal.
   */
  @Test
  void criticalFlagVectorsJudgeOnlyDecodersWithTheCapability() {
    // A decoder that skips ignorable blocks of types it does not know and decodes what follows.
    ConformanceRunner.Decoder skipsUnknownBlocks =
        (name, stream) -> DecoderResult.tokens("0".repeat(64), List.of());
    List<Manifest.Entry> flagVectors = new ArrayList<>(), others = new ArrayList<>();
    for (Manifest.Entry e : manifest) {
      if (e.name().equals("err-coded-res-ignorable.vqc")
          || e.name().equals("err-stages-ignorable.vqc")) flagVectors.add(e);
      else if (e.name().startsWith("err-stages-") || e.name().startsWith("err-coded-res-"))
        others.add(e);
    }
    assertThat(flagVectors).hasSize(2);
    Set<Capability> core = EnumSet.of(Capability.CORE);
    assertThat(ConformanceRunner.check(flagVectors, VECTORS, skipsUnknownBlocks, core))
        .allMatch(v -> v.pass() && v.reason().contains("not applicable"));
    assertThat(
            ConformanceRunner.check(
                flagVectors, VECTORS, skipsUnknownBlocks, EnumSet.allOf(Capability.class)))
        .noneMatch(ConformanceRunner.Verdict::pass);
    assertThat(others).hasSizeGreaterThan(10);
    assertThat(ConformanceRunner.check(others, VECTORS, skipsUnknownBlocks, core))
        .noneMatch(ConformanceRunner.Verdict::pass);
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
