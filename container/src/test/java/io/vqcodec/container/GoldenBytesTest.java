package io.vqcodec.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Spec Annex B is the golden file: the writer must produce exactly its bytes. */
class GoldenBytesTest {

  @Test
  void writerProducesTheAnnotatedBytesOfAnnexB() throws IOException {
    String table = SpecFiles.between(SpecFiles.read("B-worked-example.md"), "table");
    ByteArrayOutputStream spec = new ByteArrayOutputStream();
    for (String line : table.strip().split("\n")) {
      String[] col = line.split("\\|");
      if (col.length < 3 || !col[1].strip().matches("\\d+")) continue;
      assertThat(Integer.parseInt(col[1].strip()))
          .as("offset column of %s", line)
          .isEqualTo(spec.size());
      spec.writeBytes(HexFormat.ofDelimiter(" ").parseHex(col[2].strip().replace("`", "")));
    }
    assertThat(HexFormat.of().formatHex(WorkedExample.bytes()))
        .isEqualTo(HexFormat.of().formatHex(spec.toByteArray()));
    // The annotations too: regenerate the table and compare.
    assertThat(table.strip()).isEqualTo(WorkedExample.table().strip());
  }

  @Test
  void writerProducesTheHexDumpOfAnnexB() throws IOException {
    String dump = SpecFiles.between(SpecFiles.read("B-worked-example.md"), "hexdump");
    String body = dump.strip().replace("```", "").strip();
    assertThat(body).isEqualTo(WorkedExample.hexDump(WorkedExample.bytes()).strip());
  }

  @Test
  void readerReadsAnnexBBack() throws IOException {
    ContainerReader r = ContainerReader.open(WorkedExample.bytes());
    assertThat(r.header()).isEqualTo(WorkedExample.header());
    assertThat(r.headerSize()).isEqualTo(68);
    assertThat(r.remainingSlices()).isEqualTo(WorkedExample.slices());
    assertThat(r.endCodeValid()).isTrue();
  }
}
