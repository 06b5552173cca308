package io.vqcodec.tools.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VideoReportTest {
  @TempDir Path dir;

  /** 10 frames of 320x240 at 10 fps: 1 s, so kbit/s = bytes * 8 / 1000. */
  private static VideoPoint point(String codec, double knob, long bytes, double psnr, double ms) {
    return new VideoPoint(
        "clip",
        codec,
        Double.NaN,
        VideoPoint.STEP,
        knob,
        10,
        320,
        240,
        1.0,
        bytes,
        psnr,
        ms,
        2.0,
        0.5,
        1,
        bytes / 2,
        bytes / 2 - 10);
  }

  /** vqcodec at half the bytes of x265 for the same quality: BD-rate -50%. */
  private static List<VideoPoint> points() {
    List<VideoPoint> p = new ArrayList<>();
    long[] bytes = {1000, 2000, 4000, 8000};
    double[] psnr = {28, 30, 32, 34}, ms = {0.90, 0.93, 0.95, 0.97};
    for (int i = 0; i < 4; i++) {
      p.add(point("vqcodec", 3 + 2 * i, bytes[i] / 2, psnr[i], ms[i]));
      p.add(point("vqcodec-intra", 3 + 2 * i, bytes[i] * 2, psnr[i], ms[i]));
      p.add(point("libx265", 40 - 3 * i, bytes[i], psnr[i], ms[i]));
    }
    return p;
  }

  @Test
  void bookkeeping() {
    VideoPoint p = point("vqcodec", 5, 1000, 30, 0.9);
    assertThat(p.kbps()).isCloseTo(8.0, within(1e-9));
    assertThat(p.bpp()).isCloseTo(8000.0 / (10 * 320 * 240), within(1e-12));
    assertThat(p.encodeFps()).isCloseTo(5.0, within(1e-9));
    assertThat(p.decodeFps()).isCloseTo(20.0, within(1e-9));
    // Baseline targets: vqcodec's rates (8 and 16 kbit/s), then multiples of the highest.
    List<VideoPoint> low = List.of(p, point("vqcodec", 7, 2000, 32, 0.95));
    assertThat(VideoEvalCommand.targets(low, List.of(1.5, 2.0)))
        .containsExactly(8.0, 16.0, 24.0, 32.0);
  }

  @Test
  void frameBytesFromInfoJson() {
    String json =
        "{\"per_frame\": [\n"
            + "{\"frame\": 0, \"type\": \"key\", \"bytes\": 424, \"skipped_cells\": 0},\n"
            + "{\"frame\": 1, \"type\": \"motion\", \"bytes\": 81, \"skipped_cells\": 146},\n"
            + "{\"frame\": 2, \"type\": \"predicted\", \"bytes\": 79},\n"
            + "{\"frame\": 3, \"type\": \"key\", \"bytes\": 400}]}";
    assertThat(VideoEvalCommand.frameBytes(json)).containsExactly(2, 824, 160);
  }

  @Test
  void csvRoundTripsAndTheSummaryHasTheBdRates() throws Exception {
    Map<String, String> info = new LinkedHashMap<>();
    info.put("date", "today");
    info.put("command", "vqcodec eval --video --frames 10");
    VideoReport.write(dir, points(), info);
    List<String> lines = Files.readAllLines(dir.resolve("points.csv"), StandardCharsets.UTF_8);
    assertThat(lines.get(0)).isEqualTo(VideoPoint.HEADER);
    assertThat(VideoPoint.parseAll(lines)).hasSize(12);
    assertThat(VideoPoint.parseAll(lines).get(0)).isEqualTo(points().get(0));

    VideoReport r = new VideoReport(points(), info);
    assertThat(r.bdRate("clip", "vqcodec", "libx265", true, Double.MAX_VALUE))
        .isCloseTo(-50, within(1e-6));
    assertThat(r.bdRate("clip", "vqcodec", "vqcodec-intra", false, Double.MAX_VALUE))
        .isCloseTo(-75, within(1e-6));
    // Below 0.02 bpp: 1000 bytes * 8 / 768000 pixels = 0.0104 bpp; only x265's first point.
    assertThat(r.bdRate("clip", "vqcodec", "libx265", true, 0.02)).isNaN();

    String md = Files.readString(dir.resolve("summary.md"));
    assertThat(md)
        .contains("| clip | libx265 | -50.0% | -50.0% |")
        .contains("Measured on 0 of 1 clips (none; mean n/a): not measurable here.")
        .contains("| clip | -75.0% | -75.0% |")
        .contains("nice -n 10 bin/vqcodec eval --video --frames 10");
    assertThat(dir.resolve("rd-clip-psnr.png")).exists();
    assertThat(dir.resolve("rd-clip-msssim.svg")).exists();

    Files.delete(dir.resolve("summary.md"));
    VideoReport.regenerate(dir);
    assertThat(Files.readString(dir.resolve("summary.md"))).isEqualTo(md);
  }
}
