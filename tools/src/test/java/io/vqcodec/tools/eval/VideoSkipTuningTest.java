package io.vqcodec.tools.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VideoSkipTuningTest {
  /** A photo of random pixels, so that any misplaced pixel shows. */
  private static BufferedImage photo(int w, int h) {
    Random r = new Random(4);
    BufferedImage b = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) b.setRGB(x, y, r.nextInt(1 << 24));
    return b;
  }

  @Test
  void aPanShiftsThePictureByWholePixels() {
    List<BufferedImage> clip = VideoSkipTuning.clip(photo(500, 400), "pan", 5, 1);
    assertThat(clip).hasSize(5);
    BufferedImage a = clip.get(0), b = clip.get(3);
    assertThat(a.getWidth()).isEqualTo(VideoSkipTuning.WIDTH);
    assertThat(a.getHeight()).isEqualTo(VideoSkipTuning.HEIGHT);
    // 2 pixels right and 1 down a frame: frame 3 at (x, y) shows frame 0 at (x + 6, y + 3).
    for (int y = 0; y < 200; y += 17)
      for (int x = 0; x < 300; x += 13)
        assertThat(b.getRGB(x, y)).isEqualTo(a.getRGB(x + 6, y + 3));
  }

  @Test
  void aStillSceneChangesOnlyByItsNoiseAndAnObjectMoves() {
    BufferedImage p = photo(500, 400);
    List<BufferedImage> still = VideoSkipTuning.clip(p, "static-noise", 2, 1);
    double diff = 0;
    int n = 0;
    for (int y = 0; y < VideoSkipTuning.HEIGHT; y += 3) {
      for (int x = 0; x < VideoSkipTuning.WIDTH; x += 3, n++) {
        diff += Math.abs((still.get(0).getRGB(x, y) & 255) - (still.get(1).getRGB(x, y) & 255));
      }
    }
    // Two independent noises of sigma 2: mean absolute difference 2 * sqrt(2) * sqrt(2 / pi).
    assertThat(diff / n).isCloseTo(2 * Math.sqrt(2) * Math.sqrt(2 / Math.PI), within(0.4));
    List<BufferedImage> object = VideoSkipTuning.clip(p, "object", 3, 1);
    // The object's top-left corner moves 3 pixels right and 1 down a frame, noise aside.
    int a = object.get(0).getRGB(40, 60) & 255, b = object.get(2).getRGB(46, 62) & 255;
    assertThat(Math.abs(a - b)).isLessThanOrEqualTo(16);
  }

  @Test
  void aPhotoTooSmallForTheMotionGivesNoClip() {
    assertThat(VideoSkipTuning.clip(photo(330, 250), "pan", 30, 1)).isNull();
    assertThat(VideoSkipTuning.clip(photo(330, 250), "zoom", 30, 1)).isNotNull();
  }

  private static VideoSkipTuning.Coding intra(int q, long bytes, double psnr) {
    return new VideoSkipTuning.Coding("c", "pan", "intra", 0, 0, q, 0, bytes, psnr, psnr, psnr, 0);
  }

  @Test
  void intraBytesAreInterpolatedLogLinearlyBetweenTheCheapestBracket() {
    List<VideoSkipTuning.Coding> points =
        List.of(intra(4, 1000, 30), intra(5, 4000, 32), intra(6, 3000, 33), intra(7, 9000, 36));
    // 31 dB: between 1000 (30 dB) and 3000 (33 dB) is cheaper than toward 4000 (32 dB).
    assertThat(VideoSkipTuning.intraBytesAt(points, 31))
        .isCloseTo(1000 * Math.pow(3, 1 / 3.0), within(1e-6));
    assertThat(VideoSkipTuning.intraBytesAt(points, 36)).isCloseTo(9000, within(1e-6));
    assertThat(VideoSkipTuning.intraBytesAt(points, 29)).isNaN();
    assertThat(VideoSkipTuning.intraBytesAt(points, 37)).isNaN();
  }

  /** {@code --merge} reads the shards' CSVs back: every field survives, no pixel check included. */
  @Test
  void csvRowsReadBackAsWritten(@TempDir Path dir) throws IOException {
    List<VideoSkipTuning.Coding> rows =
        List.of(
            intra(5, 4000, 32.5),
            new VideoSkipTuning.Coding(
                "c",
                "pan",
                "predicted",
                64,
                Double.POSITIVE_INFINITY,
                7,
                900,
                1500,
                31.25,
                31.5,
                31.125,
                0.75));
    Path f = dir.resolve("s.csv");
    Files.writeString(f, VideoSkipTuning.csv(rows));
    assertThat(VideoSkipTuning.readCsv(f)).isEqualTo(rows);
  }
}
