package io.vqcodec.neural;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vqcodec.neural.TensorFile.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TensorFileTest {
  @Test
  void halfConversionMatchesKnownValues() {
    assertThat(TensorFile.toHalf(1f)).isEqualTo((short) 0x3c00);
    assertThat(TensorFile.toHalf(-2f)).isEqualTo((short) 0xc000);
    assertThat(TensorFile.toHalf(65504f)).isEqualTo((short) 0x7bff);
    assertThat(TensorFile.toHalf(1e6f)).isEqualTo((short) 0x7c00);
    assertThat(TensorFile.toHalf(5.9604645e-8f)).isEqualTo((short) 0x0001);
    assertThat(TensorFile.toHalf(6.1035156e-5f)).isEqualTo((short) 0x0400);
    assertThat(TensorFile.toHalf(0f)).isEqualTo((short) 0);
    // ties to even: 1 + 2^-11 lies halfway between 1 and 1 + 2^-10
    assertThat(TensorFile.toHalf(1f + 1f / 2048)).isEqualTo((short) 0x3c00);
    assertThat(TensorFile.toHalf(1f + 3f / 2048)).isEqualTo((short) 0x3c02);
    assertThat(Float.isNaN(TensorFile.fromHalf(TensorFile.toHalf(Float.NaN)))).isTrue();
  }

  @Test
  void everyHalfRoundTrips() {
    for (int h = 0; h < 0x10000; h++) {
      int e = (h >>> 10) & 0x1f;
      if (e == 31) continue;
      assertThat(TensorFile.toHalf(TensorFile.fromHalf((short) h)) & 0xffff).isEqualTo(h);
    }
  }

  @Test
  void halfRelativeErrorIsSmall() {
    Random r = new Random(1);
    for (int i = 0; i < 10000; i++) {
      float v = (float) (r.nextGaussian() * 0.1);
      if (Math.abs(v) < 1e-4) continue;
      assertThat((double) Math.abs(TensorFile.fromHalf(TensorFile.toHalf(v)) - v))
          .isLessThanOrEqualTo(Math.abs(v) / 2048.0);
    }
  }

  @Test
  void everyStoredHalfReadsAsFromHalf(@TempDir Path dir) throws IOException {
    // Every 16-bit pattern, NaNs and infinities included, through the reader's lookup table; the
    // tensor spans several of the reader's 64 KB blocks.
    float[] v = new float[0x10000];
    for (int h = 0; h < v.length; h++) v[h] = TensorFile.fromHalf((short) h);
    Path f = dir.resolve("h.vqt");
    TensorFile.write(f, Map.of("net.h", new Tensor(new long[] {v.length}, v)), n -> true);
    float[] back = TensorFile.read(f).get("net.h").data();
    for (int h = 0; h < v.length; h++) {
      if (Float.isNaN(v[h])) {
        assertThat(back[h]).isNaN();
      } else {
        assertThat(Float.floatToRawIntBits(back[h])).isEqualTo(Float.floatToRawIntBits(v[h]));
      }
    }
  }

  @Test
  void fileRoundTripAndTruncation(@TempDir Path dir) throws IOException {
    Map<String, Tensor> t = new LinkedHashMap<>();
    t.put("net.a", new Tensor(new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 0.5f}));
    t.put("codebook.4", new Tensor(new long[] {4}, new float[] {0.1f, 0.2f, 0.3f, 0.4f}));
    Path f = dir.resolve("w.vqt");
    TensorFile.write(f, t, n -> n.startsWith("net."));
    Map<String, Tensor> back = TensorFile.read(f);
    assertThat(back.keySet()).containsExactly("net.a", "codebook.4");
    assertThat(back.get("net.a").data()).containsExactly(1, 2, 3, 4, 5, 0.5f);
    assertThat(back.get("codebook.4").data()).containsExactly(0.1f, 0.2f, 0.3f, 0.4f);
    byte[] b = Files.readAllBytes(f);
    assertThatThrownBy(() -> TensorFile.read(java.util.Arrays.copyOf(b, b.length - 3)))
        .isInstanceOf(IOException.class);
  }
}
