/**
 * Video frames in and out: {@link io.vqcodec.media.FrameSource} reads any input FFmpeg reads (and
 * Y4M and PNG folders in pure Java) as 8-bit RGB pictures; {@link io.vqcodec.media.FrameSink}
 * writes them to Y4M, a PNG folder or a container FFmpeg writes. Nothing in the normative core
 * depends on this package.
 */
package io.vqcodec.media;
