package io.vqcodec.tools.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vqcodec.neural.TensorFile;
import io.vqcodec.neural.TensorFile.Tensor;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TrainTokenizer end to end at toy size: a few steps of a product-stage network trained as an
 * autoencoder first ({@code --groups-continuous}), on two small synthetic pictures, write a
 * checkpoint with the three groups' codebooks and the decoder's wider input.
 */
class TrainTokenizerTest {
  private static final String ARCH = "4,8,8,8,0,0,0,0,0,0,3";

  private static void picture(Path file, long seed) throws Exception {
    Random r = new Random(seed);
    BufferedImage img = new BufferedImage(160, 160, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 160; y++) {
      for (int x = 0; x < 160; x++) {
        int v = (x * 3 + y * 5 + r.nextInt(16)) & 255;
        img.setRGB(x, y, (v << 16) | ((255 - v) << 8) | ((x ^ y) & 255));
      }
    }
    ImageIO.write(img, "png", file.toFile());
  }

  /**
   * TrainTokenizer's arguments for a toy run: codebooks of 16, three stages, a cosine of 8 steps
   * stopped at {@code steps}, the quantizer from step 1, no validation.
   */
  private static String[] toyRun(Path data, Path out, String arch, int steps, String... extra) {
    List<String> a =
        new ArrayList<>(
            List.of(
                "--data",
                data.toString(),
                "--out",
                out.toString(),
                "--arch",
                arch,
                "--codebook",
                "16",
                "--stages",
                "3",
                "--stage-codebook",
                "16",
                "--steps",
                "8",
                "--small-steps",
                "2",
                "--max-steps",
                String.valueOf(steps),
                "--vq-start",
                "1",
                "--warmup",
                "1",
                "--val-every",
                "1000",
                "--ckpt-minutes",
                "100"));
    a.addAll(List.of(extra));
    return a.toArray(new String[0]);
  }

