package io.vqcodec.encoder;

import static org.assertj.core.api.Assertions.assertThat;

import io.vqcodec.tokens.SliceCoder;
import org.junit.jupiter.api.Test;

/** How many slices the encoder cuts pictures and video frames into (Spec §5.7). */
class SlicePlanTest {
  /** Slices of a picture or frame of {@code w} x {@code h} pixels under {@code options}. */
  private static int slices(EncoderOptions options, int w, int h) {
    int cw = (w + 15) / 16, ch = (h + 15) / 16;
    return SliceCoder.sliceRowCounts(ch, options.sliceRows(cw)).length;
  }

  @Test
  void smallPicturesAndFramesAreOneSliceAndLargeOnesSeveral() {
    EncoderOptions d = EncoderOptions.defaults();
    assertThat(slices(d, 176, 144)).isEqualTo(1); // 11x9 cells
    assertThat(slices(d, 320, 240)).isEqualTo(1); // 20x15: two slices in an 8-row plan
    assertThat(slices(d, 640, 272)).isEqualTo(1); // 40x17
    assertThat(slices(d, 768, 512)).isEqualTo(1); // 48x32, a Kodak picture: four in 8 rows
    assertThat(slices(d, 1280, 720)).isEqualTo(3); // 80x45, 1,200 cells a slice
    assertThat(slices(d, 1920, 1080)).isEqualTo(8); // 120x68
    assertThat(slices(d, 4032, 2688)).isEqualTo(21); // 252x168: the 8-row plan itself
    assertThat(d.sliceRows(256)).isEqualTo(EncoderOptions.DEFAULT_SLICE_ROWS);
  }

  @Test
  void explicitSliceRowsAreKept() {
    EncoderOptions two = EncoderOptions.defaults().withSliceRows(2);
    assertThat(two.sliceRows(20)).isEqualTo(2);
    assertThat(slices(two, 320, 240)).isEqualTo(8); // 15 rows: seven of 2, one of 1
    // Kept through the other settings
    assertThat(two.withQuality(3).sliceRows(20)).isEqualTo(2);
    assertThat(EncoderOptions.defaults().withSliceRows(8).sliceRows(20)).isEqualTo(8);
  }
}
