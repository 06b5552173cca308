package io.vqcodec.decoder;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;

/**
 * Coverage-guided fuzzing of the image decoder (Jazzer): stream to pixels through concealment, the
 * network and resampling, under a small pixel limit (64 x 64) so that each input costs
 * milliseconds. Any bytes give a picture of the header's size or an {@link IOException}; never
 * another exception. Campaigns: tools/FUZZING.md.
 */
class ImageDecoderFuzzTest {
  private static final ImageDecoder DECODER = ImageDecoder.open();

  @AfterAll
  static void close() {
    DECODER.close();
  }

  @FuzzTest(maxDuration = "10m")
  void anyStreamGivesAPictureOrFailsCleanly(byte[] input) {
    try {
      DecodedPicture p =
          DECODER.decode(
              new ByteArrayInputStream(input),
              DecodeOptions.defaults().withMaxPixels(64 * 64),
              null);
      if (p.image().getWidth() != p.tokens().header().picture().width()) {
        throw new AssertionError("picture size");
      }
    } catch (IOException expected) {
      // a refused stream
    }
  }
}