  /** A training folder of two pictures. */
  private static Path twoPictures(Path dir) throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    picture(data.resolve("a.png"), 1);
    picture(data.resolve("b.png"), 2);
    return data;
  }

  /** Four steps of the product-stage network as an autoencoder first: ckpt-4.vqt in {@code out}. */
  private static void productAutoencoder(Path data, Path out) throws Exception {
    TrainTokenizer.main(toyRun(data, out, ARCH, 4, "--groups-continuous"));
  }

  @Test
  void productStagesTrainAsAnAutoencoderAndCheckpoint(@TempDir Path dir) throws Exception {
    Path data = twoPictures(dir);
    Path out = dir.resolve("run");
    productAutoencoder(data, out);

    Path ckpt = out.resolve("ckpt-4.vqt");
    assertThat(ckpt).exists();
    Map<String, Tensor> t = TensorFile.read(ckpt);
    // The decoder's fine input: three groups of 4 values and two presence planes.
    assertThat(t.get("net.dec.fin.w").dims()).containsExactly(8, 3 * 4 + 2, 3, 3);
    assertThat(t.get("net.enc.fine.w").dims()).containsExactly(3 * 4, 8, 1, 1);
    assertThat(t).containsKeys("vq.s2.codebook", "vq.s3.codebook");
    for (float v : t.get("net.dec.fin.w").data()) assertThat(v).isFinite();
  }

  @Test
  void decoderOnlyKeepsTheEncoderAndEveryCodebookAndDropsBlocks(@TempDir Path dir)
      throws Exception {
    Path data = twoPictures(dir);
    Path out = dir.resolve("run");
    // two decoder blocks at 1/8, then a decoder with one, trained alone for three more steps
    TrainTokenizer.main(toyRun(data, out, "4,8,8,8,0,0,0,0,2,0", 4));
    Map<String, Tensor> before = TensorFile.read(out.resolve("ckpt-4.vqt"));
    TrainTokenizer.main(toyRun(data, out, "4,8,8,8,0,0,0,0,1,0", 7, "--decoder-only"));
    Map<String, Tensor> after = TensorFile.read(out.resolve("ckpt-7.vqt"));

    for (String k : before.keySet()) {
      if (k.startsWith("net.enc.") || k.startsWith("vq.s") || k.equals("vq.codebook")) {
        assertThat(after.get(k).data()).as(k).containsExactly(before.get(k).data());
      }
    }
    assertThat(after.get("net.dec.r8.0.c1.w").data())
        .isNotEqualTo(before.get("net.dec.r8.0.c1.w").data());
    assertThat(after.keySet().stream().anyMatch(k -> k.startsWith("net.dec.r8.1."))).isFalse();
  }

  @Test
  void aProductCheckpointWarmStartsOneGroupAsWideWithFreshCodebooks(@TempDir Path dir)
      throws Exception {
    Path data = twoPictures(dir);
    Path out = dir.resolve("run");
    productAutoencoder(data, out);
    // the three groups of 4 as one vector of 12: an autoencoder step, then k-means at step 5
    TrainTokenizer.main(toyRun(data, out, "12,8,8,8,0,0,0,0,0,0", 7, "--vq-start", "5"));
    Map<String, Tensor> t = TensorFile.read(out.resolve("ckpt-7.vqt"));

    assertThat(t.get("net.dec.fin.w").dims()).containsExactly(8, 12, 3, 3); // presence planes gone
    assertThat(t.get("net.dec.cin.w").dims()).containsExactly(8, 12, 3, 3);
    assertThat(t.get("net.enc.coarse.w").dims()).containsExactly(12, 8, 1, 1);
    assertThat(t.get("vq.codebook").dims()).containsExactly(16, 12);
    assertThat(t.get("vq.s2.codebook").dims()).containsExactly(16, 12);
    assertThat(t.get("meta.vq_ready").data()[0]).isEqualTo(1f);
    float[] codes = t.get("vq.codebook").data();
    double norm = 0;
    for (float v : codes) {
      assertThat(v).isFinite();
      norm += v * v;
    }
    assertThat(norm).isPositive(); // k-means ran: the codebook is not the zeros it started as
  }

  @Test
  void anotherCodebookWidthNeedsTheQuantizerToStartAfterTheCheckpoint(@TempDir Path dir)
      throws Exception {
    Path data = twoPictures(dir);
    Path out = dir.resolve("run");
    productAutoencoder(data, out);
    assertThatThrownBy(() -> TrainTokenizer.main(toyRun(data, out, "12,8,8,8,0,0,0,0,0,0", 7)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--vq-start must be after step 4");
  }

  @Test
  void aRateWeightTrainsAndANegativeOneIsRefused(@TempDir Path dir) throws Exception {
    Path data = twoPictures(dir);
    Path out = dir.resolve("run");
    TrainTokenizer.main(toyRun(data, out, "4,8,8,8,0,0,0,0,0,0", 4, "--rate-weight", "0.1"));
    for (float v : TensorFile.read(out.resolve("ckpt-4.vqt")).get("vq.codebook").data())
      assertThat(v).isFinite();
    assertThatThrownBy(
            () ->
                TrainTokenizer.main(
                    toyRun(
                        data,
                        dir.resolve("other"),
                        "4,8,8,8,0,0,0,0,0,0",
                        4,
                        "--rate-weight",
                        "-1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--rate-weight");
  }

  @Test
  void decoderOnlyNeedsACheckpoint(@TempDir Path dir) throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    picture(data.resolve("a.png"), 1);
    assertThatThrownBy(
            () ->
                TrainTokenizer.main(
                    toyRun(data, dir.resolve("run"), "4,8,8,8,0,0,0,0,1,0", 2, "--decoder-only")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--decoder-only trains a decoder for an existing encoder");
  }

  @Test
  void continuousGroupsNeedAnArchWithGroups(@TempDir Path dir) {
    assertThatThrownBy(
            () ->
                TrainTokenizer.main(
                    new String[] {
                      "--out",
                      dir.toString(),
                      "--arch",
                      "4,8,8,8,0,0,0,0,0,0",
                      "--groups-continuous"
                    }))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--groups-continuous needs an arch with latent groups");
  }
}
