package io.vqcodec.tools.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultCacheTest {
  private static final String TOOLS = "butteraugli_main+ssimulacra_main libjxl-devtools 0.7.0";

  @Test
  void evaluationsAndPerceptualScoresSurviveAReopen(@TempDir Path dir) throws Exception {
    SourceImage img = PerceptualMetricsTest.source(dir);
    EvalCodec codec = new ImageIoJpegCodec();
    Path cacheFile = dir.resolve("cache.csv"), scoresFile = dir.resolve("perceptual.csv");
    Evaluation plain = new Evaluation(40, 1234, 0.514167, 31.25, 0.954321, 12.5, 3.5);
    Evaluation other = new Evaluation(60, 2345, 0.977083, 34.5, 0.98, 13, 4);
    PerceptualMetrics.Scores s = new PerceptualMetrics.Scores(3.057109, 1.499666, 0.05036252);
    try (ResultCache c = new ResultCache(cacheFile, scoresFile, TOOLS, true)) {
      c.put(codec, img, plain);
      c.put(codec, img, other);
      assertThat(c.get(codec, img, 40).scores()).isEqualTo(PerceptualMetrics.Scores.MISSING);
      c.putScores(codec, img, c.get(codec, img, 40).withScores(s));
      assertThat(c.get(codec, img, 40).scores()).isEqualTo(s);
    }
    // cache.csv keeps the format older builds read; the scores go beside it.
    List<String> lines = Files.readAllLines(cacheFile, StandardCharsets.UTF_8);
    assertThat(lines.get(0)).isEqualTo(ResultCache.HEADER);
    assertThat(lines).hasSize(3).allMatch(l -> Csv.split(l).size() == 13);
    List<String> scoreLines = Files.readAllLines(scoresFile, StandardCharsets.UTF_8);
    assertThat(scoreLines.get(0)).isEqualTo(ResultCache.SCORES_HEADER);
    assertThat(scoreLines.get(1)).endsWith(",40,1234," + TOOLS + ",3.057109,1.499666,0.05036252");
    try (ResultCache c = new ResultCache(cacheFile, scoresFile, TOOLS, true)) {
      assertThat(c.size()).isEqualTo(2);
      Evaluation back = c.get(codec, img, 40);
      assertThat(back.bytes()).isEqualTo(1234);
      assertThat(back.psnr()).isEqualTo(31.25);
      assertThat(back.msssim()).isEqualTo(0.954321);
      assertThat(back.bpp()).isCloseTo(1234 * 8.0 / (160 * 120), within());
      assertThat(back.scores()).isEqualTo(s);
      // An encode cached without scores (e.g. before they existed) comes back without them.
      assertThat(c.get(codec, img, 60).scores()).isEqualTo(PerceptualMetrics.Scores.MISSING);
    }
    // Other tools' scores, or scores of a file of another size, are not used.
    try (ResultCache c = new ResultCache(cacheFile, scoresFile, "-+ssimulacra_main x", true)) {
      assertThat(c.get(codec, img, 40).scores()).isEqualTo(PerceptualMetrics.Scores.MISSING);
    }
    Files.writeString(
        scoresFile,
        Files.readString(scoresFile).replace(",40,1234,", ",40,999,"),
        StandardCharsets.UTF_8);
    try (ResultCache c = new ResultCache(cacheFile, scoresFile, TOOLS, true)) {
      assertThat(c.get(codec, img, 40).scores()).isEqualTo(PerceptualMetrics.Scores.MISSING);
    }
  }

  @Test
  void aCacheWrittenBeforeTheScoresReadsWithoutThem(@TempDir Path dir) throws Exception {
    SourceImage img = PerceptualMetricsTest.source(dir);
    EvalCodec codec = new ImageIoJpegCodec();
    Path cacheFile = dir.resolve("cache.csv");
    Files.write(
        cacheFile,
        List.of(
            ResultCache.HEADER,
            String.join(
                ",",
                codec.name(),
                Csv.quote(codec.configuration()),
                "1",
                "test",
                img.sha256(),
                "50",
                "160",
                "120",
                "2000",
                "33.1000",
                "0.970000",
                "5.0",
                "2.0"),
            "jpeg-imageio,cut short"),
        StandardCharsets.UTF_8);
    try (ResultCache c = new ResultCache(cacheFile, dir.resolve("perceptual.csv"), TOOLS, true)) {
      assertThat(c.size()).isEqualTo(1);
      Evaluation e = c.get(codec, img, 50);
      assertThat(e.bytes()).isEqualTo(2000);
      assertThat(e.scores()).isEqualTo(PerceptualMetrics.Scores.MISSING);
    }
    assertThat(dir.resolve("perceptual.csv")).hasContent(ResultCache.SCORES_HEADER);
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(1e-9);
  }
}
