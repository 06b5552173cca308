package io.vqcodec.encoder;

import static org.assertj.core.api.Assertions.assertThat;

import io.vqcodec.tokens.SliceCoder;
import org.junit.jupiter.api.Test;

/** How many slices the encoder cuts pictures and video frames into (Spec §5.7). */
class SlicePlanTest {
  /** Slices of a frame of {@code w} x {@code h} pixels under {@code options}. */
  private static int frameSlices(EncoderOptions options, int w, int h) {
    int cw = (w + 15) / 16, ch = (h + 15) / 16;
    return SliceCoder.sliceRowCounts(ch, options.frameSliceRows(cw)).length;
  }

  @Test
  void smallVideoFramesAreOneSliceAndLargeOnesSeveral() {
    EncoderOptions d = EncoderOptions.defaults();
    assertThat(frameSlices(d, 176, 144)).isEqualTo(1); // 11x9 cells
    assertThat(frameSlices(d, 320, 240)).isEqualTo(1); // 20x15: two slices of 8-row plan
    assertThat(frameSlices(d, 640, 272)).isEqualTo(1); // 40x17
    assertThat(frameSlices(d, 1280, 720)).isEqualTo(3); // 80x45, 1,200 cells a slice
    assertThat(frameSlices(d, 1920, 1080)).isEqualTo(8); // 120x68
    // Wide enough that 8 rows hold 1024 cells: the 8-row plan itself
    assertThat(d.frameSliceRows(256)).isEqualTo(EncoderOptions.DEFAULT_SLICE_ROWS);
  }

  @Test
  void picturesKeepEightRowSlices() {
    assertThat(EncoderOptions.defaults().pictureSliceRows())
        .isEqualTo(EncoderOptions.DEFAULT_SLICE_ROWS);
  }

  @Test
  void explicitSliceRowsApplyToPicturesAndFramesAlike() {
    EncoderOptions two = EncoderOptions.defaults().withSliceRows(2);
    assertThat(two.pictureSliceRows()).isEqualTo(2);
    assertThat(two.frameSliceRows(20)).isEqualTo(2);
    assertThat(frameSlices(two, 320, 240)).isEqualTo(8); // 15 rows: seven of 2, one of 1
    // Kept through the other settings
    assertThat(two.withQuality(3).frameSliceRows(20)).isEqualTo(2);
  }
}
