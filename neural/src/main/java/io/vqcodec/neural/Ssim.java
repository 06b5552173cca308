package io.vqcodec.neural;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;

/**
 * SSIM (Wang et al. 2004) on (N, 3, H, W) pixels in [0, 1]: 11-tap Gaussian window (sigma 1.5),
 * valid region only, C1 = 0.01^2, C2 = 0.03^2, averaged over channels and positions.
 * Differentiable.
 */
public final class Ssim {
  private Ssim() {}

  /** Mean SSIM per image, shape (N). */
  public static NDArray ssim(NDArray x, NDArray y) {
    return terms(x, y)[0];
  }

  private static final float[] MS_WEIGHTS = {0.0448f, 0.2856f, 0.3001f, 0.2363f, 0.1333f};

  /**
   * MS-SSIM (Wang et al. 2003) per image for a single image pair held in Java: 5 scales, 2x2
   * average pooling between scales, standard weights, contrast-structure terms clamped at 0; each
   * term is the mean over channels and positions. Needs sides >= 176 (the coarsest scale must fit
   * the 11-tap window).
   */
  public static double msssim(NDArray x, NDArray y) {
    double out = 1;
    for (int s = 0; s < 5; s++) {
      NDArray[] t = terms(x, y);
      float v = s == 4 ? t[0].getFloat(0) : t[1].getFloat(0);
      out *= Math.pow(Math.max(v, 0f), MS_WEIGHTS[s]);
      if (s < 4) {
        x = pool(x);
        y = pool(y);
      }
    }
    return out;
  }

  private static NDArray pool(NDArray x) {
    Shape sh = x.getShape();
    long n = sh.get(0), c = sh.get(1), h = sh.get(2) / 2, w = sh.get(3) / 2;
    NDArray cropped = x.get(":, :, :" + 2 * h + ", :" + 2 * w);
    return cropped
        .reshape(n, c, h, 2, w, 2)
        .transpose(0, 1, 2, 4, 3, 5)
        .reshape(n, c, h, w, 4)
        .mean(new int[] {4});
  }

  /** {SSIM, contrast-structure} per image, each shape (N). */
  private static NDArray[] terms(NDArray x, NDArray y) {
    NDManager m = x.getManager();
    long c = x.getShape().get(1);
    float[] g = new float[11];
    double s = 0;
    for (int i = 0; i < 11; i++) {
      g[i] = (float) Math.exp(-((i - 5) * (i - 5)) / (2 * 1.5 * 1.5));
      s += g[i];
    }
    for (int i = 0; i < 11; i++) g[i] /= (float) s;
    int ch = (int) (5 * c);
    float[] gh = new float[ch * 11];
    for (int k = 0; k < ch; k++) System.arraycopy(g, 0, gh, k * 11, 11);
    NDArray wv = m.create(gh, new Shape(ch, 1, 11, 1));
    NDArray wh = m.create(gh, new Shape(ch, 1, 1, 11));
    NDArray st = NDArrays.concat(new NDList(x, y, x.square(), y.square(), x.mul(y)), 1);
    NDArray f =
        Conv2d.conv2d(st, wv, null, new Shape(1, 1), new Shape(0, 0), new Shape(1, 1), ch)
            .singletonOrThrow();
    f =
        Conv2d.conv2d(f, wh, null, new Shape(1, 1), new Shape(0, 0), new Shape(1, 1), ch)
            .singletonOrThrow();
    NDArray[] parts = f.split(5, 1).toArray(new NDArray[0]);
    NDArray mx = parts[0], my = parts[1];
    NDArray mxy = mx.mul(my), mx2 = mx.square(), my2 = my.square();
    NDArray sxx = parts[2].sub(mx2), syy = parts[3].sub(my2), sxy = parts[4].sub(mxy);
    float c1 = 1e-4f, c2 = 9e-4f;
    NDArray num = mxy.mul(2).add(c1).mul(sxy.mul(2).add(c2));
    NDArray den = mx2.add(my2).add(c1).mul(sxx.add(syy).add(c2));
    long n = x.getShape().get(0);
    NDArray cs = sxy.mul(2).add(c2).div(sxx.add(syy).add(c2));
    return new NDArray[] {
      num.div(den).reshape(n, -1).mean(new int[] {1}), cs.reshape(n, -1).mean(new int[] {1})
    };
  }
}
