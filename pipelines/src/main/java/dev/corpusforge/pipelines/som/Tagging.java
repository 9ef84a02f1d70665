package dev.corpusforge.pipelines.som;

import dev.corpusforge.annotators.region.BinaryMask;
import dev.corpusforge.annotators.som.MarkLayout;
import dev.corpusforge.core.RecordIdentity;
import dev.corpusforge.filters.image.RgbImage;
import java.awt.image.BufferedImage;
import java.io.Serializable;
import java.util.List;

/**
 * One image on its way through the tagging stages, each adding what it made: the image at the
 * tagged size (and the input's size, which the masks are given in), the usable masks with their
 * labels (the input's size, which the masks are given in, and the tagged size), the numbered marks,
 * the image with the numbers drawn, its JPEG, the marks' labels.
 */
record Tagging(
    SomInput input,
    int inputWidth,
    int inputHeight,
    int width,
    int height,
    RgbImage base,
    List<Labelled> masks,
    List<MarkLayout.Mark> marks,
    RgbImage tagged,
    byte[] jpeg,
    List<String> labels)
    implements Serializable {

  /** A mask ready for numbering, with its label. */
  record Labelled(BinaryMask mask, String label) implements Serializable {}

  static Tagging loaded(SomInput input, int inputWidth, int inputHeight, RgbImage base) {
    BufferedImage b = base.image();
    return new Tagging(
        input,
        inputWidth,
        inputHeight,
        b.getWidth(),
        b.getHeight(),
        base,
        null,
        null,
        null,
        null,
        null);
  }

  Tagging withMasks(List<Labelled> usable) {
    return new Tagging(
        input, inputWidth, inputHeight, width, height, base, usable, null, null, null, null);
  }

  Tagging withMarks(List<MarkLayout.Mark> numbered) {
    return new Tagging(
        input, inputWidth, inputHeight, width, height, base, masks, numbered, null, null, null);
  }

  /** With the numbers drawn; the untagged image is no longer needed. */
  Tagging withTagged(RgbImage drawn) {
    return new Tagging(
        input, inputWidth, inputHeight, width, height, null, masks, marks, drawn, null, null);
  }

  /** With the tagged image encoded; the decoded one is no longer needed. */
  Tagging withJpeg(byte[] encoded) {
    return new Tagging(
        input, inputWidth, inputHeight, width, height, null, masks, marks, null, encoded, null);
  }

  /** With the marks' labels; the JPEG and the marks go on from here. */
  Tagging withLabels(List<String> listed) {
    return new Tagging(
        input, inputWidth, inputHeight, width, height, null, null, marks, null, jpeg, listed);
  }

  /** The sample id and source of an image in any tagging stage. */
  static final RecordIdentity<Tagging> IDENTITY =
      RecordIdentity.of(t -> t.input().sampleId(), t -> t.input().source());

  /** The sample id and source of an input image. */
  static final RecordIdentity<SomInput> INPUT_IDENTITY =
      RecordIdentity.of(SomInput::sampleId, SomInput::source);
}
