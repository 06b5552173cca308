package io.vqcodec.neural;

import static org.assertj.core.api.Assertions.assertThat;

import io.vqcodec.tokens.ModelPackage;
import io.vqcodec.tokens.ModelRegistry;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A faster-synthesis pair of the registry ({@link ModelRegistry#fasterSynthesis}) may render a
 * stream's tokens only if the two packages read the same tokens: every tensor outside the decoder
 * network (encoder, codebook, nested levels, stage codebooks, usage) is the same, value for value,
 * and only decoder tensors differ (Spec §4.4, informative note).
 */
class FasterSynthesisTest {
  @Test
  void tokV2fRendersTokV2sTokens() throws IOException {
    ModelRegistry registry = ModelRegistry.builtIn();
    ModelPackage v2 = registry.byName("tok-v2").orElseThrow();
    assertThat(registry.fasterSynthesis(v2)).map(ModelPackage::name).contains("tok-v2f");
    assertThat(registry.fasterSynthesis(registry.byName("tok-v2f").orElseThrow())).isEmpty();
    assertThat(registry.fasterSynthesis(registry.byName("tok-v1").orElseThrow())).isEmpty();
  }

  @Test
  void everyPairSharesAllButTheDecoder() throws IOException {
    ModelRegistry registry = ModelRegistry.builtIn();
    int pairs = 0;
    for (ModelPackage model : registry.packages()) {
      ModelPackage fast = registry.fasterSynthesis(model).orElse(null);
      if (fast == null) continue;
      pairs++;
      Map<String, TensorFile.Tensor> a = TensorFile.read(model.weights());
      Map<String, TensorFile.Tensor> b = TensorFile.read(fast.weights());
      int shared = 0, decoder = 0;
      for (Map.Entry<String, TensorFile.Tensor> e : a.entrySet()) {
        if (e.getKey().startsWith("net.dec.")) continue;
        TensorFile.Tensor t = b.get(e.getKey());
        assertThat(t).as(fast.name() + " lacks " + e.getKey()).isNotNull();
        assertThat(t.dims()).as(e.getKey()).isEqualTo(e.getValue().dims());
        assertThat(t.data()).as(e.getKey()).isEqualTo(e.getValue().data());
        shared++;
      }
      for (String k : b.keySet()) {
        if (k.startsWith("net.dec.")) decoder++;
        else assertThat(a).as(model.name() + " lacks " + k).containsKey(k);
      }
      assertThat(shared).isGreaterThan(10);
      assertThat(decoder).isGreaterThan(0);
      // The token models too: the same files.
      for (String key :
          new String[] {"prior.sha256", "twostage.sha256", "twostage.temporal.sha256"}) {
        assertThat(fast.property(key)).as(key).isEqualTo(model.property(key));
      }
      assertThat(fast.property("codebook.sizes")).isEqualTo(model.property("codebook.sizes"));
      assertThat(fast.property("stages")).isEqualTo(model.property("stages"));
      assertThat(fast.property("stage.codebook.size"))
          .isEqualTo(model.property("stage.codebook.size"));
    }
    assertThat(pairs).isEqualTo(1);
  }
}
