package io.vqcodec.tools.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.types.Shape;
import io.vqcodec.neural.TensorFile;
import io.vqcodec.neural.TensorFile.Tensor;
import io.vqcodec.neural.TokNet;
import io.vqcodec.neural.TokNetConfig;
import io.vqcodec.tokens.ModelPackage;
import io.vqcodec.tokens.ModelRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The released weights file of a checkpoint with and without residual stage codebooks. */
class ReleaseTokenizerTest {
  @TempDir Path dir;

  static final TokNetConfig CFG = TokNetConfig.parse("4,4,4,4,1,1,1,1,1,1");
  static final int K = 2048, STAGE_K = 32;

  private static Tensor random(Random r, long... dims) {
    long n = 1;
    for (long d : dims) n *= d;
    float[] v = new float[(int) n];
    for (int i = 0; i < v.length; i++) v[i] = (float) r.nextGaussian();
    return new Tensor(dims, v);
  }

  private static Tensor counts(Random r, int k) {
    float[] v = new float[k];
    for (int i = 0; i < k; i++) v[i] = (float) (r.nextDouble() * 100);
    return new Tensor(new long[] {k}, v);
  }

  /** A checkpoint as {@code TrainTokenizer} writes it, with {@code stages} fine stages. */
  private static Map<String, Tensor> checkpoint(int stages) {
    Random r = new Random(5);
    Map<String, Tensor> ck = new LinkedHashMap<>();
    ck.put("meta.step", new Tensor(new long[] {1}, new float[] {1234}));
    for (Map.Entry<String, Shape> e : TokNet.shapes(CFG).entrySet())
      ck.put("net." + e.getKey(), random(r, e.getValue().getShape()));
    ck.put("vq.codebook", random(r, K, CFG.dim));
    ck.put("vq.ema_count", counts(r, K));
    if (stages > 1) ck.put("meta.stages", new Tensor(new long[] {1}, new float[] {stages}));
    for (int s = 2; s <= stages; s++) {
      ck.put("vq.s" + s + ".codebook", random(r, STAGE_K, CFG.dim));
      ck.put("vq.s" + s + ".ema_count", counts(r, STAGE_K));
      ck.put("vq.s" + s + ".ema_sum", random(r, STAGE_K, CFG.dim));
    }
    return ck;
  }

  private ReleaseTokenizer.Weights release(Map<String, Tensor> ck, String name) throws IOException {
    Path f = dir.resolve(name + ".vqt");
    TensorFile.write(f, ck);
    return ReleaseTokenizer.writeWeights(f, CFG, dir.resolve(name));
  }

  @Test
  void stageCodebooksAreReleasedAsFloat32AfterTheStageOneTensors() throws IOException {
    ReleaseTokenizer.Weights plain = release(checkpoint(1), "plain");
    Map<String, Tensor> ck = checkpoint(3);
    ReleaseTokenizer.Weights staged = release(ck, "staged");
    assertThat(plain.stages()).isEqualTo(1);
    assertThat(plain.stageCodebookSize()).isZero();
    assertThat(staged.stages()).isEqualTo(3);
    assertThat(staged.stageCodebookSize()).isEqualTo(STAGE_K);
    assertThat(staged.codebookSizes())
        .isEqualTo(plain.codebookSizes())
        .isEqualTo("2048,1024,256,64,16");

    Map<String, Tensor> p = TensorFile.read(dir.resolve("plain/weights.vqt"));
    Map<String, Tensor> w = TensorFile.read(dir.resolve("staged/weights.vqt"));
    assertThat(p.keySet()).noneMatch(n -> n.startsWith("stage."));
    List<String> names = List.copyOf(w.keySet());
    assertThat(names.subList(0, p.size())).containsExactlyElementsOf(p.keySet());
    assertThat(names.subList(p.size(), names.size()))
        .containsExactly("stage.2", "stage.2.usage", "stage.3", "stage.3.usage");
    for (String n : p.keySet()) {
      assertThat(w.get(n).dims()).as(n).isEqualTo(p.get(n).dims());
      assertThat(w.get(n).data()).as(n).isEqualTo(p.get(n).data());
    }
    for (int s = 2; s <= 3; s++) {
      Tensor cb = w.get("stage." + s), usage = w.get("stage." + s + ".usage");
      assertThat(cb.dims()).containsExactly(STAGE_K, CFG.dim);
      // float32, bit for bit (binary16 would round these Gaussian values)
      assertThat(cb.data()).isEqualTo(ck.get("vq.s" + s + ".codebook").data());
      assertThat(usage.dims()).containsExactly(STAGE_K);
      assertThat(usage.data()).isEqualTo(ck.get("vq.s" + s + ".ema_count").data());
    }
  }

  /** A checkpoint without stages releases as before: tok-v1's weights, byte for byte. */
  @Test
  void tokV1ReleasesAgainByteForByte() throws Exception {
    ModelPackage v1 = ModelRegistry.builtIn().byName("tok-v1").orElseThrow();
    Path w = dir.resolve("tok-v1.vqt");
    Files.write(w, v1.weights());
    int step = Integer.parseInt(v1.property("train.step"));
    ResumeFromRelease.main(
        new String[] {
          "--weights", w.toString(), "--step", Integer.toString(step), "--out", dir.toString()
        });
    ReleaseTokenizer.Weights again =
        ReleaseTokenizer.writeWeights(
            dir.resolve("ckpt-" + step + ".vqt"),
            TokNetConfig.parse(v1.property("arch")),
            dir.resolve("again"));
    assertThat(again.stages()).isEqualTo(1);
    assertThat(again.codebookSizes()).isEqualTo(v1.property("codebook.sizes"));
    assertThat(HexFormat.of().formatHex(again.sha256())).isEqualTo(v1.property("weights.sha256"));
  }

  /**
   * ResumeFromRelease brings the stage codebooks back: releasing its checkpoint is the same file.
   */
  @Test
  void stagedReleaseRoundTripsThroughResumeFromRelease() throws Exception {
    ReleaseTokenizer.Weights first = release(checkpoint(3), "first");
    Path resumed = dir.resolve("resumed");
    ResumeFromRelease.main(
        new String[] {
          "--weights", dir.resolve("first/weights.vqt").toString(),
          "--step", "1234",
          "--out", resumed.toString()
        });
    Map<String, Tensor> ck = TensorFile.read(resumed.resolve("ckpt-1234.vqt"));
    assertThat(ck.get("meta.stages").data()).containsExactly(3f);
    assertThat(ck).containsKeys("vq.s2.ema_sum", "vq.s3.last_used");
    ReleaseTokenizer.Weights again =
        ReleaseTokenizer.writeWeights(resumed.resolve("ckpt-1234.vqt"), CFG, dir.resolve("again"));
    assertThat(again.stages()).isEqualTo(3);
    assertThat(again.sha256()).isEqualTo(first.sha256());
  }

  @Test
  void inconsistentStageStateIsRefused() throws IOException {
    Map<String, Tensor> ck = checkpoint(3);
    ck.put("meta.stages", new Tensor(new long[] {1}, new float[] {2}));
    assertThatThrownBy(() -> release(ck, "meta"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("meta.stages");
    Map<String, Tensor> ck2 = checkpoint(3);
    ck2.remove("vq.s3.ema_count");
    assertThatThrownBy(() -> release(ck2, "count"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("vq.s3.ema_count");
  }
}
