package io.vqcodec.tools.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vqcodec.neural.TensorFile;
import io.vqcodec.neural.TensorFile.Tensor;
import io.vqcodec.tokens.ModelPackage;
import io.vqcodec.tokens.ModelRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new decoder for tok-v2's encoder released with tok-v2's token models ({@code
 * --token-models-from}): tok-v2's released weights turned back into a checkpoint, one decoder
 * tensor changed, released again under unused ids.
 */
class ReleaseModelTest {
  static final Path TOK_V2 = Path.of("../models/src/main/resources/io/vqcodec/models/tok-v2");
  static final String ARCH = "16,64,192,192,1,2,1,1,4,2";

  @TempDir Path dir;
  Path ckpt;

  @BeforeEach
  void checkpointFromTokV2() throws Exception {
    ResumeFromRelease.main(
        new String[] {
          "--weights", TOK_V2.resolve("weights.vqt").toString(),
          "--step", "37054",
          "--out", dir.resolve("ck").toString()
        });
    ckpt = dir.resolve("ck/ckpt-37054.vqt");
  }

  private void change(String tensor) throws Exception {
    Map<String, Tensor> t = TensorFile.read(ckpt);
    float[] v = t.get(tensor).data().clone();
    v[0] += 0.25f;
    t.put(tensor, new Tensor(t.get(tensor).dims(), v));
    TensorFile.write(ckpt, t);
  }

  private void release(Path out) throws Exception {
    release(out, "901");
  }

  private void release(Path out, String twoStageId) throws Exception {
    release(out, twoStageId, "902");
  }

  private void release(Path out, String twoStageId, String temporalId) throws Exception {
    ReleaseModel.main(
        new String[] {
          "tokenizer",
          "--ckpt",
          ckpt.toString(),
          "--arch",
          ARCH,
          "--name",
          "tok-v2-test-decoder",
          "--model-id",
          "900",
          "--token-models-from",
          TOK_V2.toString(),
          "--twostage-id",
          twoStageId,
          "--temporal-id",
          temporalId,
          "--spec",
          dir.resolve("no-spec.md").toString(),
          "--out",
          out.toString()
        });
  }

  @Test
  void aNewDecoderKeepsTheTokenModelsUnderNewIds() throws Exception {
    change("net.dec.out.b");
    Path out = dir.resolve("rel");
    release(out);

    ModelPackage v2 = ModelRegistry.loadFolder(TOK_V2), rel = ModelRegistry.loadFolder(out);
    assertThat(rel.decodableIds()).containsExactly(900, 901, 902);
    assertThat(rel.weightsSha256()).isNotEqualTo(v2.weightsSha256());
    assertThat(Files.readAllBytes(out.resolve("prior.bin")))
        .isEqualTo(Files.readAllBytes(TOK_V2.resolve("prior.bin")));
    assertThat(rel.twoStagePrior().sha256()).isEqualTo(v2.twoStagePrior().sha256());
    assertThat(rel.temporalTwoStagePrior().sha256()).isEqualTo(v2.temporalTwoStagePrior().sha256());
    assertThat(rel.stageCount()).isEqualTo(3);
  }

  @Test
  void theTwoStageIdMustDifferFromTheModelId() {
    assertThatThrownBy(() -> release(dir.resolve("rel"), "900"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--twostage-id 900 is also this package's model id");
  }

  @Test
  void theTemporalIdMustBeItsOwn() {
    assertThatThrownBy(() -> release(dir.resolve("rel"), "901", "901"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--temporal-id 901 is also this package's model id");
  }

  @Test
  void aChangedEncoderIsRefused() throws Exception {
    change("net.enc.stem.b");
    assertThatThrownBy(() -> release(dir.resolve("rel")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("net.enc.stem.b differs")
        .hasMessageContaining("only the decoder may change");
  }
}
