package io.vqcodec.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vqcodec.container.Slice;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How the encoder cuts a grid into slices (Spec §5.7): {@link SliceCoder#sliceRowCounts}. */
class SlicePlanTest {
  @ParameterizedTest
  @CsvSource(
      delimiter = ';',
      value = {
        // cell rows; rows asked for; slices
        "9; 8; 9", // 176x144 (QCIF): one slice, not 8 + 1
        "17; 8; 9,8", // 640x272: two, not 8 + 8 + 1
        "15; 8; 8,7", // 320x240
        "32; 8; 8,8,8,8", // 768x512: a multiple keeps its slices exactly
        "45; 8; 8,8,8,7,7,7", // 1280x720: six, as before, but no 5-row tail
        "12; 8; 6,6", // half way rounds up
        "11; 8; 11",
        "1; 8; 1",
        "5; 1; 1,1,1,1,1",
        "7; 2; 2,2,2,1"
      })
  void cutsIntoNearlyEqualSlices(int cellsHigh, int sliceRows, String expected) {
    int[] rows = SliceCoder.sliceRowCounts(cellsHigh, sliceRows);
    assertThat(rows)
        .containsExactly(Arrays.stream(expected.split(",")).mapToInt(Integer::parseInt).toArray());
  }

  @Test
  void everyHeightIsCoveredOnceWithSlicesCloseToTheRowsAskedFor() {
    for (int sliceRows = 1; sliceRows <= 16; sliceRows++) {
      for (int h = 1; h <= 200; h++) {
        int[] rows = SliceCoder.sliceRowCounts(h, sliceRows);
        assertThat(Arrays.stream(rows).sum()).isEqualTo(h);
        int max = Arrays.stream(rows).max().getAsInt(), min = Arrays.stream(rows).min().getAsInt();
        assertThat(max - min).isLessThanOrEqualTo(1);
        assertThat(max).isLessThanOrEqualTo(sliceRows + sliceRows / 2);
        if (h % sliceRows == 0) assertThat(rows).containsOnly(sliceRows);
      }
    }
  }

  @Test
  void slicesPairPayloadsWithTheirRows() {
    List<Slice> slices = SliceCoder.slices(List.of(new byte[] {1}, new byte[] {2}), 17, 8);
    assertThat(slices).extracting(Slice::firstRow).containsExactly(0, 9);
    assertThat(slices).extracting(Slice::rowCount).containsExactly(9, 8);
    assertThatThrownBy(() -> SliceCoder.slices(List.of(new byte[] {1}), 17, 8))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1 payloads for 2 slices");
  }

  @Test
  void refusesEmptyGridsAndSlices() {
    assertThatThrownBy(() -> SliceCoder.sliceRowCounts(0, 8))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SliceCoder.sliceRowCounts(9, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
