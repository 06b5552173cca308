package io.vqcodec.media;

import java.awt.image.BufferedImage;

/**
 * One decoded frame.
 *
 * @param index position in display order, from 0
 * @param timestampMicros presentation time in microseconds after the first frame (0): from the
 *     container's timestamps, so gaps show variable frame rate; index / rate where the input has no
 *     timestamps (Y4M, PNG folders)
 * @param image the pixels, 8-bit RGB, TYPE_INT_RGB; a new picture for each frame, owned by the
 *     caller
 */
public record VideoFrame(long index, long timestampMicros, BufferedImage image) {}
