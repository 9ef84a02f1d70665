package dev.corpusforge.scorers.beam;

import dev.corpusforge.filters.ImageTextIdentity;
import dev.corpusforge.schemas.ImageTextSample;
import dev.corpusforge.scorers.PairScores;
import dev.corpusforge.scorers.ScoreKind;

/**
 * How scoring and the alignment filter read and write {@code image-text} samples: image bytes,
 * caption, language and the two score fields.
 */
public final class ImageTextPairs
    implements PairAccess<ImageTextSample>, ScoredRecords<ImageTextSample> {
  public static final ImageTextPairs INSTANCE = new ImageTextPairs();

  @Override
  public String sampleId(ImageTextSample record) {
    return ImageTextIdentity.INSTANCE.sampleId(record);
  }

  @Override
  public String source(ImageTextSample record) {
    return ImageTextIdentity.INSTANCE.source(record);
  }

  @Override
  public byte[] image(ImageTextSample record) {
    if (record.getImage() == null) {
      throw new IllegalArgumentException("the sample has no image bytes");
    }
    java.nio.ByteBuffer b = record.getImage().duplicate();
    byte[] bytes = new byte[b.remaining()];
    b.get(bytes);
    return bytes;
  }

  @Override
  public String caption(ImageTextSample record) {
    return record.getCaption();
  }

  @Override
  public Double score(ImageTextSample record, ScoreKind kind) {
    return kind == ScoreKind.CLIP ? record.getClipScore() : record.getFilipScore();
  }

  @Override
  public String language(ImageTextSample record) {
    return record.getLanguage();
  }

  @Override
  public ImageTextSample withScores(ImageTextSample record, PairScores scores) {
    ImageTextSample.Builder scored =
        ImageTextSample.newBuilder(record)
            .setClipScore(scores.clip())
            .setFilipScore(scores.filip());
    if (scores.imageEmbedding() != null) {
      scored
          .setImageEmbedding(floats(scores.imageEmbedding()))
          .setTextEmbedding(floats(scores.textEmbedding()));
    }
    return scored.build();
  }

  private static java.util.List<Float> floats(float[] v) {
    java.util.List<Float> out = new java.util.ArrayList<>(v.length);
    for (float x : v) {
      out.add(x);
    }
    return out;
  }
}
