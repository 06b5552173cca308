package io.vqcodec.encoder;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The choice between a predicted frame and a key frame (VideoEncoder.keyFrameSlope, Spec §10.8).
 */
class KeyFrameChoiceTest {
  private static final double SLOPE = VideoEncoder.DEFAULT_KEY_FRAME_SLOPE;

  @Test
  void aPredictedFrameThatSavesLittleAndLosesMuchBecomesAKeyFrame() {
    // A sixth fewer bytes for 0.7 dB less (squared error times 10^0.07 = 1.175)
    assertThat(VideoEncoder.keyFrameWins(SLOPE, 1175, 833, 1000, 1000)).isTrue();
    // The size rule kept it predicted (833 < 0.9 * 1000)
    assertThat(VideoEncoder.keyFrameWins(Double.NaN, 1175, 833, 1000, 1000)).isFalse();
  }

  @Test
  void aPredictedFrameThatSavesMuchStaysPredicted() {
    // Half the bytes for 0.2 dB less
    assertThat(VideoEncoder.keyFrameWins(SLOPE, 1047, 500, 1000, 1000)).isFalse();
    // Equal quality: any saving keeps it predicted, any extra byte makes it a key frame
    assertThat(VideoEncoder.keyFrameWins(SLOPE, 1000, 999, 1000, 1000)).isFalse();
    assertThat(VideoEncoder.keyFrameWins(SLOPE, 1000, 1001, 1000, 1000)).isTrue();
  }

  @Test
  void aSteeperIntraCurveForgivesMoreLoss() {
    // 0.7 dB for a sixth of the bytes: worth it where doubling the bits buys 6 dB, not 2.2
    assertThat(VideoEncoder.keyFrameWins(6, 1175, 833, 1000, 1000)).isFalse();
  }

  @Test
  void withoutMeasuredErrorsTheSizeRuleDecides() {
    double nan = Double.NaN;
    assertThat(VideoEncoder.keyFrameWins(SLOPE, nan, 899, nan, 1000)).isFalse();
    assertThat(VideoEncoder.keyFrameWins(SLOPE, nan, 900, nan, 1000)).isTrue();
    assertThat(VideoEncoder.keyFrameWins(SLOPE, 0, 900, 0, 1000)).isTrue();
  }
}
