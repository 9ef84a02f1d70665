package dev.corpusforge.filters.image;

import static dev.corpusforge.filters.image.ImageReasons.*;

import dev.corpusforge.core.Outcome;
import dev.corpusforge.core.RuleViolation;
import dev.corpusforge.core.Step;
import dev.corpusforge.core.Verdict;
import dev.corpusforge.schemas.ImageTextSample;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The image stage of {@code image-text}: byte cap → header probe → pixel cap, shorter side and
 * aspect ratio → decode to RGB → pixel SHA-256 and perceptual hash → resize and encode. Cheap
 * checks run first, so oversized or undersized images are never decoded.
 */
public final class ImageStep implements Step<ImageTextSample, ImageTextSample> {
  private final ImageRules rules;
  private final ImageOutput output;

  public ImageStep(ImageRules rules, ImageOutput output) {
    this.rules = rules;
    this.output = output;
  }

  @Override
  public Outcome<ImageTextSample> apply(ImageTextSample sample) throws RuleViolation {
    ByteBuffer buffer = sample.getImage();
    if (buffer == null) {
      return Outcome.drop(IMAGE_MISSING, "no image bytes");
    }
    byte[] bytes = toArray(buffer);
    Verdict sizeVerdict = rules.checkBytes(bytes.length);
    if (!sizeVerdict.kept()) {
      return sizeVerdict.toOutcome(sample);
    }
    ImageHeader header = ImageCodec.probe(bytes);
    Verdict headerVerdict = rules.checkHeader(header);
    if (!headerVerdict.kept()) {
      return headerVerdict.toOutcome(sample);
    }
    BufferedImage decoded = ImageCodec.decode(bytes);
    ImageHashes.Hashes hashes = ImageHashes.of(decoded);
    ImageTextSample.Builder out =
        ImageTextSample.newBuilder(sample)
            .setOriginalWidth(decoded.getWidth())
            .setOriginalHeight(decoded.getHeight())
            .setPixelHash(hashes.pixelHash())
            .setPhash(hashes.phash());
    if (output.keepsOriginalBytes()) {
      return Outcome.keep(
          out.setWidth(decoded.getWidth())
              .setHeight(decoded.getHeight())
              .setImageFormat(header.format())
              .build());
    }
    try {
      BufferedImage resized = output.resize(ImageCodec.toRgb(decoded));
      byte[] encoded = output.encode(resized);
      return Outcome.keep(
          out.setWidth(resized.getWidth())
              .setHeight(resized.getHeight())
              .setImage(ByteBuffer.wrap(encoded))
              .setImageFormat(output.format())
              .build());
    } catch (IOException e) {
      return Outcome.drop(IMAGE_ENCODE_FAILED, e.toString());
    }
  }

  static byte[] toArray(ByteBuffer buffer) {
    ByteBuffer dup = buffer.duplicate();
    if (dup.hasArray()
        && dup.arrayOffset() == 0
        && dup.position() == 0
        && dup.remaining() == dup.array().length) {
      return dup.array();
    }
    byte[] bytes = new byte[dup.remaining()];
    dup.get(bytes);
    return bytes;
  }
}
