package io.vqcodec.neural;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class TokNetTest {
  @Test
  void spaceToDepthInvertsDepthToSpace() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.arange(0f, 2 * 3 * 8 * 16f).reshape(2, 3, 8, 16);
      NDArray s = TokNet.spaceToDepth(x, 4);
      assertThat(s.getShape()).isEqualTo(new Shape(2, 48, 2, 4));
      // channel c*16 + dy*4 + dx of block (by, bx) is pixel (4*by + dy, 4*bx + dx)
      assertThat(s.getFloat(0, 1 * 16 + 2 * 4 + 3, 1, 2)).isEqualTo(x.getFloat(0, 1, 4 + 2, 8 + 3));
      assertThat(TokNet.depthToSpace(s, 4).toFloatArray()).containsExactly(x.toFloatArray());
    }
  }

  @Test
  void shapesThroughTheNetwork() {
    TokNetConfig c = TokNetConfig.parse("8,16,24,24,1,1,1,1,1,1");
    try (NDManager m = NDManager.newBaseManager()) {
      TokNet net = new TokNet(c, TokNet.toArrays(m, c, TokNet.init(c, 1)));
      NDArray[] z = net.encode(m.zeros(new Shape(1, 3, 32, 48)));
      assertThat(z[0].getShape()).isEqualTo(new Shape(1, 8, 4, 6));
      assertThat(z[1].getShape()).isEqualTo(new Shape(1, 8, 2, 3));
      NDArray y =
          net.decode(z[0], z[1], m.ones(new Shape(1, 1, 4, 6)), m.ones(new Shape(1, 1, 2, 3)));
      assertThat(y.getShape()).isEqualTo(new Shape(1, 3, 32, 48));
    }
  }

  @Test
  void productGroupsWidenTheFineLatentAndCoarseCellsIgnoreThem() {
    TokNetConfig c = TokNetConfig.parse("8,16,24,24,1,1,1,1,1,1,3");
    assertThat(c.groups).isEqualTo(3);
    assertThat(c.fineLatent()).isEqualTo(24);
    assertThat(c.fineInput()).isEqualTo(26);
    assertThat(TokNetConfig.parse(c.toString()).toString()).isEqualTo("8,16,24,24,1,1,1,1,1,1,3");
    assertThat(TokNetConfig.parse("8,16,24,24,1,1,1,1,1,1").toString())
        .isEqualTo("8,16,24,24,1,1,1,1,1,1");
    try (NDManager m = NDManager.newBaseManager()) {
      TokNet net = new TokNet(c, TokNet.toArrays(m, c, TokNet.init(c, 1)));
      NDArray[] z = net.encode(m.zeros(new Shape(1, 3, 32, 48)));
      assertThat(z[0].getShape()).isEqualTo(new Shape(1, 24, 4, 6));
      assertThat(z[1].getShape()).isEqualTo(new Shape(1, 8, 2, 3));
      NDArray fine = m.randomNormal(new Shape(1, 26, 4, 6));
      NDArray coarse = m.randomNormal(new Shape(1, 8, 2, 3));
      NDArray y =
          net.decode(fine, coarse, m.ones(new Shape(1, 1, 4, 6)), m.ones(new Shape(1, 1, 2, 3)));
      assertThat(y.getShape()).isEqualTo(new Shape(1, 3, 32, 48));
      // Every cell coarse: the fine input, extra groups included, does not reach the pixels.
      NDArray none8 = m.zeros(new Shape(1, 1, 4, 6)), none16 = m.zeros(new Shape(1, 1, 2, 3));
      float[] a = net.decode(fine, coarse, none8, none16).toFloatArray();
      float[] b = net.decode(fine.mul(3f), coarse, none8, none16).toFloatArray();
      assertThat(b).containsExactly(a);
    }
  }

  @Test
  void codebookNearestIsTheArgmin() {
    float[] table = {0, 0, 1, 0, 0, 1, 1, 1};
    Codebook b = new Codebook(table, 2);
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray z =
          m.create(new float[] {0.9f, 0.1f, 0.2f, 0.8f, 0.8f, 0.7f}, new Shape(3, 2))
              .transpose()
              .reshape(1, 2, 1, 3);
      assertThat(b.nearest(m, z)).containsExactly(1, 2, 3);
      assertThat(b.lookup(m, new int[] {3, 0}, 1, 1, 2).toFloatArray()).containsExactly(1, 0, 1, 0);
    }
  }

  @Test
  void ssimAndMsssimAreOneForIdenticalImagesAndDropWithNoise() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.randomUniform(0f, 1f, new Shape(1, 3, 192, 192));
      assertThat(Ssim.ssim(x, x).getFloat(0))
          .isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-4f));
      assertThat(Ssim.msssim(x, x)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
      NDArray y =
          x.add(
              m.randomNormal(
                  0f, 0.1f, new Shape(1, 3, 192, 192), ai.djl.ndarray.types.DataType.FLOAT32));
      assertThat(Ssim.ssim(x, y).getFloat(0)).isLessThan(0.97f);
      assertThat(Ssim.msssim(x, y)).isLessThan(0.999).isGreaterThan(0.5);
    }
  }
}
