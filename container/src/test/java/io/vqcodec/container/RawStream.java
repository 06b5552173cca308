package io.vqcodec.container;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * An independent, unchecked writer of the header syntax as the spec text states it (not through
 * HeaderSyntax), for hostile streams and for cross-checking the real writer. Each field can be
 * replaced by raw bytes.
 */
final class RawStream {
  static final byte[] MAGIC = {(byte) 0x89, 'V', 'Q', 'C', 0x0D, 0x0A, 0x1A, 0x0A};

  long versionMajor = 0;
  long versionMinor = 0;
  Long headerSize; // null: the true size
  long profile = 0;
  long flags = 0;
  long width = 40;
  long height = 24;
  long channelFormat = 1;
  long bitDepth = 8;
  long frameCount = 1;
  long frameRateNum = 0;
  long frameRateDen = 0;
  long modelId = 1;
  byte[] weightsHash = new byte[16];
  long codebookLevel = 4;
  long granularityMode = 0;
  long probModelId = 0;
  List<long[]> extensionHeads = new ArrayList<>(); // {type, length}
  List<byte[]> extensionPayloads = new ArrayList<>();
  Long sliceCount; // null: the list size
  List<long[]> slices = new ArrayList<>(); // {first_row, row_count, payload_length, payload_crc}
  byte[] rawWidth; // replaces the width varint when set
  byte[] rawExtensionCount; // replaces the extension_count varint when set
  byte[] beforeCrc = new byte[0]; // stray bytes between the slice directory and header_crc
  boolean corruptCrc;

  RawStream slice(long first, long rows, byte[] payload) {
    slices.add(new long[] {first, rows, payload.length, crc(payload)});
    return this;
  }

  RawStream extension(int typeWithCriticalBit, byte[] payload) {
    extensionHeads.add(new long[] {typeWithCriticalBit, payload.length});
    extensionPayloads.add(payload);
    return this;
  }

  byte[] header() {
    Bytes b = new Bytes();
    b.u8(profile).u8(flags);
    if (rawWidth != null) b.raw(rawWidth);
    else b.varint(width);
    b.varint(height)
        .u8(channelFormat)
        .u8(bitDepth)
        .varint(frameCount)
        .varint(frameRateNum)
        .varint(frameRateDen);
    b.varint(modelId).raw(weightsHash);
    b.u8(codebookLevel).u8(granularityMode).u8(probModelId);
    if (rawExtensionCount != null) b.raw(rawExtensionCount);
    else b.varint(extensionHeads.size());
    for (int i = 0; i < extensionHeads.size(); i++) {
      b.u16(extensionHeads.get(i)[0])
          .varint(extensionHeads.get(i)[1])
          .raw(extensionPayloads.get(i));
    }
    b.varint(sliceCount != null ? sliceCount : slices.size());
    for (long[] s : slices) {
      b.varint(s[0]).varint(s[1]).varint(s[2]).u32(s[3]);
    }
    b.raw(beforeCrc);
    byte[] body = b.toArray();
    long size = headerSize != null ? headerSize : 14 + body.length + 4;
    Bytes f = new Bytes().raw(MAGIC).u8(versionMajor).u8(versionMinor).u32(size).raw(body);
    byte[] noCrc = f.toArray();
    return f.u32(crc(noCrc) ^ (corruptCrc ? 1 : 0)).toArray();
  }

  /** header(), then the given payloads and the end code. */
  byte[] file(byte[]... payloads) {
    Bytes f = new Bytes().raw(header());
    for (byte[] p : payloads) f.raw(p);
    return f.raw(new byte[] {'V', 'Q', 'C', 'E'}).toArray();
  }

  static long crc(byte[] b) {
    CRC32C c = new CRC32C();
    c.update(b);
    return c.getValue();
  }

  static final class Bytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Bytes u8(long v) {
      out.write((int) v);
      return this;
    }

    Bytes u16(long v) {
      return u8(v >>> 8).u8(v);
    }

    Bytes u32(long v) {
      return u16(v >>> 16).u16(v);
    }

    Bytes varint(long v) {
      while ((v & ~0x7FL) != 0) {
        out.write((int) (v & 0x7F) | 0x80);
        v >>>= 7;
      }
      out.write((int) v);
      return this;
    }

    Bytes raw(byte[] b) {
      out.write(b, 0, b.length);
      return this;
    }

    byte[] toArray() {
      return out.toByteArray();
    }
  }
}
