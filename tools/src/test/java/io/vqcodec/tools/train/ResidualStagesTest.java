package io.vqcodec.tools.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vqcodec.neural.Codebook;
import io.vqcodec.neural.TensorFile;
import io.vqcodec.neural.TensorFile.Tensor;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResidualStagesTest {
  @TempDir Path dir;

  private static final int DIM = 4;

  private static float[] gaussian(Random r, int n, double scale) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) v[i] = (float) (r.nextGaussian() * scale);
    return v;
  }

  /** Stage-1 codes of rows z from a small random codebook. */
  private static float[] stage1(float[] z, float[] book) {
    return ResidualStages.gather(
        book, ResidualStages.bruteNearest(new Codebook(book, DIM), z), DIM);
  }

  private static double sq(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) s += (a[i] - b[i]) * (double) (a[i] - b[i]);
    return s;
  }

  @Test
  void everyStageShrinksTheResidualAndShapesMatch() {
    Random r = new Random(1);
    int n = 2000;
    float[] z = gaussian(r, n * DIM, 1), q1 = stage1(z, gaussian(r, 16 * DIM, 1));
    ResidualStages rs = new ResidualStages(3, 32, DIM);
    rs.init(z, q1, ResidualStages::bruteNearest, new Random(2), 0);
    assertThat(rs.ready).isTrue();
    ResidualStages.Coded c = rs.quantize(z, q1, ResidualStages::bruteNearest);
    assertThat(c.idx()).hasNumberOfRows(2);
    assertThat(c.idx()[1]).hasSize(n);
    assertThat(c.codes()[0]).hasSize(n * DIM);
    assertThat(c.residual()[1]).hasSize(n * DIM);
    float[] sum = q1.clone();
    double prev = sq(z, sum);
    for (int s = 0; s < 2; s++) {
      for (int i = 0; i < sum.length; i++) sum[i] += c.codes()[s][i];
      double e = sq(z, sum);
      assertThat(e).isLessThan(0.8 * prev);
      prev = e;
    }
    // stage 2 coded exactly z - q1
    for (int i = 0; i < z.length; i++) assertThat(c.residual()[0][i]).isEqualTo(z[i] - q1[i]);
  }

  @Test
  void productStagesCodeTheirOwnGroup() {
    Random r = new Random(3);
    int n = 2000;
    // Rows of three groups, the second and third on very different scales.
    float[] z = new float[n * 3 * DIM];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < DIM; j++) {
        z[i * 3 * DIM + j] = (float) r.nextGaussian();
        z[i * 3 * DIM + DIM + j] = (float) (10 + r.nextGaussian());
        z[i * 3 * DIM + 2 * DIM + j] = (float) (0.1 * r.nextGaussian());
      }
    }
    ResidualStages rs = new ResidualStages(3, 32, DIM, true);
    float[] g1 = rs.group(z, 1);
    assertThat(g1).hasSize(n * DIM);
    assertThat(g1[DIM]).isEqualTo(z[3 * DIM]);
    float[] q1 = stage1(g1, gaussian(r, 16 * DIM, 1));
    rs.init(z, q1, ResidualStages::bruteNearest, new Random(2), 0);
    ResidualStages.Coded c = rs.quantize(z, q1, ResidualStages::bruteNearest);
    for (int s = 0; s < 2; s++) {
      float[] target = rs.group(z, s + 2);
      assertThat(c.residual()[s]).containsExactly(target);
      // Each stage's codes sit on its own group's scale: their error is far below the group's
      // spread around zero.
      assertThat(sq(target, c.codes()[s])).isLessThan(0.5 * sq(target, new float[target.length]));
    }
  }

  @Test
  void emaAndReseedKeepShapesAndMoveCodesTowardTheirRows() {
    Random r = new Random(3);
    int n = 500;
    float[] z = gaussian(r, n * DIM, 1), q1 = stage1(z, gaussian(r, 8 * DIM, 1));
    ResidualStages rs = new ResidualStages(2, 16, DIM);
    rs.init(z, q1, ResidualStages::bruteNearest, new Random(4), 0);
    ResidualStages.Coded c = rs.quantize(z, q1, ResidualStages::bruteNearest);
    double before = sq(c.residual()[0], c.codes()[0]);
    for (int step = 1; step < 200; step++) rs.emaUpdate(c, step);
    double after = sq(c.residual()[0], ResidualStages.gather(rs.cb[0], c.idx()[0], DIM));
    assertThat(after).isLessThanOrEqualTo(before * 1.0001);
    assertThat(rs.reseed(c, 1000, 300, new Random(5))).isEqualTo(16);
    assertThat(rs.reseed(c, 1001, 300, new Random(5))).isZero();
  }

  @Test
  void checkpointRoundTripRestoresEveryStage() throws Exception {
    Random r = new Random(6);
    float[] z = gaussian(r, 300 * DIM, 1), q1 = stage1(z, gaussian(r, 8 * DIM, 1));
    ResidualStages rs = new ResidualStages(3, 16, DIM);
    rs.init(z, q1, ResidualStages::bruteNearest, new Random(7), 42);
    rs.emaUpdate(rs.quantize(z, q1, ResidualStages::bruteNearest), 43);
    Map<String, Tensor> t = new LinkedHashMap<>();
    rs.put(t);
    Path f = dir.resolve("ck.vqt");
    TensorFile.write(f, t);
    ResidualStages back = new ResidualStages(3, 16, DIM);
    back.load(TensorFile.read(f));
    assertThat(back.ready).isTrue();
    for (int s = 0; s < 2; s++) {
      assertThat(back.cb[s]).containsExactly(rs.cb[s]);
      assertThat(back.emaCount[s]).containsExactly(rs.emaCount[s]);
      assertThat(back.emaSum[s]).containsExactly(rs.emaSum[s]);
      assertThat(back.lastUsed[s]).containsExactly(rs.lastUsed[s]);
    }
    // a tok-v1 checkpoint (no stages) or one with fewer stages leaves the missing ones to k-means
    ResidualStages more = new ResidualStages(4, 16, DIM);
    more.load(TensorFile.read(f));
    assertThat(more.ready).isFalse();
    assertThat(more.cb[1]).containsExactly(rs.cb[1]);
    ResidualStages fromV1 = new ResidualStages(2, 16, DIM);
    fromV1.load(Map.of());
    assertThat(fromV1.ready).isFalse();
    assertThatThrownBy(() -> new ResidualStages(2, 32, DIM).load(TensorFile.read(f)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ResidualStages(1, 16, DIM))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
