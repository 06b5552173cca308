package io.vqcodec.container;

/** {@code channel_format} of Spec §3.2. */
public enum ChannelFormat {
  GRAY(0, 1),
  RGB(1, 3);

  final int code;
  private final int channels;

  ChannelFormat(int code, int channels) {
    this.code = code;
    this.channels = channels;
  }

  public int channels() {
    return channels;
  }

  static ChannelFormat of(int code) {
    for (ChannelFormat f : values()) {
      if (f.code == code) return f;
    }
    throw new IllegalArgumentException("channel_format " + code);
  }
}
