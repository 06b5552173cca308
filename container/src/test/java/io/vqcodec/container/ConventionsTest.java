package io.vqcodec.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Spec §1.4 and §1.5, against the examples the spec text gives. */
class ConventionsTest {

  @Test
  void crc32cCheckValue() {
    byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
    assertThat(HeaderSyntax.crc32c(check, 0, check.length)).isEqualTo(0xE3069283L);
    assertThat(HeaderSyntax.crc32c(new byte[0], 0, 0)).isZero();
  }

  @Test
  void crc32cMatchesTheBitwiseReferenceOfTheSpec() {
    java.util.Random r = new java.util.Random(1);
    for (int n = 0; n < 200; n++) {
      byte[] b = TestStreams.bytes(r, n);
      long crc = 0xFFFFFFFFL;
      for (byte x : b) {
        crc ^= x & 0xFF;
        for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x82F63B78L : crc >>> 1;
      }
      assertThat(HeaderSyntax.crc32c(b, 0, n)).isEqualTo(crc ^ 0xFFFFFFFFL);
    }
  }

  @Test
  void varintExamplesOfSection1_4_3() throws IOException {
    String spec = SpecFiles.read("01-conventions.md");
    String table = spec.substring(spec.indexOf("### 1.4.3"), spec.indexOf("## 1.5"));
    Matcher m = Pattern.compile("\\|\\s*([^|]+?)\\s*\\|\\s*`([0-9A-F ]+)`\\s*\\|").matcher(table);
    int rows = 0;
    while (m.find()) {
      rows++;
      String value = m.group(1);
      byte[] bytes = HexFormat.ofDelimiter(" ").parseHex(m.group(2));
      ReadVisitor in = new ReadVisitor(bytes, bytes.length);
      if (value.startsWith("(rejected)")) {
        assertThatThrownBy(() -> in.varint("v", 0, 0, Long.MAX_VALUE))
            .isInstanceOf(FormatException.class);
        continue;
      }
      long v = parse(value);
      assertThat(in.varint("v", 0, 0, Long.MAX_VALUE)).as(value).isEqualTo(v);
      assertThat(in.position()).isEqualTo(bytes.length);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      WriteVisitor.writeVarint(out, v);
      assertThat(out.toByteArray()).as(value).isEqualTo(bytes);
      assertThat(SizeVisitor.varintSize(v)).isEqualTo(bytes.length);
    }
    assertThat(rows).isEqualTo(10);
  }

  private static long parse(String s) {
    Matcher p = Pattern.compile("2\\^(\\d+)( - 1)?").matcher(s);
    if (p.matches()) {
      BigInteger v = BigInteger.TWO.pow(Integer.parseInt(p.group(1)));
      return (p.group(2) != null ? v.subtract(BigInteger.ONE) : v).longValueExact();
    }
    return Long.parseLong(s);
  }

  @Test
  void varintRoundTripsAtEveryLength() throws FormatException {
    for (int bits = 0; bits <= 56; bits++) {
      for (long v : new long[] {(1L << bits) - 1, 1L << Math.min(bits, 55)}) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WriteVisitor.writeVarint(out, v);
        byte[] b = out.toByteArray();
        assertThat(b.length).isLessThanOrEqualTo(8);
        assertThat(new ReadVisitor(b, b.length).varint("v", 0, 0, Long.MAX_VALUE)).isEqualTo(v);
      }
    }
  }
}
