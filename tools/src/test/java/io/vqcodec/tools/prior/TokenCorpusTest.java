package io.vqcodec.tools.prior;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vqcodec.tokens.TokenGrid;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenCorpusTest {
  @TempDir Path dir;

  private static TokenCorpus.Entry entry(String name, int w, int h, long seed) {
    int[] ks = {256, 16};
    Random r = new Random(seed);
    TokenGrid[] fine = new TokenGrid[2], coarse = new TokenGrid[2];
    for (int l = 0; l < 2; l++) {
      TokenGrid f = new TokenGrid(w, h, ks[l]), c = new TokenGrid(w, h, ks[l]);
      for (int cy = 0; cy < f.cellsHigh(); cy++) {
        for (int cx = 0; cx < f.cellsWide(); cx++) {
          f.setFine(cx, cy, true);
          c.setCoarseToken(cx, cy, r.nextInt(ks[l]));
        }
      }
      for (int fy = 0; fy < f.fineHigh(); fy++) {
        for (int fx = 0; fx < f.fineWide(); fx++) f.setFineToken(fx, fy, r.nextInt(ks[l]));
      }
      fine[l] = f;
      coarse[l] = c;
    }
    return new TokenCorpus.Entry(name, w, h, ks, fine, coarse);
  }

  @Test
  void writeThenReadGivesTheSameGrids() throws IOException {
    List<TokenCorpus.Entry> es = List.of(entry("a/x.png", 40, 20, 1), entry("b.jpg", 17, 33, 2));
    Path f = dir.resolve("c.tok");
    TokenCorpus.write(f, es);
    List<TokenCorpus.Entry> back = TokenCorpus.read(f);
    assertThat(back).hasSize(2);
    for (int i = 0; i < 2; i++) {
      assertThat(back.get(i).name()).isEqualTo(es.get(i).name());
      assertThat(back.get(i).width()).isEqualTo(es.get(i).width());
      assertThat(back.get(i).codebookSizes()).containsExactly(256, 16);
      for (int k : new int[] {256, 16}) {
        assertThat(back.get(i).fine(k)).isEqualTo(es.get(i).fine(k));
        assertThat(back.get(i).coarse(k)).isEqualTo(es.get(i).coarse(k));
      }
    }
  }

  @Test
  void truncatedOrForeignFilesAreIoErrors() throws IOException {
    Path f = dir.resolve("c.tok");
    TokenCorpus.write(f, List.of(entry("a", 40, 20, 1)));
    byte[] b = Files.readAllBytes(f);
    byte[] cut = java.util.Arrays.copyOf(b, b.length - 3);
    assertThatThrownBy(() -> TokenCorpus.read(new ByteArrayInputStream(cut)))
        .isInstanceOf(IOException.class);
    assertThatThrownBy(
            () -> TokenCorpus.read(new ByteArrayInputStream(new byte[] {1, 2, 3, 4, 0, 0, 0, 1})))
        .isInstanceOf(IOException.class);
  }
}
